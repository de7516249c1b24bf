//! Observed series for `gatesim calibrate`: a long-form CSV file, one
//! observation per row, `day,platform,metric,value` with an optional `se`
//! column (the observation's own standard error), in the names of
//! `timeseries.csv`: a platform's name, `market` or `gatekeeper`, and a
//! daily series of the metric catalogue ([`crate::core::metric`]). Any
//! `timeseries.csv` of gatesim reduced to its `mean` column is valid data:
//! the value column may be called `value` or `mean`, and a `unit` column,
//! if present, must give each metric's unit. A `date` column (YYYY-MM-DD)
//! may stand for `day` when the scenario gives `simulation.start_date`, or
//! sit beside it (as in such a scenario's `timeseries.csv`) and agree.
//!
//! The file is read by the core's CSV reader ([`crate::core::table`]) and
//! checked against the scenario it will be compared with; every refusal
//! names the file and the line: an unknown column, platform or metric
//! (with the closest name), a headline metric (one value per run, not a
//! daily series), a series of users when the scenario has none, a day that
//! is not a whole number from 0 to the horizon, a negative or non-finite
//! value (a share above 1), a standard error that is not a finite number
//! above 0, the same day, platform and metric twice, a file without rows.
//!
//! The observations are grouped into series (one per platform and metric),
//! ordered as the scenario lists its platforms (then `market`, then
//! `gatekeeper`) and each scope's metrics as the catalogue does, their days
//! in increasing order: the order of the rows does not matter.

use super::Scenario;
use crate::core::calendar::Date;
use crate::core::metric::{Metric, Unit};
use crate::core::table::{self, InputError, NumberError, Table, did_you_mean};
use std::path::{Path, PathBuf};

/// Whose series an observation is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ObservedScope {
    /// Platform number `0`, in scenario order.
    Platform(usize),
    /// The market as a whole.
    Market,
    /// The gatekeeper.
    Gatekeeper,
}

/// One observed series: a platform's (or the market's, or the
/// gatekeeper's) daily metric on some days.
#[derive(Clone, Debug, PartialEq)]
pub struct ObservedSeries {
    /// Whose.
    pub scope: ObservedScope,
    /// The scope as named in the file (a platform's name, `market`,
    /// `gatekeeper`).
    pub scope_name: String,
    /// Which daily series.
    pub metric: Metric,
    /// The days observed, increasing.
    pub days: Vec<u32>,
    /// The observed values, one per day.
    pub values: Vec<f64>,
    /// Each value's standard error, if the file gives one.
    pub standard_errors: Vec<Option<f64>>,
    /// The line of each observation in the file.
    pub lines: Vec<usize>,
}

impl ObservedSeries {
    /// The series' name in outputs: `scope.metric` (`Taocaicai.dau`).
    pub fn name(&self) -> String {
        format!("{}.{}", self.scope_name, self.metric.name())
    }
}

/// A file of observed series, checked against a scenario.
#[derive(Clone, Debug, PartialEq)]
pub struct ObservedData {
    /// The file.
    pub file: PathBuf,
    /// The series, in the scenario's order (see the module's documentation).
    pub series: Vec<ObservedSeries>,
}

impl ObservedData {
    /// The number of observations.
    pub fn points(&self) -> usize {
        self.series.iter().map(|s| s.values.len()).sum()
    }
}

/// The columns a data file may have.
const COLUMNS: [&str; 7] = ["day", "date", "platform", "metric", "value", "se", "unit"];

/// The daily series of scope `scope` in `scenario`, in catalogue order.
fn series_of(scope: ObservedScope, users: bool) -> Vec<Metric> {
    match scope {
        ObservedScope::Platform(_) => {
            let mut v = Metric::PIPELINE_SERIES.to_vec();
            if users {
                v.extend(Metric::USER_SERIES);
            }
            v
        }
        ObservedScope::Market if users => Metric::MARKET_SERIES.to_vec(),
        ObservedScope::Market => Vec::new(),
        ObservedScope::Gatekeeper => Metric::GATE_SERIES.to_vec(),
    }
}

