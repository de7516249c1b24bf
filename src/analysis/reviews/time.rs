//! ISO 8601 date-times as review logs write them, read onto one time line:
//! a calendar date `2021-11-19`, then `T` (or a space) and a time of day
//! `10:30`, `10:30:00` or `10:30:00.250` (the fraction after a point or a
//! comma, kept to the microsecond), then, optionally, the offset from UTC:
//! `Z`, `+08:00`, `+0800` or `+08`. A date alone is its midnight. A time
//! with an offset is converted to UTC; a time without one is read as it is
//! (a log's times without offsets are taken to share one clock, and a log
//! may not mix the two, which [`super::log`] checks). Every field is
//! checked: the month, the day in that month of that year (leap years as
//! the Gregorian calendar has them), hours 0 to 23 (no `24:00`), minutes
//! and seconds 0 to 59 (no leap second: logs do not write them).

/// Microseconds in a second.
const MICROS_PER_SECOND: i64 = 1_000_000;

/// A point on the time line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct DateTime {
    /// Microseconds since 1970-01-01T00:00:00 (UTC when `offset`).
    pub(crate) micros: i64,
    /// Whether the text gave its offset from UTC.
    pub(crate) offset: bool,
}

impl DateTime {
    /// Hours since 1970-01-01T00:00:00.
    pub(crate) fn hours(self) -> f64 {
        self.micros as f64 / (3600.0 * MICROS_PER_SECOND as f64)
    }
}

use crate::core::calendar::{civil_from_days, days_from_civil, days_in_month};

/// `t` written as [`parse`] reads it: `2021-11-19T02:30:00Z` (UTC) when it
/// had an offset, without the `Z` when not; a fraction of a second only
/// when there is one.
pub(crate) fn format(t: DateTime) -> String {
    let day = t.micros.div_euclid(86_400 * MICROS_PER_SECOND);
    let in_day = t.micros.rem_euclid(86_400 * MICROS_PER_SECOND);
    let (y, m, d) = civil_from_days(day);
    let seconds = in_day / MICROS_PER_SECOND;
    let micros = in_day % MICROS_PER_SECOND;
    let mut out = format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}",
        seconds / 3600,
        seconds / 60 % 60,
        seconds % 60
    );
    if micros > 0 {
        out.push_str(format!(".{micros:06}").trim_end_matches('0'));
    }
    if t.offset {
        out.push('Z');
    }
    out
}

/// A run of exactly `n` ASCII digits at the start of `s`, and the rest.
fn digits(s: &str, n: usize) -> Option<(i64, &str)> {
    let head = s.get(..n)?;
    if !head.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some((head.parse().ok()?, &s[n..]))
}

/// `s` without its leading `c`, if it starts with it.
fn after(s: &str, c: char) -> Option<&str> {
    s.strip_prefix(c)
}

/// The date-time `text` writes, or what is wrong with it (a phrase to end
/// "is not a date-time: ...").
pub(crate) fn parse(text: &str) -> Result<DateTime, String> {
    let shape = "expected an ISO 8601 date-time such as 2021-11-19T10:30:00+08:00";
    let (year, rest) = digits(text, 4).ok_or(shape)?;
    let rest = after(rest, '-').ok_or(shape)?;
    let (month, rest) = digits(rest, 2).ok_or(shape)?;
    let rest = after(rest, '-').ok_or(shape)?;
    let (day, rest) = digits(rest, 2).ok_or(shape)?;
    if !(1..=12).contains(&month) {
        return Err(format!("month {month} (months are 01 to 12)"));
    }
    let last = days_in_month(year, month);
    if !(1..=last).contains(&day) {
        return Err(format!("day {day} of month {month:02} of {year} (it has {last} days)"));
    }
    let date_micros = days_from_civil(year, month, day) * 86_400 * MICROS_PER_SECOND;
    if rest.is_empty() {
        return Ok(DateTime {
            micros: date_micros,
            offset: false,
        });
    }
    let rest = rest
        .strip_prefix(['T', 't', ' '])
        .ok_or("expected `T` or a space between the date and the time, as in 2021-11-19T10:30:00")?;
    let (hour, rest) = digits(rest, 2).ok_or(shape)?;
    let rest = after(rest, ':').ok_or("expected the time as hh:mm or hh:mm:ss, as in 10:30:00")?;
    let (minute, mut rest) = digits(rest, 2).ok_or("expected the time as hh:mm or hh:mm:ss, as in 10:30:00")?;
    let (mut second, mut micros) = (0, 0);
    if let Some(r) = after(rest, ':') {
        let (s, r) = digits(r, 2).ok_or("expected two digits of seconds, as in 10:30:05")?;
        second = s;
        rest = r;
        if let Some(r) = rest.strip_prefix(['.', ',']) {
            let n = r.bytes().take_while(u8::is_ascii_digit).count();
            if n == 0 {
                return Err("expected digits after the decimal mark of the seconds".into());
            }
            let kept = &r[..n.min(6)];
            let scale = 10i64.pow(6 - kept.len() as u32);
            micros = kept.parse::<i64>().map_err(|_| shape)? * scale;
            rest = &r[n..];
        }
    }
    if hour > 23 {
        return Err(format!(
            "hour {hour} (hours are 00 to 23; write 24:00 as 00:00 of the next day)"
        ));
    }
    if minute > 59 {
        return Err(format!("minute {minute} (minutes are 00 to 59)"));
    }
    if second > 59 {
        return Err(format!(
            "second {second} (seconds are 00 to 59; leap seconds are not accepted)"
        ));
    }
    let local = date_micros + ((hour * 60 + minute) * 60 + second) * MICROS_PER_SECOND + micros;
    let (shift, offset) = match rest {
        "" => (0, false),
        "Z" | "z" => (0, true),
        _ => (offset_minutes(rest)?, true),
    };
    Ok(DateTime {
        micros: local - shift * 60 * MICROS_PER_SECOND,
        offset,
    })
}

