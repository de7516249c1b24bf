//! Sharding: splitting a run's replications among machines and putting the
//! pieces back together. Shard K of N (K from 1) runs a contiguous block of
//! the replication indices and writes a partial result ([`partial`]): the
//! exact, order-independent accumulators of its replications. Merging the
//! partials of all N shards adds those accumulators, which gives exactly
//! the state one machine running every replication would have reached, so
//! the merged outputs are byte-identical to the unsharded run's for any N
//! and any order of the files. A sensitivity analysis splits its design
//! points instead, by the same block rule: each shard holds the outputs
//! of its block of points, and merging puts the blocks back in order.

pub(crate) mod partial;
pub(crate) mod payload;

use std::fmt;
use std::ops::Range;

/// Shard `k` of `n` (1 <= k <= n).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) struct Shard {
    k: u64,
    n: u64,
}

/// Most shards a run may be split into.
pub(crate) const MAX_SHARDS: u64 = 1_000_000;

impl Shard {
    /// Shard `k` of `n`, if 1 <= k <= n <= [`MAX_SHARDS`].
    pub(crate) fn new(k: u64, n: u64) -> Result<Shard, String> {
        if n == 0 || n > MAX_SHARDS {
            return Err(format!("the number of shards must be from 1 to {MAX_SHARDS}, got {n}"));
        }
        if k == 0 || k > n {
            return Err(format!("the shard must be from 1 to {n}, got {k}"));
        }
        Ok(Shard { k, n })
    }

    /// Parses `K/N`, as in `--shard 2/8`.
    pub(crate) fn parse(text: &str) -> Result<Shard, String> {
        let Some((k, n)) = text.trim().split_once('/') else {
            return Err(format!("expected K/N (e.g. 2/8, shard 2 of 8), got `{text}`"));
        };
        let num = |s: &str, what: &str| {
            s.trim()
                .parse::<u64>()
                .map_err(|_| format!("{what} in `{text}` is not a whole number"))
        };
        Shard::new(num(k, "K")?, num(n, "N")?)
    }

    /// The shard's number, from 1.
    pub(crate) fn k(self) -> u64 {
        self.k
    }

    /// The number of shards.
    pub(crate) fn n(self) -> u64 {
        self.n
    }

    /// The replication indices this shard runs out of `replications`: a
    /// contiguous block, the blocks of shards 1..=N covering 0..replications
    /// in order, their sizes differing by at most one. A shard may be empty
    /// when there are more shards than replications.
    pub(crate) fn replications(self, replications: u64) -> Range<u64> {
        block(self.k, self.n, replications)
    }
}

/// Replications of shard `k` of `n` out of `r`.
fn block(k: u64, n: u64, r: u64) -> Range<u64> {
    let at = |i: u64| (u128::from(i) * u128::from(r) / u128::from(n)) as u64;
    at(k - 1)..at(k)
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.k, self.n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_cover_every_replication_once_in_order() {
        for n in 1..=12u64 {
            for r in [0u64, 1, 5, 12, 100, 1001] {
                let mut next = 0;
                for k in 1..=n {
                    let b = Shard::new(k, n).unwrap().replications(r);
                    assert_eq!(b.start, next, "shard {k}/{n} of {r}");
                    assert!(b.end - b.start <= r / n + 1);
                    next = b.end;
                }
                assert_eq!(next, r);
            }
        }
    }

    #[test]
    fn k_of_n_parses_and_bad_forms_say_what_is_wrong() {
        assert_eq!(Shard::parse("2/8").unwrap(), Shard::new(2, 8).unwrap());
        assert_eq!(Shard::parse(" 1 / 1 ").unwrap().to_string(), "1/1");
        assert!(Shard::parse("0/3").unwrap_err().contains("from 1 to 3"));
        assert!(Shard::parse("4/3").unwrap_err().contains("from 1 to 3"));
        assert!(Shard::parse("1/0").unwrap_err().contains("number of shards"));
        assert!(Shard::parse("3").unwrap_err().contains("K/N"));
        assert!(Shard::parse("a/3").unwrap_err().contains("not a whole number"));
        assert!(Shard::parse("-1/3").unwrap_err().contains("not a whole number"));
    }

    #[test]
    fn the_three_shards_of_a_thousand_replications_are_the_documented_blocks() {
        let blocks: Vec<Range<u64>> = (1..=3).map(|k| Shard::new(k, 3).unwrap().replications(1000)).collect();
        assert_eq!(blocks, vec![0..333, 333..666, 666..1000]);
    }
}
