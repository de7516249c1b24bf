//! Duration logs: one observed duration per row (how long a submission
//! took to be decided, a hold, a fix), in a column of a CSV file, with an
//! optional column saying the row was still pending when observed: its
//! duration is then only a lower bound (right-censored). The file is read
//! by the core's CSV reader ([`crate::core::table`]: separator, decimal
//! mark, quotes, comments). Every check names the line at fault: a
//! duration must be a positive number (at most a billion, in the file's
//! unit), a pending flag one of 1/0, true/false, yes/no; and there must be
//! a handful of durations to fit two parameters.

use super::InputError;
use crate::core::table::{self, NumberError, Table, plural};
use std::path::Path;

/// Fewest durations accepted.
pub(crate) const MIN_DURATIONS: usize = 8;
/// Fewest completed (not censored) durations accepted.
pub(crate) const MIN_COMPLETED: usize = 5;

/// The longest duration accepted, in the file's unit (a billion hours is
/// over 100,000 years): beyond it the fits' sums lose all meaning.
pub(crate) const MAX_DURATION: f64 = 1e9;

/// Column names taken for the durations when `--column` is not given.
const DURATION_NAMES: [&str; 3] = ["duration", "hours", "days"];
/// Column names taken for the pending flag when none is named.
const CENSOR_NAMES: [&str; 2] = ["censored", "pending"];

/// Observed durations.
#[derive(Clone, Debug, PartialEq)]
pub struct DurationData {
    /// The column they came from.
    pub column: String,
    /// The pending column, if any.
    pub censored_column: Option<String>,
    /// The durations, in the file's unit, in file order.
    pub values: Vec<f64>,
    /// Whether each was still pending when observed (a lower bound).
    pub censored: Vec<bool>,
}

impl DurationData {
    /// How many are censored.
    pub fn censored_count(&self) -> usize {
        self.censored.iter().filter(|&&c| c).count()
    }
}

/// The columns of the durations and of the pending flag (if any): named,
/// or found by their usual names.
fn pick(t: &Table, column: Option<&str>, censored: Option<&str>) -> Result<(usize, Option<usize>), InputError> {
    let cens = match censored {
        Some(name) => Some(t.find(name, "--censored-column")?),
        None => CENSOR_NAMES.iter().find_map(|n| t.column(n)),
    };
    let value = match column {
        Some(name) => t.find(name, "--column")?,
        None => {
            let others: Vec<usize> = (0..t.header.len()).filter(|&i| Some(i) != cens).collect();
            match others.as_slice() {
                [only] => *only,
                _ => DURATION_NAMES.iter().find_map(|n| t.column(n)).ok_or_else(|| {
                    t.error(
                        t.header_line,
                        format!(
                            "several columns ({}): say which holds the durations with --column",
                            t.columns()
                        ),
                    )
                })?,
            }
        }
    };
    if Some(value) == cens {
        return Err(t.error(
            t.header_line,
            format!(
                "column `{}` cannot hold both the durations and the pending flag",
                t.header[value]
            ),
        ));
    }
    Ok((value, cens))
}

/// A pending flag: 1/0, true/false, yes/no (y/n), ignoring case.
fn flag(s: &str) -> Option<bool> {
    match s.to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "y" => Some(true),
        "0" | "false" | "no" | "n" => Some(false),
        _ => None,
    }
}

/// Reads and checks the durations in `file`: the durations in `column`
/// (default: the only column besides the pending one, else one named
/// duration, hours or days) and the pending flags in `censored` (default: a
/// column named censored or pending, if any).
pub fn read_durations(file: &Path, column: Option<&str>, censored: Option<&str>) -> Result<DurationData, InputError> {
    from_table(&table::read(file)?, column, censored)
}

/// Parses and checks durations from `text`, the contents of `file`, as
/// [`read_durations`] does.
pub fn parse_durations(
    text: &str,
    file: &Path,
    column: Option<&str>,
    censored: Option<&str>,
) -> Result<DurationData, InputError> {
    from_table(&table::parse(text, file)?, column, censored)
}

