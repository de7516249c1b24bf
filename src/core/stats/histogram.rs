//! A mergeable histogram for percentiles across replications: integer
//! counts in fixed bins, so that adding or merging in any order gives
//! identical results (no sketch whose answer depends on insertion order).
//!
//! **Bins.** A value's bin keeps its sign, its binary exponent and the top
//! [`MANTISSA_BITS`] (10) bits of its mantissa: each bin spans a factor of
//! 1 + 2^-10 at most, and stands for its lower end (the value nearest zero).
//! So a value read back is within 2^-10 (0.098%) of the values in its bin,
//! everywhere, and whole numbers below 2,048 (and halves, quarters... of
//! small numbers) come back exactly. Magnitudes below 2^-20 (about 1e-6,
//! the fixed-point resolution of the moments) share the bin of 0. Finding a
//! bin takes a shift of the value's bits: no logarithm.
//!
//! **Storage.** Three stores hold the counts, each where it is cheapest:
//! a dense window of bins (one `u64` per bin from the window's first to
//! its last); a short sorted list of the distinct bins outside it with
//! their counts, for values that repeat (counts of things: a few distinct
//! values across replications); and, once values stop repeating (real
//! numbers), the bin of every further observation outside the window,
//! unsorted. Adding a value costs O(1) in every case (an increment, a
//! branch-free search of at most [`FEW`] bins, or a push); nothing is
//! sorted until the content is read. Everything moves into one dense
//! window when that window would take no more room than the other two
//! stores (a window of w bins for k listed bins and m observations, when
//! w <= 3k + m + 16), so memory is bounded by the range of bins the values
//! fall in, whatever the number of observations. Reads, merges and equality see
//! only the canonical content, the count of each bin, which does not
//! depend on the order of insertion or on the storage.

use std::fmt;

/// Mantissa bits kept in a bin key: bins are 2^-10 (0.098%) wide.
pub(crate) const MANTISSA_BITS: u32 = 10;
/// Shift from a value's bits to its bin.
const SHIFT: u32 = 52 - MANTISSA_BITS;
/// Bits of the smallest magnitude with its own bins, 2^-20.
const FLOOR_BITS: u64 = (1023 - 20) << 52;
/// The bin of 2^-20, minus one: bins of non-zero magnitudes start at 1.
const BASE: u64 = (FLOOR_BITS >> SHIFT) - 1;

/// Every finite value's bin is below this in magnitude (f64::MAX has bin
/// 1,069,056).
const MAX_BIN: u32 = 1 << 21;

/// The bin of `x` (finite); bins increase with the value.
#[inline]
pub(crate) fn bin_of(x: f64) -> i32 {
    let bits = x.abs().to_bits();
    if bits < FLOOR_BITS {
        return 0;
    }
    let mag = ((bits >> SHIFT) - BASE) as i32;
    if x < 0.0 { -mag } else { mag }
}

/// The value a bin stands for: its end nearest zero.
pub(crate) fn value_of(bin: i32) -> f64 {
    if bin == 0 {
        return 0.0;
    }
    let v = f64::from_bits((u64::from(bin.unsigned_abs()) + BASE) << SHIFT);
    if bin < 0 { -v } else { v }
}

/// Counts of values by bin; see the module documentation.
#[derive(Clone)]
pub struct Histogram {
    n: u64,
    /// First bin of the dense window.
    lo: i32,
    /// `dense[i]` counts bin `lo + i`.
    dense: Vec<u64>,
    /// Distinct bins outside the window, sorted; `counts[i]` counts `keys[i]`.
    keys: Vec<i32>,
    counts: Vec<u64>,
    /// Bins of further observations outside the window, one per
    /// observation, unsorted (none of them is in `keys`).
    many: Vec<i32>,
    /// Lowest and highest bin outside the window (`i32::MAX` and `i32::MIN`
    /// when there is none).
    out_lo: i32,
    out_hi: i32,
    /// While nothing else changes, the unsorted store's length at which a
    /// dense window may become smaller (see [`Histogram::maybe_window`]).
    window_from: usize,
}

