//! End-to-end checks of the ABC-SMC core on models whose posterior is
//! known: the normal mean and the binomial proportion against their exact
//! posteriors on a grid, two parameters on very different scales, the
//! determinism of the result whatever the batch size, thread count or
//! sharding, the weights, observations with standard errors, and the edge
//! cases (a fixed parameter, an evaluator's error, nothing accepted).

use super::*;
use crate::analysis::sensitivity::distribution::Distribution;
use crate::core::rng::stream;
use crate::core::sample::{binomial, normal};
use rayon::prelude::*;

/// An exact posterior's mean, standard deviation and 90% interval.
#[derive(Debug)]
struct Exact {
    /// Mean.
    mean: f64,
    /// Standard deviation.
    sd: f64,
    /// 5% quantile.
    q05: f64,
    /// 95% quantile.
    q95: f64,
}

/// The posterior with log-density `ln_post` (up to a constant) on
/// `[lo, hi]`, by the midpoint rule on `n` cells; quantiles interpolate
/// the distribution function between cell edges.
fn exact_on_grid(lo: f64, hi: f64, n: usize, ln_post: impl Fn(f64) -> f64) -> Exact {
    let h = (hi - lo) / n as f64;
    let xs: Vec<f64> = (0..n).map(|i| lo + (i as f64 + 0.5) * h).collect();
    let ln: Vec<f64> = xs.iter().map(|&x| ln_post(x)).collect();
    let top = ln.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let w: Vec<f64> = ln.iter().map(|l| (l - top).exp()).collect();
    let total: f64 = w.iter().sum();
    let mean = xs.iter().zip(&w).map(|(x, w)| x * w).sum::<f64>() / total;
    let var = xs.iter().zip(&w).map(|(x, w)| (x - mean).powi(2) * w).sum::<f64>() / total;
    let quantile = |p: f64| {
        let mut below = 0.0;
        for (i, wi) in w.iter().enumerate() {
            let share = wi / total;
            if below + share >= p {
                return lo + (i as f64 + (p - below) / share) * h;
            }
            below += share;
        }
        hi
    };
    Exact {
        mean,
        sd: var.sqrt(),
        q05: quantile(0.05),
        q95: quantile(0.95),
    }
}

/// A uniform prior on `[low, high]` for parameter `name`.
fn uniform(name: &str, low: f64, high: f64) -> PriorParameter {
    PriorParameter::new(name, Distribution::uniform(low, high).unwrap()).unwrap()
}

/// Observations in the normal-mean model: their number and sample mean.
const M: usize = 10;
/// The observed sample mean.
const Y_BAR: f64 = 0.3;

/// The normal-mean model: M observations from Normal(mu, 1), summarised by
/// their mean; randomness seeded by the parameter vector alone. Evaluates
/// its batch in parallel.
fn normal_mean_model(thetas: &[Vec<f64>]) -> Result<Vec<Vec<f64>>, String> {
    Ok(thetas
        .par_iter()
        .map(|theta| {
            let mut rng = stream(theta_seed(11, theta), 0, "test/normal-mean");
            let sum: f64 = (0..M).map(|_| theta[0] + normal(&mut rng)).sum();
            vec![sum / M as f64]
        })
        .collect())
}

/// The normal-mean calibration: uniform prior on [-3, 3].
fn normal_mean_calibration(settings: Settings) -> Calibration {
    let prior = Prior::new(vec![uniform("mu", -3.0, 3.0)]).unwrap();
    let observed = Observed::new(vec![Series::new("mean", vec![Y_BAR])]).unwrap();
    Calibration::new(prior, observed, settings).unwrap()
}

/// The tolerance of a generation in the summary's own units (the only
/// series, without a standard error).
fn tolerance_in_units(stats: &GenerationStats) -> f64 {
    stats.tolerance.unwrap() * stats.scales[0].unwrap()
}