/// Reads the observed series in `file` and checks them against `scenario`.
pub fn read_observed(file: &Path, scenario: &Scenario) -> Result<ObservedData, InputError> {
    from_table(&table::read(file)?, scenario)
}

/// Parses observed series from `text`, the contents of `file`, as
/// [`read_observed`] does.
pub fn parse_observed(text: &str, file: &Path, scenario: &Scenario) -> Result<ObservedData, InputError> {
    from_table(&table::parse(text, file)?, scenario)
}

/// The columns of `t`: day or date (or both), platform, metric, value (or
/// mean), and the optional se and unit.
struct Columns {
    day: Option<usize>,
    date: Option<usize>,
    platform: usize,
    metric: usize,
    value: usize,
    se: Option<usize>,
    unit: Option<usize>,
}

fn columns(t: &Table) -> Result<Columns, InputError> {
    let at = |m: String| t.error(t.header_line, m);
    for h in &t.header {
        let lower = h.to_lowercase();
        if !COLUMNS.contains(&lower.as_str()) && lower != "mean" {
            return Err(at(format!(
                "unknown column `{h}`.{} The columns are day (or date), platform, metric, value (or mean, \
                 as in timeseries.csv) and, optionally, se (the value's standard error) and unit",
                did_you_mean(h, COLUMNS.iter().copied())
            )));
        }
    }
    let need = |name: &str| -> Result<usize, InputError> {
        t.column(name).ok_or_else(|| {
            at(format!(
                "no column `{name}`; the columns are {}. A data file has the columns day,platform,metric,value \
                 (and optionally se)",
                t.columns()
            ))
        })
    };
    let value = match (t.column("value"), t.column("mean")) {
        (Some(_), Some(_)) => {
            return Err(at(
                "both a `value` and a `mean` column: give the observations in one of them".into(),
            ));
        }
        (Some(v), None) | (None, Some(v)) => v,
        (None, None) => need("value")?,
    };
    let (day, date) = (t.column("day"), t.column("date"));
    if day.is_none() && date.is_none() {
        need("day")?;
    }
    Ok(Columns {
        day,
        date,
        platform: need("platform")?,
        metric: need("metric")?,
        value,
        se: t.column("se"),
        unit: t.column("unit"),
    })
}

/// The scope named `name` in `scenario`.
fn scope_named(name: &str, scenario: &Scenario) -> Result<ObservedScope, String> {
    if let Some(p) = scenario.platforms.iter().position(|p| p.name == name) {
        return Ok(ObservedScope::Platform(p));
    }
    match name {
        "market" => Ok(ObservedScope::Market),
        "gatekeeper" => Ok(ObservedScope::Gatekeeper),
        _ => {
            let mut known: Vec<&str> = scenario.platforms.iter().map(|p| p.name.as_str()).collect();
            if scenario.users.is_some() {
                known.push("market");
            }
            known.push("gatekeeper");
            Err(format!(
                "no platform named \"{name}\" in scenario {}.{} Known: {}",
                scenario.name,
                did_you_mean(name, known.iter().copied()),
                known.join(", ")
            ))
        }
    }
}

/// The daily series `name` of `scope`.
fn metric_named(name: &str, scope: ObservedScope, scope_name: &str, scenario: &Scenario) -> Result<Metric, String> {
    let users = scenario.users.is_some();
    let own = series_of(scope, users);
    if let Some(m) = own.iter().find(|m| m.name() == name) {
        return Ok(*m);
    }
    let all_users = series_of(scope, true);
    if !users && all_users.iter().any(|m| m.name() == name) {
        return Err(format!(
            "`{name}` is a series of users, and scenario {} simulates none (it has no [users] table)",
            scenario.name
        ));
    }
    if Metric::headline_named(name).is_some() {
        return Err(format!(
            "`{name}` is a headline metric (one value per run), not a daily series; the daily series of \
             {scope_name} are {}",
            names(&own)
        ));
    }
    if scope == ObservedScope::Market && !users {
        return Err(format!(
            "the market's series are of users, and scenario {} simulates none (it has no [users] table)",
            scenario.name
        ));
    }
    Err(format!(
        "no daily series `{name}` for {scope_name}.{} Its series: {}",
        did_you_mean(name, own.iter().map(|m| m.name())),
        names(&own)
    ))
}

