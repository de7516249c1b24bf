//! Retention tables: how many of a cohort are still active after each
//! period. A CSV with the columns `period,active` (one cohort: period 0
//! first, the cohort's size, then the survivors after each period) or
//! `cohort,period,active` (several cohorts sharing one model, each observed
//! up to its own last period, as in a cohort triangle), in any column and
//! row order; the columns may have other names ([`RetentionColumns`]),
//! but every column must be one of the three, so that a cohort column
//! under another name is never pooled silently. The file is read by the
//! core's CSV reader ([`crate::core::table`]: separator, decimal mark,
//! quotes, comments). Every check names the line at fault: counts must be
//! whole and not negative, a cohort starts at period 0 with at least one
//! user, has no gaps and never grows, and the data must reach period 2
//! (two periods of losses to fit two parameters).

use super::InputError;
use crate::core::table::{self, NumberError, Record, Table, did_you_mean};
use std::path::Path;

/// One cohort's counts.
#[derive(Clone, Debug, PartialEq)]
pub struct CohortCounts {
    /// Its name (`all` in a one-cohort file).
    pub name: String,
    /// Users still active after `k` periods, at index `k` (index 0: the size).
    pub active: Vec<u64>,
}

impl CohortCounts {
    /// Its size (users at period 0).
    pub fn size(&self) -> u64 {
        self.active.first().copied().unwrap_or(0)
    }

    /// Its last observed period.
    pub fn last_period(&self) -> usize {
        self.active.len().saturating_sub(1)
    }
}

/// A retention table.
#[derive(Clone, Debug, PartialEq)]
pub struct RetentionData {
    /// The cohorts, in order of first appearance.
    pub cohorts: Vec<CohortCounts>,
}

impl RetentionData {
    /// Users in all cohorts at period 0.
    pub fn users(&self) -> u64 {
        self.cohorts.iter().map(CohortCounts::size).sum()
    }

    /// The last period any cohort reached.
    pub fn last_period(&self) -> usize {
        self.cohorts.iter().map(CohortCounts::last_period).max().unwrap_or(0)
    }

    /// The pooled observed survival at each period up to the last: `(users
    /// of the cohorts that reached the period, their survivors)`.
    pub fn pooled(&self) -> Vec<(u64, u64)> {
        (0..=self.last_period())
            .map(|k| {
                self.cohorts
                    .iter()
                    .filter_map(|c| Some((c.size(), *c.active.get(k)?)))
                    .fold((0, 0), |(n, s), (cn, cs)| (n + cn, s + cs))
            })
            .collect()
    }
}

/// A table reduced to what a likelihood needs: per period t, the users
/// lost during period t (`lost[t]`, t >= 1) and the users still active at
/// their cohort's last period t (`remaining[t]`), summed over cohorts.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Counts {
    /// Users lost during period t (index 0 unused, 0).
    pub lost: Vec<f64>,
    /// Users still active when their cohort's observation ended at period t.
    pub remaining: Vec<f64>,
}

impl Counts {
    /// The counts of `data`.
    pub(crate) fn of(data: &RetentionData) -> Counts {
        let n = data.last_period();
        let mut lost = vec![0.0; n + 1];
        let mut remaining = vec![0.0; n + 1];
        for c in &data.cohorts {
            for (t, w) in c.active.windows(2).enumerate() {
                lost[t + 1] += (w[0] - w[1]) as f64;
            }
            remaining[c.last_period()] += *c.active.last().unwrap_or(&0) as f64;
        }
        Counts { lost, remaining }
    }

    /// The last period.
    pub(crate) fn last_period(&self) -> usize {
        self.lost.len() - 1
    }

    /// The share lost in the first period among those observed through it.
    pub(crate) fn first_period_churn(&self) -> f64 {
        let through: f64 = self.lost.iter().sum::<f64>() + self.remaining[1..].iter().sum::<f64>();
        if through > 0.0 { self.lost[1] / through } else { 0.5 }
    }
}

