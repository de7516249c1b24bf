//! Review logs: one row per submission, read by the core's CSV reader a
//! row at a time ([`crate::core::table::stream`]), so a log of millions of
//! submissions never sits in memory as text.
//!
//! A name (of a platform or a class) written as gatesim writes names to
//! CSV, with a single quote before a leading `=`, `+`, `-`, `@`, tab or
//! carriage return (against spreadsheet formulas), is read without it.
//!
//! Columns (names matched ignoring case; others are ignored and listed):
//! `platform`, `submitted`, `decided` (empty while pending), `outcome`
//! (`approved`, `rejected`, `withdrawn`, or empty while pending), and
//! optionally `class` (needed by `--by class`) and `build`. Times are
//! ISO 8601 date-times ([`super::time`]; all with an offset from UTC, or
//! all without) or numbers in the unit given (hours or days) from any
//! origin; a log may not mix the kinds.
//!
//! Each submission becomes an observation of the time from submission to
//! decision: an approval or a rejection is a decision at its time; a
//! withdrawal is censored there (the decision never came); a pending
//! submission is censored at `until`, when the log was taken (default: its
//! latest time). A submission decided after `until` is censored at `until`
//! (it was pending then); one submitted after `until` is left out, unless
//! it is pending: a log taken at `until` cannot hold a submission pending
//! since later, so `until` is wrong and the log is refused. Every refusal
//! names the file and the line: a time that cannot be read, a decision
//! before its submission, an outcome that is not one of the four, a
//! decision time without an outcome or an outcome without a decision time,
//! an empty platform (or class), a platform with no rows left once rows
//! after `until` are left out, and fewer than two platforms.

use super::time::{self, DateTime};
use crate::analysis::fit::Unit;
use crate::core::table::{self, Head, InputError, NumberError, did_you_mean, plural};
use serde::Serialize;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// The largest magnitude of a time written as a number, in its unit: far
/// beyond any origin a log would use, and within the precision of the
/// differences taken.
pub const MAX_NUMBER: f64 = 1e9;

/// What the log's groups are.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum By {
    /// One group per platform.
    Platform,
    /// One group per review class (the `class` column).
    Class,
}

impl By {
    /// The column the groups come from.
    pub fn column(self) -> &'static str {
        match self {
            By::Platform => "platform",
            By::Class => "class",
        }
    }
}

/// How a submission ended, as far as the log knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    /// Approved at its decision time.
    Approved,
    /// Rejected at its decision time.
    Rejected,
    /// Withdrawn before a decision (censored at the withdrawal).
    Withdrawn,
    /// Still pending when the log was taken (censored at `until`).
    Pending,
}

impl Outcome {
    /// Whether the outcome is a decision (approval or rejection).
    pub fn decided(self) -> bool {
        matches!(self, Outcome::Approved | Outcome::Rejected)
    }
}

/// How the log writes its times.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum TimeScale {
    /// ISO 8601 date-times, all with an offset from UTC (`offsets`), or
    /// all without.
    DateTimes {
        /// Whether the times give their offset (then all are in UTC here).
        offsets: bool,
    },
    /// Numbers in a unit, from any origin.
    Numbers {
        /// The unit.
        unit: Unit,
    },
}

/// How to read a log.
#[derive(Clone, Debug, PartialEq)]
pub struct LogOptions {
    /// The unit of times written as numbers (`None`: hours, and none may be
    /// given for a log of date-times).
    pub unit: Option<Unit>,
    /// When the log was taken, as the log writes times (`None`: its latest
    /// time).
    pub until: Option<String>,
    /// What the groups are.
    pub by: By,
}

/// A point of the log's time line: microseconds of a date-time, or hours
/// from the log's origin.
#[derive(Clone, Copy, Debug, PartialEq, PartialOrd)]
enum Point {
    /// A date-time.
    Date(DateTime),
    /// Hours.
    Hours(f64),
}

impl Point {
    /// Hours from `from` to `self` (both of one kind).
    fn hours_since(self, from: Point) -> f64 {
        match (self, from) {
            (Point::Date(a), Point::Date(b)) => (a.micros - b.micros) as f64 / 3.6e9,
            (Point::Hours(a), Point::Hours(b)) => a - b,
            _ => f64::NAN,
        }
    }

