//! The warm-up chosen after a run (`warmup_days = "auto"`), and the
//! steady-state headlines recomputed after it.
//!
//! The rule, for the steady-state series (each named platform's and
//! population's decision waits, the gatekeeper's queue waits,
//! utilisation and builds waiting), from the replications' sums by block
//! of five days:
//! - the statistical inefficiency tau of each series over the second half
//!   of the run (pooled over the replications; see
//!   [`inefficiency`](crate::core::stats::inefficiency)), the longest of
//!   them: a transient lasts a few such times;
//! - MSER-5 on the replication-averaged series, the longest truncation of
//!   them, found separately on the replications of even and of odd index;
//! - each half is cut at the later of [`TAUS_CUT`] times tau and the
//!   MSER-5 truncation of the *other* half (a cut found on the data it is
//!   applied to deletes their high stretches with the transient, and
//!   biases the mean low);
//! - the waits, counted by the block they started in, leave out the last
//!   tau of the run, whose slow waits are still unfinished at the end.
//!
//! A steady-state headline is then, across replications, the ratio of
//! the replications' pooled sums (the mean of every submission's wait in
//! the window, not the mean of each replication's own mean, which is low
//! by the correlation of a replication's number of waits with their
//! length), with its interval from the linearised values
//! `R + (N_i - R D_i) / mean(D)` (the delta method). Each replication
//! keeps its own value in the rows.
//!
//! The choice reads every replication's sums in index order, so it is the
//! same for any number of threads and any sharding (a sharded run
//! chooses at the merge, from every shard's replications). Headlines
//! that are not steady-state means (counts, percentiles, users) keep the
//! whole run: they are not recomputed.

use super::series::Scope;
use crate::core::metric::Metric;
use crate::core::stats::inefficiency::statistical_inefficiency;
use crate::core::stats::mser::{BATCH_DAYS, longest_warmup};
use crate::model::pipeline::steady::{BOOK_SUMS, BookSum, GATE_SUMS, GateSum, SteadyBlocks};
use std::collections::BTreeMap;

/// A series by whose and which.
type Named = (Scope, Metric);

/// Times the statistical inefficiency a warm-up lasts at least.
pub(crate) const TAUS_CUT: f64 = 4.0;

/// The warm-up chosen, before its series are named.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Chosen {
    /// First block kept in the replications of even and of odd index.
    pub(crate) from: [usize; 2],
    /// The waits' blocks end before this one (the last tau left out).
    pub(crate) until: usize,
    /// The longest statistical inefficiency, in days.
    pub(crate) inefficiency_days: f64,
    /// The series that set the later first block.
    pub(crate) set_by: (Scope, Metric),
    /// The series whose own truncation fell at half their length (the run
    /// is too short to show their steady state).
    pub(crate) too_short: Vec<(Scope, Metric)>,
}

impl Chosen {
    /// The first day kept in replication `index`.
    pub(crate) fn day_of(&self, index: u64) -> u64 {
        (self.from[(index % 2) as usize] * BATCH_DAYS) as u64
    }

    /// The first day kept in the replications of even and of odd index.
    pub(crate) fn days(&self) -> [u64; 2] {
        [self.day_of(0), self.day_of(1)]
    }

    /// The day the waits' window ends (exclusive).
    pub(crate) fn until_day(&self) -> u64 {
        (self.until * BATCH_DAYS) as u64
    }
}

/// A steady-state series: whose, which, and its value over a run of blocks
/// (from the summed blocks' values).
pub(crate) struct Steady {
    scope: Scope,
    metric: Metric,
    /// (numerator, denominator) positions in a block.
    ratio: (usize, usize),
    /// Whether its sums are time integrals (lived in their block, not
    /// started there: nothing unfinished at the end).
    lived: bool,
}

impl Steady {
    fn gate(metric: Metric, num: GateSum, den: GateSum) -> Steady {
        Steady {
            scope: Scope::Gatekeeper,
            metric,
            ratio: (num as usize, den as usize),
            lived: matches!(num, GateSum::InReviewArea | GateSum::WaitingArea),
        }
    }

    fn book(scope: Scope, metric: Metric, book: usize, num: BookSum) -> Steady {
        let at = |s: BookSum| GATE_SUMS + BOOK_SUMS * book + s as usize;
        Steady {
            scope,
            metric,
            ratio: (at(num), at(BookSum::Decided)),
            lived: false,
        }
    }

    /// The (numerator, denominator) sums of `s` over blocks `from..`,
    /// up to block `until` for sums counted where they started.
    fn sums(&self, s: &SteadyBlocks, from: usize, until: usize) -> (f64, f64) {
        let end = if self.lived { s.blocks() } else { until.min(s.blocks()) };
        let (mut num, mut den) = (0.0, 0.0);
        for b in from..end {
            let block = s.block(b);
            num += block[self.ratio.0];
            den += block[self.ratio.1];
        }
        (num, den)
    }