fn names(metrics: &[Metric]) -> String {
    metrics.iter().map(|m| m.name()).collect::<Vec<_>>().join(", ")
}

/// One checked row.
struct Row {
    line: usize,
    scope: ObservedScope,
    scope_name: String,
    metric: Metric,
    day: u32,
    value: f64,
    se: Option<f64>,
}

/// The day of a row: its `day`, or its `date` counted from the scenario's
/// `simulation.start_date`; both, when given, must agree.
fn day_of(c: &Columns, f: &[String], scenario: &Scenario, t: &Table) -> Result<u32, String> {
    let horizon = scenario.horizon_days;
    let outside = |what: String| {
        format!(
            "{what} is outside the run: scenario {} runs days 0 to {horizon}",
            scenario.name
        )
    };
    let day = match c.day.map(|k| &f[k]) {
        None => None,
        Some(day_text) => Some(match t.number(day_text) {
            Err(NumberError::Missing) => return Err("the day is missing".into()),
            Err(e) => return Err(format!("the day `{day_text}` is not a number{}", e.why())),
            Ok(d) if d.fract() != 0.0 => return Err(format!("the day {day_text} is not a whole number")),
            Ok(d) if !(0.0..=f64::from(horizon)).contains(&d) => return Err(outside(format!("day {day_text}"))),
            Ok(d) => d as u32,
        }),
    };
    let Some(text) = c.date.map(|k| &f[k]) else {
        return day.ok_or_else(|| "the day is missing".into());
    };
    if text.is_empty() {
        return day.ok_or_else(|| "the date is missing".into());
    }
    let date = Date::parse(text)?;
    let Some(start) = scenario.start_date else {
        return match day {
            Some(d) => Ok(d),
            None => Err(format!(
                "the date {text} needs the scenario's simulation.start_date (the date of day 0), or give a day column"
            )),
        };
    };
    let from_date = start.days_until(date);
    if from_date < 0 || from_date > i64::from(horizon) {
        return Err(outside(format!("{date} (day {from_date} from {start})")));
    }
    match day {
        Some(d) if i64::from(d) != from_date => Err(format!(
            "day {d} is {} but the date says {date}",
            start.plus_days(i64::from(d))
        )),
        _ => Ok(from_date as u32),
    }
}

