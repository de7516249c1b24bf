//! `--member NAME#I` (run) and `--platform` / `--population` (trace): the
//! flags that pick members of populations and platforms out by name. A
//! watched member is added to its population's `watch` list in memory (so
//! the resolved scenario records it and a merge or rerun sees it); a trace
//! filter keeps the named platforms' and populations' records. Unknown
//! names and members are bad usage (exit 2), with the closest name.

use super::error::AppError;
use crate::model::pipeline::TraceFilter;
use crate::scenario::Loaded;
use crate::scenario::overrides::parse;
use crate::scenario::problem::did_you_mean;

/// `loaded` with the members `members` (`population#index`) watched.
pub(crate) fn watch_members(loaded: Loaded, members: &[String]) -> Result<Loaded, AppError> {
    if members.is_empty() {
        return Ok(loaded);
    }
    let names: Vec<&str> = loaded.raw.populations.iter().map(|p| p.name.as_str()).collect();
    let mut watch: Vec<Vec<u32>> = loaded.raw.populations.iter().map(|p| p.watch.clone()).collect();
    for m in members {
        let bad = |why: String| AppError::usage(format!("--member {m}: {why}"));
        let Some((name, index)) = m.rsplit_once('#') else {
            return Err(bad("expected POPULATION#INDEX, e.g. small-apps#17".into()));
        };
        let Some(k) = names.iter().position(|n| *n == name) else {
            return Err(bad(format!(
                "no population named \"{name}\"; known: {}.{}",
                names.iter().map(|n| format!("\"{n}\"")).collect::<Vec<_>>().join(", "),
                did_you_mean(name, names.iter().copied())
            )));
        };
        let i: u32 = index
            .parse()
            .map_err(|_| bad(format!("\"{index}\" is not a member's index (0, 1, 2, ...)")))?;
        watch[k].push(i);
    }
    let sets = watch
        .iter()
        .enumerate()
        .map(|(k, w)| {
            let list: Vec<String> = w.iter().map(u32::to_string).collect();
            parse(&format!("populations[{k}].watch=[{}]", list.join(", ")))
                .map_err(|e| AppError::usage(format!("--member: {e}")))
        })
        .collect::<Result<Vec<_>, _>>()?;
    loaded.with(&sets).map_err(|problems| {
        let lines: Vec<String> = problems
            .iter()
            .map(|p| format!("  - {}: {}", p.path, p.message))
            .collect();
        AppError::usage(format!("--member: {}\n{}", members.join(", "), lines.join("\n")))
    })
}

/// The trace filter of `--platform` and `--population` names: none given,
/// every named platform and no population's members.
pub(crate) fn trace_filter(
    loaded: &Loaded,
    platforms: &[String],
    populations: &[String],
) -> Result<TraceFilter, AppError> {
    let s = &loaded.scenario;
    if platforms.is_empty() && populations.is_empty() {
        return Ok(TraceFilter::platforms_only(s.platforms.len(), s.populations.len()));
    }
    let pick = |flag: &str, asked: &[String], known: Vec<&str>| -> Result<Vec<bool>, AppError> {
        let mut keep = vec![false; known.len()];
        for a in asked {
            let Some(i) = known.iter().position(|n| n == a) else {
                return Err(AppError::usage(format!(
                    "{flag} {a}: no {} named \"{a}\"; known: {}.{}",
                    &flag[2..],
                    known.iter().map(|n| format!("\"{n}\"")).collect::<Vec<_>>().join(", "),
                    did_you_mean(a, known.iter().copied())
                )));
            };
            keep[i] = true;
        }
        Ok(keep)
    };
    Ok(TraceFilter {
        platforms: pick(
            "--platform",
            platforms,
            s.platforms.iter().map(|p| p.name.as_str()).collect(),
        )?,
        populations: pick(
            "--population",
            populations,
            s.populations.iter().map(|p| p.name.as_str()).collect(),
        )?,
    })
}
