//! Numbers for people, in one place: every figure printed on the terminal,
//! written to Markdown, drawn on a chart or shown in a report is written
//! here (CSV and JSON keep plain ASCII numbers and are not).
//!
//! The rules:
//! - one minus sign, the true minus (U+2212);
//! - differences are signed (+412k, −2.1 pp); levels, half-widths and
//!   standard deviations never carry a plus; a value that rounds to zero
//!   carries no sign at all (0.0, never −0.0 or +0.0);
//! - shares are percentages (25.6%); a difference of two shares or two
//!   percentages is in percentage points (pp);
//! - one unit per row: a row of hours is written in days when one of its
//!   values reaches two days, every cell of it (see [`Shown`]);
//! - counts read at a glance: 12.35M, 450.0k, 1234.

use super::metric::Unit;

/// The minus sign of text for people.
pub(crate) const MINUS: char = '\u{2212}';

/// Hours from which a row of hours is written in days.
const DAYS_FROM_HOURS: f64 = 48.0;

/// `text` with a leading ASCII minus written as the true minus, and without
/// a sign when every digit is zero ("-0.0" is "0.0").
pub(crate) fn true_minus(text: &str) -> String {
    match text.strip_prefix('-') {
        Some(rest) if all_zero(rest) => rest.to_string(),
        Some(rest) => format!("{MINUS}{rest}"),
        None => text.to_string(),
    }
}

/// `text` signed as a difference: a plus before a positive number, the
/// true minus before a negative one, nothing before zero.
fn signed_text(text: &str) -> String {
    if let Some(rest) = text.strip_prefix('-') {
        true_minus(&format!("-{rest}"))
    } else if all_zero(text) || text.starts_with('+') {
        text.to_string()
    } else {
        format!("+{text}")
    }
}

/// Whether every digit of `text` is zero (its sign, point and suffix aside).
fn all_zero(text: &str) -> bool {
    let digits: Vec<char> = text.chars().filter(char::is_ascii_digit).collect();
    !digits.is_empty() && digits.iter().all(|&c| c == '0') && !text.contains('e')
}

/// `x` with `decimals` decimals, unsigned unless negative: "1.2", "−1.2", "0.0".
pub(crate) fn fixed(x: f64, decimals: usize) -> String {
    true_minus(&format!("{x:.decimals$}"))
}

/// `x` with `decimals` decimals, signed: "+1.2", "−1.2", "0.0".
pub(crate) fn signed(x: f64, decimals: usize) -> String {
    signed_text(&format!("{x:.decimals$}"))
}

/// A count for reading: 12.34M, 450.0k, 1234 or 12.50.
pub(crate) fn count(x: f64) -> String {
    let text = match suffix_of(x.abs()) {
        (div, s @ ("B" | "M")) => format!("{:.2}{s}", x / div),
        (div, s @ "k") => format!("{:.1}{s}", x / div),
        _ if x.abs() >= 100.0 || x.fract() == 0.0 => format!("{x:.0}"),
        _ => format!("{x:.2}"),
    };
    true_minus(&text)
}

/// A count as a difference: "+412.3k", "−1.20M", "0".
pub(crate) fn signed_count(x: f64) -> String {
    signed_text(&count(x).replace(MINUS, "-"))
}

/// A human number with three significant figures: 12.3M, 450k, 7.5, 0.25.
pub fn human(v: f64) -> String {
    if !v.is_finite() {
        return "–".into();
    }
    let a = v.abs();
    let (div, suffix) = suffix_of(a);
    let x = a / div;
    let d = if x >= 100.0 {
        0
    } else if x >= 10.0 {
        1
    } else if x >= 1.0 || div > 1.0 {
        2
    } else {
        3
    };
    let sign = if v < 0.0 { "-" } else { "" };
    true_minus(&format!("{sign}{}{suffix}", trim(format!("{:.*}", d, x))))
}

