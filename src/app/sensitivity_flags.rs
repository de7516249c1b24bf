//! What `gatesim sensitivity`'s flags ask for, read and checked: the
//! method and its design options, the parameters (`--vary` or the
//! scenario's `[[uncertain]]` declarations) and the `--against` contrast.

use super::AppError;
use crate::analysis::sensitivity::{Method, Sampling};
use crate::app::cli::SensitivityArgs;
use crate::experiments::sensitivity::{Contrast, DesignOptions};
use crate::scenario::overrides::{self, Override};
use crate::scenario::uncertain::from_vary;
use crate::scenario::{Loaded, Problem, Resolved, Uncertain};

/// The method named `name`.
pub(super) fn method_named(name: &str) -> Option<Method> {
    [Method::Tornado, Method::Morris, Method::Sobol, Method::Uncertainty]
        .into_iter()
        .find(|m| m.name() == name)
}

/// The design's options from the flags; flags of another method are refused.
pub(super) fn options(a: &SensitivityArgs) -> Result<DesignOptions, AppError> {
    let method = method_named(&a.method).unwrap_or(Method::Sobol);
    let only = |flag: &str, given: bool, m: Method| {
        if given && method != m {
            Err(AppError::usage(format!(
                "{flag} applies to --method {} only, not {}",
                m.name(),
                method.name()
            )))
        } else {
            Ok(())
        }
    };
    only("--sampling", a.sampling.is_some(), Method::Sobol)?;
    only("--levels", a.levels.is_some(), Method::Morris)?;
    only("--candidates", a.candidates.is_some(), Method::Morris)?;
    let mut o = DesignOptions::new(method);
    o.samples = a.samples.map(|n| n as usize);
    if a.sampling.as_deref() == Some("lhs") {
        o.sampling = Sampling::LatinHypercube;
    }
    if let Some(l) = a.levels {
        o.levels = l as usize;
    }
    o.candidates = a.candidates.map(|m| m as usize);
    Ok(o)
}

/// A list of problems as one message.
pub(super) fn problems_text(what: &str, problems: &[Problem]) -> String {
    let n = problems.len();
    let mut m = format!("{what}: {n} problem{}", if n == 1 { "" } else { "s" });
    for p in problems {
        if p.path.is_empty() {
            m.push_str(&format!("\n  - {}", p.message));
        } else {
            m.push_str(&format!("\n  - {}: {}", p.path, p.message));
        }
    }
    m
}

/// The `--vary` keys, else the scenario's declarations.
pub(super) fn parameters(a: &SensitivityArgs, loaded: &Loaded) -> Result<Vec<Uncertain>, AppError> {
    let file = a.scenario.scenario.display();
    if !a.vary.is_empty() {
        return from_vary(&loaded.raw, &a.vary)
            .map_err(|p| AppError::usage(problems_text(&format!("invalid --vary for {file}"), &p)));
    }
    if loaded.uncertain.is_empty() {
        return Err(AppError::usage(format!(
            "{file} declares no [[uncertain]] key, and no --vary is given: nothing to analyse. \
             Declare the uncertain assumptions in the scenario (see scenarios/guizhou.toml) or name them, \
             e.g. --vary users.churn_per_stale_day=0.001:0.02"
        )));
    }
    Ok(loaded.uncertain.clone())
}

/// The `--against` contrast (`against`, called `label` if given),
/// checked: the scenario must be valid with it.
pub(super) fn contrast(
    against: &[String],
    label: Option<&str>,
    resolved: &Resolved,
) -> Result<Option<Contrast>, AppError> {
    if against.is_empty() {
        return Ok(None);
    }
    let sets: Vec<Override> = against
        .iter()
        .map(|t| overrides::parse(t).map_err(|e| AppError::usage(e.for_flag("--against").to_string())))
        .collect::<Result<_, _>>()?;
    resolved.at(&sets).map_err(|p| {
        AppError::usage(problems_text(
            &format!("the scenario with --against {} is invalid", against.join(" --against ")),
            &p,
        ))
    })?;
    let label = label.map_or_else(|| format!("the scenario with {}", against.join(", ")), str::to_string);
    Ok(Some(Contrast { sets, label }))
}