impl Default for Histogram {
    fn default() -> Histogram {
        Histogram {
            n: 0,
            lo: 0,
            dense: Vec::new(),
            keys: Vec::new(),
            counts: Vec::new(),
            many: Vec::new(),
            out_lo: i32::MAX,
            out_hi: i32::MIN,
            window_from: 0,
        }
    }
}

/// New bins join the sorted list while it holds fewer than this many.
pub(crate) const FEW: usize = 32;

impl Histogram {
    /// Adds one observation; NaN and infinities are ignored.
    #[inline]
    pub fn add(&mut self, x: f64) {
        if x.is_finite() {
            self.add_bin(bin_of(x), 1);
        }
    }

    /// Adds the values `xs`; NaN and infinities are ignored.
    #[inline]
    pub fn add_values(&mut self, xs: &[f64]) {
        for &x in xs {
            self.add(x);
        }
    }

    /// Adds `count` observations in bin `bin`: an increment in the window
    /// or the list, or a push for values that do not repeat, inline; the
    /// rest (a new bin, a change of store) in [`Histogram::add_outside`].
    #[inline]
    pub fn add_bin(&mut self, bin: i32, count: u64) {
        if count == 0 {
            return;
        }
        self.n += count;
        if let Some(slot) = self.window_slot(bin) {
            *slot += count;
        } else if self.keys.is_empty() && !self.many.is_empty() && count == 1 {
            self.out_lo = self.out_lo.min(bin);
            self.out_hi = self.out_hi.max(bin);
            self.many.push(bin);
            if self.many.len() >= self.window_from {
                self.maybe_window();
            }
        } else {
            let at = self.position(bin);
            match self.keys.get(at) {
                Some(&k) if k == bin => self.counts[at] += count,
                _ => self.add_outside(bin, count),
            }
        }
    }

    /// The count of `bin` in the dense window, if the window holds it.
    #[inline]
    fn window_slot(&mut self, bin: i32) -> Option<&mut u64> {
        let i = usize::try_from(i64::from(bin) - i64::from(self.lo)).ok()?;
        self.dense.get_mut(i)
    }

    /// Adds `count` observations of a bin that is neither in the window nor
    /// in the list (`n` counted).
    fn add_outside(&mut self, bin: i32, count: u64) {
        self.out_lo = self.out_lo.min(bin);
        self.out_hi = self.out_hi.max(bin);
        if self.many.is_empty() && self.keys.len() < FEW {
            let at = self.position(bin);
            self.keys.insert(at, bin);
            self.counts.insert(at, count);
            self.maybe_window();
            return;
        }
        if count == 1 {
            self.many.push(bin);
        } else if count <= 1024 {
            self.many.extend(std::iter::repeat_n(bin, count as usize));
        } else {
            // Only merges add many at once: rebuild from the content.
            let mut entries = self.entries();
            insert_entry(&mut entries, bin, count);
            *self = Histogram::from_sorted_entries(&entries);
            return;
        }
        // Values that do not repeat: stop looking them up in the list.
        if self.many.len() >= 4 * FEW && self.keys.len() <= FEW && self.n_listed() <= self.many.len() as u64 {
            for (&k, &c) in self.keys.iter().zip(&self.counts) {
                self.many.extend(std::iter::repeat_n(k, c as usize));
            }
            self.keys = Vec::new();
            self.counts = Vec::new();
        }
        self.maybe_window();
    }

    /// Observations in the sorted list.
    fn n_listed(&self) -> u64 {
        self.counts.iter().sum()
    }