    /// Hours on one line for both kinds (date-times from 1970).
    fn hours(self) -> f64 {
        match self {
            Point::Date(d) => d.hours(),
            Point::Hours(h) => h,
        }
    }

    /// The point as the log would write it.
    fn text(self, scale: TimeScale) -> String {
        match (self, scale) {
            (Point::Date(d), _) => time::format(d),
            (Point::Hours(h), TimeScale::Numbers { unit }) => {
                crate::core::numbers::trim(format!("{:.6}", h / unit.hours()))
            }
            (Point::Hours(h), _) => format!("{h}"),
        }
    }
}

/// A read review log: one observation per submission kept.
#[derive(Clone, Debug, PartialEq)]
pub struct ReviewLog {
    /// The file.
    pub file: PathBuf,
    /// What the groups are.
    pub by: By,
    /// How the log writes times.
    pub scale: TimeScale,
    /// The groups' names, in order of first appearance.
    pub groups: Vec<String>,
    /// The line of each group's first row.
    pub first_lines: Vec<usize>,
    /// Each submission's group.
    pub group: Vec<u32>,
    /// Each submission's time, in hours: to its decision, its withdrawal,
    /// or `until` while pending.
    pub hours: Vec<f64>,
    /// Each submission's outcome as of `until`.
    pub outcome: Vec<Outcome>,
    /// When the log was taken, as written (given, or the latest time).
    pub until: String,
    /// Whether `until` was given.
    pub until_given: bool,
    /// The earliest submission, as written.
    pub first: String,
    /// Hours from the earliest submission to `until`: the horizon of the
    /// restricted means.
    pub span_hours: f64,
    /// The rows read.
    pub rows: usize,
    /// Rows submitted after `until`, left out.
    pub after_until: usize,
    /// Submissions decided (or withdrawn) after `until`, taken as pending then.
    pub decided_after_until: usize,
    /// Columns of the file that were ignored.
    pub ignored_columns: Vec<String>,
    /// The most submissions awaiting a decision at once (among those
    /// decided in the end): as many reviewers as that never keep a
    /// review waiting for one.
    pub most_pending_at_once: usize,
    /// With `--by class`: each platform, the class (group) of its first
    /// submission, and whether a later one was in another class.
    pub platforms: Vec<PlatformClass>,
}

/// A platform of a log grouped by class.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlatformClass {
    /// The platform.
    pub name: String,
    /// The group (class) of its first submission.
    pub first: u32,
    /// Whether some later submission was in another class.
    pub moved: bool,
}

/// The column indices the log uses.
struct Columns {
    /// The group's column (`platform` or `class`).
    group: usize,
    /// The platform's column.
    platform: usize,
    submitted: usize,
    decided: usize,
    outcome: usize,
}

/// Finds the columns, refusing a log without one it needs.
fn columns(head: &Head, by: By) -> Result<(Columns, Vec<String>), InputError> {
    let need = |name: &str| {
        head.column(name).ok_or_else(|| {
            let hint = if by == By::Class && name == "class" {
                " (--by class groups the submissions by it)"
            } else {
                ""
            };
            head.error(
                head.header_line,
                format!(
                    "no column `{name}`{hint}; a review log has the columns platform, submitted, decided and \
                     outcome (class and build optional); this one has {}.{}",
                    head.columns(),
                    did_you_mean(name, head.header.iter().map(String::as_str))
                ),
            )
        })
    };
    let c = Columns {
        group: need(by.column())?,
        platform: need("platform")?,
        submitted: need("submitted")?,
        decided: need("decided")?,
        outcome: need("outcome")?,
    };
    let known = ["platform", "submitted", "decided", "outcome", "class", "build"];
    let ignored = head
        .header
        .iter()
        .filter(|h| !known.contains(&h.to_lowercase().as_str()))
        .cloned()
        .collect();
    Ok((c, ignored))
}

/// A name as written before gatesim neutralised it against spreadsheet
/// formulas: without the single quote it put before a name beginning with
/// `=`, `+`, `-`, `@`, a tab or a carriage return (so that a log gatesim
/// wrote keeps the scenario's names).
fn unquoted(name: &str) -> &str {
    match name.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        _ => name,
    }
}

