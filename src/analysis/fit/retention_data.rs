//! Retention tables: how many of a cohort are still active after each
//! period. A CSV with the columns `period,active` (one cohort: period 0
//! first, the cohort's size, then the survivors after each period) or
//! `cohort,period,active` (several cohorts sharing one model, each observed
//! up to its own last period, as in a cohort triangle), in any column and
//! row order. Every check names the line at fault: counts must be whole
//! and not negative, a cohort starts at period 0 with at least one user,
//! has no gaps and never grows, and the data must reach period 2 (two
//! periods of losses to fit two parameters).

use super::InputError;
use super::csv::{self, Record, Table};
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

/// The header's layout: the column of cohort (if any), period and active.
fn layout(t: &Table, file: &Path) -> Result<(Option<usize>, usize, usize), InputError> {
    const EXPECTED: &str = "expected the columns `period,active` (one cohort) or `cohort,period,active`";
    for h in &t.header {
        if !["cohort", "period", "active"].iter().any(|k| h.eq_ignore_ascii_case(k)) {
            return Err(InputError::at(
                file,
                t.header_line,
                format!("unknown column `{h}`: {EXPECTED}"),
            ));
        }
    }
    match (t.column("period"), t.column("active")) {
        (Some(p), Some(a)) => Ok((t.column("cohort"), p, a)),
        (None, _) => Err(InputError::at(
            file,
            t.header_line,
            format!("no column `period`: {EXPECTED}"),
        )),
        (_, None) => Err(InputError::at(
            file,
            t.header_line,
            format!("no column `active`: {EXPECTED}"),
        )),
    }
}

/// The largest count accepted (a thousand trillion users), so that sums
/// stay exact.
const MAX_COUNT: u64 = 1_000_000_000_000_000;

/// A whole number that is not negative, or a message saying what it is.
fn count(s: &str, what: &str) -> Result<u64, String> {
    let v = whole(s, what)?;
    if v > MAX_COUNT {
        return Err(format!("{what} {s} is too large (at most {MAX_COUNT})"));
    }
    Ok(v)
}

fn whole(s: &str, what: &str) -> Result<u64, String> {
    if let Ok(v) = s.parse::<u64>() {
        return Ok(v);
    }
    match s.parse::<f64>() {
        Ok(v) if v.is_finite() && v < 0.0 => Err(format!("{what} is negative ({s}): counts are 0 or more")),
        // `as` saturates: a huge whole number becomes u64::MAX, refused as too large.
        Ok(v) if v.is_finite() && v.fract() == 0.0 => Ok(v as u64),
        Ok(v) if v.is_finite() => Err(format!("{what} `{s}` is not a whole number")),
        _ if s.is_empty() => Err(format!("{what} is missing")),
        _ => Err(format!("{what} `{s}` is not a number")),
    }
}

/// A cohort's rows: its name and (period, active, line) of each.
type Group = (String, Vec<(u64, u64, usize)>);

/// One row: (cohort, period, active, line).
type Row = (String, u64, u64, usize);

fn row(r: &Record, cols: (Option<usize>, usize, usize), file: &Path) -> Result<Row, InputError> {
    let (c, p, a) = cols;
    let at = |m: String| InputError::at(file, r.line, m);
    let cohort = match c {
        Some(c) if r.fields[c].is_empty() => return Err(at("the cohort is missing".into())),
        Some(c) => r.fields[c].clone(),
        None => "all".into(),
    };
    let period = count(&r.fields[p], "the period").map_err(at)?;
    let active = count(&r.fields[a], "the count `active`").map_err(at)?;
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

/// Parses a retention table from `text`, the contents of `file`.
pub fn parse_retention(text: &str, file: &Path) -> Result<RetentionData, InputError> {
    from_table(&csv::parse(text, file)?, file)
}

/// Reads and checks the retention table in `file`.
pub fn read_retention(file: &Path) -> Result<RetentionData, InputError> {
    from_table(&csv::read(file)?, file)
}

fn from_table(t: &Table, file: &Path) -> Result<RetentionData, InputError> {
    let cols = layout(t, file)?;
    if t.records.is_empty() {
        return Err(InputError::at(
            file,
            t.header_line + 1,
            "no rows after the header: expected period 0 (the cohort's size), then the survivors after each period",
        ));
    }
    let mut groups: Vec<Group> = Vec::new();
    for r in &t.records {
        let (name, period, active, line) = row(r, cols, file)?;
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