#[test]
fn the_normal_mean_posterior_matches_the_exact_one() {
    let settings = Settings {
        particles: 1000,
        seed: 1,
        max_generations: 12,
        ..Settings::default()
    };
    let result = run(&normal_mean_calibration(settings), normal_mean_model).unwrap();
    let post = result.posterior().unwrap();
    // Likelihood of the mean: Normal(Y_BAR; mu, 1 / sqrt(M)).
    let exact = exact_on_grid(-3.0, 3.0, 600_000, |mu| -0.5 * M as f64 * (mu - Y_BAR).powi(2));
    let last = result.generations.last().unwrap();
    let eps = tolerance_in_units(last);
    let mean = post.mean(0).unwrap();
    let (lo, hi) = post.interval90(0).unwrap();
    let width = hi - lo;
    let exact_width = exact.q95 - exact.q05;
    eprintln!(
        "normal mean: stop {:?} after {} generations, {} simulations; tolerance {eps:.4} ({:.3} exact sd); \
         ABC mean {mean:.4} sd {:.4} 90% [{lo:.4}, {hi:.4}] width {width:.4}; \
         exact mean {:.4} sd {:.4} 90% [{:.4}, {:.4}] width {exact_width:.4}; ess {:.0}",
        result.stop,
        result.generations.len(),
        result.simulations(),
        eps / exact.sd,
        post.sd(0).unwrap(),
        exact.mean,
        exact.sd,
        exact.q05,
        exact.q95,
        post.ess(),
    );
    // A small tolerance: under a third of the exact posterior sd.
    assert!(eps < exact.sd / 3.0, "tolerance {eps}");
    assert!(
        (mean - exact.mean).abs() < 0.5 * exact.sd,
        "mean {mean} vs {}",
        exact.mean
    );
    assert!(
        (width / exact_width - 1.0).abs() < 0.3,
        "width {width} vs {exact_width}"
    );
}

#[test]
fn a_normal_prior_pulls_the_posterior_as_the_conjugate_formula_says() {
    // Prior Normal(-1, 0.5) on mu, the mean of M = 10 observations 0.3:
    // posterior precision 10 + 4 = 14, mean (10 * 0.3 + 4 * -1) / 14.
    // The prior's density enters through the importance weights only.
    let prior = Prior::new(vec![
        PriorParameter::new("mu", Distribution::normal(-1.0, 0.5).unwrap()).unwrap(),
    ])
    .unwrap();
    let observed = Observed::new(vec![Series::new("mean", vec![Y_BAR])]).unwrap();
    let settings = Settings {
        particles: 1000,
        seed: 12,
        max_generations: 12,
        ..Settings::default()
    };
    let result = run(&Calibration::new(prior, observed, settings).unwrap(), normal_mean_model).unwrap();
    let post = result.posterior().unwrap();
    let (exact_mean, exact_sd) = (-1.0 / 14.0, (1.0f64 / 14.0).sqrt());
    let exact_width = 2.0 * 1.644_853_6 * exact_sd;
    let grid = exact_on_grid(-4.0, 3.0, 700_000, |mu| {
        -0.5 * M as f64 * (mu - Y_BAR).powi(2) - 0.5 * ((mu + 1.0) / 0.5).powi(2)
    });
    assert!((grid.mean - exact_mean).abs() < 1e-9 && (grid.q95 - grid.q05 - exact_width).abs() < 1e-6);
    let mean = post.mean(0).unwrap();
    let (lo, hi) = post.interval90(0).unwrap();
    let eps = tolerance_in_units(result.generations.last().unwrap());
    eprintln!(
        "normal prior: stop {:?} after {} generations, {} simulations; tolerance {eps:.4}; \
         ABC mean {mean:.4} sd {:.4} width {:.4}; exact mean {exact_mean:.4} sd {exact_sd:.4} width {exact_width:.4}",
        result.stop,
        result.generations.len(),
        result.simulations(),
        post.sd(0).unwrap(),
        hi - lo
    );
    assert!(eps < exact_sd / 3.0, "tolerance {eps}");
    assert!(
        (mean - exact_mean).abs() < 0.5 * exact_sd,
        "mean {mean} vs {exact_mean}"
    );
    assert!(
        ((hi - lo) / exact_width - 1.0).abs() < 0.3,
        "width {} vs {exact_width}",
        hi - lo
    );
}

