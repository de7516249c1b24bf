//! How a distribution is written in a scenario: a bare number (a fixed
//! value), the string `"never"`, or a table tagged by `dist`, e.g.
//! `{ dist = "lognormal", median = 20, sigma = 0.5 }`. The raw form only; it
//! is turned into a validated [`crate::core::dist::Dist`] by [`DistSpec::build`].

use crate::core::dist::{Dist, DistError, Support};
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::borrow::Cow;
use std::fmt;

/// A distribution as written in a table.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "dist", rename_all = "snake_case", deny_unknown_fields)]
pub enum DistTable {
    /// `{ dist = "fixed", value = 7 }`
    Fixed {
        /// The value.
        value: f64,
    },
    /// `{ dist = "uniform", low = 1, high = 3 }`
    Uniform {
        /// Lower bound.
        low: f64,
        /// Upper bound.
        high: f64,
    },
    /// `{ dist = "exponential", mean = 7 }`
    Exponential {
        /// Mean.
        #[schemars(extend("exclusiveMinimum" = 0))]
        mean: f64,
    },
    /// `{ dist = "normal", mean = 24, sd = 6 }` (durations: truncated at 0)
    Normal {
        /// Mean.
        mean: f64,
        /// Standard deviation.
        #[schemars(extend("exclusiveMinimum" = 0))]
        sd: f64,
    },
    /// `{ dist = "lognormal", median = 20, sigma = 0.5 }`
    Lognormal {
        /// Median.
        #[schemars(extend("exclusiveMinimum" = 0))]
        median: f64,
        /// Standard deviation of the log.
        #[schemars(range(min = 0.0))]
        sigma: f64,
    },
    /// `{ dist = "gamma", shape = 2, scale = 3 }`
    Gamma {
        /// Shape k.
        #[schemars(extend("exclusiveMinimum" = 0))]
        shape: f64,
        /// Scale theta.
        #[schemars(extend("exclusiveMinimum" = 0))]
        scale: f64,
    },
    /// `{ dist = "weibull", shape = 1.5, scale = 10 }`
    Weibull {
        /// Shape k.
        #[schemars(extend("exclusiveMinimum" = 0))]
        shape: f64,
        /// Scale lambda.
        #[schemars(extend("exclusiveMinimum" = 0))]
        scale: f64,
    },
    /// `{ dist = "empirical", values = [1, 2, 5], weights = [5, 3, 2] }`
    Empirical {
        /// Possible values.
        #[schemars(length(min = 1))]
        values: Vec<f64>,
        /// Their weights (0 or more, not all 0; one per value).
        #[schemars(length(min = 1), inner(range(min = 0.0)))]
        weights: Vec<f64>,
    },
    /// `{ dist = "never" }`
    Never,
}

/// A distribution as written in a scenario.
#[derive(Clone, Debug, PartialEq)]
pub enum DistSpec {
    /// A bare number: always that value.
    Value(f64),
    /// The bare string `"never"`.
    Never,
    /// A tagged table.
    Table(DistTable),
}

impl DistSpec {
    /// The validated distribution. `allow_never` says whether `never` makes
    /// sense here (a hold, a cadence) or not (a review time).
    pub fn build(&self, support: Support, allow_never: bool) -> Result<Dist, DistError> {
        let never = || {
            if allow_never {
                Ok(Dist::Never)
            } else {
                Err(DistError {
                    param: "",
                    message: "`never` is not allowed here: this must end".into(),
                })
            }
        };
        match self {
            DistSpec::Value(v) => Dist::fixed(*v, support),
            DistSpec::Never => never(),
            DistSpec::Table(t) => match t {
                DistTable::Fixed { value } => Dist::fixed(*value, support),
                DistTable::Uniform { low, high } => Dist::uniform(*low, *high, support),
                DistTable::Exponential { mean } => Dist::exponential(*mean),
                DistTable::Normal { mean, sd } => Dist::normal(*mean, *sd, support),
                DistTable::Lognormal { median, sigma } => Dist::lognormal(*median, *sigma),
                DistTable::Gamma { shape, scale } => Dist::gamma(*shape, *scale),
                DistTable::Weibull { shape, scale } => Dist::weibull(*shape, *scale),
                DistTable::Empirical { values, weights } => Dist::empirical(values.clone(), weights.clone(), support),
                DistTable::Never => never(),
            },
        }
    }
}

/// The three written forms, as a JSON Schema `oneOf`: a number, `"never"`,
/// or a tagged table (mirrors the hand-written [`Deserialize`] below).
impl JsonSchema for DistSpec {
    fn schema_name() -> Cow<'static, str> {
        "Distribution".into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let table = generator.subschema_for::<DistTable>();
        json_schema!({
            "description": "A distribution: a bare number (always that value), the string \"never\", or a table tagged by `dist`, e.g. { dist = \"lognormal\", median = 20, sigma = 0.5 }.",
            "oneOf": [
                { "type": "number", "description": "Always this value." },
                { "const": "never", "description": "Never happens: an indefinite hold, or no further build." },
                table
            ]
        })
    }
}

impl Serialize for DistSpec {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            DistSpec::Value(v) => s.serialize_f64(*v),
            DistSpec::Never => s.serialize_str("never"),
            DistSpec::Table(t) => t.serialize(s),
        }
    }
}

const EXPECTED: &str = "a number, \"never\", or a table such as { dist = \"exponential\", mean = 7 } \
     (dist is one of fixed, uniform, exponential, normal, lognormal, gamma, weibull, empirical, never)";

struct SpecVisitor;

impl<'de> Visitor<'de> for SpecVisitor {
    type Value = DistSpec;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(EXPECTED)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<DistSpec, E> {
        Ok(DistSpec::Value(v as f64))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<DistSpec, E> {
        Ok(DistSpec::Value(v as f64))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<DistSpec, E> {
        Ok(DistSpec::Value(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<DistSpec, E> {
        if v == "never" {
            Ok(DistSpec::Never)
        } else {
            Err(E::custom(format!("unknown distribution \"{v}\"; expected {EXPECTED}")))
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<DistSpec, A::Error> {
        DistTable::deserialize(de::value::MapAccessDeserializer::new(map)).map(DistSpec::Table)
    }
}

impl<'de> Deserialize<'de> for DistSpec {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<DistSpec, D::Error> {
        d.deserialize_any(SpecVisitor)
    }
}