    /// Where `bin` is or would go in the sorted list: a branch-free count
    /// for a short list, a binary search for a long one.
    #[inline]
    fn position(&self, bin: i32) -> usize {
        if self.keys.len() <= FEW {
            self.keys.iter().map(|&k| u32::from(k < bin)).sum::<u32>() as usize
        } else {
            self.keys.partition_point(|&k| k < bin)
        }
    }

    /// Moves everything into one dense window when it would take no more
    /// room than the stores outside the window do (w <= 3k + m + 16 for w
    /// bins, k listed bins and m unsorted observations, the window's own
    /// bins counted on both sides).
    fn maybe_window(&mut self) {
        let (first, last) = if self.dense.is_empty() {
            (self.out_lo, self.out_hi)
        } else {
            (
                self.out_lo.min(self.lo),
                self.out_hi.max(self.lo + self.dense.len() as i32 - 1),
            )
        };
        let span = (i64::from(last) - i64::from(first) + 1) as u64;
        let room = self.dense.len() as u64 + 3 * self.keys.len() as u64 + self.many.len() as u64 + 16;
        if span > room {
            // The same span fits once the unsorted store has grown by the difference.
            self.window_from = self
                .many
                .len()
                .saturating_add(usize::try_from(span - room).unwrap_or(usize::MAX));
            return;
        }
        let mut dense = vec![0u64; span as usize];
        if !self.dense.is_empty() {
            let shift = (i64::from(self.lo) - i64::from(first)) as usize;
            dense[shift..shift + self.dense.len()].copy_from_slice(&self.dense);
        }
        let at = |k: i32| (i64::from(k) - i64::from(first)) as usize;
        for (&k, &c) in self.keys.iter().zip(&self.counts) {
            dense[at(k)] += c;
        }
        for &k in &self.many {
            dense[at(k)] += 1;
        }
        *self = Histogram {
            n: self.n,
            lo: first,
            dense,
            ..Histogram::default()
        };
    }

    /// A histogram with these (bin, count) entries, sorted by bin and distinct.
    fn from_sorted_entries(entries: &[(i32, u64)]) -> Histogram {
        let n: u64 = entries.iter().map(|e| e.1).sum();
        let mut h = Histogram {
            n,
            ..Histogram::default()
        };
        let (Some(first), Some(last)) = (entries.first(), entries.last()) else {
            return h;
        };
        let span = (i64::from(last.0) - i64::from(first.0) + 1) as u64;
        if span <= 3 * entries.len() as u64 + 16 {
            h.lo = first.0;
            h.dense = vec![0; span as usize];
            for &(k, c) in entries {
                h.dense[(i64::from(k) - i64::from(first.0)) as usize] = c;
            }
        } else {
            h.keys = entries.iter().map(|e| e.0).collect();
            h.counts = entries.iter().map(|e| e.1).collect();
            h.out_lo = first.0;
            h.out_hi = last.0;
        }
        h
    }

    /// Adds everything `other` holds.
    pub fn merge(&mut self, other: &Histogram) {
        *self = Histogram::from_sorted_entries(&merge_sorted(&self.entries(), &other.entries()));
    }

    /// Number of observations.
    pub fn n(&self) -> u64 {
        self.n
    }

    /// The content: every occupied bin in increasing order with its count.
    pub fn entries(&self) -> Vec<(i32, u64)> {
        let dense: Vec<(i32, u64)> = self
            .dense
            .iter()
            .enumerate()
            .filter(|(_, c)| **c > 0)
            .map(|(i, &c)| (self.lo + i as i32, c))
            .collect();
        let keys: Vec<(i32, u64)> = self.keys.iter().copied().zip(self.counts.iter().copied()).collect();
        merge_sorted(&merge_sorted(&dense, &keys), &self.many_entries())
    }

