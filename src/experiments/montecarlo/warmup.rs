//! The warm-up chosen after a run (`warmup_days = "auto"`): MSER-5 on the
//! replication-averaged series of the steady-state metrics (each named
//! platform's and population's decision waits, the gatekeeper's queue
//! waits, utilisation and builds waiting), the longest truncation of
//! them applied to all; then each replication's steady-state headlines
//! recomputed from its sums by block of five days after that point.
//!
//! The choice reads every replication's sums in index order, so it is the
//! same for any number of threads and any sharding (a sharded run
//! chooses at the merge, from every shard's replications). Headlines
//! that are not steady-state means (counts, percentiles, users) keep the
//! whole run: they are not recomputed.

use super::series::Scope;
use crate::core::metric::Metric;
use crate::core::stats::mser::{BATCH_DAYS, longest_warmup};
use crate::model::pipeline::steady::{BOOK_SUMS, BookSum, GATE_SUMS, GateSum, SteadyBlocks};
use std::collections::BTreeMap;

/// A series by whose and which.
type Named = (Scope, Metric);

/// The warm-up chosen, before its series are named.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Chosen {
    /// First day kept (0: nothing deleted).
    pub(crate) day: u64,
    /// Blocks deleted.
    pub(crate) blocks: usize,
    /// The series that set it.
    pub(crate) set_by: (Scope, Metric),
    /// The series whose own truncation fell at half their length (the run
    /// is too short to show their steady state).
    pub(crate) too_short: Vec<(Scope, Metric)>,
}

/// A steady-state series: whose, which, and its value over a run of blocks
/// (from the summed blocks' values).
struct Steady {
    scope: Scope,
    metric: Metric,
    /// (numerator, denominator) positions in a block.
    ratio: (usize, usize),
}

impl Steady {
    fn gate(metric: Metric, num: GateSum, den: GateSum) -> Steady {
        Steady {
            scope: Scope::Gatekeeper,
            metric,
            ratio: (num as usize, den as usize),
        }
    }

    fn book(scope: Scope, metric: Metric, book: usize, num: BookSum) -> Steady {
        let at = |s: BookSum| GATE_SUMS + BOOK_SUMS * book + s as usize;
        Steady {
            scope,
            metric,
            ratio: (at(num), at(BookSum::Decided)),
        }
    }

    /// The value over blocks `from..` of `s`.
    fn value(&self, s: &SteadyBlocks, from: usize) -> Option<f64> {
        let (mut num, mut den) = (0.0, 0.0);
        for b in from..s.blocks() {
            let block = s.block(b);
            num += block[self.ratio.0];
            den += block[self.ratio.1];
        }
        (den > 0.0).then(|| num / den)
    }
}

/// The steady-state series of a run of `platforms` named platforms and
/// `populations` populations whose blocks track `tracked` platforms:
/// every headline that can be recomputed after a warm-up.
fn steady_series(platforms: usize, tracked: usize, populations: usize) -> Vec<Steady> {
    let mut out = Vec::new();
    let books = (0..platforms.min(tracked))
        .map(|p| (Scope::Platform(p), p))
        .chain((0..populations).map(|k| (Scope::Population(k), tracked + k)));
    for (scope, book) in books {
        out.push(Steady::book(
            scope,
            Metric::DecisionHoursMean,
            book,
            BookSum::DecisionHours,
        ));
        out.push(Steady::book(scope, Metric::DecidedWithin24h, book, BookSum::Within24h));
        out.push(Steady::book(scope, Metric::DecidedWithin7d, book, BookSum::Within7d));
    }
    out.push(Steady::gate(
        Metric::QueueWaitHoursMean,
        GateSum::QueueWaitHours,
        GateSum::QueueWaits,
    ));
    out.push(Steady::gate(
        Metric::ReviewedWaitHoursMean,
        GateSum::ReviewedWaitHours,
        GateSum::ReviewedWaits,
    ));
    out.push(Steady::gate(
        Metric::Utilisation,
        GateSum::InReviewArea,
        GateSum::CapacityArea,
    ));
    out.push(Steady::gate(Metric::MeanWaiting, GateSum::WaitingArea, GateSum::Hours));
    out.push(Steady::gate(
        Metric::DecidedWithin24h,
        GateSum::Within24h,
        GateSum::Decided,
    ));
    out.push(Steady::gate(
        Metric::DecidedWithin7d,
        GateSum::Within7d,
        GateSum::Decided,
    ));
    out
}

/// Whether headline `metric` of `scope` is recomputed after an automatic warm-up.
pub(crate) fn is_steady(scope: Scope, metric: Metric) -> bool {
    match scope {
        Scope::Platform(_) | Scope::Population(_) => matches!(
            metric,
            Metric::DecisionHoursMean | Metric::DecidedWithin24h | Metric::DecidedWithin7d
        ),
        Scope::Gatekeeper => steady_series(0, 0, 0).iter().any(|s| s.metric == metric),
        Scope::Watched(_) | Scope::Market => false,
    }
}

/// Whether MSER reads series `m`: the waits, utilisation and builds
/// waiting (not the shares within a day or a week, which follow the waits).
fn read_by_mser(m: Metric) -> bool {
    matches!(
        m,
        Metric::DecisionHoursMean | Metric::QueueWaitHoursMean | Metric::Utilisation | Metric::MeanWaiting
    )
}

