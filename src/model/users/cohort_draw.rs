//! The day's churn of the aggregate representation's groups, one draw per
//! group (exact) or, in mode "merged", one draw per cohort, shared out
//! among the cohort's groups.
//!
//! **One draw per cohort.** A cohort's groups (users of one platform
//! acquired in the same week, or four weeks after the first year) have
//! churn probabilities p_i close to each other. Their total loss is drawn
//! as Binomial(N, p), N = the sum of their sizes n_i and p = sum n_i p_i / N
//! (the same mean as the exact sum of independent binomials; its variance
//! is larger by sum n_i (p_i - p)^2, a fraction of it below
//! p (max |p_i - p| / p)^2 / (1 - max p_i): 3e-4 for a week-old cohort of
//! the flagship's users at a multiplier of 1, 0.7% at 4, less as cohorts
//! age), and shared out
//! among the groups in proportion to their expected losses n_i p_i by
//! systematic sampling: with one uniform U, the first i groups take
//! floor(U + K c_i) of the K, c_i their share of the expected losses. Each
//! group's expected loss is then n_i p_i, exactly as when it is drawn on
//! its own, every day, so every mean the model produces (active users,
//! DAU, orders, cohort retention at every age) is that of the exact
//! representation; what differs is how a cohort's loss is spread over its
//! days, less at random than independent draws would. Each group still
//! records its own losses at its own age, and its posterior stays exact
//! (a survivor's posterior depends on the exposure survived, not on how
//! many left). Should a group's share ever exceed its members (it needs a
//! cohort to lose most of its users in a day), the excess goes to the
//! cohort's next groups with members to lose.

use super::churn::Step;
use super::group::Group;
use crate::core::rng::Stream;
use crate::core::sample;
use rand::RngExt;

/// Each group's losses of the day into `out` (in the order of `groups`),
/// given their steps: one draw per group when `per_cohort` is false, else
/// one per run of neighbouring groups of one cohort.
pub(crate) fn draw(groups: &[Group], steps: &[Step], per_cohort: bool, rng: &mut Stream, out: &mut Vec<u64>) {
    out.clear();
    if !per_cohort {
        out.extend(
            groups
                .iter()
                .zip(steps)
                .map(|(g, s)| sample::binomial_with_ln_keep(rng, g.n, s.p, s.ln_keep)),
        );
        return;
    }
    out.resize(groups.len(), 0);
    let mut start = 0;
    while start < groups.len() {
        let cohort = groups[start].cohort();
        let end = start + groups[start..].iter().take_while(|g| g.cohort() == cohort).count();
        if end - start == 1 {
            let (g, s) = (&groups[start], &steps[start]);
            out[start] = sample::binomial_with_ln_keep(rng, g.n, s.p, s.ln_keep);
        } else {
            shared(&groups[start..end], &steps[start..end], rng, &mut out[start..end]);
        }
        start = end;
    }
}