    /// The unsorted observations counted by bin, in bin order: counted in
    /// a table over their range when that is not much longer than they
    /// are, else sorted by their bits.
    fn many_entries(&self) -> Vec<(i32, u64)> {
        let (Some(&lo), Some(&hi)) = (self.many.iter().min(), self.many.iter().max()) else {
            return Vec::new();
        };
        let span = (i64::from(hi) - i64::from(lo) + 1) as usize;
        if span <= 4 * self.many.len() + 4096 {
            let mut table = vec![0u64; span];
            for &k in &self.many {
                table[(i64::from(k) - i64::from(lo)) as usize] += 1;
            }
            return table
                .iter()
                .enumerate()
                .filter(|(_, c)| **c > 0)
                .map(|(i, &c)| ((i64::from(lo) + i as i64) as i32, c))
                .collect();
        }
        let mut sorted = self.many.clone();
        super::radix::sort_bins(&mut sorted);
        runs(sorted.into_iter().map(|k| (k, 1)))
    }

    /// A histogram holding exactly `entries` ((bin, count) pairs, any order).
    pub fn from_entries(entries: impl IntoIterator<Item = (i32, u64)>) -> Histogram {
        let mut all: Vec<(i32, u64)> = entries.into_iter().filter(|e| e.1 > 0).collect();
        all.sort_by_key(|e| e.0);
        Histogram::from_sorted_entries(&runs(all))
    }

    /// The empirical cumulative distribution: for each occupied bin in
    /// increasing order, the value it stands for and the share of
    /// observations at or below it.
    pub fn cdf(&self) -> Vec<(f64, f64)> {
        let mut seen = 0u64;
        self.entries()
            .into_iter()
            .map(|(b, c)| {
                seen += c;
                (value_of(b), seen as f64 / self.n as f64)
            })
            .collect()
    }

    /// The `q`-quantile (nearest rank: the bin holding observation
    /// ceil(q n), counting from 1); `None` when empty.
    pub fn quantile(&self, q: f64) -> Option<f64> {
        self.quantiles(&[q])[0]
    }

    /// Several quantiles at once (see [`Histogram::quantile`]), in the order asked.
    pub fn quantiles(&self, qs: &[f64]) -> Vec<Option<f64>> {
        if self.n == 0 {
            return vec![None; qs.len()];
        }
        let rank = |q: f64| ((q.clamp(0.0, 1.0) * self.n as f64).ceil() as u64).clamp(1, self.n);
        if self.many.len() as u64 >= self.n / 2 {
            return self.selected(&qs.iter().map(|&q| rank(q)).collect::<Vec<_>>());
        }
        let entries = self.entries();
        qs.iter()
            .map(|&q| {
                let rank = rank(q);
                let mut seen = 0u64;
                for &(b, c) in &entries {
                    seen += c;
                    if seen >= rank {
                        return Some(value_of(b));
                    }
                }
                entries.last().map(|&(b, _)| value_of(b))
            })
            .collect()
    }

    /// The bins of the observations of these ranks (from 1), found by
    /// selection among every observation's bin, each in linear time,
    /// instead of sorting them all: for a histogram whose observations are
    /// mostly in the unsorted store (so that listing the others one by one
    /// costs no more than it holds).
    fn selected(&self, ranks: &[u64]) -> Vec<Option<f64>> {
        let mut v = Vec::with_capacity(self.n as usize);
        v.extend_from_slice(&self.many);
        let window = self.dense.iter().enumerate().map(|(i, &c)| (self.lo + i as i32, c));
        for (b, c) in window.chain(self.keys.iter().copied().zip(self.counts.iter().copied())) {
            v.extend(std::iter::repeat_n(b, c as usize));
        }
        let mut order: Vec<usize> = (0..ranks.len()).collect();
        order.sort_by_key(|&i| ranks[i]);
        let mut out = vec![None; ranks.len()];
        // v[..done] holds the `done` smallest bins, the last in its sorted place.
        let mut done = 0;
        for i in order {
            let at = (ranks[i] - 1) as usize;
            if at >= done {
                v[done..].select_nth_unstable(at - done);
                done = at + 1;
            }
            out[i] = v.get(at).map(|&b| value_of(b));
        }
        out
    }
}