/// The outcome a field writes, or why it is none of the four.
fn outcome(field: &str) -> Result<Outcome, String> {
    match field.to_lowercase().as_str() {
        "approved" => Ok(Outcome::Approved),
        "rejected" => Ok(Outcome::Rejected),
        "withdrawn" => Ok(Outcome::Withdrawn),
        "" => Ok(Outcome::Pending),
        _ => Err(format!(
            "the outcome `{field}` is not one of approved, rejected, withdrawn, or empty while pending.{}",
            did_you_mean(field, ["approved", "rejected", "withdrawn"])
        )),
    }
}

/// The kind of time the first time of a log shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// ISO 8601, with or without offsets.
    Date { offsets: bool },
    /// A number.
    Number,
}

/// Reads times as the log's first one writes them.
struct Clock {
    /// The kind, once a time was read.
    kind: Option<(Kind, usize)>,
    /// Hours in a unit of numbers.
    unit_hours: f64,
}

impl Clock {
    /// The time `field` (of column `column`) writes, on `line`.
    fn read(&mut self, head: &Head, field: &str, column: &str, line: usize) -> Result<Point, InputError> {
        // Once the log is known to write date-times, a field that reads as
        // one of the same kind is one (no number is also a date-time).
        if let Some((Kind::Date { offsets }, _)) = self.kind
            && let Ok(d) = time::parse(field)
            && d.offset == offsets
        {
            return Ok(Point::Date(d));
        }
        let at = |m: String| head.error(line, m);
        let number = match head.number(field) {
            Ok(v) => Some(v),
            Err(NumberError::Missing) => return Err(at(format!("the `{column}` time is missing"))),
            Err(_) => None,
        };
        let (kind, point) = match number {
            Some(v) => {
                if v.abs() > MAX_NUMBER {
                    return Err(at(format!(
                        "the `{column}` time {field} is too large (at most {MAX_NUMBER:e} in magnitude, in the log's unit)"
                    )));
                }
                (Kind::Number, Point::Hours(v * self.unit_hours))
            }
            None => {
                let d = time::parse(field).map_err(|why| {
                    let more = if field.chars().any(|c| c.is_ascii_digit()) && !field.contains('-') {
                        format!(
                            " (nor a number{})",
                            head.number(field).err().map(|e| e.why()).unwrap_or_default()
                        )
                    } else {
                        String::new()
                    };
                    at(format!("the `{column}` time `{field}` is not a date-time{more}: {why}"))
                })?;
                (Kind::Date { offsets: d.offset }, Point::Date(d))
            }
        };
        match self.kind {
            None => self.kind = Some((kind, line)),
            Some((k, _)) if k == kind => {}
            Some((k, first)) => {
                let say = |k: Kind| match k {
                    Kind::Number => "a number",
                    Kind::Date { offsets: true } => "a date-time with an offset from UTC",
                    Kind::Date { offsets: false } => "a date-time without an offset from UTC",
                };
                return Err(at(format!(
                    "the `{column}` time `{field}` is {}, but line {first} wrote {}: write every time of a log \
                     the same way (date-times with offsets such as +08:00, or all without, or all numbers)",
                    say(kind),
                    say(k)
                )));
            }
        }
        Ok(point)
    }
}

/// One row kept while reading.
#[derive(Clone, Copy, Debug)]
struct Row {
    group: u32,
    submitted: Point,
    decided: Option<Point>,
    outcome: Outcome,
    line: usize,
}

/// Reads and checks the review log in `file`, a row at a time.
pub fn read_log(file: &Path, options: &LogOptions) -> Result<ReviewLog, InputError> {
    from_stream(table::stream(file)?, file, options)
}

/// Reads and checks a review log from `text`, the contents of `file`, as
/// [`read_log`] reads a file.
pub fn parse_log(text: &str, file: &Path, options: &LogOptions) -> Result<ReviewLog, InputError> {
    from_stream(table::stream_text(text, file)?, file, options)
}