/// One cohort's loss, drawn once and shared out (see the module documentation).
fn shared(groups: &[Group], steps: &[Step], rng: &mut Stream, out: &mut [u64]) {
    let n: u64 = groups.iter().map(|g| g.n).sum();
    let expected: f64 = groups.iter().zip(steps).map(|(g, s)| g.n as f64 * s.p).sum();
    if n == 0 || expected <= 0.0 {
        return;
    }
    let k = sample::binomial(rng, n, (expected / n as f64).min(1.0));
    if k == 0 {
        return;
    }
    let u: f64 = rng.random();
    let (scale, last) = (k as f64 / expected, groups.len() - 1);
    let (mut cum, mut before) = (0.0, 0u64);
    for (i, (g, s)) in groups.iter().zip(steps).enumerate() {
        cum += g.n as f64 * s.p;
        // floor(U + K c_i), c_i = cum / expected: the conversion truncates,
        // which is the floor of a value that is not negative.
        let upto = if i == last {
            k
        } else {
            ((u + cum * scale) as u64).min(k)
        };
        out[i] = upto - before.min(upto);
        before = before.max(upto);
    }
    // A share beyond a group's members (a cohort losing most of its users
    // in a day) moves to the next groups with members left.
    let mut excess = 0u64;
    for (x, g) in out.iter_mut().zip(groups) {
        if *x > g.n {
            excess += *x - g.n;
            *x = g.n;
        }
    }
    for (x, g) in out.iter_mut().zip(groups) {
        if excess == 0 {
            break;
        }
        let more = (g.n - *x).min(excess);
        *x += more;
        excess -= more;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::rng::stream;
    use crate::model::users::churn::ChurnLaw;

    /// Groups of one weekly cohort (days 1 to 7) with the flagship's
    /// young posteriors, and their steps under a multiplier of 1.3.
    fn cohort(sizes: &[u64]) -> (Vec<Group>, Vec<Step>) {
        let law = ChurnLaw::new(0.704);
        let mut groups: Vec<Group> = sizes
            .iter()
            .enumerate()
            .map(|(i, &n)| Group::new(&law, n, 1 + i as u64, 17.9 + (sizes.len() - 1 - i) as f64))
            .collect();
        let steps = groups.iter_mut().map(|g| law.advance(&mut g.post, 1.3)).collect();
        (groups, steps)
    }

    #[test]
    fn each_group_loses_its_expected_share_on_average() {
        let (groups, steps) = cohort(&[9000, 12000, 3000, 500, 15000, 7000, 40]);
        let mut rng = stream(3, 0, "cohort-draw-test");
        let (days, mut out) = (40_000u64, Vec::new());
        let mut sums = vec![0.0f64; groups.len()];
        let mut squares = vec![0.0f64; groups.len()];
        for _ in 0..days {
            draw(&groups, &steps, true, &mut rng, &mut out);
            for (i, &k) in out.iter().enumerate() {
                assert!(k <= groups[i].n);
                sums[i] += k as f64;
                squares[i] += (k * k) as f64;
            }
        }
        for (i, (g, s)) in groups.iter().zip(&steps).enumerate() {
            let mean = sums[i] / days as f64;
            let var = squares[i] / days as f64 - mean * mean;
            let se = (var / days as f64).sqrt().max(1e-9);
            let want = g.n as f64 * s.p;
            assert!(
                (mean - want).abs() <= 4.0 * se,
                "group {i}: mean loss {mean:.4} (se {se:.4}), expected {want:.4}"
            );
        }
    }

    #[test]
    fn a_cohort_loses_a_binomial_total_shared_without_remainder() {
        let (groups, steps) = cohort(&[9000, 12000, 3000, 500, 15000, 7000, 40]);
        let n: u64 = groups.iter().map(|g| g.n).sum();
        let expected: f64 = groups.iter().zip(&steps).map(|(g, s)| g.n as f64 * s.p).sum();
        let p = expected / n as f64;
        let mut rng = stream(4, 0, "cohort-draw-test");
        let mut out = Vec::new();
        let days = 20_000;
        let (mut sum, mut squares) = (0.0, 0.0);
        for _ in 0..days {
            draw(&groups, &steps, true, &mut rng, &mut out);
            let k: u64 = out.iter().sum();
            sum += k as f64;
            squares += (k * k) as f64;
        }
        let mean = sum / days as f64;
        let var = squares / days as f64 - mean * mean;
        let (want_mean, want_var) = (n as f64 * p, n as f64 * p * (1.0 - p));
        assert!(
            (mean - want_mean).abs() <= 4.0 * (want_var / days as f64).sqrt(),
            "{mean} vs {want_mean}"
        );
        // The sample variance's standard error is about var sqrt(2 / days).
        assert!(
            (var - want_var).abs() <= 4.0 * want_var * (2.0 / days as f64).sqrt(),
            "{var} vs {want_var}"
        );
    }

    #[test]
    fn a_share_beyond_a_group_goes_to_the_next_groups() {
        let law = ChurnLaw::new(0.704);
        let groups = vec![Group::new(&law, 1, 1, 17.9), Group::new(&law, 3, 2, 17.9)];
        let step = |p: f64| Step {
            p,
            ln_keep: libm::log1p(-p),
        };
        // Certain churn: everyone leaves.
        let mut out = Vec::new();
        draw(
            &groups,
            &[step(1.0), step(1.0)],
            true,
            &mut stream(5, 0, "cohort-draw-test"),
            &mut out,
        );
        assert_eq!(out, vec![1, 3]);
        // A one-user group that nearly surely churns beside three users who
        // hardly do: whenever two or more leave, the first group's share
        // (0.97 of them) exceeds its one member and the rest moves on.
        let steps = [step(0.9), step(0.01)];
        let mut rng = stream(6, 0, "cohort-draw-test");
        let mut moved = 0;
        for _ in 0..2000 {
            draw(&groups, &steps, true, &mut rng, &mut out);
            assert!(out[0] <= 1 && out[1] <= 3, "{out:?}");
            moved += usize::from(out[0] == 1 && out[1] >= 1);
        }
        assert!(moved > 100, "{moved}");
    }

    #[test]
    fn without_cohort_draws_each_group_is_drawn_on_its_own() {
        let (groups, steps) = cohort(&[9000, 12000, 3000]);
        let mut out = Vec::new();
        draw(&groups, &steps, false, &mut stream(7, 0, "cohort-draw-test"), &mut out);
        let mut rng = stream(7, 0, "cohort-draw-test");
        let one: Vec<u64> = groups
            .iter()
            .zip(&steps)
            .map(|(g, s)| sample::binomial_with_ln_keep(&mut rng, g.n, s.p, s.ln_keep))
            .collect();
        assert_eq!(out, one);
    }
}