/// The names of a retention table's columns (each found ignoring case);
/// `None` takes the usual name: `period`, `active`, `cohort`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RetentionColumns {
    /// The periods (`--period-column`).
    pub period: Option<String>,
    /// The users still active (`--active-column`).
    pub active: Option<String>,
    /// The cohorts (`--cohort-column`): named, it must be there; else a
    /// table without a column `cohort` is one cohort.
    pub cohort: Option<String>,
}

/// Where the columns are: cohort (if any), period and active.
type Layout = (Option<usize>, usize, usize);

/// The header's layout under the names `cols`.
fn layout(t: &Table, cols: &RetentionColumns) -> Result<Layout, InputError> {
    let named = [
        (&cols.period, "period", "--period-column"),
        (&cols.active, "active", "--active-column"),
        (&cols.cohort, "cohort", "--cohort-column"),
    ];
    let [p, a, c] = named.map(|(given, usual, _)| given.as_deref().unwrap_or(usual).to_string());
    let names = [&p, &a, &c];
    for i in 0..3 {
        for j in 0..i {
            if names[i].to_lowercase() == names[j].to_lowercase() {
                return Err(t.error(
                    t.header_line,
                    format!(
                        "`{}` cannot be both the {} column and the {} column: give each its own with {} and {}",
                        names[i], named[j].1, named[i].1, named[j].2, named[i].2
                    ),
                ));
            }
        }
    }
    for (given, _, flag) in named {
        if let Some(name) = given {
            t.find(name, flag)?;
        }
    }
    let expected = format!(
        "expected the columns `{p},{a}` (one cohort) or `{c},{p},{a}`; \
         give other names with --period-column, --active-column and --cohort-column"
    );
    for h in &t.header {
        if !names.iter().any(|k| k.to_lowercase() == h.to_lowercase()) {
            return Err(t.error(
                t.header_line,
                format!(
                    "unknown column `{h}`: {expected}.{}",
                    did_you_mean(h, names.iter().map(|n| n.as_str()))
                ),
            ));
        }
    }
    match (t.column(&p), t.column(&a)) {
        (Some(pi), Some(ai)) => Ok((t.column(&c), pi, ai)),
        (None, _) => Err(t.error(t.header_line, format!("no column `{p}`: {expected}."))),
        (_, None) => Err(t.error(t.header_line, format!("no column `{a}`: {expected}."))),
    }
}

/// The largest count accepted (a thousand trillion users), so that sums
/// stay exact.
const MAX_COUNT: u64 = 1_000_000_000_000_000;

/// `s` as a count (whole, not negative, at most [`MAX_COUNT`]), read in
/// `t`'s dialect, or a message saying what `what` is instead.
fn count(t: &Table, s: &str, what: &str) -> Result<u64, String> {
    match t.number(s) {
        Err(NumberError::Missing) => Err(format!("{what} is missing")),
        Err(e) => Err(format!("{what} `{s}` is not a number{}", e.why())),
        Ok(v) if v < 0.0 => Err(format!("{what} is negative ({s}): counts are 0 or more")),
        Ok(v) if v.fract() != 0.0 => Err(format!("{what} `{s}` is not a whole number")),
        Ok(v) if v > MAX_COUNT as f64 => Err(format!("{what} {s} is too large (at most {MAX_COUNT})")),
        // Whole, and at most 1e15 < 2^53: exact.
        Ok(v) => Ok(v as u64),
    }
}

/// A cohort's rows: its name and (period, active, line) of each.
type Group = (String, Vec<(u64, u64, usize)>);

/// One row: (cohort, period, active, line).
type Row = (String, u64, u64, usize);