/// Reads and checks row `r` of `t`.
fn row(t: &Table, c: &Columns, r: &table::Record, scenario: &Scenario) -> Result<Row, InputError> {
    let at = |m: String| t.error(r.line, m);
    let f = &r.fields;
    let scope_name = f[c.platform].clone();
    if scope_name.is_empty() {
        return Err(at("the platform is missing".into()));
    }
    let scope = scope_named(&scope_name, scenario).map_err(&at)?;
    let metric_name = &f[c.metric];
    if metric_name.is_empty() {
        return Err(at("the metric is missing".into()));
    }
    let metric = metric_named(metric_name, scope, &scope_name, scenario).map_err(&at)?;
    let day = day_of(c, f, scenario, t).map_err(&at)?;
    let header = &t.header[c.value];
    let text = &f[c.value];
    let value = match t.number(text) {
        Err(NumberError::Missing) => return Err(at(format!("the value (`{header}`) is missing"))),
        Err(e) => return Err(at(format!("the value `{text}` is not a number{}", e.why()))),
        Ok(v) if v < 0.0 => {
            return Err(at(format!(
                "the value {text} is negative: {} cannot be below 0",
                metric.name()
            )));
        }
        Ok(v) if metric.unit() == Unit::Share && v > 1.0 => {
            return Err(at(format!(
                "the value {text} is above 1: {} is a share, from 0 to 1",
                metric.name()
            )));
        }
        Ok(v) => v,
    };
    let se = match c.se.map(|k| &f[k]) {
        None => None,
        Some(s) => match t.number(s) {
            Err(NumberError::Missing) => None,
            Err(e) => return Err(at(format!("the standard error `{s}` is not a number{}", e.why()))),
            Ok(v) if v > 0.0 => Some(v),
            Ok(_) => {
                return Err(at(format!(
                    "the standard error {s} is not above 0: give a positive number, or leave the cell empty \
                     for an observation without one"
                )));
            }
        },
    };
    if let Some(k) = c.unit {
        let unit = &f[k];
        if !unit.is_empty() && unit != metric.unit().name() {
            return Err(at(format!(
                "the unit `{unit}` is not that of {}, `{}`",
                metric.name(),
                metric.unit().name()
            )));
        }
    }
    Ok(Row {
        line: r.line,
        scope,
        scope_name,
        metric,
        day,
        value,
        se,
    })
}