/// (bin, count) entries sorted by bin, with the counts of equal bins added
/// into one entry.
fn runs(sorted: impl IntoIterator<Item = (i32, u64)>) -> Vec<(i32, u64)> {
    let mut out: Vec<(i32, u64)> = Vec::new();
    for (k, c) in sorted {
        match out.last_mut() {
            Some((last, n)) if *last == k => *n += c,
            _ => out.push((k, c)),
        }
    }
    out
}

/// The union of two lists of sorted, distinct (bin, count) entries, the
/// counts of a bin in both added.
fn merge_sorted(a: &[(i32, u64)], b: &[(i32, u64)]) -> Vec<(i32, u64)> {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        let (x, y) = (a[i], b[j]);
        if x.0 == y.0 {
            out.push((x.0, x.1 + y.1));
            i += 1;
            j += 1;
        } else if x.0 < y.0 {
            out.push(x);
            i += 1;
        } else {
            out.push(y);
            j += 1;
        }
    }
    out.extend_from_slice(&a[i..]);
    out.extend_from_slice(&b[j..]);
    out
}

/// Adds `count` to `bin` in sorted, distinct (bin, count) entries.
fn insert_entry(entries: &mut Vec<(i32, u64)>, bin: i32, count: u64) {
    if count == 0 {
        return;
    }
    match entries.binary_search_by_key(&bin, |e| e.0) {
        Ok(i) => entries[i].1 += count,
        Err(i) => entries.insert(i, (bin, count)),
    }
}

/// Serialized as its canonical content, the count of each non-empty bin in
/// bin order (the storage is rebuilt on reading), so a histogram written by
/// one process reads back equal in another.
impl serde::Serialize for Histogram {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.entries())
    }
}

impl<'de> serde::Deserialize<'de> for Histogram {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Histogram, D::Error> {
        use serde::de::Error;
        let entries: Vec<(i32, u64)> = serde::Deserialize::deserialize(deserializer)?;
        // Canonical content only: bins strictly increasing, counts positive,
        // their total representable, and every bin one a finite value can
        // have, so that reading a damaged or forged file cannot ask for a
        // window wider than 2^22 bins.
        let increasing = entries.windows(2).all(|w| w[0].0 < w[1].0);
        let positive = entries.iter().all(|e| e.1 > 0);
        let total = entries.iter().try_fold(0u64, |n, e| n.checked_add(e.1));
        let within = entries.iter().all(|e| e.0.unsigned_abs() < MAX_BIN);
        if !(increasing && positive && total.is_some() && within) {
            return Err(D::Error::custom("not a histogram's content"));
        }
        Ok(Histogram::from_sorted_entries(&entries))
    }
}

impl PartialEq for Histogram {
    fn eq(&self, other: &Histogram) -> bool {
        self.n == other.n && self.entries() == other.entries()
    }
}

impl Eq for Histogram {}

impl fmt::Debug for Histogram {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Histogram")
            .field("n", &self.n)
            .field("entries", &self.entries())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_finite_value_has_a_bin_below_the_largest_one_read_back() {
        assert_eq!(bin_of(f64::MAX), 1_069_056);
        assert!(bin_of(f64::MAX).unsigned_abs() < MAX_BIN);
        assert_eq!(bin_of(-f64::MAX), -bin_of(f64::MAX));
    }

    #[test]
    fn a_histogram_reads_back_from_its_serialised_content_and_nothing_else() {
        let mut h = Histogram::default();
        [0.5, 3.0, 3.0, 1e9, -7.25].iter().for_each(|&x| h.add(x));
        let text = serde_json::to_string(&h).unwrap();
        assert_eq!(serde_json::from_str::<Histogram>(&text).unwrap(), h);
        for bad in [
            "[[3,1],[2,1]]",                    // bins out of order
            "[[2,1],[2,1]]",                    // a bin twice
            "[[2,0]]",                          // an empty bin
            "[[1,18446744073709551615],[2,1]]", // a total past u64
            "[[-2097152,1],[2097151,1]]",       // bins no value has
        ] {
            assert!(serde_json::from_str::<Histogram>(bad).is_err(), "{bad} was accepted");
        }
    }