/// One record as a row, its fields at `cols`.
fn row(t: &Table, r: &Record, cols: Layout) -> Result<Row, InputError> {
    let (c, p, a) = cols;
    let at = |m: String| t.error(r.line, m);
    let cohort = match c {
        Some(c) if r.fields[c].is_empty() => return Err(at("the cohort is missing".into())),
        Some(c) => r.fields[c].clone(),
        None => "all".into(),
    };
    let period_what = match t.header[p].as_str() {
        h if h.eq_ignore_ascii_case("period") => "the period".to_string(),
        h => format!("the period (`{h}`)"),
    };
    let period = count(t, &r.fields[p], &period_what).map_err(at)?;
    let active = count(t, &r.fields[a], &format!("the count `{}`", t.header[a])).map_err(at)?;
    Ok((cohort, period, active, r.line))
}

/// Checks one cohort's rows (sorted by period) and returns its counts.
fn cohort(name: &str, rows: &[(u64, u64, usize)], file: &Path) -> Result<CohortCounts, InputError> {
    let who = if name == "all" {
        "the cohort".to_string()
    } else {
        format!("cohort `{name}`")
    };
    let (p0, n0, l0) = rows[0];
    if p0 != 0 {
        return Err(InputError::at(
            file,
            l0,
            format!("{who} starts at period {p0}: its first row must be period 0, the cohort's size"),
        ));
    }
    if n0 == 0 {
        return Err(InputError::at(file, l0, format!("{who} has no users at period 0")));
    }
    for w in rows.windows(2) {
        let ((pa, na, la), (pb, nb, lb)) = (w[0], w[1]);
        if pb == pa {
            return Err(InputError::at(
                file,
                lb,
                format!("period {pb} of {who} appears twice (also line {la})"),
            ));
        }
        if pb > pa + 1 {
            let gap = if pb == pa + 2 {
                format!("period {} is missing", pa + 1)
            } else {
                format!("periods {} to {} are missing", pa + 1, pb - 1)
            };
            return Err(InputError::at(
                file,
                lb,
                format!("{who} jumps from period {pa} to {pb}: {gap}"),
            ));
        }
        if nb > na {
            return Err(InputError::at(
                file,
                lb,
                format!(
                    "survivors of {who} rise from {na} (period {pa}, line {la}) to {nb} (period {pb}): \
                     a cohort can only shrink (users who come back belong to a new cohort)"
                ),
            ));
        }
    }
    Ok(CohortCounts {
        name: name.to_string(),
        active: rows.iter().map(|r| r.1).collect(),
    })
}

/// Parses a retention table from `text`, the contents of `file`, its
/// columns named `period`, `active` and `cohort`.
pub fn parse_retention(text: &str, file: &Path) -> Result<RetentionData, InputError> {
    parse_retention_with(text, file, &RetentionColumns::default())
}

/// Reads and checks the retention table in `file`, its columns named
/// `period`, `active` and `cohort`.
pub fn read_retention(file: &Path) -> Result<RetentionData, InputError> {
    read_retention_with(file, &RetentionColumns::default())
}

/// Parses a retention table from `text`, the contents of `file`, its
/// columns named by `cols`.
pub fn parse_retention_with(text: &str, file: &Path, cols: &RetentionColumns) -> Result<RetentionData, InputError> {
    from_table(&table::parse(text, file)?, cols)
}

/// Reads and checks the retention table in `file`, its columns named by
/// `cols`.
pub fn read_retention_with(file: &Path, cols: &RetentionColumns) -> Result<RetentionData, InputError> {
    from_table(&table::read(file)?, cols)
}