#[test]
fn the_binomial_posterior_matches_the_beta_posterior() {
    // 6 successes in 20 trials, uniform prior: Beta(7, 15). Counts are
    // discrete, so the tolerance reaches 0 and ABC becomes exact.
    let (n, k) = (20u64, 6.0);
    let prior = Prior::new(vec![uniform("p", 0.0, 1.0)]).unwrap();
    let observed = Observed::new(vec![Series::new("successes", vec![k])]).unwrap();
    let settings = Settings {
        particles: 1000,
        seed: 2,
        ..Settings::default()
    };
    let calibration = Calibration::new(prior, observed, settings).unwrap();
    let model = |thetas: &[Vec<f64>]| -> Result<Vec<Vec<f64>>, String> {
        Ok(thetas
            .iter()
            .map(|theta| {
                let mut rng = stream(theta_seed(5, theta), 0, "test/binomial");
                vec![binomial(&mut rng, n, theta[0]) as f64]
            })
            .collect())
    };
    let result = run(&calibration, model).unwrap();
    let post = result.posterior().unwrap();
    let exact = exact_on_grid(0.0, 1.0, 1_000_000, |p| 6.0 * p.ln() + 14.0 * (1.0 - p).ln());
    // Beta(7, 15): mean 7 / 22.
    assert!((exact.mean - 7.0 / 22.0).abs() < 1e-9);
    let last = result.generations.last().unwrap();
    let mean = post.mean(0).unwrap();
    let (lo, hi) = post.interval90(0).unwrap();
    let (width, exact_width) = (hi - lo, exact.q95 - exact.q05);
    eprintln!(
        "binomial: stop {:?} after {} generations, {} simulations; last tolerance {:?}; \
         ABC mean {mean:.4} sd {:.4} 90% [{lo:.4}, {hi:.4}] width {width:.4}; \
         exact mean {:.4} sd {:.4} 90% [{:.4}, {:.4}] width {exact_width:.4}; ess {:.0}",
        result.stop,
        result.generations.len(),
        result.simulations(),
        last.tolerance,
        post.sd(0).unwrap(),
        exact.mean,
        exact.sd,
        exact.q05,
        exact.q95,
        post.ess()
    );
    assert_eq!(
        last.tolerance,
        Some(0.0),
        "the last generation matched the count exactly"
    );
    assert!(
        (mean - exact.mean).abs() < 0.5 * exact.sd,
        "mean {mean} vs {}",
        exact.mean
    );
    assert!(
        (width / exact_width - 1.0).abs() < 0.3,
        "width {width} vs {exact_width}"
    );
}

/// The two-scale model: `users` (three points in millions, noise 50,000)
/// driven by `a`, and `share` (one fraction, noise 0.02) driven by `b`.
fn two_scale_model(thetas: &[Vec<f64>]) -> Result<Vec<Vec<f64>>, String> {
    Ok(thetas
        .iter()
        .map(|theta| {
            let mut rng = stream(theta_seed(3, theta), 0, "test/two-scale");
            let mut x: Vec<f64> = [1.0, 1.5, 2.0]
                .iter()
                .map(|g| theta[0] * 1e6 * g + 5e4 * normal(&mut rng))
                .collect();
            x.push(theta[1] + 0.02 * normal(&mut rng));
            x
        })
        .collect())
}

/// Calibrates the two-scale model to a = 2.5, b = 0.3, with or without
/// adaptive scales.
fn two_scale(adaptive_scales: bool) -> (Calibration, Calibrated) {
    let prior = Prior::new(vec![uniform("a", 1.0, 5.0), uniform("b", 0.0, 1.0)]).unwrap();
    let observed = Observed::new(vec![
        Series::new("users", vec![2.5e6, 3.75e6, 5e6]),
        Series::new("share", vec![0.3]),
    ])
    .unwrap();
    let settings = Settings {
        particles: 500,
        seed: 4,
        max_generations: 8,
        adaptive_scales,
        ..Settings::default()
    };
    let calibration = Calibration::new(prior, observed, settings).unwrap();
    let result = run(&calibration, two_scale_model).unwrap();
    assert_eq!(calibration.settings().adaptive_scales, adaptive_scales);
    let names: Vec<&str> = calibration.observed().series().iter().map(Series::name).collect();
    assert_eq!(names, ["users", "share"]);
    assert_eq!(calibration.observed().series()[1].values(), &[0.3]);
    (calibration, result)
}