/// Chooses the warm-up from the replications' `blocks` (in index order)
/// of a run of `platforms` named platforms over `horizon_days`; `None`
/// without blocks.
pub(crate) fn choose(blocks: &BTreeMap<u64, SteadyBlocks>, platforms: usize, horizon_days: u64) -> Option<Chosen> {
    let first = blocks.values().next()?;
    let series = steady_series(platforms, first.tracked, first.populations);
    // Whole blocks only: a last, shorter block is not a batch mean of five days.
    let whole = (horizon_days / BATCH_DAYS as u64) as usize;
    let averaged: Vec<Vec<Option<f64>>> = series
        .iter()
        .filter(|s| read_by_mser(s.metric))
        .map(|s| {
            (0..whole.min(first.blocks()))
                .map(|b| {
                    // The replications' pooled ratio in block b.
                    let (mut num, mut den) = (0.0, 0.0);
                    for r in blocks.values().filter(|r| r.blocks() > b) {
                        num += r.block(b)[s.ratio.0];
                        den += r.block(b)[s.ratio.1];
                    }
                    (den > 0.0).then(|| num / den)
                })
                .collect()
        })
        .collect();
    let named: Vec<(Named, &[Option<f64>])> = series
        .iter()
        .filter(|s| read_by_mser(s.metric))
        .zip(&averaged)
        .map(|(s, a)| ((s.scope, s.metric), a.as_slice()))
        .collect();
    let longest = longest_warmup(&named, 1)?;
    Some(Chosen {
        day: (longest.warmup.days * BATCH_DAYS) as u64,
        blocks: longest.warmup.days,
        set_by: longest.series,
        too_short: longest.too_short,
    })
}

/// Replication `blocks`' value of headline `metric` of `scope` after
/// `from` blocks, if it is a steady-state headline (`None` if not).
pub(crate) fn recomputed(
    blocks: &SteadyBlocks,
    platforms: usize,
    scope: Scope,
    metric: Metric,
    from: usize,
) -> Option<Option<f64>> {
    steady_series(platforms, blocks.tracked, blocks.populations)
        .iter()
        .find(|s| s.scope == scope && s.metric == metric)
        .map(|s| s.value(blocks, from))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Blocks of one platform whose decisions take `hours[b]` in block b,
    /// one decision a block, and a gatekeeper always half busy.
    fn blocks(hours: &[f64]) -> SteadyBlocks {
        let mut s = SteadyBlocks::new(1, 0, hours.len());
        for (b, &h) in hours.iter().enumerate() {
            s.decision(5.0 * b as f64 + 1.0, h, [0]);
            s.add_gate(b, GateSum::QueueWaits, 1.0);
            s.add_gate(b, GateSum::QueueWaitHours, 1.0);
            s.add_gate(b, GateSum::InReviewArea, 60.0);
            s.add_gate(b, GateSum::CapacityArea, 120.0);
            s.add_gate(b, GateSum::WaitingArea, 12.0);
            s.add_gate(b, GateSum::Hours, 120.0);
        }
        s
    }

    #[test]
    fn the_warmup_is_where_the_slowest_series_settles_and_headlines_count_from_it() {
        // Decisions fall from 100 hours to 10 over the first 8 blocks, then stay.
        let hours: Vec<f64> = (0..60)
            .map(|b| if b < 8 { 100.0 - 11.25 * b as f64 } else { 10.0 })
            .collect();
        let mut all = BTreeMap::new();
        all.insert(3, blocks(&hours));
        all.insert(7, blocks(&hours));
        let c = choose(&all, 1, 300).unwrap();
        assert_eq!((c.day, c.blocks), (40, 8));
        assert_eq!(c.set_by, (Scope::Platform(0), Metric::DecisionHoursMean));
        assert!(c.too_short.is_empty());
        let b = &all[&3];
        assert_eq!(
            recomputed(b, 1, Scope::Platform(0), Metric::DecisionHoursMean, 8),
            Some(Some(10.0))
        );
        assert_eq!(
            recomputed(b, 1, Scope::Gatekeeper, Metric::Utilisation, 8),
            Some(Some(0.5))
        );
        assert_eq!(
            recomputed(b, 1, Scope::Gatekeeper, Metric::MeanWaiting, 0),
            Some(Some(0.1))
        );
        assert_eq!(
            recomputed(b, 1, Scope::Gatekeeper, Metric::DecidedWithin24h, 8),
            Some(Some(1.0))
        );
        assert_eq!(recomputed(b, 1, Scope::Platform(0), Metric::Releases, 8), None);
        // Past every block: no value.
        assert_eq!(
            recomputed(b, 1, Scope::Platform(0), Metric::DecisionHoursMean, 60),
            Some(None)
        );
    }

    #[test]
    fn a_series_still_settling_at_half_the_run_is_too_short() {
        let hours: Vec<f64> = (0..10).map(|b| 100.0 - 9.0 * b as f64).collect();
        let all = BTreeMap::from([(0, blocks(&hours))]);
        let c = choose(&all, 1, 50).unwrap();
        assert_eq!(c.too_short, [(Scope::Platform(0), Metric::DecisionHoursMean)]);
        assert_eq!(c.day, 25);
        assert_eq!(choose(&BTreeMap::new(), 1, 50), None);
    }
}
