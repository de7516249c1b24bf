//! The staleness of a population's members on each day, without visiting
//! them: a member's staleness is the age of the version its users run, so
//! a member whose last release is over is summed up by when that release
//! started. Those starts are counted by hour in a Fenwick tree (a release
//! moves a member from one hour to another in O(log n)), and summed exactly
//! in milliseconds. Each day's mean is then exact and its percentiles are
//! read from the tree in O(log n), rounded up to the hour (a version that
//! started at 14:30 counts as started at 14:00). Members in the middle of
//! a phased release, whose users are split between two versions, are few:
//! their blended staleness is given for the day and counted in.

use crate::core::time::{TICKS_PER_DAY, TICKS_PER_HOUR};

/// Width of a bin of release starts (milliseconds).
const BIN_MS: i64 = TICKS_PER_HOUR as i64;

/// One day's staleness across a population's members (days).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub(crate) struct StalenessDay {
    /// Mean over members (exact).
    pub(crate) mean: Option<f64>,
    /// Median over members (nearest rank, rounded up to the hour).
    pub(crate) p50: Option<f64>,
    /// 95th percentile over members (nearest rank, rounded up to the hour).
    pub(crate) p95: Option<f64>,
}

/// The release starts of a population's members, by hour.
#[derive(Clone, Debug)]
pub(crate) struct StalenessTracker {
    /// Start of bin 0 (milliseconds since the start of the run; negative
    /// for versions released before it).
    origin: i64,
    /// Fenwick tree of counts by bin, 1-based (`tree[0]` unused).
    tree: Vec<u32>,
    /// Members counted (count).
    count: u64,
    /// Sum of their release starts (milliseconds).
    sum_ms: i128,
}

impl StalenessTracker {
    /// An empty tracker of starts from `lowest_ms` to `highest_ms`
    /// (milliseconds since the start of the run).
    pub(crate) fn new(lowest_ms: i64, highest_ms: i64) -> StalenessTracker {
        let origin = lowest_ms.div_euclid(BIN_MS) * BIN_MS;
        let bins = ((highest_ms.max(origin) - origin) / BIN_MS + 1) as usize;
        StalenessTracker {
            origin,
            tree: vec![0; bins + 1],
            count: 0,
            sum_ms: 0,
        }
    }

    /// The bin of a start (1-based), clamped to the tree's range.
    #[inline]
    fn bin(&self, start_ms: i64) -> usize {
        let last = self.tree.len() - 1;
        (((start_ms - self.origin).max(0) / BIN_MS) as usize + 1).min(last)
    }

    /// Adds `n` to the count of bin `b` (1-based), with `n` as a two's
    /// complement to take away.
    #[inline]
    fn update(&mut self, mut b: usize, n: u32) {
        while b < self.tree.len() {
            self.tree[b] = self.tree[b].wrapping_add(n);
            b += b & b.wrapping_neg();
        }
    }

    /// Counts `n` members whose version started at `start_ms`.
    pub(crate) fn add(&mut self, start_ms: i64, n: u32) {
        let b = self.bin(start_ms);
        self.update(b, n);
        self.count += u64::from(n);
        self.sum_ms += i128::from(start_ms) * i128::from(n);
    }

    /// Takes away a member whose version started at `start_ms`.
    pub(crate) fn remove(&mut self, start_ms: i64) {
        let b = self.bin(start_ms);
        self.update(b, u32::MAX);
        self.count -= 1;
        self.sum_ms -= i128::from(start_ms);
    }

    /// The smallest bin (1-based) whose cumulative count reaches `k` (1 to
    /// the number counted).
    fn kth(&self, mut k: u64) -> usize {
        let n = self.tree.len() - 1;
        let mut pos = 0;
        let mut step = if n == 0 {
            0
        } else {
            1usize << (usize::BITS - 1 - n.leading_zeros())
        };
        while step > 0 {
            let next = pos + step;
            if next <= n && u64::from(self.tree[next]) < k {
                pos = next;
                k -= u64::from(self.tree[next]);
            }
            step >>= 1;
        }
        pos + 1
    }

