//! Calendar dates of the proleptic Gregorian calendar, as ISO 8601 writes
//! them (`2021-11-16`): a scenario's `simulation.start_date`, the `date`
//! column of daily files and the dates on chart axes, and the dates of
//! review logs. A [`Date`] is a day count from 1970-01-01, so that adding
//! days and taking differences are integer arithmetic (H. Hinnant's
//! `days_from_civil` and `civil_from_days`).

use std::fmt;

/// A calendar date.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// Days since 1970-01-01.
    days: i64,
}

/// Days from 1970-01-01 to the date `y-m-d` of the proleptic Gregorian
/// calendar.
pub(crate) fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date (year, month, day) of day `z` from 1970-01-01.
pub(crate) fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// Days in month `m` of year `y`.
pub(crate) fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Month abbreviations, January first.
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

impl Date {
    /// The date `y-m-d`, if the calendar has it (years 1 to 9999).
    pub fn new(y: i64, m: i64, d: i64) -> Option<Date> {
        let ok = (1..=9999).contains(&y) && (1..=12).contains(&m) && d >= 1 && d <= days_in_month(y, m);
        ok.then(|| Date {
            days: days_from_civil(y, m, d),
        })
    }

    /// Reads `YYYY-MM-DD`, or says why it is not a date.
    pub fn parse(text: &str) -> Result<Date, String> {
        let b = text.as_bytes();
        let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' || !digits(0..4) || !digits(5..7) || !digits(8..10) {
            return Err(format!("`{text}` is not a date written YYYY-MM-DD (e.g. 2021-11-16)"));
        }
        let n = |r: std::ops::Range<usize>| text[r].parse::<i64>().unwrap_or(0);
        let (y, m, d) = (n(0..4), n(5..7), n(8..10));
        if !(1..=12).contains(&m) {
            return Err(format!("`{text}`: there is no month {m}"));
        }
        Date::new(y, m, d).ok_or_else(|| {
            format!(
                "`{text}`: {} {y} has {} days",
                MONTHS[(m - 1) as usize],
                days_in_month(y, m)
            )
        })
    }

    /// The date `days` days later (earlier if negative).
    pub fn plus_days(self, days: i64) -> Date {
        Date { days: self.days + days }
    }

    /// Days from `self` to `later` (negative if `later` is earlier).
    pub fn days_until(self, later: Date) -> i64 {
        later.days - self.days
    }

    /// Days since 1970-01-01.
    pub fn days_since_epoch(self) -> i64 {
        self.days
    }

    /// (year, month, day).
    pub fn ymd(self) -> (i64, i64, i64) {
        civil_from_days(self.days)
    }

    /// The month's abbreviation: `Jan` to `Dec`.
    pub fn month_abbreviation(self) -> &'static str {
        MONTHS[(self.ymd().1 - 1) as usize]
    }

    /// A short label for a chart axis: `16 Nov 2021`, or without the year
    /// (`16 Nov`) when `with_year` is false.
    pub fn short(self, with_year: bool) -> String {
        let (y, m, d) = self.ymd();
        let month = MONTHS[(m - 1) as usize];
        if with_year {
            format!("{d} {month} {y}")
        } else {
            format!("{d} {month}")
        }
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = self.ymd();
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_are_counted_from_1970_across_leap_years_and_centuries() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        assert_eq!(days_from_civil(1969, 12, 31), -1);
        assert_eq!(days_from_civil(2021, 11, 19), 18_950);
        for z in [-800_000, -1, 0, 59, 60, 11_016, 18_950, 2_932_896] {
            let (y, m, d) = civil_from_days(z);
            assert_eq!(days_from_civil(y, m, d), z);
        }
    }

    #[test]
    fn a_date_is_read_only_when_the_calendar_has_it() {
        let d = Date::parse("2021-11-16").unwrap();
        assert_eq!(d.to_string(), "2021-11-16");
        assert_eq!(d.plus_days(15).to_string(), "2021-12-01");
        assert_eq!(d.plus_days(365).to_string(), "2022-11-16");
        assert_eq!(
            Date::parse("2024-02-29").unwrap().plus_days(1).to_string(),
            "2024-03-01"
        );
        assert!(Date::parse("2023-02-29").unwrap_err().contains("Feb 2023 has 28 days"));
        assert!(Date::parse("1900-02-29").is_err());
        assert!(Date::parse("2000-02-29").is_ok());
        assert!(Date::parse("2021-13-01").unwrap_err().contains("no month 13"));
        for bad in ["2021-1-16", "16/11/2021", "2021-11-16T00:00", "", "２０２１-11-16"] {
            assert!(Date::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(
            Date::parse("2021-11-16")
                .unwrap()
                .days_until(Date::parse("2022-01-01").unwrap()),
            46
        );
    }

    #[test]
    fn axis_labels_name_the_month() {
        let d = Date::parse("2022-01-05").unwrap();
        assert_eq!(d.short(true), "5 Jan 2022");
        assert_eq!(d.short(false), "5 Jan");
    }
}