/// The checked retention table of `t`.
fn from_table(t: &Table, cols: &RetentionColumns) -> Result<RetentionData, InputError> {
    let file = t.file.as_path();
    let cols = layout(t, cols)?;
    if t.records.is_empty() {
        return Err(InputError::at(
            file,
            t.header_line + 1,
            "no rows after the header: expected period 0 (the cohort's size), then the survivors after each period",
        ));
    }
    let mut groups: Vec<Group> = Vec::new();
    for r in &t.records {
        let (name, period, active, line) = row(t, r, cols)?;
        match groups.iter_mut().find(|g| g.0 == name) {
            Some(g) => g.1.push((period, active, line)),
            None => groups.push((name, vec![(period, active, line)])),
        }
    }
    let mut cohorts = Vec::new();
    for (name, mut rows) in groups {
        rows.sort_by_key(|r| (r.0, r.2));
        cohorts.push(cohort(&name, &rows, file)?);
    }
    let data = RetentionData { cohorts };
    if data.last_period() < 2 {
        return Err(InputError::at(
            file,
            t.last_line,
            format!(
                "the data reach only period {}: fitting two parameters needs at least periods 0, 1 and 2 \
                 (two periods of losses)",
                data.last_period()
            ),
        ));
    }
    Ok(data)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(text: &str) -> Result<RetentionData, InputError> {
        parse_retention(text, Path::new("r.csv"))
    }

    fn line_of(text: &str) -> (Option<usize>, String) {
        let e = p(text).unwrap_err();
        assert!(e.to_string().starts_with("r.csv"), "{e}");
        (e.line, e.message)
    }

    #[test]
    fn one_cohort_and_a_triangle_in_any_row_order_are_read() {
        let d = p("period,active\n0,1000\n1,631\n2,468\n").unwrap();
        assert_eq!(d.cohorts[0].active, [1000, 631, 468]);
        assert_eq!(d.cohorts[0].name, "all");
        let d = p("Cohort,Period,Active\nb,1,40\na,0,100\na,1,60\nb,0,50\na,2,30\nc,0,10\n").unwrap();
        assert_eq!(d.cohorts.len(), 3);
        assert_eq!(d.cohorts[0].name, "b");
        assert_eq!(d.cohorts[1].active, [100, 60, 30]);
        assert_eq!(d.users(), 160);
        assert_eq!(d.pooled(), vec![(160, 160), (150, 100), (100, 30)]);
        let c = Counts::of(&d);
        assert_eq!(c.lost, [0.0, 50.0, 30.0]);
        assert_eq!(c.remaining, [10.0, 40.0, 30.0]);
        assert!((c.first_period_churn() - 50.0 / 150.0).abs() < 1e-15);
    }

    #[test]
    fn every_bad_table_is_refused_with_its_line() {
        assert_eq!(line_of("").0, Some(1));
        assert_eq!(line_of("period,active\n").0, Some(2));
        assert_eq!(line_of("period,users\n0,1\n").0, Some(1));
        let (l, m) = line_of("period,active\n0,100\n1,abc\n2,3\n");
        assert_eq!(l, Some(3));
        assert!(m.contains("not a number"), "{m}");
        let (l, m) = line_of("period,active\n0,100\n1,-5\n2,3\n");
        assert_eq!(l, Some(3));
        assert!(m.contains("negative"), "{m}");
        let (l, m) = line_of("period,active\n0,100\n1,60\n2,70\n");
        assert_eq!(l, Some(4));
        assert!(m.contains("rise from 60"), "{m}");
        let (l, m) = line_of("period,active\n0,100\n1,60\n3,50\n4,40\n");
        assert_eq!(l, Some(4));
        assert!(m.contains("period 2 is missing"), "{m}");
        let (l, m) = line_of("period,active\n1,100\n2,60\n3,50\n");
        assert_eq!(l, Some(2));
        assert!(m.contains("period 0"), "{m}");
        let (l, m) = line_of("period,active\n0,100\n1,60\n");
        assert_eq!(l, Some(3));
        assert!(m.contains("only period 1"), "{m}");
        assert_eq!(line_of("period,active\n0,100\n1,60.5\n2,1\n").0, Some(3));
        assert_eq!(line_of("period,active\n0,0\n1,0\n2,0\n").0, Some(2));
        assert_eq!(line_of("period,active\n0,100\n1,60\n1,50\n").0, Some(4));
        assert_eq!(line_of("cohort,period,active\n,0,100\n").0, Some(2));
        assert!(
            line_of("period,active\n0,99999999999999999999\n1,1\n2,1\n")
                .1
                .contains("too large")
        );
    }
}
