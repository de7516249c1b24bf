//! Keyed draws: random numbers for entities too many to give each a stream
//! of its own (the members of a population, millions of them). A named
//! stream ([`super::rng`]) keeps 32 bytes of state per entity and purpose;
//! here an entity keeps none. Each draw is addressed instead: by the
//! entity's 64-bit key, the purpose of the draw (a cadence, a hold, a
//! decision, ...) and the number of the thing it is drawn for (the build,
//! the submission). The address is mixed into the seed of a short
//! SplitMix64 sequence that the samplers read as they read any generator
//! (a rejection sampler may read several numbers from it).
//!
//! So a draw depends only on the run's seed, the replication, the entity
//! and what it is drawn for: never on the order in which entities act, and
//! changing one purpose's parameters shifts no other purpose's numbers.
//! SplitMix64 passes BigCrush; its outputs from distinct mixed seeds are
//! unrelated sequences.

use super::rng::mix;
use rand::TryRng;
use std::convert::Infallible;

/// SplitMix64's increment (the golden ratio in 64 bits).
const GAMMA: u64 = 0x9e37_79b9_7f4a_7c15;

/// The key of entity `index` among those whose common key is `base`
/// (itself a [`super::rng::stream_key`] of the run, the replication and
/// the entities' name).
#[inline]
pub(crate) fn entity_key(base: u64, index: u32) -> u64 {
    mix(base ^ u64::from(index).wrapping_mul(GAMMA))
}

/// A short sequence of random numbers at one address: SplitMix64 started
/// from the mixed address.
#[derive(Clone, Debug)]
pub(crate) struct Keyed {
    state: u64,
}

impl Keyed {
    /// The draws of entity `key` for `purpose` (a small constant naming
    /// what is drawn) and thing number `n`.
    #[inline]
    pub(crate) fn at(key: u64, purpose: u64, n: u64) -> Keyed {
        Keyed {
            state: mix(mix(key ^ purpose.wrapping_mul(GAMMA)) ^ n),
        }
    }
}

impl TryRng for Keyed {
    type Error = Infallible;

    #[inline]
    fn try_next_u32(&mut self) -> Result<u32, Infallible> {
        Ok((self.try_next_u64()? >> 32) as u32)
    }

    #[inline]
    fn try_next_u64(&mut self) -> Result<u64, Infallible> {
        // `mix` adds the increment before mixing: SplitMix64's step.
        let z = mix(self.state);
        self.state = self.state.wrapping_add(GAMMA);
        Ok(z)
    }

    #[inline]
    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Infallible> {
        for chunk in dst.chunks_mut(8) {
            let bytes = self.try_next_u64()?.to_le_bytes();
            chunk.copy_from_slice(&bytes[..chunk.len()]);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, RngExt};

    #[test]
    fn the_same_address_gives_the_same_draws_and_each_part_changes_them() {
        let base = 0x1234_5678;
        let k = entity_key(base, 7);
        let first = |key, purpose, n| Keyed::at(key, purpose, n).next_u64();
        assert_eq!(first(k, 3, 11), first(k, 3, 11));
        assert_ne!(first(k, 3, 11), first(k, 3, 12));
        assert_ne!(first(k, 3, 11), first(k, 4, 11));
        assert_ne!(first(k, 3, 11), first(entity_key(base, 8), 3, 11));
        assert_ne!(entity_key(base, 7), entity_key(base + 1, 7));
    }

    #[test]
    fn draws_across_entities_are_uniform_and_uncorrelated() {
        // Uniforms of 100,000 entities' first draws: mean 1/2, variance
        // 1/12, and no correlation between an entity and the next.
        let n = 100_000u32;
        let xs: Vec<f64> = (0..n)
            .map(|i| Keyed::at(entity_key(99, i), 2, 1).random::<f64>())
            .collect();
        let mean = xs.iter().sum::<f64>() / f64::from(n);
        let var = xs.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / f64::from(n);
        let cov = xs.windows(2).map(|w| (w[0] - mean) * (w[1] - mean)).sum::<f64>() / f64::from(n - 1);
        // Standard errors: 0.00091 for the mean, 0.00027 for the variance.
        assert!((mean - 0.5).abs() < 0.004, "{mean}");
        assert!((var - 1.0 / 12.0).abs() < 0.0012, "{var}");
        assert!((cov / var).abs() < 0.013, "{}", cov / var);
    }
}
