//! `simulation.warmup_days` as written: a number of days, or `"auto"`
//! (the warm-up chosen after the run from its own output by the Monte
//! Carlo experiment's automatic warm-up).

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::borrow::Cow;
use std::fmt;

/// The warm-up as written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WarmupSpec {
    /// This many days at the start left out of the statistics.
    Days(u32),
    /// Chosen after the run from the steady-state metrics (their
    /// statistical inefficiency and MSER-5).
    Auto,
}

impl Default for WarmupSpec {
    /// No warm-up.
    fn default() -> WarmupSpec {
        WarmupSpec::Days(0)
    }
}

impl WarmupSpec {
    /// The declared days (0 for `"auto"`: the run itself keeps everything).
    pub fn days(self) -> u32 {
        match self {
            WarmupSpec::Days(d) => d,
            WarmupSpec::Auto => 0,
        }
    }
}

impl JsonSchema for WarmupSpec {
    fn schema_name() -> Cow<'static, str> {
        "Warmup".into()
    }

    fn inline_schema() -> bool {
        true
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "oneOf": [
                { "type": "integer", "minimum": 0, "description": "Days at the start left out of the statistics." },
                { "const": "auto", "description": "Chosen after the run from the waits, utilisation and builds waiting: at least four times how long they stay correlated, and no earlier than MSER-5 finds the other half of the replications settled." }
            ]
        })
    }
}

impl Serialize for WarmupSpec {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            WarmupSpec::Days(d) => s.serialize_u32(*d),
            WarmupSpec::Auto => s.serialize_str("auto"),
        }
    }
}

struct WarmupVisitor;

impl Visitor<'_> for WarmupVisitor {
    type Value = WarmupSpec;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a whole number of days (0 or more) or \"auto\"")
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<WarmupSpec, E> {
        u32::try_from(v)
            .map(WarmupSpec::Days)
            .map_err(|_| E::invalid_value(de::Unexpected::Signed(v), &self))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<WarmupSpec, E> {
        u32::try_from(v)
            .map(WarmupSpec::Days)
            .map_err(|_| E::invalid_value(de::Unexpected::Unsigned(v), &self))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<WarmupSpec, E> {
        if v == "auto" {
            Ok(WarmupSpec::Auto)
        } else {
            Err(E::invalid_value(de::Unexpected::Str(v), &self))
        }
    }
}

impl<'de> Deserialize<'de> for WarmupSpec {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<WarmupSpec, D::Error> {
        d.deserialize_any(WarmupVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize)]
    struct T {
        w: WarmupSpec,
    }

    fn parse(s: &str) -> Result<WarmupSpec, String> {
        toml::from_str::<T>(&format!("w = {s}"))
            .map(|t| t.w)
            .map_err(|e| e.to_string())
    }

    #[test]
    fn a_number_of_days_or_auto_is_read_and_anything_else_refused_by_name() {
        assert_eq!(parse("30"), Ok(WarmupSpec::Days(30)));
        assert_eq!(parse("\"auto\""), Ok(WarmupSpec::Auto));
        for bad in ["-1", "\"automatic\"", "2.5", "5000000000"] {
            let e = parse(bad).unwrap_err();
            assert!(e.contains("\"auto\""), "{bad}: {e}");
        }
    }
}
