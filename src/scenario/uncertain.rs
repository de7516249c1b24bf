//! Uncertain assumptions: the `[[uncertain]]` entries of a scenario, and
//! the `--vary KEY=LOW:HIGH` flags that replace them, checked against the
//! scenario they vary. The key must hold a number in the resolved scenario
//! (its base value, the tornado's centre), the range must not be empty, and
//! the scenario must stay valid at the two most extreme values a design can
//! draw. Also [`Resolved`]: the resolved scenario as a TOML table that
//! takes new values of its keys exactly as `--set` does, and validates the
//! result, for the experiments that vary them.
//!
//! A key holding a whole number in the file (such as `users.cooloff_days`)
//! takes whole numbers: drawn values are rounded to the nearest one, so its
//! range must reach at least two of them. The run's `simulation.seed` and
//! `simulation.replications` are not assumptions and cannot vary: every
//! point of an analysis runs on the same ones.

use super::Scenario;
use super::overrides::{self, Override};
use super::problem::{Problem, Problems, did_you_mean};
use super::raw::{RawScenario, RawUncertain, UncertainDist};
use super::validate::validate;
use crate::analysis::sensitivity::Distribution;
use toml::{Table, Value};

/// A validated uncertain key.
#[derive(Clone, Debug)]
pub struct Uncertain {
    /// The key path as declared (names the parameter in outputs).
    pub key: String,
    /// The key path with arrays addressed by index (`platforms[2].users.churn_beta`).
    pub canonical: String,
    /// Its distribution over the plausible range.
    pub distribution: Distribution,
    /// Why this range (may be empty).
    pub why: String,
    /// Whether the key takes whole numbers (values are rounded).
    pub whole: bool,
    /// Its value in the scenario.
    pub base: f64,
    /// The parsed key path.
    path: Vec<String>,
}

impl Uncertain {
    /// `x` as the key's TOML value: a whole number (rounded, halves away
    /// from zero) for a whole-number key, else a float.
    pub fn value(&self, x: f64) -> Value {
        if self.whole {
            Value::Integer(x.round() as i64)
        } else {
            Value::Float(x)
        }
    }

    /// The override setting the key to `x`.
    pub fn set(&self, x: f64) -> Override {
        let value = self.value(x);
        Override {
            path: self.path.clone(),
            text: format!("{}={value}", self.key),
            value,
        }
    }

    /// The declaration as written in a scenario (for the resolved file).
    pub fn raw(&self) -> RawUncertain {
        let dist = match &self.distribution {
            Distribution::Uniform { low, high } => {
                return RawUncertain {
                    key: self.key.clone(),
                    low: Some(*low),
                    high: Some(*high),
                    dist: None,
                    why: self.why.clone(),
                };
            }
            Distribution::LogUniform { low, high } => UncertainDist::Loguniform { low: *low, high: *high },
            Distribution::Normal { mean, sd } => UncertainDist::Normal { mean: *mean, sd: *sd },
            Distribution::LogNormal { median, sigma } => UncertainDist::Lognormal {
                median: *median,
                sigma: *sigma,
            },
            // Never built from a scenario.
            Distribution::Quantile(_) => UncertainDist::Uniform {
                low: self.distribution.range().0,
                high: self.distribution.range().1,
            },
        };
        RawUncertain {
            key: self.key.clone(),
            low: None,
            high: None,
            dist: Some(dist),
            why: self.why.clone(),
        }
    }
}

/// The resolved scenario as a TOML table (its `[[uncertain]]` left out),
/// ready to take values of its keys.
#[derive(Clone, Debug)]
pub struct Resolved {
    table: Table,
    name: String,
}

impl Resolved {
    /// The table of `raw` (resolved: defaults filled in, name set).
    pub fn of(raw: &RawScenario) -> Resolved {
        let mut raw = raw.clone();
        raw.uncertain.clear();
        let table = match Value::try_from(&raw) {
            Ok(Value::Table(t)) => t,
            _ => Table::new(),
        };
        Resolved {
            table,
            name: raw.name.clone().unwrap_or_else(|| "scenario".into()),
        }
    }