#[test]
fn with_adaptive_scales_a_series_in_fractions_informs_its_parameter_beside_one_in_millions() {
    let (calibration, result) = two_scale(true);
    let post = result.posterior().unwrap();
    let n: Vec<Narrowing> = narrowing(calibration.prior(), post, UNINFORMED_RATIO);
    eprintln!("adaptive: {:?} {n:?}", result.stop);
    let summary: Vec<ParameterSummary> = post.summary();
    assert_eq!(summary[1].median, post.median(1));
    assert_eq!((n[0].informed, n[1].informed), (Some(true), Some(true)), "{n:?}");
    // The scales followed the series: millions against fractions.
    let scales = &result.generations[1].scales;
    assert!(scales[0].unwrap() > 1e4 && scales[1].unwrap() < 1.0, "{scales:?}");
    // And the posterior is near the truth: within 4 posterior sd.
    for (j, truth) in [2.5, 0.3].into_iter().enumerate() {
        let (m, sd) = (post.mean(j).unwrap(), post.sd(j).unwrap());
        assert!((m - truth).abs() < 4.0 * sd, "parameter {j}: {m} +- {sd}");
    }
    // Without them, the raw distance is all users: the share is drowned.
    let (calibration, raw) = two_scale(false);
    let n = narrowing(calibration.prior(), raw.posterior().unwrap(), UNINFORMED_RATIO);
    eprintln!("raw: {:?} {n:?}", raw.stop);
    assert_eq!((n[0].informed, n[1].informed), (Some(true), Some(false)), "{n:?}");
}

/// The figures of a run that must not depend on how it was computed:
/// every population, and per generation everything but the wasted
/// simulations.
fn invariant(c: &Calibrated) -> (Vec<Population>, Vec<GenerationStats>, StopReason) {
    let stats = c
        .generations
        .iter()
        .map(|g| GenerationStats { wasted: 0, ..g.clone() })
        .collect();
    (c.populations.clone(), stats, c.stop)
}

#[test]
fn the_result_is_the_same_for_any_batch_size_and_thread_count() {
    let mut results = Vec::new();
    for threads in [1, 2] {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
        for batch in [1, 7, 64] {
            let settings = Settings {
                particles: 200,
                seed: 9,
                max_generations: 4,
                batch,
                ..Settings::default()
            };
            let c = pool.install(|| run(&normal_mean_calibration(settings), normal_mean_model).unwrap());
            results.push((threads, batch, c));
        }
    }
    let (_, _, first) = &results[0];
    assert_eq!(first.populations.len(), 4);
    for (threads, batch, c) in &results[1..] {
        assert!(invariant(c) == invariant(first), "{threads} threads, batch {batch}");
    }
    // The batch of 1 wastes nothing; larger ones overshoot a little.
    assert!(first.generations.iter().all(|g| g.wasted == 0));
    assert!(results[2].2.generations.iter().any(|g| g.wasted > 0));
}

#[test]
fn a_generation_split_across_machines_and_merged_gives_the_same_population() {
    let settings = Settings {
        particles: 150,
        seed: 21,
        max_generations: 3,
        ..Settings::default()
    };
    let calibration = normal_mean_calibration(settings);
    let whole = run(&calibration, normal_mean_model).unwrap();
    let mut generation = calibration.first_generation();
    let mut populations = Vec::new();
    loop {
        // Two "machines" each rebuild the generation from its parts (sent
        // in postcard, which keeps every bit of a double) and evaluate
        // alternate blocks of 40 candidates; the merger accepts the blocks
        // in index order until the generation ends.
        let parts: GenerationParts = generation.parts();
        let bytes = postcard::to_stdvec(&parts).unwrap();
        let machines: Vec<Generation> = (0..2)
            .map(|_| calibration.generation(postcard::from_bytes(&bytes).unwrap()).unwrap())
            .collect();
        assert!(machines[0].parts() == generation.parts());
        let mut acceptor: Acceptor = generation.acceptor();
        let mut block = 0u64;
        while acceptor.status() == Status::Open {
            let machine = &machines[(block % 2) as usize];
            let candidates = machine.propose(block * 40..(block + 1) * 40);
            let evaluated = evaluate(candidates, &normal_mean_model).unwrap();
            let shipped: Vec<Evaluated> = postcard::from_bytes(&postcard::to_stdvec(&evaluated).unwrap()).unwrap();
            acceptor.accept(&generation, shipped).unwrap();
            block += 1;
        }
        // A block that arrives after the generation ended is only counted
        // as wasted.
        let late = evaluate(machines[1].propose(block * 40..(block + 1) * 40), &normal_mean_model).unwrap();
        assert_eq!(acceptor.accept(&generation, late), Ok(Status::Complete));
        let step: Step = acceptor.close(&generation);
        assert!(step.stats.wasted >= 40);
        populations.extend(step.population);
        match step.next {
            Next::Continue(next) => {
                // The next generation starts where this one ended.
                assert_eq!(next.index(), generation.index() + 1);
                assert_eq!(next.tolerance(), step.stats.next_tolerance);
                assert_eq!(next.distance().scales().len(), 1);
                let used = generation.simulations_before() + step.stats.simulations;
                assert_eq!(next.simulations_before(), used);
                generation = next;
            }
            Next::Stop(reason) => {
                assert_eq!(reason, whole.stop);
                break;
            }
        }
    }
    assert!(populations == whole.populations);
}