/// The checked durations of `t`, from `column` (and the pending flags from
/// `censored`).
fn from_table(t: &Table, column: Option<&str>, censored: Option<&str>) -> Result<DurationData, InputError> {
    let (vc, cc) = pick(t, column, censored)?;
    let name = &t.header[vc];
    let mut values = Vec::with_capacity(t.records.len());
    let mut flags = Vec::with_capacity(t.records.len());
    for r in &t.records {
        let at = |m: String| t.error(r.line, m);
        let s = &r.fields[vc];
        let v = match t.number(s) {
            Err(NumberError::Missing) => return Err(at(format!("the duration (`{name}`) is missing"))),
            Err(e) => return Err(at(format!("the duration `{s}` is not a number{}", e.why()))),
            Ok(v) if v > MAX_DURATION => {
                return Err(at(format!(
                    "the duration {s} is too large (at most {MAX_DURATION:e} in the file's unit)"
                )));
            }
            Ok(v) if v > 0.0 => v,
            Ok(_) => {
                return Err(at(format!(
                    "the duration {s} is not positive: durations must be greater than 0"
                )));
            }
        };
        let c = match cc {
            Some(c) => flag(&r.fields[c]).ok_or_else(|| {
                at(format!(
                    "`{}` in column `{}` is not a pending flag: use 1 or 0, true or false, yes or no",
                    r.fields[c], t.header[c]
                ))
            })?,
            None => false,
        };
        values.push(v);
        flags.push(c);
    }
    let completed: Vec<f64> = values.iter().zip(&flags).filter(|p| !*p.1).map(|p| *p.0).collect();
    if values.len() < MIN_DURATIONS || completed.len() < MIN_COMPLETED {
        return Err(t.error(
            t.last_line,
            format!(
                "only {} ({} completed): at least {MIN_DURATIONS} durations, {MIN_COMPLETED} of them completed, \
                 are needed to fit a distribution",
                plural(values.len(), "duration"),
                completed.len()
            ),
        ));
    }
    if completed.iter().all(|&v| v == completed[0]) {
        return Err(t.error(
            t.last_line,
            format!(
                "every completed duration is {}: with no spread there is no distribution to fit \
                 (use a fixed value)",
                completed[0]
            ),
        ));
    }
    Ok(DurationData {
        column: name.clone(),
        censored_column: cc.map(|c| t.header[c].clone()),
        values,
        censored: flags,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(text: &str, col: Option<&str>, cens: Option<&str>) -> Result<DurationData, InputError> {
        parse_durations(text, Path::new("d.csv"), col, cens)
    }

    /// A two-column file body: each value with a note.
    fn rows(values: &[&str]) -> String {
        values.iter().map(|v| format!("{v},x\n")).collect()
    }

    #[test]
    fn the_duration_and_pending_columns_are_found_or_named() {
        let text = format!(
            "id,hours,pending\n{}",
            (1..=9)
                .map(|i| format!("s{i},{i}.5,{}\n", i % 3 == 0))
                .collect::<String>()
        );
        let d = p(&text, None, None).unwrap();
        assert_eq!(d.column, "hours");
        assert_eq!(d.censored_column.as_deref(), Some("pending"));
        assert_eq!(d.values[0], 1.5);
        assert_eq!(d.censored_count(), 3);
        let d = p("t\n1\n2\n3\n4\n5\n6\n7\n8\n", None, None).unwrap();
        assert_eq!(d.values.len(), 8);
        let e = p("a,b\n1,2\n", None, None).unwrap_err();
        assert!(e.message.contains("--column"), "{e}");
        let e = p(&text, Some("hour"), None).unwrap_err();
        assert!(e.message.contains("Did you mean `hours`"), "{e}");
    }

    #[test]
    fn bad_durations_are_refused_with_their_line() {
        let base = ["1", "2", "3", "4", "5", "6", "7", "8"];
        for (bad, what) in [
            ("0", "not positive"),
            ("-3", "not positive"),
            ("x", "not a number"),
            ("", "missing"),
            ("1e300", "too large"),
            ("1e400", "not a number"),
        ] {
            let mut v = base.to_vec();
            v[3] = bad;
            let e = p(&format!("t,note\n{}", rows(&v)), Some("t"), None).unwrap_err();
            assert_eq!(e.line, Some(5), "{e}");
            assert!(e.message.contains(what), "{e}");
        }
        let e = p(&format!("t,note\n{}", rows(&base[..7])), Some("t"), None).unwrap_err();
        assert_eq!(e.line, Some(8));
        assert!(e.message.contains("only 7 durations"), "{e}");
        let e = p(&format!("t,note\n{}", rows(&["3"; 9])), Some("t"), None).unwrap_err();
        assert!(e.message.contains("no spread"), "{e}");
        let e = p("t,censored\n1,1\n2,maybe\n", None, None).unwrap_err();
        assert_eq!(e.line, Some(3));
    }
}