/// A human number with its sign, written with a true minus: "+412k",
/// "−847k", "0".
pub fn signed_human(v: f64) -> String {
    if !v.is_finite() {
        return human(v);
    }
    let h = human(v).replace(MINUS, "-");
    if all_zero(&h) { "0".into() } else { signed_text(&h) }
}

/// A share (0 to 1) as a percentage with `decimals` decimals, held within
/// 0% and 100% (a mean of shares can only leave that range by rounding).
pub(crate) fn percent(share: f64, decimals: usize) -> String {
    format!("{}%", fixed(100.0 * share.clamp(0.0, 1.0), decimals))
}

/// A parameter's value, short, three significant figures: 0.5, 1.25,
/// 0.0012, 36.5, 1.2k, 3.5e-5.
pub(crate) fn parameter(v: f64) -> String {
    let a = v.abs();
    if a != 0.0 && a < 1e-3 {
        return true_minus(&format!("{v:.1e}"));
    }
    if a >= 1e3 {
        return human(v);
    }
    let decimals = if a >= 100.0 {
        0
    } else if a >= 10.0 {
        1
    } else if a >= 1.0 {
        2
    } else {
        3
    };
    true_minus(&trim(format!("{v:.decimals$}")))
}

/// A p-value: "< 0.001" below a thousandth, else three decimals below
/// 0.01 ("0.004") and two above ("0.62", "1.00"); "–" when undefined.
pub(crate) fn p_value(p: f64) -> String {
    if !p.is_finite() {
        return "–".into();
    }
    let p = p.clamp(0.0, 1.0);
    if p < 0.001 {
        "< 0.001".into()
    } else if p < 0.0095 {
        format!("{p:.3}")
    } else {
        format!("{p:.2}")
    }
}

/// A p-value in a sentence: "p < 0.001", "p = 0.62".
pub(crate) fn p_is(p: f64) -> String {
    let v = p_value(p);
    if v.starts_with('<') {
        format!("p {v}")
    } else {
        format!("p = {v}")
    }
}

/// `n` and the noun, singular or plural: "1 replication", "2 replications",
/// "2 classes", "2 series".
pub(crate) fn counted(n: impl TryInto<u64>, noun: &str) -> String {
    let n: u64 = n.try_into().unwrap_or(u64::MAX);
    if n == 1 || noun.ends_with("series") {
        format!("{n} {noun}")
    } else if noun.ends_with(['s', 'x']) || noun.ends_with("ch") || noun.ends_with("sh") {
        format!("{n} {noun}es")
    } else {
        format!("{n} {noun}s")
    }
}

/// The suffix for a magnitude `a`: (divisor, "B" | "M" | "k" | "");
/// thousands only from 10,000.
pub(crate) fn suffix_of(a: f64) -> (f64, &'static str) {
    if a >= 1e9 {
        (1e9, "B")
    } else if a >= 1e6 {
        (1e6, "M")
    } else if a >= 1e4 {
        (1e3, "k")
    } else {
        (1.0, "")
    }
}

/// `s` without trailing decimal zeros (and point).
pub(crate) fn trim(s: String) -> String {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// How values of one unit are written in one row (or cell) of a table:
/// hours stay hours, or the whole row is in days when one of its values
/// reaches two days.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Shown {
    /// The values' unit.
    unit: Unit,
    /// Hours written as days.
    days: bool,
}

impl Shown {
    /// Values of `unit` as they come (hours in hours).
    pub(crate) fn new(unit: Unit) -> Shown {
        Shown { unit, days: false }
    }

    /// The one way to write the values of `unit` in a row holding `values`.
    pub(crate) fn for_row(unit: Unit, values: impl IntoIterator<Item = f64>) -> Shown {
        let days = unit == Unit::Hours && values.into_iter().any(|v| v.is_finite() && v.abs() >= DAYS_FROM_HOURS);
        Shown { unit, days }
    }