#[test]
fn every_generation_has_normalised_weights_and_an_ess_within_its_size() {
    let settings = Settings {
        particles: 300,
        seed: 13,
        max_generations: 6,
        ..Settings::default()
    };
    let result = run(&normal_mean_calibration(settings), normal_mean_model).unwrap();
    assert_eq!(result.populations.len(), 6);
    for (p, g) in result.populations.iter().zip(&result.generations) {
        let sum: f64 = p.weights().iter().sum();
        assert!((sum - 1.0).abs() < 1e-12, "generation {}: {sum}", p.generation());
        let ess = p.ess();
        assert!(ess > 0.0 && ess <= 300.0, "{ess}");
        assert_eq!(g.ess, Some(ess));
        assert!(g.complete && g.accepted == 300);
        // Every accepted distance is within the generation's tolerance.
        if let Some(eps) = g.tolerance {
            assert!(p.distances().iter().all(|d| d.is_some_and(|d| d <= eps)));
        }
    }
    // Generation 0 is the prior sample, equally weighted; later ones not.
    assert_eq!(result.populations[0].ess(), 300.0);
    assert!(result.populations[5].ess() < 300.0);
    // Tolerances shrink.
    let eps: Vec<f64> = result.generations[1..].iter().map(tolerance_in_units).collect();
    assert!(eps.windows(2).all(|w| w[1] < w[0]), "{eps:?}");
}

#[test]
fn a_precise_observation_outweighs_a_rough_one() {
    // A deterministic model that simulates theta twice; the observations
    // disagree (1 and 2), and their standard errors say which to believe.
    let model = |thetas: &[Vec<f64>]| -> Result<Vec<Vec<f64>>, String> {
        Ok(thetas.iter().map(|t| vec![t[0], t[0]]).collect())
    };
    for (se_a, se_b, believed) in [(0.01, 1.0, 1.0), (1.0, 0.01, 2.0)] {
        let prior = Prior::new(vec![uniform("x", 0.0, 3.0)]).unwrap();
        let observed = Observed::new(vec![
            Series::new("a", vec![1.0]).with_standard_errors(vec![Some(se_a)]),
            Series::new("b", vec![2.0]).with_standard_errors(vec![Some(se_b)]),
        ])
        .unwrap();
        let settings = Settings {
            particles: 200,
            seed: 6,
            max_generations: 8,
            ..Settings::default()
        };
        let result = run(&Calibration::new(prior, observed, settings).unwrap(), model).unwrap();
        let post = result.posterior().unwrap();
        // The distance is sqrt(((x - 1) / se_a)^2 + ((x - 2) / se_b)^2),
        // smallest near the precise observation.
        let m = post.mean(0).unwrap();
        assert!((m - believed).abs() < 0.05, "{m} against {believed}");
        // Standard errors are not adapted: no series scale.
        assert!(result.generations.iter().all(|g| g.scales == vec![None, None]));
    }
}

#[test]
fn a_fixed_parameter_stays_fixed_and_the_free_one_is_learned() {
    let prior = Prior::new(vec![
        PriorParameter::new("sigma", Distribution::Uniform { low: 1.0, high: 1.0 }).unwrap(),
        uniform("mu", -3.0, 3.0),
    ])
    .unwrap();
    let observed = Observed::new(vec![Series::new("mean", vec![Y_BAR])]).unwrap();
    let settings = Settings {
        particles: 200,
        seed: 8,
        max_generations: 5,
        ..Settings::default()
    };
    let model = |thetas: &[Vec<f64>]| -> Result<Vec<Vec<f64>>, String> {
        let mu: Vec<Vec<f64>> = thetas.iter().map(|t| vec![t[1]]).collect();
        normal_mean_model(&mu)
    };
    let calibration = Calibration::new(prior, observed, settings).unwrap();
    let result = run(&calibration, model).unwrap();
    let post = result.posterior().unwrap();
    assert_eq!(result.populations.len(), 5);
    assert!(post.parameters().iter().all(|p| p[0] == 1.0));
    assert_eq!((post.sd(0), post.mean(0)), (Some(0.0), Some(1.0)));
    let n = narrowing(calibration.prior(), post, UNINFORMED_RATIO);
    assert_eq!((n[0].informed, n[1].informed), (None, Some(true)));
    assert_eq!(post.correlation()[0][1], None);
}

