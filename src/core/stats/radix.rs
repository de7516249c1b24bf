//! Sorting histogram bins (`i32` keys) by their bits, least significant
//! byte first: three passes of counting and placing, linear in the number
//! of keys, for the unsorted store of a histogram that is read once with
//! thousands of observations in it (where a comparison sort spends most of
//! the time of building a run's results). Every bin lies in
//! (-2^21, 2^21), so three bytes of the key offset by 2^21 order them.

/// Offset that makes every bin's key non-negative and below 2^22.
const OFFSET: i32 = 1 << 21;

/// Below this many keys a comparison sort is as fast.
const SMALL: usize = 256;

/// Sorts `bins` (each in (-2^21, 2^21)) in increasing order.
pub(crate) fn sort_bins(bins: &mut [i32]) {
    if bins.len() < SMALL {
        bins.sort_unstable();
        return;
    }
    let key = |b: i32| (b.wrapping_add(OFFSET)) as u32;
    let mut from: Vec<i32> = bins.to_vec();
    let mut to = vec![0i32; bins.len()];
    for shift in [0u32, 8, 16] {
        let mut starts = [0usize; 256];
        for &b in &from {
            starts[(key(b) >> shift & 0xff) as usize] += 1;
        }
        // A pass where every key has the same byte moves nothing.
        if starts.contains(&from.len()) {
            continue;
        }
        let mut sum = 0;
        for s in starts.iter_mut() {
            let c = *s;
            *s = sum;
            sum += c;
        }
        for &b in &from {
            let slot = &mut starts[(key(b) >> shift & 0xff) as usize];
            to[*slot] = b;
            *slot += 1;
        }
        std::mem::swap(&mut from, &mut to);
    }
    bins.copy_from_slice(&from);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bins_come_out_in_the_order_of_a_comparison_sort() {
        // A spread of sizes, signs and ranges, some with repeats.
        let mut state = 12345u64;
        let mut next = move || {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (state >> 33) as i64
        };
        for (n, range) in [
            (0usize, 1i64),
            (5, 10),
            (300, 3),
            (1000, 1 << 21),
            (4096, 70_000),
            (777, 256),
        ] {
            let mut bins: Vec<i32> = (0..n).map(|_| (next() % (2 * range) - range + 1) as i32).collect();
            bins.extend([(1 << 21) - 1, -(1 << 21) + 1, 0].iter().take(n.min(3)));
            let mut expected = bins.clone();
            expected.sort_unstable();
            sort_bins(&mut bins);
            assert_eq!(bins, expected, "{n} keys within {range}");
        }
    }
}