    #[test]
    fn whole_numbers_below_2048_and_binary_fractions_come_back_exactly() {
        for x in [
            0.0,
            1.0,
            7.0,
            1023.0,
            2047.0,
            -5.0,
            0.5,
            0.25,
            1.0 / 1024.0,
            4.5,
            1000.5,
        ] {
            assert_eq!(value_of(bin_of(x)), x, "{x}");
        }
        for k in 0..2048 {
            assert_eq!(value_of(bin_of(f64::from(k))), f64::from(k));
        }
    }

    #[test]
    fn any_value_comes_back_within_a_tenth_of_a_percent_below() {
        let mut x = 1e-6;
        while x < 1e15 {
            for y in [x, -x] {
                let v = value_of(bin_of(y));
                assert!(v.abs() <= y.abs(), "{y} -> {v}");
                assert!((y - v).abs() <= y.abs() / 1024.0, "{y} -> {v}");
            }
            x *= 1.000_37;
        }
        assert_eq!(value_of(bin_of(3e-7)), 0.0);
    }

    #[test]
    fn bins_increase_with_the_value() {
        let xs = [
            -2e6, -1500.0, -3.0, -0.5, -1e-9, 0.0, 1e-9, 0.001, 0.5, 1.0, 4.43, 9.0, 1023.0, 1023.9, 1024.0, 5e4, 1e9,
        ];
        for w in xs.windows(2) {
            assert!(bin_of(w[0]) <= bin_of(w[1]), "{} vs {}", w[0], w[1]);
            assert!(value_of(bin_of(w[0])) <= value_of(bin_of(w[1])));
        }
    }