#[test]
fn an_evaluator_error_is_passed_through() {
    let calibration = normal_mean_calibration(Settings {
        particles: 50,
        ..Settings::default()
    });
    let calls = std::sync::atomic::AtomicUsize::new(0);
    let failing = |thetas: &[Vec<f64>]| -> Result<Vec<Vec<f64>>, String> {
        if calls.fetch_add(1, std::sync::atomic::Ordering::SeqCst) == 3 {
            return Err("replication 7 diverged".into());
        }
        normal_mean_model(thetas)
    };
    match run(&calibration, failing) {
        Err(RunError::Evaluate(e)) => assert_eq!(e, "replication 7 diverged"),
        other => panic!("expected the evaluator's error, got {other:?}"),
    }
    // An evaluator that returns too few vectors is the caller's mistake.
    let short = |_: &[Vec<f64>]| -> Result<Vec<Vec<f64>>, String> { Ok(vec![]) };
    assert!(matches!(
        run(&calibration, short),
        Err(RunError::Abc(AbcError::Shape(_)))
    ));
    let long = |t: &[Vec<f64>]| -> Result<Vec<Vec<f64>>, String> { Ok(vec![vec![0.0, 0.0]; t.len()]) };
    assert!(matches!(
        run(&calibration, long),
        Err(RunError::Abc(AbcError::Shape(_)))
    ));
}

#[test]
fn a_model_that_never_gives_a_defined_summary_stops_at_the_budget() {
    let calibration = normal_mean_calibration(Settings {
        particles: 50,
        max_simulations: 300,
        min_acceptance: 0.0,
        ..Settings::default()
    });
    let undefined = |t: &[Vec<f64>]| -> Result<Vec<Vec<f64>>, String> { Ok(vec![vec![f64::NAN]; t.len()]) };
    let result = run(&calibration, undefined).unwrap();
    assert_eq!(result.stop, StopReason::Budget);
    assert!(result.posterior().is_none());
    let g = &result.generations[0];
    assert_eq!(
        (g.simulations, g.undefined, g.accepted, g.complete),
        (300, 300, 0, false)
    );
    assert_eq!((g.acceptance_rate, g.ess, g.next_tolerance), (Some(0.0), None, None));
}

#[test]
fn a_later_generation_that_accepts_nothing_stops_with_its_reason() {
    let settings = Settings {
        particles: 100,
        max_simulations: 400,
        min_acceptance: 0.0,
        ..Settings::default()
    };
    let calibration = normal_mean_calibration(settings.clone());
    let first = run_generation(&calibration.first_generation(), &normal_mean_model).unwrap();
    assert!(first.population.is_some());
    let Next::Continue(second) = first.next else {
        panic!("generation 0 should continue");
    };
    // The model now lands far from the data every time.
    let far = |t: &[Vec<f64>]| -> Result<Vec<Vec<f64>>, String> { Ok(vec![vec![1e9]; t.len()]) };
    let step = run_generation(&second, &far).unwrap();
    assert!(matches!(step.next, Next::Stop(StopReason::Budget)));
    assert!(step.population.is_none());
    assert_eq!((step.stats.accepted, step.stats.simulations), (0, 300));
    // With a minimum acceptance rate of 0.25, it gives up after 400
    // candidates (100 / 0.25) instead, whatever the budget.
    let settings = Settings {
        min_acceptance: 0.25,
        max_simulations: 1_000_000,
        ..settings
    };
    let calibration = normal_mean_calibration(settings);
    let first = run_generation(&calibration.first_generation(), &normal_mean_model).unwrap();
    let Next::Continue(second) = first.next else {
        panic!("generation 0 should continue");
    };
    let step = run_generation(&second, &far).unwrap();
    assert!(matches!(step.next, Next::Stop(StopReason::AcceptanceRate)));
    assert_eq!((step.stats.candidates, step.stats.accepted), (400, 0));
}

