//! Tick positions and the numbers people read on axes: "nice" steps (1, 2,
//! 2.5, 5 times a power of ten), human numbers (12.3M, 450k, from
//! [`crate::core::numbers`]), percentages,
//! day steps that fall on weeks and months, and a logarithmic time axis
//! labelled in hours, days and months. Pure functions, unit-tested.

use crate::core::calendar::Date;
use crate::core::numbers::{suffix_of, trim};

/// How the values of an axis are written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum NumberFormat {
    /// Counts and amounts: 950, 12k, 1.5M, 2B.
    Human,
    /// Shares (0 to 1) written as percentages: 25%.
    Percent,
    /// Days, on steps that fall on weeks or months.
    Days,
}

/// Ticks `(value, label)` covering `lo..=hi` with at most about `target`
/// steps; the range an axis should span is `(first, last)` of them when the
/// data should be rounded out, or `lo..hi` when not.
pub(crate) fn linear_ticks(lo: f64, hi: f64, target: usize, format: NumberFormat) -> Vec<(f64, String)> {
    let (lo, hi) = if hi > lo { (lo, hi) } else { (lo, lo + 1.0) };
    let step = match format {
        NumberFormat::Days => day_step(hi - lo, target),
        NumberFormat::Human | NumberFormat::Percent => nice_step(hi - lo, target),
    };
    let first = (lo / step + 1e-9).floor() as i64;
    let last = (hi / step - 1e-9).ceil() as i64;
    let largest = (first.abs().max(last.abs())) as f64 * step;
    (first..=last)
        .map(|i| {
            let v = i as f64 * step;
            let v = if v.abs() < step * 1e-9 { 0.0 } else { v };
            (v, format_value(v, step, largest, format))
        })
        .collect()
}

/// Ticks over days `lo..=hi` of a run that starts on `start`, labelled
/// with dates: on the first of every month, or every 2, 3, 6 or 12 months
/// (at most about `target` of them; the year written on the first tick and
/// on each January), or, over a few weeks, every 1, 2, 7 or 14 days as
/// `5 Jan` (the year on the first tick and where it changes).
pub(crate) fn date_ticks(lo: f64, hi: f64, start: Date, target: usize) -> Vec<(f64, String)> {
    let target = target.max(2) as f64;
    let (first, last) = (lo.ceil() as i64, hi.floor() as i64);
    if (hi - lo) / 30.44 < target * 0.75 && (hi - lo) < 75.0 {
        let step = [1, 2, 7, 14]
            .into_iter()
            .find(|&s| (hi - lo) / s as f64 <= target)
            .unwrap_or(14);
        let mut year = None;
        return (first..=last)
            .filter(|d| d.rem_euclid(step) == 0)
            .map(|d| {
                let date = start.plus_days(d);
                let new_year = year.replace(date.ymd().0) != Some(date.ymd().0);
                (d as f64, date.short(new_year))
            })
            .collect();
    }
    let months = (hi - lo) / 30.44;
    let every = [1, 2, 3, 6, 12, 24, 60, 120]
        .into_iter()
        .find(|&k| months / k as f64 <= target)
        .unwrap_or(120);
    let mut out = Vec::new();
    for d in first..=last {
        let (y, m, day) = start.plus_days(d).ymd();
        if day != 1 || (m - 1) % every.min(12) != 0 || (every > 12 && y % (every / 12) != 0) {
            continue;
        }
        let month = start.plus_days(d).month_abbreviation();
        let label = if out.is_empty() || m == 1 {
            format!("{month} {y}")
        } else {
            month.to_string()
        };
        out.push((d as f64, label));
    }
    out
}

/// Ticks strictly inside `lo..=hi` (for axes whose range is fixed).
pub(crate) fn ticks_within(lo: f64, hi: f64, target: usize, format: NumberFormat) -> Vec<(f64, String)> {
    let eps = (hi - lo).abs() * 1e-9;
    linear_ticks(lo, hi, target, format)
        .into_iter()
        .filter(|(v, _)| *v >= lo - eps && *v <= hi + eps)
        .collect()
}