    /// The scenario with `sets` applied, validated; its problems otherwise
    /// (their key paths those of the scenario).
    pub fn at(&self, sets: &[Override]) -> Result<Scenario, Vec<Problem>> {
        let mut table = self.table.clone();
        for o in sets {
            overrides::apply(&mut table, o).map_err(|e| {
                vec![Problem {
                    path: String::new(),
                    location: None,
                    message: e.to_string(),
                }]
            })?;
        }
        let raw: RawScenario = serde_path_to_error::deserialize(Value::Table(table)).map_err(|e| {
            vec![Problem {
                path: e.path().to_string(),
                location: None,
                message: e.inner().message().trim().to_string(),
            }]
        })?;
        validate(&raw, &self.name).map_err(|Problems(p)| p)
    }

    /// The number at key path `path` (parsed) and the path with arrays
    /// by index, or why there is none.
    fn lookup(&self, key: &str, path: &[String]) -> Result<(String, Value), String> {
        let mut shown = String::new();
        let mut here = &self.table;
        let mut i = 0;
        while i < path.len() {
            let seg = &path[i];
            let Some(v) = here.get(seg) else {
                let place = if shown.is_empty() {
                    "the scenario".to_string()
                } else {
                    format!("`{shown}`")
                };
                let known: Vec<&str> = here.keys().map(String::as_str).collect();
                return Err(format!(
                    "unknown key path `{key}`: {place} has no key `{seg}`.{} Keys here: {} \
                     (a key left out of the file, such as an optional cap, must be written in it before it can vary)",
                    did_you_mean(seg, known.iter().copied()),
                    known.join(", ")
                ));
            };
            if !shown.is_empty() {
                shown.push('.');
            }
            shown.push_str(seg);
            i += 1;
            let v = match v {
                Value::Array(items) => {
                    let Some(k) = path.get(i) else {
                        return Err(format!("`{shown}` is a list of tables, not a number"));
                    };
                    let pos = match k.parse::<usize>() {
                        Ok(p) if p < items.len() => p,
                        Ok(p) => return Err(format!("`{shown}` has {} entries, no [{p}]", items.len())),
                        Err(_) => items
                            .iter()
                            .position(|it| it.get("name").and_then(Value::as_str) == Some(k.as_str()))
                            .ok_or_else(|| {
                                let names: Vec<&str> = items.iter().filter_map(|it| it.get("name")?.as_str()).collect();
                                format!(
                                    "no entry of `{shown}` is named \"{k}\".{} Names: {}",
                                    did_you_mean(k, names.iter().copied()),
                                    names.join(", ")
                                )
                            })?,
                    };
                    shown.push_str(&format!("[{pos}]"));
                    i += 1;
                    &items[pos]
                }
                v => v,
            };
            match v {
                Value::Table(t) if i < path.len() => here = t,
                Value::Integer(_) | Value::Float(_) if i == path.len() => return Ok((shown, v.clone())),
                _ if i < path.len() => return Err(format!("`{shown}` is a value, not a table")),
                Value::String(s) => {
                    return Err(format!(
                        "`{shown}` holds \"{s}\", not a number: an uncertain key must hold a number"
                    ));
                }
                Value::Table(_) => {
                    return Err(format!(
                        "`{shown}` is a table: vary one of its numbers instead (e.g. `{shown}.median` of a distribution)"
                    ));
                }
                _ => return Err(format!("`{shown}` does not hold a number")),
            }
        }
        Err(format!("empty key path `{key}`"))
    }
}

/// Where a declaration's problems are reported.
enum Place {
    /// `uncertain[i]` of the file.
    Entry(usize),
    /// A `--vary` flag, as given.
    Flag(String),
}

impl Place {
    fn at(&self, field: &str) -> String {
        match (self, field) {
            (Place::Entry(i), "") => format!("uncertain[{i}]"),
            (Place::Entry(i), f) => format!("uncertain[{i}].{f}"),
            (Place::Flag(t), _) => format!("--vary {t}"),
        }
    }
}

/// The distribution a declaration describes, or the field at fault and why.
fn distribution(u: &RawUncertain) -> Result<Distribution, (&'static str, String)> {
    match (u.low, u.high, &u.dist) {
        (Some(low), Some(high), None) => Distribution::uniform(low, high).map_err(|m| ("low", m)),
        (None, None, Some(d)) => match d {
            UncertainDist::Uniform { low, high } => Distribution::uniform(*low, *high),
            UncertainDist::Loguniform { low, high } => Distribution::log_uniform(*low, *high),
            UncertainDist::Normal { mean, sd } => Distribution::normal(*mean, *sd),
            UncertainDist::Lognormal { median, sigma } => Distribution::log_normal(*median, *sigma),
        }
        .map_err(|m| ("dist", m)),
        (_, _, Some(_)) => Err(("", "give either `low` and `high` (uniform) or `dist`, not both".into())),
        (Some(_), None, None) => Err(("high", "missing: a uniform range needs `low` and `high`".into())),
        (None, Some(_), None) => Err(("low", "missing: a uniform range needs `low` and `high`".into())),
        (None, None, None) => Err((
            "",
            "no range: give `low` and `high` (uniform) or `dist`, e.g. \
             { dist = \"loguniform\", low = 0.001, high = 0.1 }"
                .into(),
        )),
    }
}