#[test]
fn the_calibration_stops_when_the_tolerance_stalls_or_at_the_last_generation() {
    // A deterministic model that cannot come closer than 0.7 to the data
    // (1 + mu^2 against 0.3): as mu nears 0 the tolerance stops shrinking,
    // while half the candidates are still accepted.
    let flat = |t: &[Vec<f64>]| -> Result<Vec<Vec<f64>>, String> {
        Ok(t.iter().map(|theta| vec![1.0 + theta[0] * theta[0]]).collect())
    };
    let calibration = normal_mean_calibration(Settings {
        particles: 200,
        ..Settings::default()
    });
    let result = run(&calibration, flat).unwrap();
    assert_eq!(result.stop, StopReason::ToleranceStalled);
    assert_eq!(result.stop.describe(), "the tolerance stopped shrinking");
    let last = result.generations.last().unwrap();
    assert!(
        last.tolerance_decrease.unwrap() < 0.01 && last.acceptance_rate.unwrap() > 0.1,
        "{last:?}"
    );
    let calibration = normal_mean_calibration(Settings {
        particles: 100,
        max_generations: 2,
        ..Settings::default()
    });
    let result = run(&calibration, normal_mean_model).unwrap();
    assert_eq!((result.stop, result.populations.len()), (StopReason::MaxGenerations, 2));
}

#[test]
fn candidates_out_of_order_or_misshapen_are_refused() {
    let calibration = normal_mean_calibration(Settings {
        particles: 10,
        ..Settings::default()
    });
    let generation = calibration.first_generation();
    let mut acceptor = generation.acceptor();
    let candidates = generation.propose(0..3);
    let ok = |c: &Candidate| Evaluated {
        candidate: c.clone(),
        summaries: Some(vec![0.0]),
    };
    let skipped = vec![ok(&candidates[1])];
    assert!(matches!(acceptor.accept(&generation, skipped), Err(AbcError::Shape(_))));
    let missing = vec![Evaluated {
        candidate: candidates[0].clone(),
        summaries: None,
    }];
    assert!(matches!(acceptor.accept(&generation, missing), Err(AbcError::Shape(_))));
    let long = vec![Evaluated {
        candidate: candidates[0].clone(),
        summaries: Some(vec![0.0, 1.0]),
    }];
    assert!(matches!(acceptor.accept(&generation, long), Err(AbcError::Shape(_))));
    // Nothing was taken; the right candidates are.
    assert_eq!(acceptor.next_index(), 0);
    let good: Vec<Evaluated> = candidates.iter().map(ok).collect();
    assert_eq!(acceptor.accept(&generation, good), Ok(Status::Open));
    assert_eq!((acceptor.next_index(), acceptor.accepted()), (3, 3));
    // Closing it early stops the calibration, with no population.
    let step = acceptor.close(&generation);
    assert!(matches!(step.next, Next::Stop(StopReason::Interrupted)) && step.population.is_none());
    // Parts that do not fit are refused.
    let mut parts = generation.parts();
    parts.tolerance = Some(1.0);
    assert!(matches!(calibration.generation(parts), Err(AbcError::Shape(_))));
}

#[test]
fn settings_out_of_range_are_refused() {
    let prior = || Prior::new(vec![uniform("x", 0.0, 1.0)]).unwrap();
    let observed = || Observed::new(vec![Series::new("y", vec![0.5])]).unwrap();
    let bad = [
        Settings {
            particles: 0,
            ..Settings::default()
        },
        Settings {
            quantile: 0.0,
            ..Settings::default()
        },
        Settings {
            max_generations: 0,
            ..Settings::default()
        },
        Settings {
            max_simulations: 0,
            ..Settings::default()
        },
        Settings {
            min_acceptance: 1.5,
            ..Settings::default()
        },
        Settings {
            min_decrease: f64::NAN,
            ..Settings::default()
        },
        Settings {
            scale_sample: 0,
            ..Settings::default()
        },
        Settings {
            batch: 0,
            ..Settings::default()
        },
    ];
    for s in bad {
        assert!(matches!(
            Calibration::new(prior(), observed(), s),
            Err(AbcError::Settings(_))
        ));
    }
}

#[test]
fn a_parameter_vector_seeds_the_same_stream_whatever_its_batch() {
    assert_eq!(theta_seed(1, &[0.5, 2.0]), theta_seed(1, &[0.5, 2.0]));
    assert_ne!(theta_seed(1, &[0.5, 2.0]), theta_seed(1, &[2.0, 0.5]));
    assert_ne!(theta_seed(1, &[0.5, 2.0]), theta_seed(2, &[0.5, 2.0]));
}