/// The smallest step of 1, 2, 2.5 or 5 times a power of ten that covers
/// `span` in at most `target` steps.
pub(crate) fn nice_step(span: f64, target: usize) -> f64 {
    let raw = span.abs().max(f64::MIN_POSITIVE) / target.max(1) as f64;
    let mag = 10f64.powf(raw.log10().floor());
    for m in [1.0, 2.0, 2.5, 5.0, 10.0] {
        if m * mag >= raw * (1.0 - 1e-12) {
            return m * mag;
        }
    }
    10.0 * mag
}

/// A step in days that falls on weeks or months: the smallest of 1, 2, 5,
/// 7, 14, 30, 60, 90, 180, 365 (then multiples of 365) giving at most
/// `target` steps over `span` days.
pub(crate) fn day_step(span: f64, target: usize) -> f64 {
    let steps = [1.0, 2.0, 5.0, 7.0, 14.0, 30.0, 60.0, 90.0, 180.0, 365.0];
    for s in steps {
        if span / s <= target.max(1) as f64 {
            return s;
        }
    }
    365.0 * nice_step(span / 365.0, target)
}

/// `v` written for an axis whose ticks are `step` apart and reach `largest`
/// in absolute value.
pub(crate) fn format_value(v: f64, step: f64, largest: f64, format: NumberFormat) -> String {
    match format {
        NumberFormat::Human => human_step(v, step, largest),
        NumberFormat::Percent => {
            let decimals = decimals_for(step * 100.0);
            format!("{:.*}%", decimals, v * 100.0)
        }
        NumberFormat::Days => {
            let decimals = decimals_for(step);
            format!("{:.*}", decimals, v)
        }
    }
}

/// Decimals needed to tell apart values `step` apart.
fn decimals_for(step: f64) -> usize {
    if step <= 0.0 || !step.is_finite() {
        return 0;
    }
    let mut d = 0;
    while d < 6 && ((step * 10f64.powi(d as i32)).round() - step * 10f64.powi(d as i32)).abs() > 1e-6 {
        d += 1;
    }
    d
}

/// A human number with a suffix (k, M, B) and enough decimals to tell apart
/// neighbours `step` apart; trailing zeros dropped ("1M", "1.25M"). On an
/// axis reaching `largest` of 10,000 or more, thousands are written "2k".
pub(crate) fn human_step(v: f64, step: f64, largest: f64) -> String {
    let a = v.abs();
    if a < 1e-12 {
        return "0".into();
    }
    let (div, suffix) = if largest >= 1e4 && (1e3..1e6).contains(&a) {
        (1e3, "k")
    } else {
        suffix_of(a.max(step.abs()))
    };
    let d = decimals_for(step / div);
    trim(format!("{:.*}", d, v / div)) + suffix
}

pub(crate) use crate::core::numbers::true_minus;

/// A duration in hours written with its natural unit: "45 min", "20 h",
/// "6.5 d", "7.2 mo".
pub(crate) fn duration_hours(h: f64) -> String {
    if h < 1.0 {
        format!("{} min", trim(format!("{:.0}", h * 60.0)))
    } else if h < 48.0 {
        format!("{} h", trim(format!("{:.1}", h)))
    } else if h < 24.0 * 60.0 {
        format!("{} d", trim(format!("{:.1}", h / 24.0)))
    } else {
        format!("{} mo", trim(format!("{:.1}", h / (24.0 * 30.0))))
    }
}

