//! Dates as a scenario writes them: `simulation.start_date` and the day of
//! a `[[changes]]` entry given as a date instead of a day number. Both are
//! read from a TOML date (`2021-11-16`, unquoted) or a string
//! (`"2021-11-16"`), kept as the text until validation checks it against
//! the calendar (so every problem is reported with its key path), and
//! written back as a string.

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize, Serializer};
use std::borrow::Cow;
use std::fmt;

/// A date as written, not yet checked against the calendar.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DateText(pub String);

/// The day a change takes effect: a day number since the start, or a date
/// (which needs `simulation.start_date`).
#[derive(Clone, Debug, PartialEq)]
pub enum ChangeDay {
    /// Days since the start.
    Day(f64),
    /// A calendar date.
    Date(DateText),
}

/// What a date may be written as, for error messages.
const EXPECTED_DATE: &str = "a date written YYYY-MM-DD, e.g. 2021-11-16";

/// A TOML date-time's text when it is a date alone.
fn toml_date<'de, A: MapAccess<'de>>(map: A) -> Result<String, A::Error> {
    let dt = toml::value::Datetime::deserialize(de::value::MapAccessDeserializer::new(map))?;
    match (dt.date, dt.time, dt.offset) {
        (Some(_), None, None) => Ok(dt.to_string()),
        _ => Err(de::Error::custom(format!(
            "`{dt}` has a time of day; expected {EXPECTED_DATE}"
        ))),
    }
}

struct DateVisitor;

impl<'de> Visitor<'de> for DateVisitor {
    type Value = DateText;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(EXPECTED_DATE)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<DateText, E> {
        Ok(DateText(v.to_string()))
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<DateText, A::Error> {
        toml_date(map).map(DateText)
    }
}

impl<'de> Deserialize<'de> for DateText {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<DateText, D::Error> {
        d.deserialize_any(DateVisitor)
    }
}

impl Serialize for DateText {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl JsonSchema for DateText {
    fn schema_name() -> Cow<'static, str> {
        "Date".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "A calendar date, YYYY-MM-DD (a TOML date or a string).",
            "type": "string",
            "format": "date"
        })
    }
}

struct DayVisitor;

impl<'de> Visitor<'de> for DayVisitor {
    type Value = ChangeDay;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a number of days since the start, or {EXPECTED_DATE}")
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<ChangeDay, E> {
        Ok(ChangeDay::Day(v as f64))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<ChangeDay, E> {
        Ok(ChangeDay::Day(v as f64))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<ChangeDay, E> {
        Ok(ChangeDay::Day(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<ChangeDay, E> {
        Ok(ChangeDay::Date(DateText(v.to_string())))
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<ChangeDay, A::Error> {
        toml_date(map).map(|t| ChangeDay::Date(DateText(t)))
    }
}

impl<'de> Deserialize<'de> for ChangeDay {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<ChangeDay, D::Error> {
        d.deserialize_any(DayVisitor)
    }
}

impl Serialize for ChangeDay {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            ChangeDay::Day(d) => s.serialize_f64(*d),
            ChangeDay::Date(t) => t.serialize(s),
        }
    }
}

impl JsonSchema for ChangeDay {
    fn schema_name() -> Cow<'static, str> {
        "ChangeDay".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "The day at whose start it takes effect: a whole number of days since the start, or a date (YYYY-MM-DD) when simulation.start_date is given.",
            "oneOf": [
                { "type": "number", "minimum": 0, "multipleOf": 1, "x-unit": "days since the start" },
                { "type": "string", "format": "date" }
            ]
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize, Serialize)]
    struct Probe {
        day: ChangeDay,
        #[serde(default)]
        date: Option<DateText>,
    }

    #[test]
    fn a_day_is_a_number_a_toml_date_or_a_string() {
        let p: Probe = toml::from_str("day = 12\ndate = 2021-11-16").unwrap();
        assert_eq!(p.day, ChangeDay::Day(12.0));
        assert_eq!(p.date, Some(DateText("2021-11-16".into())));
        let p: Probe = toml::from_str("day = 2021-12-01").unwrap();
        assert_eq!(p.day, ChangeDay::Date(DateText("2021-12-01".into())));
        let p: Probe = toml::from_str("day = \"2021-12-01\"").unwrap();
        assert_eq!(p.day, ChangeDay::Date(DateText("2021-12-01".into())));
        let p: Probe = toml::from_str("day = 3.5").unwrap();
        assert_eq!(p.day, ChangeDay::Day(3.5));
    }

    #[test]
    fn a_time_of_day_is_refused_and_a_date_is_written_back_as_text() {
        let e = toml::from_str::<Probe>("day = 2021-12-01T08:00:00").err().unwrap();
        assert!(e.message().contains("has a time of day"), "{e}");
        let e = toml::from_str::<Probe>("day = true").err().unwrap();
        assert!(e.message().contains("or a date written YYYY-MM-DD"), "{e}");
        let p: Probe = toml::from_str("day = 2021-12-01\ndate = \"2021-11-16\"").unwrap();
        let back = toml::to_string(&p).unwrap();
        assert!(back.contains("day = \"2021-12-01\""), "{back}");
        assert!(back.contains("date = \"2021-11-16\""), "{back}");
    }
}
