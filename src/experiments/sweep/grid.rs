//! Sweep parameters: `key.path=VALUES` where VALUES is a list (`0,7,30`) or
//! an inclusive range (`0:210:15`), and the full grid of several of them.
//! Values stay TOML text: each grid point becomes `--set` overrides, so a
//! point is exactly a `run --set` of the same values.

/// One swept parameter.
#[derive(Clone, Debug, PartialEq)]
pub struct Param {
    /// The key path, as `--set` takes it.
    pub key: String,
    /// Its values, as TOML text, in order.
    pub values: Vec<String>,
}

/// Most points a sweep may have.
pub const MAX_POINTS: usize = 10_000;

/// Why a `--param` was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("--param {text}: {problem}")]
pub struct ParamError {
    /// The flag's text as given.
    pub text: String,
    /// What is wrong.
    pub problem: ParamProblem,
}

/// What is wrong with a `--param`.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ParamProblem {
    /// No `=`.
    #[error("expected key.path=VALUES, e.g. changes[0].day=0:240:30 or a list 0,7,30")]
    NoValues,
    /// Nothing before `=`.
    #[error("the key path is empty")]
    EmptyKey,
    /// A range's start, end or step that is not a number.
    #[error("the range's {what} `{text}` is not a number")]
    NotANumber {
        /// `start`, `end` or `step`.
        what: &'static str,
        /// As given.
        text: String,
    },
    /// A step of zero or less.
    #[error("the range's step must be greater than 0")]
    Step,
    /// A range going down.
    #[error("the range's end is below its start")]
    Backwards,
    /// Too many values.
    #[error("{0} values, more than the {MAX_POINTS} allowed")]
    TooMany(String),
    /// Two colons, or four.
    #[error("a range is start:end:step")]
    RangeForm,
    /// `1,,2`.
    #[error("empty value in the list")]
    EmptyValue,
}

/// A grid of more points than a sweep may have.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("the grid has more than {MAX_POINTS} points")]
pub struct GridTooLarge;

/// A number as TOML text: whole numbers without a fraction, very large or
/// very small ones in scientific notation (`1e300`, not 301 digits).
fn number_text(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 9e15 {
        format!("{}", x as i64)
    } else if x != 0.0 && !(1e-5..1e15).contains(&x.abs()) {
        format!("{x:e}")
    } else {
        format!("{x}")
    }
}

/// Parses `key.path=VALUES`.
pub fn parse(text: &str) -> Result<Param, ParamError> {
    let err = |problem| ParamError {
        text: text.to_string(),
        problem,
    };
    let Some((key, values)) = text.split_once('=') else {
        return Err(err(ParamProblem::NoValues));
    };
    let key = key.trim();
    if key.is_empty() {
        return Err(err(ParamProblem::EmptyKey));
    }
    let values = values.trim();
    let parts: Vec<&str> = values.split(':').collect();
    let list = if parts.len() == 3 {
        let num = |s: &str, what: &'static str| {
            s.trim().parse::<f64>().ok().filter(|x| x.is_finite()).ok_or_else(|| {
                err(ParamProblem::NotANumber {
                    what,
                    text: s.to_string(),
                })
            })
        };
        let (start, end, step) = (num(parts[0], "start")?, num(parts[1], "end")?, num(parts[2], "step")?);
        if step <= 0.0 {
            return Err(err(ParamProblem::Step));
        }
        if end < start {
            return Err(err(ParamProblem::Backwards));
        }
        // Steps after the start, as a float first: it may be far beyond any integer.
        let steps = ((end - start) / step + 1e-9).floor();
        if steps.is_nan() || steps >= MAX_POINTS as f64 {
            return Err(err(ParamProblem::TooMany(match steps {
                s if s < 1e15 => format!("{}", s as u64 + 1),
                s if s.is_finite() => format!("about {s:e}"),
                _ => "too many".into(),
            })));
        }
        let count = steps as usize + 1;
        (0..count).map(|k| number_text(start + k as f64 * step)).collect()
    } else if parts.len() == 1 {
        values.split(',').map(|v| v.trim().to_string()).collect::<Vec<_>>()
    } else {
        return Err(err(ParamProblem::RangeForm));
    };
    if list.iter().any(|v| v.is_empty()) {
        return Err(err(ParamProblem::EmptyValue));
    }
    Ok(Param {
        key: key.to_string(),
        values: list,
    })
}

/// Every combination of the parameters' values (the first parameter varies
/// slowest), each as `key=value` overrides.
pub fn grid(params: &[Param]) -> Result<Vec<Vec<String>>, GridTooLarge> {
    let size = params.iter().try_fold(1usize, |acc, p| acc.checked_mul(p.values.len()));
    match size {
        Some(n) if n <= MAX_POINTS => {}
        _ => return Err(GridTooLarge),
    }
    let mut points: Vec<Vec<String>> = vec![Vec::new()];
    for p in params {
        points = points
            .into_iter()
            .flat_map(|point| {
                p.values.iter().map(move |v| {
                    let mut next = point.clone();
                    next.push(format!("{}={}", p.key, v));
                    next
                })
            })
            .collect();
    }
    Ok(points)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_include_their_end_and_lists_keep_their_order() {
        assert_eq!(parse("a.b=0:30:15").unwrap().values, ["0", "15", "30"]);
        assert_eq!(parse("a=0:1:0.25").unwrap().values, ["0", "0.25", "0.5", "0.75", "1"]);
        assert_eq!(parse("a=0:20:15").unwrap().values, ["0", "15"]);
        assert_eq!(parse("x[1].y=7,0,30").unwrap().values, ["7", "0", "30"]);
    }

    #[test]
    fn malformed_parameters_are_refused_with_a_reason() {
        for bad in [
            "novalue",
            "=1,2",
            "a=1:2",
            "a=0:10:0",
            "a=10:0:1",
            "a=x:2:1",
            "a=1,,2",
            "a=0:1e9:1",
            "a=0:1e300:1",
            "a=0:1:1e-300",
            "a=-1e308:1e308:1",
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_grid_is_the_full_product_with_the_first_parameter_slowest() {
        let g = grid(&[parse("a=1,2").unwrap(), parse("b=x,y,z").unwrap()]).unwrap();
        assert_eq!(g.len(), 6);
        assert_eq!(g[0], ["a=1", "b=x"]);
        assert_eq!(g[1], ["a=1", "b=y"]);
        assert_eq!(g[3], ["a=2", "b=x"]);
    }
}