/// Checks one declaration against the scenario.
fn check(resolved: &Resolved, u: &RawUncertain, place: &Place) -> Result<Uncertain, Vec<Problem>> {
    let problem = |field: &str, message: String| Problem {
        path: place.at(field),
        location: None,
        message,
    };
    let path = overrides::parse(&format!("{}=0", u.key))
        .map_err(|e| vec![problem("key", e.problem.to_string())])?
        .path;
    let (canonical, value) = resolved.lookup(&u.key, &path).map_err(|m| vec![problem("key", m)])?;
    let dist = distribution(u).map_err(|(f, m)| vec![problem(f, m)])?;
    let whole = matches!(value, Value::Integer(_));
    let base = match value {
        Value::Integer(i) => i as f64,
        Value::Float(x) => x,
        _ => 0.0,
    };
    let declared = Uncertain {
        key: u.key.clone(),
        canonical,
        distribution: dist,
        why: u.why.clone(),
        whole,
        base,
        path,
    };
    if matches!(
        declared.canonical.as_str(),
        "simulation.seed" | "simulation.replications"
    ) {
        return Err(vec![problem(
            "key",
            format!(
                "`{}` is a setting of the run, not an assumption about the world: every point of an \
                 analysis runs on the same seed and replications, so that points differ only in what is varied",
                declared.canonical
            ),
        )]);
    }
    let (lo, hi) = declared.distribution.extremes();
    if whole && declared.distribution.is_bounded() && lo.round() == hi.round() {
        return Err(vec![problem(
            if u.dist.is_some() { "dist" } else { "low" },
            format!(
                "`{}` holds a whole number and every value from {lo} to {hi} rounds to {}: \
                 widen the range to span at least two whole numbers",
                declared.canonical,
                lo.round()
            ),
        )]);
    }
    let mut problems = Vec::new();
    for (end, x, field) in [("low", lo, "low"), ("high", hi, "high")] {
        let field = if u.dist.is_some() { "dist" } else { field };
        if let Err(ps) = resolved.at(&[declared.set(x)]) {
            let what = if declared.distribution.is_bounded() {
                format!("at its {end} end")
            } else {
                format!("at its most extreme {end} value a design can draw")
            };
            for p in ps {
                let at = if p.path.is_empty() {
                    String::new()
                } else {
                    format!("{}: ", p.path)
                };
                problems.push(problem(
                    field,
                    format!(
                        "{what}, {} = {}, the scenario is invalid: {at}{}",
                        declared.key,
                        declared.value(x),
                        p.message
                    ),
                ));
            }
        }
    }
    if problems.is_empty() {
        Ok(declared)
    } else {
        Err(problems)
    }
}

/// Checks a list of declarations, each at its place; every problem is
/// reported, and a key varied twice is one.
fn check_all(resolved: &Resolved, items: &[(RawUncertain, Place)]) -> Result<Vec<Uncertain>, Vec<Problem>> {
    let mut out: Vec<Uncertain> = Vec::new();
    let mut problems = Vec::new();
    let mut places: Vec<&Place> = Vec::new();
    for (u, place) in items {
        match check(resolved, u, place) {
            Ok(d) => {
                if let Some(k) = out.iter().position(|o| o.canonical == d.canonical) {
                    problems.push(Problem {
                        path: place.at("key"),
                        location: None,
                        message: format!(
                            "`{}` is already varied by {}: each key may vary once",
                            d.canonical,
                            places[k].at("")
                        ),
                    });
                } else {
                    out.push(d);
                    places.push(place);
                }
            }
            Err(ps) => problems.extend(ps),
        }
    }
    if problems.is_empty() { Ok(out) } else { Err(problems) }
}