#[test]
fn with_several_replications_per_candidate_the_posterior_is_still_the_exact_one() {
    // Three replications per candidate, weighted by the share within the
    // tolerance: the same target as one replication.
    let settings = Settings {
        particles: 1000,
        seed: 31,
        max_generations: 12,
        replications: 3,
        ..Settings::default()
    };
    let calibration = normal_mean_calibration(settings);
    let model = |thetas: &[Vec<f64>]| -> Result<Vec<Vec<f64>>, String> {
        Ok(thetas
            .iter()
            .map(|theta| {
                let mut rng = stream(theta_seed(17, theta), 0, "test/normal-mean-reps");
                (0..3)
                    .map(|_| (0..M).map(|_| theta[0] + normal(&mut rng)).sum::<f64>() / M as f64)
                    .collect()
            })
            .collect())
    };
    let result = run(&calibration, model).unwrap();
    let post = result.posterior().unwrap();
    let exact = exact_on_grid(-3.0, 3.0, 600_000, |mu| -0.5 * M as f64 * (mu - Y_BAR).powi(2));
    let mean = post.mean(0).unwrap();
    let (lo, hi) = post.interval90(0).unwrap();
    let eps = tolerance_in_units(result.generations.last().unwrap());
    eprintln!(
        "3 replications: stop {:?}, {} generations, {} simulations; tolerance {eps:.4}; ABC mean {mean:.4} \
         width {:.4}; exact mean {:.4} width {:.4}",
        result.stop,
        result.generations.len(),
        result.simulations(),
        hi - lo,
        exact.mean,
        exact.q95 - exact.q05
    );
    // Simulations are counted three per candidate.
    let g = &result.generations[0];
    assert_eq!(g.simulations, 3 * g.candidates);
    assert!(eps < exact.sd / 3.0, "tolerance {eps}");
    assert!((mean - exact.mean).abs() < 0.5 * exact.sd, "mean {mean}");
    assert!(
        ((hi - lo) / (exact.q95 - exact.q05) - 1.0).abs() < 0.3,
        "width {}",
        hi - lo
    );
    // Some particles were accepted on one or two of their three.
    let last = post.weights().iter().copied().fold(0.0, f64::max);
    assert!(last > 0.0);
}

#[test]
fn an_acceptor_sent_elsewhere_and_back_goes_on_where_it_stopped() {
    let settings = Settings {
        particles: 100,
        seed: 41,
        max_generations: 2,
        ..Settings::default()
    };
    let calibration = normal_mean_calibration(settings);
    let whole = run(&calibration, normal_mean_model).unwrap();
    let first = run_generation(&calibration.first_generation(), &normal_mean_model).unwrap();
    let Next::Continue(second) = first.next else {
        panic!("generation 0 should continue");
    };
    let mut acceptor = second.acceptor();
    let evaluated = evaluate(second.propose(0..60), &normal_mean_model).unwrap();
    acceptor.accept(&second, evaluated).unwrap();
    let bytes = postcard::to_stdvec(&acceptor).unwrap();
    let back: Acceptor = postcard::from_bytes(&bytes).unwrap();
    let mut back = back.checked(&second).expect("it fits its generation");
    assert!(back == acceptor);
    let mut block = 60;
    while back.status() == Status::Open {
        let evaluated = evaluate(second.propose(block..block + 60), &normal_mean_model).unwrap();
        back.accept(&second, evaluated).unwrap();
        block += 60;
    }
    let step = back.close(&second);
    assert!(step.population.as_ref() == whole.populations.last());
    // An acceptor of another generation, or one altered, is refused.
    let zeroth = calibration.first_generation();
    assert!(acceptor.clone().checked(&zeroth).is_none());
    let json = serde_json::to_value(&acceptor).unwrap();
    let altered = |f: &dyn Fn(&mut serde_json::Value)| -> Acceptor {
        let mut v = json.clone();
        f(&mut v);
        serde_json::from_value(v).unwrap()
    };
    let extra_share = altered(&|v| v["shares"].as_array_mut().unwrap().push(1.0.into()));
    assert!(extra_share.checked(&second).is_none());
    let long_theta = altered(&|v| v["thetas"][0].as_array_mut().unwrap().push(0.0.into()));
    assert!(long_theta.checked(&second).is_none());
    let zero_share = altered(&|v| v["shares"][0] = 0.0.into());
    assert!(zero_share.checked(&second).is_none());
}