/// Ticks of a logarithmic time axis in hours over `lo..=hi` hours, labelled
/// "6 min", "1 h", "6 h", "1 d", "7 d", "1 mo", "6 mo", "1 yr", "2 yr", ...
pub(crate) fn log_time_ticks(lo: f64, hi: f64) -> Vec<(f64, String)> {
    const DAY: f64 = 24.0;
    let mut all: Vec<(f64, String)> = vec![
        (0.01, "36 s".into()),
        (0.1, "6 min".into()),
        (1.0, "1 h".into()),
        (6.0, "6 h".into()),
        (DAY, "1 d".into()),
        (7.0 * DAY, "7 d".into()),
        (30.0 * DAY, "1 mo".into()),
        (182.0 * DAY, "6 mo".into()),
        (365.0 * DAY, "1 yr".into()),
    ];
    for y in [2u32, 5, 10, 20, 50, 100] {
        all.push((f64::from(y) * 365.0 * DAY, format!("{y} yr")));
    }
    let eps = 1e-9;
    all.into_iter()
        .filter(|(v, _)| *v >= lo * (1.0 - eps) && *v <= hi * (1.0 + eps))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_year_from_mid_november_is_ticked_on_the_first_of_each_month_or_two() {
        let start = Date::parse("2021-11-16").unwrap();
        let t = date_ticks(0.0, 365.0, start, 12);
        let labels: Vec<&str> = t.iter().map(|(_, l)| l.as_str()).collect();
        assert_eq!(
            labels,
            [
                "Dec 2021", "Jan 2022", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov"
            ]
        );
        // 1 December 2021 is day 15 of a run that starts on 16 November.
        assert_eq!(t[0].0, 15.0);
        let t = date_ticks(0.0, 365.0, start, 6);
        let labels: Vec<&str> = t.iter().map(|(_, l)| l.as_str()).collect();
        assert_eq!(labels, ["Jan 2022", "Mar", "May", "Jul", "Sep", "Nov"]);
        let t = date_ticks(0.0, 3650.0, start, 6);
        assert!(t.iter().all(|(_, l)| l.starts_with("Jan ")), "{t:?}");
    }

    #[test]
    fn a_few_weeks_are_ticked_by_day_or_week() {
        let start = Date::parse("2021-12-30").unwrap();
        let t = date_ticks(0.0, 10.0, start, 6);
        let labels: Vec<&str> = t.iter().map(|(_, l)| l.as_str()).collect();
        assert_eq!(
            labels,
            ["30 Dec 2021", "1 Jan 2022", "3 Jan", "5 Jan", "7 Jan", "9 Jan"]
        );
        let t = date_ticks(0.0, 60.0, start, 10);
        assert_eq!(t.len(), 9);
        assert_eq!(t[1].1, "6 Jan 2022");
        assert_eq!(t[2].1, "13 Jan");
    }

    fn labels(t: &[(f64, String)]) -> Vec<&str> {
        t.iter().map(|(_, l)| l.as_str()).collect()
    }

    #[test]
    fn nice_steps_are_one_two_two_and_a_half_or_five_times_a_power_of_ten() {
        assert_eq!(nice_step(10.0, 5), 2.0);
        assert_eq!(nice_step(2_000_000.0, 8), 250_000.0);
        assert_eq!(nice_step(1.0, 4), 0.25);
        assert_eq!(nice_step(7.0, 7), 1.0);
    }

    #[test]
    fn human_numbers_use_k_m_and_b_with_as_few_decimals_as_the_step_needs() {
        let t = linear_ticks(0.0, 2_100_000.0, 6, NumberFormat::Human);
        assert_eq!(labels(&t), ["0", "500k", "1M", "1.5M", "2M", "2.5M"]);
        assert_eq!(human_step(2500.0, 500.0, 3000.0), "2500");
        assert_eq!(human_step(25_000.0, 5000.0, 25_000.0), "25k");
        let t = linear_ticks(0.0, 11_000.0, 6, NumberFormat::Human);
        assert_eq!(labels(&t), ["0", "2k", "4k", "6k", "8k", "10k", "12k"]);
    }

    #[test]
    fn axis_labels_carry_a_true_minus() {
        assert_eq!(true_minus("-500k"), "\u{2212}500k");
        assert_eq!(true_minus("500k"), "500k");
    }

    #[test]
    fn percentages_and_days_are_labelled_plainly() {
        let t = linear_ticks(0.0, 1.0, 5, NumberFormat::Percent);
        assert_eq!(labels(&t), ["0%", "20%", "40%", "60%", "80%", "100%"]);
        let t = ticks_within(0.0, 240.0, 10, NumberFormat::Days);
        assert_eq!(t.len(), 9);
        assert_eq!(t[1].0, 30.0);
        assert_eq!(day_step(60.0, 10), 7.0);
        assert_eq!(day_step(28.0, 10), 5.0);
    }

    #[test]
    fn log_time_ticks_span_minutes_to_months() {
        let t = log_time_ticks(0.1, 24.0 * 400.0);
        assert_eq!(
            labels(&t),
            ["6 min", "1 h", "6 h", "1 d", "7 d", "1 mo", "6 mo", "1 yr"]
        );
        assert_eq!(duration_hours(20.0), "20 h");
        assert_eq!(duration_hours(24.0 * 6.5), "6.5 d");
        assert_eq!(duration_hours(24.0 * 213.0), "7.1 mo");
    }
}
