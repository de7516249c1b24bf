//! A mergeable histogram for percentiles across replications: integer
//! counts in fixed bins, so that adding or merging in any order gives
//! identical results (no sketch whose answer depends on insertion order).
//! Bins grow with the value: below 1,024 in magnitude they are 1/1,024 wide
//! (exact for whole numbers and for most shares); beyond, logarithmic with a
//! width of 1%, so a percentile read from them is within 0.5% of the value it
//! stands for.

/// Linear bins per unit below [`LINEAR_END`].
const FINE: f64 = 1024.0;
/// Where the linear bins end and the logarithmic ones start.
const LINEAR_END: f64 = 1024.0;
/// Ratio between successive logarithmic bins.
const GROWTH: f64 = 1.01;
/// First logarithmic bin.
const LOG_START: i64 = (FINE * LINEAR_END) as i64;

/// Sparse bins: (bin, count), sorted by bin, which is sorted by value.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Histogram {
    bins: Vec<(i32, u32)>,
    n: u64,
}

/// The bin of `x`; bins increase with the value.
fn bin_of(x: f64) -> i32 {
    let a = x.abs();
    let mag = if a < LINEAR_END {
        ((a * FINE).round() as i64).min(LOG_START - 1)
    } else {
        LOG_START + libm::floor(libm::log(a / LINEAR_END) / libm::log(GROWTH)) as i64
    };
    let mag = mag.min(i64::from(i32::MAX)) as i32;
    if x < 0.0 { -mag } else { mag }
}

/// The value a bin stands for (the geometric middle of a log bin).
fn value_of(bin: i32) -> f64 {
    let mag = i64::from(bin).abs();
    let v = if mag < LOG_START {
        mag as f64 / FINE
    } else {
        LINEAR_END * libm::pow(GROWTH, (mag - LOG_START) as f64 + 0.5)
    };
    if bin < 0 { -v } else { v }
}

impl Histogram {
    /// Adds one observation.
    pub fn add(&mut self, x: f64) {
        if !x.is_finite() {
            return;
        }
        let b = bin_of(x);
        match self.bins.binary_search_by_key(&b, |e| e.0) {
            Ok(i) => self.bins[i].1 += 1,
            Err(i) => self.bins.insert(i, (b, 1)),
        }
        self.n += 1;
    }

    /// Adds everything `other` holds.
    pub fn merge(&mut self, other: &Histogram) {
        for &(b, c) in &other.bins {
            match self.bins.binary_search_by_key(&b, |e| e.0) {
                Ok(i) => self.bins[i].1 += c,
                Err(i) => self.bins.insert(i, (b, c)),
            }
        }
        self.n += other.n;
    }

    /// Number of observations.
    pub fn n(&self) -> u64 {
        self.n
    }

    /// The empirical cumulative distribution: for each occupied bin in
    /// increasing order, the value it stands for and the share of
    /// observations at or below it.
    pub fn cdf(&self) -> Vec<(f64, f64)> {
        let mut seen = 0u64;
        self.bins
            .iter()
            .map(|&(b, c)| {
                seen += u64::from(c);
                (value_of(b), seen as f64 / self.n as f64)
            })
            .collect()
    }

    /// The `q`-quantile (nearest rank: the bin holding observation
    /// ceil(q n), counting from 1); `None` when empty.
    pub fn quantile(&self, q: f64) -> Option<f64> {
        if self.n == 0 {
            return None;
        }
        let rank = ((q.clamp(0.0, 1.0) * self.n as f64).ceil() as u64).max(1);
        let mut seen = 0u64;
        for &(b, c) in &self.bins {
            seen += u64::from(c);
            if seen >= rank {
                return Some(value_of(b));
            }
        }
        self.bins.last().map(|&(b, _)| value_of(b))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_whole_numbers_and_fine_shares_come_back_exactly() {
        for x in [0.0, 1.0, 7.0, 1023.0, -5.0, 0.5, 0.25, 1.0 / 1024.0, 4.5, 1000.25] {
            assert_eq!(value_of(bin_of(x)), x, "{x}");
        }
    }

    #[test]
    fn large_values_come_back_within_half_a_percent() {
        for x in [1024.0, 12_345.6, 1.5e8, 3.7, -9.9e6, 1.0001] {
            let v = value_of(bin_of(x));
            assert!((v - x).abs() <= 0.005 * x.abs(), "{x} -> {v}");
        }
    }

    #[test]
    fn bins_increase_with_the_value() {
        let xs = [
            -2e6, -1500.0, -3.0, -0.5, 0.0, 0.001, 0.5, 1.0, 4.43, 9.0, 1023.0, 1023.9, 1024.0, 5e4, 1e9,
        ];
        for w in xs.windows(2) {
            assert!(bin_of(w[0]) <= bin_of(w[1]), "{} vs {}", w[0], w[1]);
            assert!(value_of(bin_of(w[0])) <= value_of(bin_of(w[1])));
        }
    }

    #[test]
    fn quantiles_are_nearest_rank_and_merge_order_does_not_matter() {
        let mut h = Histogram::default();
        for x in 1..=100 {
            h.add(f64::from(x));
        }
        assert_eq!(h.quantile(0.05), Some(5.0));
        assert_eq!(h.quantile(0.5), Some(50.0));
        assert_eq!(h.quantile(0.95), Some(95.0));
        let (mut a, mut b) = (Histogram::default(), Histogram::default());
        (1..=100).rev().filter(|x| x % 3 == 0).for_each(|x| a.add(f64::from(x)));
        (1..=100).filter(|x| x % 3 != 0).for_each(|x| b.add(f64::from(x)));
        a.merge(&b);
        assert_eq!(a, h);
        assert_eq!(Histogram::default().quantile(0.5), None);
    }
}