    /// The staleness at `now_ms` of the members counted, with those in a
    /// phase (`phased`: their blended staleness in days) counted in.
    pub(crate) fn day(&mut self, now_ms: i64, phased: &[f64]) -> StalenessDay {
        let n = self.count + phased.len() as u64;
        if n == 0 {
            return StalenessDay::default();
        }
        let day_ms = TICKS_PER_DAY as f64;
        let tracked = (i128::from(now_ms) * i128::from(self.count) - self.sum_ms) as f64 / day_ms;
        let mean = (tracked + phased.iter().sum::<f64>()) / n as f64;
        // Members in a phase count for the day as if their version had
        // started their staleness ago.
        let starts: Vec<i64> = phased.iter().map(|s| now_ms - (s * day_ms).round() as i64).collect();
        for &s in &starts {
            let b = self.bin(s);
            self.update(b, 1);
        }
        let at = |q: f64| {
            // Nearest rank r of the staleness in increasing order is the
            // (n - r + 1)-th start in increasing order.
            let r = ((q * n as f64).ceil() as u64).clamp(1, n);
            let b = self.kth(n - r + 1);
            let bin_start = self.origin + (b as i64 - 1) * BIN_MS;
            Some((now_ms - bin_start).max(0) as f64 / day_ms)
        };
        let day = StalenessDay {
            mean: Some(mean),
            p50: at(0.5),
            p95: at(0.95),
        };
        for &s in &starts {
            let b = self.bin(s);
            self.update(b, u32::MAX);
        }
        day
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const H: i64 = BIN_MS;
    const D: i64 = TICKS_PER_DAY as i64;

    #[test]
    fn the_mean_is_exact_and_percentiles_are_rounded_up_to_the_hour() {
        let mut t = StalenessTracker::new(-10 * D, 30 * D);
        // 100 members released 10 days before the start; 20 of them release
        // again on day 2 at 14:30.
        t.add(-10 * D, 100);
        for _ in 0..20 {
            t.remove(-10 * D);
            t.add(2 * D + 14 * H + H / 2, 1);
        }
        let day = t.day(5 * D, &[]);
        let recent = 3.0 - (14.5 / 24.0);
        let want = (80.0 * 15.0 + 20.0 * recent) / 100.0;
        assert!((day.mean.unwrap() - want).abs() < 1e-12);
        assert_eq!(day.p50, Some(15.0));
        assert_eq!(day.p95, Some(15.0));
        // A recent release counts from the start of its hour.
        let mut few = StalenessTracker::new(0, 30 * D);
        few.add(2 * D + 14 * H + H / 2, 1);
        assert_eq!(few.day(5 * D, &[]).p50, Some(3.0 - 14.0 / 24.0));
    }

    #[test]
    fn members_in_a_phase_count_for_the_day_only() {
        let mut t = StalenessTracker::new(0, 30 * D);
        t.add(0, 3);
        let day = t.day(10 * D, &[1.0, 2.0]);
        assert!((day.mean.unwrap() - (30.0 + 3.0) / 5.0).abs() < 1e-12);
        // Ranks: staleness 1, 2, 10, 10, 10: the median is 10, and the
        // phased ones are gone the next day.
        assert_eq!(day.p50, Some(10.0));
        assert_eq!(t.day(11 * D, &[]).p50, Some(11.0));
        assert_eq!(t.day(11 * D, &[]).mean, Some(11.0));
    }

    #[test]
    fn nearest_ranks_follow_the_order_of_staleness() {
        let mut t = StalenessTracker::new(0, 200 * D);
        for d in 1..=100 {
            t.add(d * D, 1);
        }
        // At day 101 the staleness values are 1 to 100 days.
        let day = t.day(101 * D, &[]);
        assert_eq!(day.p50, Some(50.0));
        assert_eq!(day.p95, Some(95.0));
        assert_eq!(StalenessTracker::new(0, D).day(D, &[]), StalenessDay::default());
    }
}