    #[test]
    fn a_window_far_from_zero_forms_and_grows_both_ways() {
        let mut h = Histogram::default();
        for i in 0..200 {
            h.add(5000.0 + f64::from(i % 7) * 10.0);
        }
        for i in 0..50 {
            h.add(1000.0 + f64::from(i));
            h.add(9000.0 - f64::from(i));
        }
        assert_eq!(h.n(), 300);
        assert_eq!(h.entries().iter().map(|e| e.1).sum::<u64>(), 300);
        assert_eq!(h.quantile(0.0), Some(1000.0));
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

    #[test]
    fn quantiles_of_unsorted_observations_by_selection_equal_those_read_from_the_content() {
        // Real values spread over many octaves stay in the unsorted store.
        let mut h = Histogram::default();
        for i in 1..=3000u32 {
            h.add(f64::from(i * 7919 % 3001) * 1.37e-3 + f64::from(i % 7) * 1e-5);
        }
        let (dense, keys, many) = stored(&h);
        assert!(dense + keys < 4 && many > 2990, "{:?}", stored(&h));
        let qs = [0.95, 0.0, 0.05, 0.5, 0.5, 1.0, 0.999, 1e-9];
        let from_content: Vec<Option<f64>> = qs
            .iter()
            .map(|&q| {
                let rank = ((q * 3000.0_f64).ceil() as u64).max(1);
                let mut seen = 0;
                h.entries().iter().find_map(|&(b, c)| {
                    seen += c;
                    (seen >= rank).then(|| value_of(b))
                })
            })
            .collect();
        assert_eq!(h.quantiles(&qs), from_content);
    }

    /// Storage held: dense bins, listed bins, unsorted observations.
    fn stored(h: &Histogram) -> (usize, usize, usize) {
        (h.dense.len(), h.keys.len(), h.many.len())
    }

    #[test]
    fn values_that_repeat_are_counted_in_the_list_however_many_arrive() {
        let mut h = Histogram::default();
        for i in 0..100_000u32 {
            // Counts 0 to 9 and a rare 40: bins far apart, few of them.
            h.add(f64::from(if i % 997 == 0 { 40 } else { i % 10 }));
        }
        let (dense, keys, many) = stored(&h);
        assert!(dense <= 16 && keys <= 11 && many == 0, "{:?}", stored(&h));
        assert_eq!(h.n(), 100_000);
        assert_eq!(h.quantile(0.5), Some(5.0));
        assert_eq!(h.quantile(1.0), Some(40.0));
    }

    #[test]
    fn values_that_do_not_repeat_are_kept_unsorted_until_a_window_is_smaller() {
        let mut h = Histogram::default();
        // 1.0 to 2.0 in steps finer than a bin: 1,024 bins in all.
        let xs: Vec<f64> = (0..3000).map(|i| 1.0 + f64::from((i * 7919) % 3000) / 3000.0).collect();
        for &x in &xs[..500] {
            h.add(x);
        }
        let (dense, keys, many) = stored(&h);
        assert!(dense <= 16 && keys == 0 && many >= 450, "{:?}", stored(&h));
        for &x in &xs[500..] {
            h.add(x);
        }
        let (dense, keys, many) = stored(&h);
        assert!(dense > 0 && dense <= 1025 && keys == 0 && many == 0, "{:?}", stored(&h));
        let mut one_by_one = Histogram::default();
        xs.iter().rev().for_each(|&x| one_by_one.add(x));
        assert_eq!(h, one_by_one);
        // A large count arriving in the unsorted store keeps the content.
        let mut big = Histogram::default();
        (0..200).for_each(|i| big.add(1e3 * f64::from(i) + 0.5));
        big.add_bin(bin_of(7.0), 1_000);
        assert_eq!(big.n(), 1_200);
        assert_eq!(big.quantile(0.5), Some(7.0));
    }

    /// Values spread and clustered alike (dense window, sparse list and
    /// buffer all in use), added in different orders and split differently
    /// before merging: the same content.
    #[test]
    fn content_does_not_depend_on_order_or_on_how_parts_were_merged() {
        let xs: Vec<f64> = (0..5000)
            .map(|i| {
                let i = f64::from(i);
                if (i as u32).is_multiple_of(3) {
                    1e6 + (i * 7.3) % 900.0
                } else {
                    libm::exp((i * 0.618).sin() * 20.0)
                }
            })
            .collect();
        let mut forward = Histogram::default();
        xs.iter().for_each(|&x| forward.add(x));
        let mut backward = Histogram::default();
        xs.iter().rev().for_each(|&x| backward.add(x));
        assert_eq!(forward, backward);
        let mut parts: Vec<Histogram> = (0..7).map(|_| Histogram::default()).collect();
        for (i, &x) in xs.iter().enumerate() {
            parts[(i * 31 + i / 5) % 7].add(x);
        }
        let mut merged = Histogram::default();
        for p in parts.iter().rev() {
            merged.merge(p);
        }
        assert_eq!(merged, forward);
        assert_eq!(merged.n(), 5000);
        let rebuilt = Histogram::from_entries(forward.entries().into_iter().rev());
        assert_eq!(rebuilt, forward);
        let mut sorted = xs.clone();
        sorted.sort_by(f64::total_cmp);
        for q in [0.01, 0.05, 0.5, 0.95, 0.99] {
            let exact = sorted[((q * 5000.0) as usize).saturating_sub(1)];
            let got = forward.quantile(q).unwrap();
            // Within 2^-10 below, or 2^-20 for values near zero.
            assert!(
                got <= exact && exact - got <= (exact / 1024.0).max(1.0 / 1_048_576.0),
                "q {q}: {got} vs {exact}"
            );
        }
    }
}