    /// The value in the unit written, and the unit's text after a number
    /// of a level (" h", "%", "") and of a difference (" h", " pp", "").
    fn scaled(self, x: f64) -> (f64, &'static str, &'static str) {
        match self.unit {
            Unit::Share => (100.0 * x, "%", " pp"),
            Unit::PercentChange => (x, "%", " pp"),
            Unit::Hours if self.days => (x / 24.0, " d", " d"),
            Unit::Hours => (x, " h", " h"),
            Unit::Days => (x, " d", " d"),
            _ => (x, "", ""),
        }
    }

    /// A count `text` with the currency's code after it when the unit is
    /// money (12.35M CNY): a quoted amount never loses its currency.
    fn in_currency(self, text: String) -> String {
        match self.unit.currency() {
            Some(c) => format!("{text} {c}"),
            None => text,
        }
    }

    /// Whether the unit is written as a count (12.35M).
    fn is_count(self) -> bool {
        !matches!(self.unit, Unit::Share | Unit::PercentChange | Unit::Hours | Unit::Days)
    }

    /// A level: 25.6%, 12.35M, 20.0 h; a change in percent is itself a
    /// difference from the start, so it is signed (+27.2%).
    pub(crate) fn level(self, x: f64) -> String {
        if self.unit == Unit::PercentChange {
            return format!("{}%", signed(x, 1));
        }
        if self.unit == Unit::Share {
            return percent(x, 1);
        }
        if self.is_count() {
            return self.in_currency(count(x));
        }
        let (v, after, _) = self.scaled(x);
        format!("{}{after}", fixed(v, 1))
    }

    /// A difference: +412.3k, −2.1 pp, +3.0 d.
    pub(crate) fn difference(self, x: f64) -> String {
        if self.is_count() {
            return self.in_currency(signed_count(x));
        }
        let (v, _, after) = self.scaled(x);
        format!("{}{after}", signed(v, 1))
    }

    /// A spread (a half-width or a standard deviation), never signed, in
    /// the unit of the level it belongs to (`of_difference`: of a
    /// difference, so percentages are in pp).
    pub(crate) fn spread(self, x: f64, of_difference: bool) -> String {
        let x = x.abs();
        if self.is_count() {
            return self.in_currency(count(x));
        }
        let (v, level, difference) = self.scaled(x);
        let after = if of_difference { difference } else { level };
        format!("{}{after}", fixed(v, 1))
    }

    /// Whether the interval `[l, h]` reads as symmetric about `m`: it is
    /// (a Student t interval, to rounding), or its two arms read the same
    /// as shown. Such an interval is shown as `m ± half-width`; any other
    /// (a skewed bootstrap-t) with its ends.
    fn reads_symmetric(self, m: f64, l: f64, h: f64, of_difference: bool) -> bool {
        symmetric(m, l, h) || self.spread(m - l, of_difference) == self.spread(h - m, of_difference)
    }

    /// `mean ± half-width` of a level (`mean (low to high)` for an interval
    /// that does not read as symmetric about it), or the mean alone, or "-".
    pub(crate) fn level_ci(self, mean: Option<f64>, lo: Option<f64>, hi: Option<f64>) -> String {
        match (mean, lo, hi) {
            (Some(m), Some(l), Some(h)) if self.reads_symmetric(m, l, h, false) => {
                format!("{} ± {}", self.level(m), self.spread(0.5 * (h - l), false))
            }
            (Some(m), Some(l), Some(h)) => format!("{} ({} to {})", self.level(m), self.level(l), self.level(h)),
            (Some(m), _, _) => self.level(m),
            _ => "-".into(),
        }
    }

    /// `difference ± half-width` (`difference (low to high)` for an
    /// interval that does not read as symmetric about it), or the
    /// difference alone, or "-".
    pub(crate) fn difference_ci(self, mean: Option<f64>, lo: Option<f64>, hi: Option<f64>) -> String {
        match (mean, lo, hi) {
            (Some(m), Some(l), Some(h)) if self.reads_symmetric(m, l, h, true) => {
                format!("{} ± {}", self.difference(m), self.spread(0.5 * (h - l), true))
            }
            (Some(m), Some(l), Some(h)) => format!(
                "{} ({} to {})",
                self.difference(m),
                self.difference(l),
                self.difference(h)
            ),
            (Some(m), _, _) => self.difference(m),
            _ => "-".into(),
        }
    }
}