/// The checked series of `t`.
fn from_table(t: &Table, scenario: &Scenario) -> Result<ObservedData, InputError> {
    let c = columns(t)?;
    if t.records.is_empty() {
        return Err(t.error(
            t.header_line,
            "no observations: the file has a header and no rows; give one row per day, platform and metric",
        ));
    }
    let mut rows: Vec<Row> = Vec::with_capacity(t.records.len());
    for r in &t.records {
        rows.push(row(t, &c, r, scenario)?);
    }
    // The catalogue position of each metric within its scope.
    let order = |r: &Row| {
        let list = series_of(r.scope, true);
        let m = list.iter().position(|m| *m == r.metric).unwrap_or(usize::MAX);
        (r.scope, m, r.day, r.line)
    };
    rows.sort_by_key(order);
    for w in rows.windows(2) {
        if (w[0].scope, w[0].metric, w[0].day) == (w[1].scope, w[1].metric, w[1].day) {
            let (first, second) = (w[0].line.min(w[1].line), w[0].line.max(w[1].line));
            return Err(t.error(
                second,
                format!(
                    "{} of {} on day {} is given twice (lines {first} and {second})",
                    w[1].metric.name(),
                    w[1].scope_name,
                    w[1].day
                ),
            ));
        }
    }
    let mut series: Vec<ObservedSeries> = Vec::new();
    for r in rows {
        match series.last_mut() {
            Some(s) if s.scope == r.scope && s.metric == r.metric => {
                s.days.push(r.day);
                s.values.push(r.value);
                s.standard_errors.push(r.se);
                s.lines.push(r.line);
            }
            _ => series.push(ObservedSeries {
                scope: r.scope,
                scope_name: r.scope_name,
                metric: r.metric,
                days: vec![r.day],
                values: vec![r.value],
                standard_errors: vec![r.se],
                lines: vec![r.line],
            }),
        }
    }
    Ok(ObservedData {
        file: t.file.clone(),
        series,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::load_str;

    const SCENARIO: &str = r#"
name = "two"
[simulation]
horizon_days = 60
[gatekeeper]
[[gatekeeper.classes]]
name = "standard"
review_hours = 24
[[platforms]]
name = "Alpha"
class = "standard"
cadence_days = 7
[platforms.users]
initial_users = 1000
churn_alpha = 0.7
churn_beta = 18
[[platforms]]
name = "Beta"
class = "standard"
cadence_days = 7
[platforms.users]
initial_users = 1000
churn_alpha = 0.7
churn_beta = 18
[users]
potential_users = 5000
adoption_per_day = 0.01
"#;

    fn scenario() -> Scenario {
        load_str(SCENARIO, Path::new("two.toml"), "two", &[]).unwrap().scenario
    }

    fn parse(text: &str) -> Result<ObservedData, InputError> {
        parse_observed(text, Path::new("obs.csv"), &scenario())
    }

    fn refused(text: &str) -> (usize, String) {
        let e = parse(text).unwrap_err();
        (e.line.unwrap_or(0), e.message)
    }

    #[test]
    fn rows_in_any_order_become_series_in_the_scenarios_order() {
        let d = parse(
            "day,platform,metric,value,se\n14,Beta,dau,300,\n7,Alpha,orders,90,4.5\n7,Beta,dau,310,\n\
             0,market,pool,3000,\n7,Alpha,dau,320,\n7,gatekeeper,waiting,0,\n",
        )
        .unwrap();
        let names: Vec<String> = d.series.iter().map(ObservedSeries::name).collect();
        assert_eq!(
            names,
            [
                "Alpha.dau",
                "Alpha.orders",
                "Beta.dau",
                "market.pool",
                "gatekeeper.waiting"
            ]
        );
        assert_eq!(d.series[2].days, [7, 14]);
        assert_eq!(d.series[2].values, [310.0, 300.0]);
        assert_eq!(d.series[2].lines, [4, 2]);
        assert_eq!(d.series[1].standard_errors, [Some(4.5)]);
        assert_eq!(d.points(), 6);
    }

    #[test]
    fn a_reduced_timeseries_csv_is_valid_data() {
        let d = parse(
            "day,platform,metric,unit,mean\n0,Alpha,active_users,users,1000\n0,Alpha,releases,\"releases, cumulative\",0\n",
        )
        .unwrap();
        assert_eq!(d.series[0].metric, Metric::ReleasesCumulative);
        assert_eq!(d.series[1].metric, Metric::ActiveUsers);
    }

    #[test]
    fn dates_stand_for_days_counted_from_the_start_date() {
        let dated = load_str(
            &SCENARIO.replace("horizon_days = 60", "horizon_days = 60\nstart_date = 2021-11-16"),
            Path::new("two.toml"),
            "two",
            &[],
        )
        .unwrap()
        .scenario;
        let read = |text: &str| parse_observed(text, Path::new("obs.csv"), &dated);
        let d = read("date,platform,metric,value\n2021-11-23,Alpha,dau,320\n2021-11-16,Alpha,dau,300\n").unwrap();
        assert_eq!(d.series[0].days, [0, 7]);
        // Beside a day column, as a dated timeseries.csv has it, the two agree.
        let d = read("day,date,platform,metric,mean\n7,2021-11-23,Alpha,dau,320\n").unwrap();
        assert_eq!(d.series[0].days, [7]);
        let e = read("day,date,platform,metric,mean\n8,2021-11-23,Alpha,dau,320\n").unwrap_err();
        assert!(
            e.message.contains("day 8 is 2021-11-24 but the date says 2021-11-23"),
            "{e}"
        );
        let e = read("date,platform,metric,value\n2021-11-15,Alpha,dau,3\n").unwrap_err();
        assert!(e.message.contains("outside the run"), "{e}");
        let e = read("date,platform,metric,value\n2021-02-30,Alpha,dau,3\n").unwrap_err();
        assert!(e.message.contains("Feb 2021 has 28 days"), "{e}");
        // Without a start date, a date alone cannot be placed.
        let e = parse("date,platform,metric,value\n2021-11-23,Alpha,dau,3\n").unwrap_err();
        assert!(e.message.contains("needs the scenario's simulation.start_date"), "{e}");
    }

    #[test]
    fn bad_rows_are_refused_with_their_line_and_what_is_wrong() {
        let head = "day,platform,metric,value\n";
        let cases: [(&str, usize, &str); 12] = [
            ("1,Alpah,dau,3\n", 2, "no platform named \"Alpah\""),
            ("1,Alpha,daus,3\n", 2, "Did you mean `dau`?"),
            ("1,Alpha,active_users_end,3\n", 2, "a headline metric"),
            ("61,Alpha,dau,3\n", 2, "outside the run: scenario two runs days 0 to 60"),
            ("1.5,Alpha,dau,3\n", 2, "not a whole number"),
            ("-1,Alpha,dau,3\n", 2, "outside the run"),
            ("1,Alpha,dau,-3\n", 2, "negative"),
            ("1,Alpha,dau,inf\n", 2, "not a number"),
            ("1,Alpha,dau,NaN\n", 2, "not a number"),
            ("1,Alpha,choice_share,1.5\n", 2, "above 1"),
            (
                "1,Alpha,dau,3\n2,Alpha,dau,4\n1,Alpha,dau,5\n",
                4,
                "given twice (lines 2 and 4)",
            ),
            ("1,Alpha,dau,\n", 2, "the value (`value`) is missing"),
        ];
        for (rows, line, fragment) in cases {
            let (l, m) = refused(&format!("{head}{rows}"));
            assert_eq!(l, line, "{rows}: {m}");
            assert!(m.contains(fragment), "{rows}: {m}");
        }
        let (l, m) = refused("day,platform,metric,value,se\n1,Alpha,dau,3,-1\n");
        assert!(l == 2 && m.contains("not above 0"), "{m}");
        let (l, m) = refused("day,platform,metric,value,se\n1,Alpha,dau,3,0\n");
        assert!(l == 2 && m.contains("not above 0"), "{m}");
        let (_, m) = refused("day,platform,metric,value,se\n1,Alpha,dau,3,NaN\n");
        assert!(m.contains("standard error `NaN` is not a number"), "{m}");
        let (l, m) = refused("day,platform,metric,unit,value\n1,Alpha,dau,orders,3\n");
        assert!(l == 2 && m.contains("the unit `orders` is not that of dau"), "{m}");
    }

    #[test]
    fn bad_headers_and_empty_files_are_refused() {
        let (l, m) = refused("day,platform,metric,value,sd\n1,Alpha,dau,3,1\n");
        assert!(
            l == 1 && m.contains("unknown column `sd`") && m.contains("Did you mean `se`?"),
            "{m}"
        );
        let (_, m) = refused("day,platform,value\n1,Alpha,3\n");
        assert!(m.contains("no column `metric`"), "{m}");
        let (_, m) = refused("day,platform,metric,value,mean\n1,Alpha,dau,3,3\n");
        assert!(m.contains("both a `value` and a `mean`"), "{m}");
        let (l, m) = refused("day,platform,metric,value\n");
        assert!(l == 1 && m.contains("no observations"), "{m}");
        let (l, m) = refused("");
        assert!(l == 1 && m.contains("empty"), "{m}");
    }

    #[test]
    fn series_of_users_need_a_scenario_with_users() {
        let text = SCENARIO.replace("[users]\npotential_users = 5000\nadoption_per_day = 0.01\n", "");
        let text = text.replace(
            "[platforms.users]\ninitial_users = 1000\nchurn_alpha = 0.7\nchurn_beta = 18\n",
            "",
        );
        let s = load_str(&text, Path::new("p.toml"), "p", &[]).unwrap().scenario;
        let e = parse_observed("day,platform,metric,value\n3,Alpha,dau,1\n", Path::new("o.csv"), &s).unwrap_err();
        assert!(e.message.contains("simulates none"), "{e}");
        let e = parse_observed("day,platform,metric,value\n3,market,pool,1\n", Path::new("o.csv"), &s).unwrap_err();
        assert!(e.message.contains("simulates none"), "{e}");
        let ok = parse_observed(
            "day,platform,metric,value\n3,Alpha,staleness_days,1\n",
            Path::new("o.csv"),
            &s,
        );
        assert!(ok.is_ok());
    }
}