/// The checked log of the rows of `stream`.
fn from_stream(mut stream: table::Stream<'_>, file: &Path, options: &LogOptions) -> Result<ReviewLog, InputError> {
    let head = stream.head().clone();
    let (cols, ignored_columns) = columns(&head, options.by)?;
    let mut clock = Clock {
        kind: None,
        unit_hours: options.unit.unwrap_or(Unit::Hours).hours(),
    };
    let mut names: HashMap<Box<str>, u32> = HashMap::new();
    let mut groups: Vec<String> = Vec::new();
    let mut first_lines = Vec::new();
    let mut rows: Vec<Row> = Vec::new();
    let mut latest: Option<Point> = None;
    let mut platform_index: HashMap<Box<str>, usize> = HashMap::new();
    let mut platforms: Vec<PlatformClass> = Vec::new();
    while let Some(row) = stream.next_row() {
        let row = row?;
        let line = row.line;
        let at = |m: String| head.error(line, m);
        let name = unquoted(row.field(cols.group));
        if name.is_empty() {
            return Err(at(format!("the {} is missing", options.by.column())));
        }
        let group = match names.get(name) {
            Some(&g) => g,
            None => {
                let g = u32::try_from(groups.len())
                    .map_err(|_| at(format!("more than {} {}s", u32::MAX, options.by.column())))?;
                names.insert(name.into(), g);
                groups.push(name.to_string());
                first_lines.push(line);
                g
            }
        };
        if options.by == By::Class {
            let platform = unquoted(row.field(cols.platform));
            if platform.is_empty() {
                return Err(at("the platform is missing".into()));
            }
            match platform_index.get(platform) {
                Some(&i) => platforms[i].moved |= platforms[i].first != group,
                None => {
                    platform_index.insert(platform.into(), platforms.len());
                    platforms.push(PlatformClass {
                        name: platform.to_string(),
                        first: group,
                        moved: false,
                    });
                }
            }
        }
        let submitted = clock.read(&head, row.field(cols.submitted), "submitted", line)?;
        let decided_text = row.field(cols.decided);
        let outcome = outcome(row.field(cols.outcome)).map_err(at)?;
        let decided = if decided_text.is_empty() {
            None
        } else {
            Some(clock.read(&head, decided_text, "decided", line)?)
        };
        match (decided, outcome) {
            (Some(_), Outcome::Pending) => {
                return Err(at(format!(
                    "decided at {decided_text} but the outcome is empty: write approved, rejected or withdrawn, \
                     or leave `decided` empty while the submission is pending"
                )));
            }
            (None, o) if o != Outcome::Pending => {
                return Err(at(format!(
                    "the outcome is `{}` but `decided` is empty: write when it was {}",
                    row.field(cols.outcome),
                    match o {
                        Outcome::Withdrawn => "withdrawn",
                        _ => "decided",
                    }
                )));
            }
            (Some(d), _) if d.hours_since(submitted) < 0.0 => {
                return Err(at(format!(
                    "decided at {decided_text}, before it was submitted ({})",
                    row.field(cols.submitted)
                )));
            }
            _ => {}
        }
        for p in [Some(submitted), decided].into_iter().flatten() {
            if latest.is_none_or(|l| p.hours() > l.hours()) {
                latest = Some(p);
            }
        }
        rows.push(Row {
            group,
            submitted,
            decided,
            outcome,
            line,
        });
    }
    let last_line = stream.last_line();
    drop(stream);
    let Some((kind, _)) = clock.kind else {
        return Err(head.error(
            last_line,
            "no submissions: a review log has a header, then one row per submission",
        ));
    };
    let scale = match kind {
        Kind::Number => TimeScale::Numbers {
            unit: options.unit.unwrap_or(Unit::Hours),
        },
        Kind::Date { offsets } => {
            if let Some(u) = options.unit {
                return Err(InputError::whole(
                    file,
                    format!(
                        "--unit {} applies to times written as numbers; this log writes ISO 8601 date-times",
                        u.name()
                    ),
                ));
            }
            TimeScale::DateTimes { offsets }
        }
    };
    let latest = latest.unwrap_or(Point::Hours(0.0));
    let until = match &options.until {
        None => latest,
        Some(text) => until_point(text, kind, clock.unit_hours).map_err(|m| InputError::whole(file, m))?,
    };
    let mut log = finish(
        file,
        options,
        &head,
        scale,
        groups,
        first_lines,
        rows,
        until,
        ignored_columns,
    )?;
    log.platforms = platforms;
    Ok(log)
}