    /// Replication `index`'s sums (numerator, denominator) of `s` in the
    /// window `chosen`.
    pub(crate) fn window(&self, s: &SteadyBlocks, chosen: &Chosen, index: u64) -> (f64, f64) {
        self.sums(s, chosen.from[(index % 2) as usize], chosen.until)
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

/// Whether headline `metric` of `scope` is a steady-state mean (not a
/// share) recomputed after an automatic warm-up: what `--precision`
/// targets besides users and orders when the warm-up is automatic.
pub(crate) fn is_steady_mean(scope: Scope, metric: Metric) -> bool {
    is_steady(scope, metric) && read_by_mser(metric)
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
    let series: Vec<Steady> = steady_series(platforms, first.tracked, first.populations)
        .into_iter()
        .filter(|s| read_by_mser(s.metric))
        .collect();
    // Whole blocks only: a last, shorter block is not a batch mean of five days.
    let whole = ((horizon_days / BATCH_DAYS as u64) as usize).min(first.blocks());
    // The longest inefficiency, over the second half of the run.
    let mut tau: Option<(f64, Named)> = None;
    for s in &series {
        let columns: Vec<(Vec<f64>, Vec<f64>)> = blocks
            .values()
            .map(|r| {
                (whole / 2..whole.min(r.blocks()))
                    .map(|b| (r.block(b)[s.ratio.0], r.block(b)[s.ratio.1]))
                    .unzip()
            })
            .collect();
        let slices: Vec<(&[f64], &[f64])> = columns.iter().map(|(n, d)| (n.as_slice(), d.as_slice())).collect();
        if let Some(t) = statistical_inefficiency(&slices)
            && tau.is_none_or(|(longest, _)| t > longest)
        {
            tau = Some((t, (s.scope, s.metric)));
        }
    }
    // MSER-5 on each half's replication-averaged series.
    let half = |parity: u64| {
        let chosen: Vec<&SteadyBlocks> = blocks
            .iter()
            .filter(|(i, _)| blocks.len() == 1 || *i % 2 == parity)
            .map(|(_, r)| r)
            .collect();
        // The replications' pooled ratio per series and block, summed
        // replication by replication (in index order, as block by block).
        let mut sums = vec![(0.0, 0.0); series.len() * whole];
        for r in &chosen {
            for b in 0..whole.min(r.blocks()) {
                let block = r.block(b);
                for (k, s) in series.iter().enumerate() {
                    let (num, den) = &mut sums[k * whole + b];
                    *num += block[s.ratio.0];
                    *den += block[s.ratio.1];
                }
            }
        }
        let averaged: Vec<Vec<Option<f64>>> = sums
            .chunks(whole.max(1))
            .take(series.len())
            .map(|c| c.iter().map(|&(num, den)| (den > 0.0).then(|| num / den)).collect())
            .collect();
        let named: Vec<(Named, &[Option<f64>])> = series
            .iter()
            .zip(&averaged)
            .map(|(s, a)| ((s.scope, s.metric), a.as_slice()))
            .collect();
        longest_warmup(&named, 1)
    };
    // With one replication both halves are that replication.
    let (even, odd) = (half(0), half(1).or_else(|| half(0)));
    let (even, odd) = (even?, odd?);
    let tau_blocks = tau.map_or(1.0, |t| t.0);
    let floor = (TAUS_CUT * tau_blocks).ceil() as usize;
    // Each half is cut where the other half's series settle.
    let from = [floor.max(odd.warmup.days), floor.max(even.warmup.days)];
    let later = if from[0] >= from[1] { &odd } else { &even };
    let set_by = match tau {
        Some((_, named)) if floor >= later.warmup.days => named,
        _ => later.series,
    };
    let mut too_short = even.too_short.clone();
    for s in odd.too_short {
        if !too_short.contains(&s) {
            too_short.push(s);
        }
    }
    Some(Chosen {
        from,
        until: whole.saturating_sub(tau_blocks.ceil() as usize),
        inefficiency_days: tau_blocks * BATCH_DAYS as f64,
        set_by,
        too_short,
    })
}

/// The steady-state series of headline `metric` of `scope` in a run of
/// `platforms` named platforms whose blocks are shaped as `blocks`;
/// `None` if it is not a steady-state headline.
pub(crate) fn steady_of(blocks: &SteadyBlocks, platforms: usize, scope: Scope, metric: Metric) -> Option<Steady> {
    steady_series(platforms, blocks.tracked, blocks.populations)
        .into_iter()
        .find(|s| s.scope == scope && s.metric == metric)
}

/// The ratio estimator of `sums` (each replication's numerator and
/// denominator): the pooled ratio's linearised values `R + (N_i - R D_i)
/// / mean(D)`, whose mean is the pooled ratio R and whose spread gives
/// its interval by the delta method; `None` without a denominator.
pub(crate) fn linearised(sums: &[(f64, f64)]) -> Option<Vec<f64>> {
    let (num, den) = sums.iter().fold((0.0, 0.0), |(n, d), s| (n + s.0, d + s.1));
    if den <= 0.0 {
        return None;
    }
    let (ratio, mean_den) = (num / den, den / sums.len() as f64);
    Some(sums.iter().map(|(n, d)| ratio + (n - ratio * d) / mean_den).collect())
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
        // Decisions fall from 100 hours to 10 over the first 8 blocks, then
        // stay: no spread left to measure an inefficiency by, so the
        // warm-up is MSER-5's, longer than four blocks.
        let hours: Vec<f64> = (0..60)
            .map(|b| if b < 8 { 100.0 - 11.25 * b as f64 } else { 10.0 })
            .collect();
        let mut all = BTreeMap::new();
        all.insert(3, blocks(&hours));
        all.insert(8, blocks(&hours));
        let c = choose(&all, 1, 300).unwrap();
        assert_eq!((c.from, c.days(), c.until), ([8, 8], [40, 40], 59));
        assert_eq!(c.inefficiency_days, 5.0);
        assert_eq!(c.set_by, (Scope::Platform(0), Metric::DecisionHoursMean));
        assert!(c.too_short.is_empty());
        let b = &all[&3];
        let sums = |scope, metric| steady_of(b, 1, scope, metric).map(|s| s.window(b, &c, 3));
        // Waits from block 8 to block 59 (the last one left out); time
        // integrals to the end.
        assert_eq!(sums(Scope::Platform(0), Metric::DecisionHoursMean), Some((510.0, 51.0)));
        assert_eq!(
            sums(Scope::Gatekeeper, Metric::Utilisation),
            Some((60.0 * 52.0, 120.0 * 52.0))
        );
        assert_eq!(sums(Scope::Gatekeeper, Metric::DecidedWithin24h), Some((51.0, 51.0)));
        assert_eq!(sums(Scope::Platform(0), Metric::Releases), None);
    }

    #[test]
    fn each_half_of_the_replications_is_cut_where_the_other_half_settles() {
        // Even replications settle after 8 blocks, odd ones after 12.
        let ramp = |settle: usize| -> Vec<f64> {
            (0..60)
                .map(|b| {
                    if b < settle {
                        100.0 - 90.0 * b as f64 / settle as f64
                    } else {
                        10.0
                    }
                })
                .collect()
        };
        let all = BTreeMap::from([(0, blocks(&ramp(8))), (1, blocks(&ramp(12))), (2, blocks(&ramp(8)))]);
        let c = choose(&all, 1, 300).unwrap();
        assert_eq!(c.from, [12, 8]);
        assert_eq!((c.day_of(0), c.day_of(1), c.day_of(4)), (60, 40, 60));
    }

    #[test]
    fn a_correlated_series_is_cut_at_four_times_its_inefficiency_and_its_end_left_out() {
        use crate::core::rng::stream;
        use crate::core::sample::normal;
        // Decision hours 50 + 5 x by block, x an AR(1) series of lag-one
        // correlation phi: inefficiency (1 + phi) / (1 - phi), 3 blocks
        // for 0.5 and 19 for 0.9.
        let ar1 = |phi: f64| -> BTreeMap<u64, SteadyBlocks> {
            (0..20)
                .map(|r| {
                    let mut rng = stream(20_261_206, r, "warmup");
                    let mut x = 0.0;
                    let hours: Vec<f64> = (0..400)
                        .map(|_| {
                            x = phi * x + normal(&mut rng);
                            50.0 + 5.0 * x
                        })
                        .collect();
                    (r, blocks(&hours))
                })
                .collect()
        };
        let (s, l) = (choose(&ar1(0.5), 1, 2000).unwrap(), choose(&ar1(0.9), 1, 2000).unwrap());
        assert!(l.inefficiency_days > 3.0 * s.inefficiency_days, "{s:?} {l:?}");
        for c in [&s, &l] {
            let tau_blocks = c.inefficiency_days / 5.0;
            assert!(c.from.iter().all(|&f| f as f64 >= TAUS_CUT * tau_blocks), "{c:?}");
            assert_eq!(c.until, 400 - tau_blocks.ceil() as usize, "{c:?}");
        }
    }

    #[test]
    fn the_ratio_estimator_is_the_pooled_ratio_and_its_linearised_values_average_to_it() {
        // 10 waits of 5 hours, 30 of 15: 500 hours over 40 waits.
        let z = linearised(&[(50.0, 10.0), (450.0, 30.0)]).unwrap();
        assert_eq!(z.len(), 2);
        assert!(((z[0] + z[1]) / 2.0 - 12.5).abs() < 1e-12, "{z:?}");
        // 12.5 + (50 - 125) / 20 and 12.5 + (450 - 375) / 20.
        assert!((z[0] - 8.75).abs() < 1e-12 && (z[1] - 16.25).abs() < 1e-12, "{z:?}");
        assert_eq!(linearised(&[(0.0, 0.0)]), None);
    }

    #[test]
    fn a_series_still_settling_at_half_the_run_is_too_short() {
        let hours: Vec<f64> = (0..10).map(|b| 100.0 - 9.0 * b as f64).collect();
        let all = BTreeMap::from([(0, blocks(&hours))]);
        let c = choose(&all, 1, 50).unwrap();
        assert_eq!(c.too_short, [(Scope::Platform(0), Metric::DecisionHoursMean)]);
        assert_eq!(c.days(), [25, 25]);
        assert_eq!(choose(&BTreeMap::new(), 1, 50), None);
    }
}