/// The `[[uncertain]]` entries of `raw` (resolved), checked.
pub(crate) fn declared(raw: &RawScenario) -> Result<Vec<Uncertain>, Problems> {
    if raw.uncertain.is_empty() {
        return Ok(Vec::new());
    }
    let resolved = Resolved::of(raw);
    let items: Vec<(RawUncertain, Place)> = raw
        .uncertain
        .iter()
        .enumerate()
        .map(|(i, u)| (u.clone(), Place::Entry(i)))
        .collect();
    check_all(&resolved, &items).map_err(Problems)
}

/// Parses `--vary KEY=LOW:HIGH` (uniform), or `KEY=DIST:A:B` with DIST one
/// of `uniform` (low, high), `loguniform` (low, high), `normal` (mean, sd),
/// `lognormal` (median, sigma).
pub(crate) fn parse_vary(text: &str) -> Result<RawUncertain, String> {
    let usage = "expected KEY=LOW:HIGH (uniform) or KEY=DIST:A:B with DIST loguniform (low, high), \
                 normal (mean, sd) or lognormal (median, sigma)";
    let Some((key, spec)) = text.split_once('=') else {
        return Err(usage.into());
    };
    let key = key.trim();
    if key.is_empty() {
        return Err(format!("the key path is empty; {usage}"));
    }
    let parts: Vec<&str> = spec.split(':').map(str::trim).collect();
    let (name, a, b) = match parts.as_slice() {
        [a, b] => ("uniform", *a, *b),
        [n, a, b] => (*n, *a, *b),
        _ => return Err(usage.into()),
    };
    let num = |s: &str| {
        s.parse::<f64>()
            .ok()
            .filter(|x| x.is_finite())
            .ok_or_else(|| format!("`{s}` is not a number; {usage}"))
    };
    let (a, b) = (num(a)?, num(b)?);
    let dist = match name {
        "uniform" => None,
        "loguniform" => Some(UncertainDist::Loguniform { low: a, high: b }),
        "normal" => Some(UncertainDist::Normal { mean: a, sd: b }),
        "lognormal" => Some(UncertainDist::Lognormal { median: a, sigma: b }),
        other => {
            return Err(format!(
                "unknown distribution `{other}`.{} Allowed: uniform, loguniform, normal, lognormal",
                did_you_mean(other, ["uniform", "loguniform", "normal", "lognormal"])
            ));
        }
    };
    let (low, high) = if dist.is_none() {
        (Some(a), Some(b))
    } else {
        (None, None)
    };
    Ok(RawUncertain {
        key: key.to_string(),
        low,
        high,
        dist,
        why: String::new(),
    })
}