/// `--until` read as the log writes its times.
fn until_point(text: &str, kind: Kind, unit_hours: f64) -> Result<Point, String> {
    let text = text.trim();
    match kind {
        Kind::Number => match text.parse::<f64>() {
            Ok(v) if v.is_finite() && v.abs() <= MAX_NUMBER => Ok(Point::Hours(v * unit_hours)),
            _ => Err(format!(
                "--until {text}: this log writes its times as numbers, so --until must be one (in the same unit)"
            )),
        },
        Kind::Date { offsets } => {
            let d = time::parse(text).map_err(|why| format!("--until {text}: not a date-time: {why}"))?;
            if d.offset != offsets {
                return Err(format!(
                    "--until {text}: the log's times {} an offset from UTC, so --until must {} one",
                    if offsets { "give" } else { "do not give" },
                    if offsets { "give" } else { "not give" }
                ));
            }
            Ok(Point::Date(d))
        }
    }
}

/// The observations of `rows` as of `until`, checked.
#[allow(clippy::too_many_arguments)]
fn finish(
    file: &Path,
    options: &LogOptions,
    head: &Head,
    scale: TimeScale,
    groups: Vec<String>,
    first_lines: Vec<usize>,
    rows: Vec<Row>,
    until: Point,
    ignored_columns: Vec<String>,
) -> Result<ReviewLog, InputError> {
    let n = rows.len();
    let mut kept = vec![0usize; groups.len()];
    let mut group = Vec::with_capacity(n);
    let mut hours = Vec::with_capacity(n);
    let mut outcomes = Vec::with_capacity(n);
    let (mut after_until, mut decided_after_until) = (0, 0);
    // (time, +1 for a submission, -1 for its decision) of the decided ones.
    let mut pending_changes: Vec<(f64, i8)> = Vec::new();
    let mut first: Option<Point> = None;
    for r in &rows {
        if r.submitted.hours_since(until) > 0.0 {
            if r.outcome == Outcome::Pending {
                return Err(head.error(
                    r.line,
                    format!(
                        "pending, but submitted at {}, after --until {}: a log taken at --until cannot hold a \
                         submission made later that is still pending (--until is when the log was taken)",
                        r.submitted.text(scale),
                        until.text(scale)
                    ),
                ));
            }
            after_until += 1;
            continue;
        }
        if first.is_none_or(|f| r.submitted.hours() < f.hours()) {
            first = Some(r.submitted);
        }
        let (time, outcome) = match r.decided {
            Some(d) if d.hours_since(until) > 0.0 => {
                decided_after_until += 1;
                (until.hours_since(r.submitted), Outcome::Pending)
            }
            Some(d) => (d.hours_since(r.submitted), r.outcome),
            None => (until.hours_since(r.submitted), Outcome::Pending),
        };
        if outcome.decided() {
            pending_changes.push((r.submitted.hours(), 1));
            pending_changes.push((r.submitted.hours() + time, -1));
        }
        kept[r.group as usize] += 1;
        group.push(r.group);
        hours.push(time.max(0.0));
        outcomes.push(outcome);
    }
    if let Some(g) = kept.iter().position(|&k| k == 0) {
        return Err(head.error(
            first_lines[g],
            format!(
                "{} `{}` has no submissions left once those after --until {} are left out",
                options.by.column(),
                groups[g],
                until.text(scale)
            ),
        ));
    }
    let present = kept.iter().filter(|&&k| k > 0).count();
    if present < 2 {
        return Err(InputError::whole(
            file,
            format!(
                "{} in the log: at least two {}s are needed to compare their reviews",
                plural(present, options.by.column()),
                options.by.column()
            ),
        ));
    }
    // Decisions before submissions at equal times, so that a review
    // finished when another starts does not count them as overlapping.
    pending_changes.sort_unstable_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    let (mut now, mut most) = (0i64, 0i64);
    for (_, d) in &pending_changes {
        now += i64::from(*d);
        most = most.max(now);
    }
    Ok(ReviewLog {
        file: file.to_path_buf(),
        by: options.by,
        scale,
        groups,
        first_lines,
        group,
        hours,
        outcome: outcomes,
        until: until.text(scale),
        until_given: options.until.is_some(),
        first: first.map_or_else(String::new, |f| f.text(scale)),
        span_hours: first.map_or(0.0, |f| until.hours_since(f)),
        rows: n,
        after_until,
        decided_after_until,
        ignored_columns,
        most_pending_at_once: most as usize,
        platforms: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str, options: &LogOptions) -> Result<ReviewLog, InputError> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("log.csv");
        std::fs::write(&path, text).unwrap();
        read_log(&path, options)
    }

    fn opts() -> LogOptions {
        LogOptions {
            unit: None,
            until: None,
            by: By::Platform,
        }
    }

    const LOG: &str = "platform,submitted,decided,outcome,class\n\
        A,2021-11-01T10:00:00+08:00,2021-11-02T10:00:00+08:00,approved,standard\n\
        A,2021-11-08T10:00:00+08:00,2021-11-08T22:00:00+08:00,rejected,standard\n\
        B,2021-11-03T02:00:00Z,2021-11-10T02:00:00Z,withdrawn,blocked\n\
        B,2021-11-10T02:00:00Z,,,blocked\n";

    #[test]
    fn decisions_withdrawals_and_pending_rows_become_observations() {
        let log = read(LOG, &opts()).unwrap();
        assert_eq!(log.groups, ["A", "B"]);
        assert_eq!(log.group, [0, 0, 1, 1]);
        assert_eq!(log.hours[..3], [24.0, 12.0, 168.0]);
        assert_eq!(
            log.outcome,
            [
                Outcome::Approved,
                Outcome::Rejected,
                Outcome::Withdrawn,
                Outcome::Pending
            ]
        );
        // Until defaults to the latest time: B's withdrawal, 2021-11-10T02:00Z,
        // when the pending row was submitted.
        assert_eq!(log.hours[3], 0.0);
        assert_eq!(log.until, "2021-11-10T02:00:00Z");
        assert_eq!(log.scale, TimeScale::DateTimes { offsets: true });
        assert_eq!(log.first, "2021-11-01T02:00:00Z");
        assert_eq!(log.most_pending_at_once, 1);
        let o = LogOptions {
            until: Some("2021-11-12T02:00:00Z".into()),
            ..opts()
        };
        assert_eq!(read(LOG, &o).unwrap().hours[3], 48.0);
        let by_class = read(
            LOG,
            &LogOptions {
                by: By::Class,
                ..opts()
            },
        )
        .unwrap();
        assert_eq!(by_class.groups, ["standard", "blocked"]);
        assert_eq!(
            by_class.platforms,
            [
                PlatformClass {
                    name: "A".into(),
                    first: 0,
                    moved: false
                },
                PlatformClass {
                    name: "B".into(),
                    first: 1,
                    moved: false
                }
            ]
        );
    }

    #[test]
    fn until_censors_later_decisions_and_leaves_out_later_submissions() {
        let text = "platform,submitted,decided,outcome\nA,0,10,approved\nA,20,30,approved\nA,30,40,approved\n\
                    B,5,50,rejected\nB,8,,\n";
        let o = LogOptions {
            until: Some("25".into()),
            ..opts()
        };
        let log = read(text, &o).unwrap();
        assert_eq!(log.after_until, 1);
        assert_eq!(log.decided_after_until, 2);
        assert_eq!(log.hours, [10.0, 5.0, 20.0, 17.0]);
        assert_eq!(
            log.outcome,
            [Outcome::Approved, Outcome::Pending, Outcome::Pending, Outcome::Pending]
        );
        assert_eq!(log.span_hours, 25.0);
        // In days, every time is 24 times longer in hours.
        let days = read(
            text,
            &LogOptions {
                unit: Some(Unit::Days),
                ..o
            },
        )
        .unwrap();
        assert_eq!(days.hours, [240.0, 120.0, 480.0, 408.0]);
        assert_eq!(days.until, "25");
    }

    #[test]
    fn every_bad_log_is_refused_with_its_line() {
        let head = "platform,submitted,decided,outcome\n";
        for (rows, line, what) in [
            ("A,0,1,approved\nB,2,1,approved\n", 3, "before it was submitted"),
            ("A,0,1,approved\nB,0,1,accepted\n", 3, "not one of approved"),
            ("A,0,1,approved\nB,0,1,aproved\n", 3, "Did you mean `approved`"),
            ("A,0,1,approved\nB,0,1,\n", 3, "the outcome is empty"),
            ("A,0,1,approved\nB,0,,rejected\n", 3, "`decided` is empty"),
            ("A,0,1,approved\nB,yesterday,,\n", 3, "not a date-time"),
            ("A,0,1,approved\nB,2021-11-19T10:00,,\n", 3, "wrote a number"),
            ("A,0,1,approved\n,0,1,approved\n", 3, "platform is missing"),
            ("A,0,1,approved\nB,,1,approved\n", 3, "time is missing"),
            ("A,0,1,approved\nA,1,2,approved\n", 0, "1 platform in the log"),
            ("A,0,1,approved\nB,1e10,,\n", 3, "too large"),
        ] {
            let e = read(&format!("{head}{rows}"), &opts()).unwrap_err();
            assert!(e.message.contains(what), "{rows}: {e}");
            if line > 0 {
                assert_eq!(e.line, Some(line), "{rows}: {e}");
            }
        }
        let mixed = "platform,submitted,decided,outcome\nA,2021-11-19T10:00Z,,\nB,2021-11-19T10:00,,\n";
        let e = read(mixed, &opts()).unwrap_err();
        assert!(e.message.contains("without an offset"), "{e}");
        // A pending row after --until; a platform left without rows.
        let text = "platform,submitted,decided,outcome\nA,0,1,approved\nB,5,6,approved\nB,9,,\n";
        let o = |u: &str| LogOptions {
            until: Some(u.into()),
            ..opts()
        };
        let e = read(text, &o("7")).unwrap_err();
        assert_eq!(e.line, Some(4));
        assert!(e.message.contains("after --until 7"), "{e}");
        let text = "platform,submitted,decided,outcome\nA,0,1,approved\nC,0,1,approved\nB,5,6,approved\n";
        let e = read(text, &o("4")).unwrap_err();
        assert_eq!(e.line, Some(4));
        assert!(e.message.contains("`B` has no submissions left"), "{e}");
        // --until as the log writes times; --unit only for numbers.
        assert!(
            read(text, &o("2021-11-19"))
                .unwrap_err()
                .message
                .contains("must be one")
        );
        let e = read(
            LOG,
            &LogOptions {
                unit: Some(Unit::Days),
                ..opts()
            },
        )
        .unwrap_err();
        assert!(
            e.message.contains("--unit days applies to times written as numbers"),
            "{e}"
        );
        assert!(
            read(LOG, &o("2021-11-12T02:00"))
                .unwrap_err()
                .message
                .contains("offset")
        );
        // Missing columns, with the closest named.
        let e = read("platfrom,submitted,decided,outcome\nA,0,1,approved\n", &opts()).unwrap_err();
        assert!(e.message.contains("Did you mean `platfrom`"), "{e}");
        let e = read(
            LOG.replace(",class", "").as_str(),
            &LogOptions {
                by: By::Class,
                ..opts()
            },
        );
        assert!(e.is_err());
        let e = read("platform,submitted,decided,outcome\n", &opts()).unwrap_err();
        assert!(e.message.contains("no submissions"), "{e}");
    }

    #[test]
    fn names_gatesim_neutralised_are_read_as_they_were() {
        let text = "platform,submitted,decided,outcome\n'=1+1,0,1,approved\n'Tao,0,2,approved\n''+x,0,3,approved\n";
        let log = read(text, &opts()).unwrap();
        // Only the one quote gatesim adds before a formula's first sign is
        // taken off: a name that already began with a quote keeps it.
        assert_eq!(log.groups, ["=1+1", "'Tao", "''+x"]);
    }

    #[test]
    fn other_columns_are_listed_and_ignored() {
        let text = "platform,submitted,decided,outcome,build,reason\nA,0,1,approved,1,x\nB,0,2,rejected,1,y\n";
        let log = read(text, &opts()).unwrap();
        assert_eq!(log.ignored_columns, ["reason"]);
    }
}