/// The offset `+08:00`, `-0330` or `+08` in minutes east of UTC.
fn offset_minutes(text: &str) -> Result<i64, String> {
    let bad = || format!("`{text}` is not an offset from UTC (expected Z, +08:00, +0800 or +08)");
    let sign = match text.as_bytes().first() {
        Some(b'+') => 1,
        Some(b'-') => -1,
        _ => return Err(bad()),
    };
    let body = &text[1..];
    let (hours, rest) = digits(body, 2).ok_or_else(bad)?;
    let rest = rest.strip_prefix(':').unwrap_or(rest);
    let minutes = match rest {
        "" => 0,
        _ => match digits(rest, 2) {
            Some((m, "")) => m,
            _ => return Err(bad()),
        },
    };
    if hours > 23 || minutes > 59 {
        return Err(format!("the offset {text} is out of range (at most ±23:59)"));
    }
    Ok(sign * (hours * 60 + minutes))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hours(text: &str) -> f64 {
        parse(text).unwrap().hours()
    }

    #[test]
    fn dates_count_days_as_the_gregorian_calendar_does() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        assert_eq!(days_from_civil(1969, 12, 31), -1);
        // 2021-11-19 is day 18,950 (date -d 2021-11-19 +%s / 86400).
        assert_eq!(days_from_civil(2021, 11, 19), 18_950);
        assert_eq!(parse("2021-11-19").unwrap().micros, 18_950 * 86_400 * 1_000_000);
        assert!(parse("2024-02-29").is_ok() && parse("2000-02-29").is_ok());
        assert!(parse("2023-02-29").unwrap_err().contains("it has 28 days"));
        assert!(parse("1900-02-29").is_err());
        // Consecutive days are 24 hours apart across a month and a year.
        assert_eq!(hours("2022-01-01T00:00") - hours("2021-12-31T00:00"), 24.0);
    }

    #[test]
    fn date_times_are_written_back_as_they_are_read() {
        for text in [
            "2021-11-19T02:30:00Z",
            "1969-12-31T23:59:59.5",
            "2000-02-29T00:00:00",
            "0001-01-01T00:00:00Z",
        ] {
            assert_eq!(format(parse(text).unwrap()), text);
        }
        for day in [-800_000, -1, 0, 59, 11_016, 18_950, 2_000_000] {
            let (y, m, d) = civil_from_days(day);
            assert_eq!(days_from_civil(y, m, d), day);
        }
    }

    #[test]
    fn offsets_put_every_time_on_one_line() {
        let utc = parse("2021-11-19T02:30:00Z").unwrap();
        for same in [
            "2021-11-19T10:30:00+08:00",
            "2021-11-19T10:30:00+0800",
            "2021-11-19T10:30+08",
            "2021-11-18T21:00:00-05:30",
            "2021-11-19 02:30:00z",
        ] {
            assert_eq!(parse(same).unwrap(), utc, "{same}");
        }
        let naive = parse("2021-11-19T02:30:00").unwrap();
        assert_eq!(naive.micros, utc.micros);
        assert!(!naive.offset && utc.offset);
        // Fractions to the microsecond, after a point or a comma.
        assert_eq!(parse("2021-11-19T02:30:00.25Z").unwrap().micros - utc.micros, 250_000);
        assert_eq!(
            parse("2021-11-19T02:30:00,1234567Z").unwrap().micros - utc.micros,
            123_456
        );
    }

    #[test]
    fn what_is_not_a_date_time_is_refused_with_the_reason() {
        for (text, why) in [
            ("2021-13-01T00:00", "month 13"),
            ("2021-11-31T00:00", "day 31"),
            ("2021-11-19T24:00", "hour 24"),
            ("2021-11-19T10:60", "minute 60"),
            ("2021-11-19T23:59:60Z", "leap seconds"),
            ("2021-11-19T10:30+8", "not an offset"),
            ("2021-11-19T10:30+24:00", "out of range"),
            ("2021-11-19T10:30:00.Z", "digits after the decimal mark"),
            ("2021-11-19T10", "hh:mm"),
            ("2021-11-19X10:30", "`T` or a space"),
            ("19/11/2021", "ISO 8601"),
            ("21-11-19", "ISO 8601"),
            ("2021-1-19", "ISO 8601"),
            ("2021-11-19T10:30:00 +08:00", "not an offset"),
            ("", "ISO 8601"),
            ("２０２１-11-19", "ISO 8601"),
        ] {
            let e = parse(text).unwrap_err();
            assert!(e.contains(why), "{text}: {e}");
        }
    }
}
