//! Counts one daily cell's values across a batch of replications by value,
//! when they are whole numbers close together: the common case of counts
//! (builds, submissions, queue lengths), whose few distinct values then
//! reach the cell's moments and histogram once each, with their number of
//! occurrences, instead of once per replication. Adding the counted values
//! gives exactly what adding them one by one does.

/// Widest range of values counted: the tables' length.
const SPAN: usize = 256;

/// Tables counting in turn, and lanes of the range check.
const LANES: usize = 4;

/// Tables of counts by value, kept from cell to cell (all zero between
/// calls).
pub(crate) struct Tally {
    counts: [[u32; SPAN]; LANES],
}

impl Default for Tally {
    fn default() -> Tally {
        Tally {
            counts: [[0; SPAN]; LANES],
        }
    }
}

impl Tally {
    /// Counts `values` by value and calls `each(value, occurrences)` for
    /// every distinct one in increasing order, if they are all whole
    /// numbers below 2^51 in magnitude and fewer than [`SPAN`] apart
    /// (returns true); else does nothing and returns false (NaN, a
    /// fraction, a wide range).
    #[inline]
    pub(crate) fn by_value(&mut self, values: &[f64], mut each: impl FnMut(f64, u64)) -> bool {
        // Adding and taking away 1.5 * 2^52 rounds a value below 2^51 in
        // magnitude to a whole number, so it comes back unchanged exactly
        // when it is one (never for NaN or infinities; conservatively not
        // for some whole numbers past 2^51). Plain arithmetic, no
        // saturating conversion: the loop runs on vector registers.
        const ROUND: f64 = 6_755_399_441_055_744.0; // 1.5 * 2^52
        // Lanes side by side, which the compiler keeps in vector
        // registers (a minimum carried from value to value is not
        // vectorised otherwise, because of NaN).
        let (mut lo4, mut hi4, mut bad4) = ([f64::INFINITY; LANES], [f64::NEG_INFINITY; LANES], [false; LANES]);
        let chunks = values.chunks_exact(LANES);
        let rest = chunks.remainder();
        for c in chunks {
            for j in 0..LANES {
                let v = c[j];
                bad4[j] |= (v + ROUND) - ROUND != v;
                lo4[j] = if v < lo4[j] { v } else { lo4[j] };
                hi4[j] = if v > hi4[j] { v } else { hi4[j] };
            }
        }
        for (j, &v) in rest.iter().enumerate() {
            bad4[j] |= (v + ROUND) - ROUND != v;
            lo4[j] = if v < lo4[j] { v } else { lo4[j] };
            hi4[j] = if v > hi4[j] { v } else { hi4[j] };
        }
        let whole = bad4 == [false; LANES];
        let lo = lo4.iter().fold(f64::INFINITY, |a, &b| a.min(b));
        let hi = hi4.iter().fold(f64::NEG_INFINITY, |a, &b| a.max(b));
        const LIMIT: f64 = 2_251_799_813_685_248.0; // 2^51
        if !whole || values.is_empty() || lo <= -LIMIT || hi >= LIMIT || hi - lo >= SPAN as f64 {
            return false;
        }
        if lo == hi {
            each(lo, values.len() as u64);
            return true;
        }
        // v - lo is a whole number below SPAN, exact, and 2^52 + (v - lo)
        // has it in the low bits of its mantissa. Four tables take turns,
        // so that a run of equal values does not make each increment wait
        // for the one before.
        const SHIFT: f64 = 4_503_599_627_370_496.0; // 2^52
        let at = |v: f64| ((v - lo) + SHIFT).to_bits() as usize & (SPAN - 1);
        let chunks = values.chunks_exact(LANES);
        let rest = chunks.remainder();
        for c in chunks {
            for (lane, &v) in self.counts.iter_mut().zip(c) {
                lane[at(v)] += 1;
            }
        }
        for (lane, &v) in self.counts.iter_mut().zip(rest) {
            lane[at(v)] += 1;
        }
        let base = lo as i64;
        for i in 0..=(hi - lo) as usize {
            let c: u32 = self.counts.iter_mut().map(|lane| std::mem::take(&mut lane[i])).sum();
            if c > 0 {
                each((base + i as i64) as f64, u64::from(c));
            }
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counted(values: &[f64]) -> Option<Vec<(f64, u64)>> {
        let mut t = Tally::default();
        let mut out = Vec::new();
        t.by_value(values, |v, c| out.push((v, c))).then_some(out)
    }

    #[test]
    fn whole_numbers_close_together_are_counted_by_value_in_order() {
        assert_eq!(
            counted(&[30.0, 28.0, 30.0, 29.0, 30.0, -1.0]),
            Some(vec![(-1.0, 1), (28.0, 1), (29.0, 1), (30.0, 3)])
        );
        assert_eq!(counted(&[7.0; 5]), Some(vec![(7.0, 5)]));
        let edge = [1e15, 1e15 + 255.0];
        assert_eq!(counted(&edge), Some(vec![(1e15, 1), (1e15 + 255.0, 1)]));
        let negative = [-2_251_799_813_685_247.0, -2_251_799_813_685_246.0];
        assert_eq!(counted(&negative), Some(vec![(negative[0], 1), (negative[1], 1)]));
    }

    #[test]
    fn fractions_missing_values_wide_ranges_and_huge_values_are_left_alone() {
        assert_eq!(counted(&[1.0, 2.5]), None);
        assert_eq!(counted(&[1.0, f64::NAN]), None);
        assert_eq!(counted(&[f64::INFINITY]), None);
        assert_eq!(counted(&[0.0, 256.0]), None);
        assert_eq!(counted(&[2_251_799_813_685_248.0]), None);
        assert_eq!(counted(&[1e300, 1e300]), None);
        assert_eq!(counted(&[f64::MAX, -f64::MAX]), None);
        assert_eq!(counted(&[-9.3e18]), None);
        assert_eq!(counted(&[]), None);
    }

    #[test]
    fn the_table_is_clean_after_each_batch() {
        let mut t = Tally::default();
        assert!(t.by_value(&[3.0, 4.0, 4.0], |_, _| {}));
        assert!(!t.by_value(&[3.0, 0.5], |_, _| {}));
        let mut out = Vec::new();
        assert!(t.by_value(&[4.0, 3.0], |v, c| out.push((v, c))));
        assert_eq!(out, vec![(3.0, 1), (4.0, 1)]);
    }
}