/// Whether the interval `[l, h]` is symmetric about `m` (a Student t
/// interval, to rounding).
fn symmetric(m: f64, l: f64, h: f64) -> bool {
    ((m - l) - (h - m)).abs() <= 1e-9 * (h - l).abs()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_interval_whose_arms_read_the_same_as_shown_reads_plus_minus() {
        let hours = Shown::for_row(Unit::Hours, Some(13.2));
        // Arms of 0.41 and 0.39 hours both read 0.4 h.
        assert_eq!(hours.level_ci(Some(13.2), Some(12.79), Some(13.59)), "13.2 h ± 0.4 h");
        assert_eq!(
            hours.level_ci(Some(13.2), Some(12.7), Some(13.6)),
            "13.2 h (12.7 h to 13.6 h)"
        );
        assert_eq!(
            hours.difference_ci(Some(-1.0), Some(-1.41), Some(-0.61)),
            format!("{} ± {}", hours.difference(-1.0), hours.spread(0.4, true))
        );
    }

    #[test]
    fn a_symmetric_interval_reads_plus_minus_and_any_other_gives_its_ends() {
        let hours = Shown::for_row(Unit::Hours, Some(150.0));
        assert_eq!(
            hours.level_ci(Some(150.0), Some(140.0), Some(160.0)),
            format!("{} ± {}", hours.level(150.0), hours.spread(10.0, false))
        );
        assert_eq!(
            hours.level_ci(Some(150.0), Some(140.0), Some(175.0)),
            format!(
                "{} ({} to {})",
                hours.level(150.0),
                hours.level(140.0),
                hours.level(175.0)
            )
        );
        assert_eq!(
            hours.difference_ci(Some(-5.0), Some(-9.0), Some(2.0)),
            format!(
                "{} ({} to {})",
                hours.difference(-5.0),
                hours.difference(-9.0),
                hours.difference(2.0)
            )
        );
    }

    #[test]
    fn a_count_takes_the_plural_its_noun_takes() {
        assert_eq!(counted(1, "class"), "1 class");
        assert_eq!(counted(2, "class"), "2 classes");
        assert_eq!(counted(0, "replication"), "0 replications");
        assert_eq!(counted(3, "series"), "3 series");
        assert_eq!(counted(2, "match"), "2 matches");
    }

    #[test]
    fn counts_read_at_a_glance_with_a_true_minus() {
        assert_eq!(count(12_345_678.0), "12.35M");
        assert_eq!(count(450_000.0), "450.0k");
        assert_eq!(count(1234.0), "1234");
        assert_eq!(count(12.5), "12.50");
        assert_eq!(count(2.5e9), "2.50B");
        assert_eq!(count(-450_000.0), "\u{2212}450.0k");
        assert_eq!(signed_count(412_300.0), "+412.3k");
        assert_eq!(signed_count(-1_200_000.0), "\u{2212}1.20M");
        assert_eq!(signed_count(0.0), "0");
    }

    #[test]
    fn human_numbers_keep_three_significant_figures_and_a_true_minus() {
        assert_eq!(human(12_345_678.0), "12.3M");
        assert_eq!(human(450_000.0), "450k");
        assert_eq!(human(0.25), "0.25");
        assert_eq!(human(7.5), "7.5");
        assert_eq!(human(1234.0), "1234");
        assert_eq!(human(-847_000.0), "\u{2212}847k");
        assert_eq!(signed_human(-0.0001), "0");
        assert_eq!(signed_human(-847_000.0), "\u{2212}847k");
        assert_eq!(signed_human(412_000.0), "+412k");
        assert_eq!(signed_human(0.0), "0");
    }

    #[test]
    fn differences_are_signed_and_a_value_that_rounds_to_zero_has_no_sign() {
        assert_eq!(signed(1.25, 1), "+1.2");
        assert_eq!(signed(-1.25, 1), "\u{2212}1.2");
        assert_eq!(signed(-0.04, 1), "0.0");
        assert_eq!(signed(0.04, 1), "0.0");
        assert_eq!(fixed(-0.04, 1), "0.0");
        assert_eq!(fixed(-3.0, 1), "\u{2212}3.0");
        assert_eq!(true_minus("-0.00"), "0.00");
    }

    #[test]
    fn shares_read_as_percentages_and_their_differences_in_points() {
        let s = Shown::new(Unit::Share);
        assert_eq!(s.level(0.256), "25.6%");
        assert_eq!(s.level(1.0000001), "100.0%", "a share is never above 100%");
        assert_eq!(s.difference(0.005), "+0.5 pp");
        assert_eq!(s.difference(-0.305), "\u{2212}30.5 pp");
        assert_eq!(s.spread(0.001, true), "0.1 pp");
        assert_eq!(s.spread(0.001, false), "0.1%");
        let c = Shown::new(Unit::PercentChange);
        assert_eq!(c.level(-65.6), "\u{2212}65.6%");
        assert_eq!(c.level(27.2), "+27.2%");
        assert_eq!(c.difference(21.5), "+21.5 pp");
        assert_eq!(c.difference_ci(Some(21.5), Some(20.8), Some(22.2)), "+21.5 pp ± 0.7 pp");
        assert_eq!(c.level_ci(Some(-0.01), Some(-0.02), Some(0.0)), "0.0% ± 0.0%");
    }

    #[test]
    fn a_row_of_hours_is_in_one_unit() {
        let row = Shown::for_row(Unit::Hours, [46.7, 57.6, 45.7]);
        assert_eq!(row.level(46.7), "1.9 d");
        assert_eq!(row.level_ci(Some(57.6), Some(45.2), Some(70.0)), "2.4 d ± 0.5 d");
        let hours = Shown::for_row(Unit::Hours, [22.8, 23.2]);
        assert_eq!(hours.level_ci(Some(22.8), Some(22.5), Some(23.1)), "22.8 h ± 0.3 h");
        assert_eq!(Shown::new(Unit::Days).level(10.0), "10.0 d");
    }

    #[test]
    fn a_spread_never_carries_a_sign() {
        assert_eq!(Shown::new(Unit::PercentChange).spread(10.1, false), "10.1%");
        assert_eq!(Shown::new(Unit::Users).spread(-1200.0, false), "1200");
        let cny = Unit::Money(crate::core::money::Currency::parse("CNY").unwrap());
        assert_eq!(
            Shown::new(cny).level_ci(Some(12_345_678.0), Some(12_000_000.0), Some(12_691_356.0)),
            "12.35M CNY ± 345.7k CNY"
        );
        assert_eq!(Shown::new(cny).difference(-1_200_000.0), "\u{2212}1.20M CNY");
    }

    #[test]
    fn p_values_read_as_journals_print_them() {
        assert_eq!(p_value(0.000_2), "< 0.001");
        assert_eq!(p_value(0.004_2), "0.004");
        assert_eq!(p_value(0.0099), "0.01");
        assert_eq!(p_value(0.623), "0.62");
        assert_eq!(p_value(1.0), "1.00");
        assert_eq!(p_value(f64::NAN), "–");
        assert_eq!(p_is(0.000_2), "p < 0.001");
        assert_eq!(p_is(0.05), "p = 0.05");
    }

    #[test]
    fn parameters_and_percentages_read_short() {
        assert_eq!(parameter(0.5), "0.5");
        assert_eq!(parameter(36.5), "36.5");
        assert_eq!(parameter(0.000_035), "3.5e-5");
        assert_eq!(parameter(-2.0), "\u{2212}2");
        assert_eq!(parameter(1200.0), "1200");
        assert_eq!(percent(0.9876, 1), "98.8%");
    }
}