/// The `--vary` flags, checked against `raw` (resolved); problems are
/// placed at their flag.
pub fn from_vary(raw: &RawScenario, texts: &[String]) -> Result<Vec<Uncertain>, Vec<Problem>> {
    let resolved = Resolved::of(raw);
    let mut items = Vec::new();
    let mut problems = Vec::new();
    for t in texts {
        match parse_vary(t) {
            Ok(u) => items.push((u, Place::Flag(t.clone()))),
            Err(message) => problems.push(Problem {
                path: format!("--vary {t}"),
                location: None,
                message,
            }),
        }
    }
    match check_all(&resolved, &items) {
        Ok(v) if problems.is_empty() => Ok(v),
        Ok(_) => Err(problems),
        Err(ps) => {
            problems.extend(ps);
            Err(problems)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::load_str;
    use std::path::Path;

    const BASE: &str = r#"
[simulation]
horizon_days = 30
[gatekeeper]
classes = [{ name = "standard", review_hours = { dist = "lognormal", median = 20, sigma = 0.6 } }]
[[platforms]]
name = "A"
class = "standard"
cadence_days = 7
[platforms.users]
initial_users = 100
churn_alpha = 0.7
churn_beta = 18
[users]
potential_users = 1000
adoption_per_day = 0.01
cooloff_days = 7
"#;

    fn with(extra: &str) -> Result<Vec<Uncertain>, String> {
        load_str(&format!("{BASE}{extra}"), Path::new("t.toml"), "t", &[])
            .map(|l| l.uncertain)
            .map_err(|e| e.to_string())
    }

    #[test]
    fn a_declaration_gets_its_base_value_and_whole_number_keys_are_rounded() {
        let u = with(
            "[[uncertain]]\nkey = \"users.cooloff_days\"\nlow = 0\nhigh = 30\n\
             [[uncertain]]\nkey = \"platforms.A.users.churn_beta\"\n\
             dist = { dist = \"loguniform\", low = 5, high = 50 }\nwhy = \"a guess\"\n",
        )
        .unwrap();
        assert_eq!((u[0].base, u[0].whole), (7.0, true));
        assert_eq!(u[0].value(3.5), Value::Integer(4));
        assert_eq!((u[1].base, u[1].whole), (18.0, false));
        assert_eq!(u[1].canonical, "platforms[0].users.churn_beta");
        assert_eq!(u[1].why, "a guess");
        assert_eq!(
            u[1].raw().dist,
            Some(UncertainDist::Loguniform { low: 5.0, high: 50.0 })
        );
    }

    #[test]
    fn the_runs_seed_and_a_whole_number_range_of_one_value_are_not_assumptions() {
        let e = with("[[uncertain]]\nkey = \"simulation.seed\"\nlow = 1\nhigh = 9\n").unwrap_err();
        assert!(
            e.contains("uncertain[0].key: `simulation.seed` is a setting of the run"),
            "{e}"
        );
        let e = with("[[uncertain]]\nkey = \"users.cooloff_days\"\nlow = 6.6\nhigh = 7.4\n").unwrap_err();
        assert!(
            e.contains("uncertain[0].low: `users.cooloff_days` holds a whole number"),
            "{e}"
        );
        assert!(e.contains("rounds to 7"), "{e}");
        // Two whole numbers in reach, or a real-valued key: accepted.
        assert!(with("[[uncertain]]\nkey = \"users.cooloff_days\"\nlow = 6.6\nhigh = 7.6\n").is_ok());
        assert!(with("[[uncertain]]\nkey = \"users.adoption_per_day\"\nlow = 0.011\nhigh = 0.012\n").is_ok());
    }

    #[test]
    fn bad_declarations_are_named_by_their_key_path() {
        let e = with("[[uncertain]]\nkey = \"users.cooloff_dayz\"\nlow = 0\nhigh = 3\n").unwrap_err();
        assert!(e.contains("uncertain[0].key: unknown key path"), "{e}");
        assert!(e.contains("Did you mean `cooloff_days`?"), "{e}");
        let e = with("[[uncertain]]\nkey = \"users.adoption_per_day\"\nlow = 0.1\nhigh = 0.1\n").unwrap_err();
        assert!(e.contains("uncertain[0].low: the range is empty"), "{e}");
        let e = with(
            "[[uncertain]]\nkey = \"users.adoption_per_day\"\ndist = { dist = \"normal\", mean = 0.01, sd = 0.01 }\n",
        )
        .unwrap_err();
        assert!(
            e.contains("uncertain[0].dist: at its most extreme low value a design can draw"),
            "{e}"
        );
        assert!(e.contains("users.adoption_per_day: must be from 0 to 1"), "{e}");
        let e = with("[[uncertain]]\nkey = \"platforms[0].class\"\nlow = 0\nhigh = 1\n").unwrap_err();
        assert!(e.contains("holds \"standard\", not a number"), "{e}");
        let e = with("[[uncertain]]\nkey = \"users.cooloff_days\"\nlow = 0\n").unwrap_err();
        assert!(e.contains("uncertain[0].high: missing"), "{e}");
        let e = with(
            "[[uncertain]]\nkey = \"users.cooloff_days\"\nlow = 0\nhigh = 3\n\
             [[uncertain]]\nkey = \"users.cooloff_days\"\nlow = 1\nhigh = 2\n",
        )
        .unwrap_err();
        assert!(
            e.contains("uncertain[1].key: `users.cooloff_days` is already varied by uncertain[0]"),
            "{e}"
        );
    }

    #[test]
    fn vary_flags_parse_every_distribution_and_refuse_malformed_ones() {
        let u = parse_vary("users.x=0.1:0.5").unwrap();
        assert_eq!((u.low, u.high), (Some(0.1), Some(0.5)));
        let u = parse_vary("a.b=loguniform:0.001:0.1").unwrap();
        assert_eq!(u.dist, Some(UncertainDist::Loguniform { low: 0.001, high: 0.1 }));
        assert!(parse_vary("a.b=lognormal:30:0.5").is_ok());
        assert!(parse_vary("a.b=normal:14:2").is_ok());
        for bad in ["a.b", "=1:2", "a=1", "a=x:2", "a=logunifrom:1:2", "a=1:2:3:4"] {
            assert!(parse_vary(bad).is_err(), "{bad}");
        }
        assert!(
            parse_vary("a=logunifrom:1:2")
                .unwrap_err()
                .contains("Did you mean `loguniform`")
        );
    }
}
