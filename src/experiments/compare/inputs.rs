//! Which inputs differ between scenarios: each key path whose value is not
//! the same in every scenario, with each scenario's value as TOML text, so
//! that a comparison says what it compares. Arrays of named tables
//! (platforms, review classes, populations) are matched by name
//! (`platforms.Taocaicai.class`), other arrays compared whole.

use crate::scenario::Loaded;
use serde::Serialize;
use std::collections::BTreeMap;
use toml::Value;

/// A key whose value differs between scenarios.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct InputDifference {
    /// The key path, arrays of named tables by name.
    pub key: String,
    /// Each scenario's value as TOML text, in scenario order (`None`: the
    /// key is absent there).
    pub values: Vec<Option<String>>,
}

/// The keys whose values differ between `scenarios` (their names, seeds
/// and replications aside: a comparison shares those), in key order.
pub(crate) fn differences(scenarios: &[&Loaded]) -> Vec<InputDifference> {
    let flat: Vec<BTreeMap<String, String>> = scenarios
        .iter()
        .map(|l| {
            let mut out = BTreeMap::new();
            if let Ok(Value::Table(t)) = Value::try_from(&l.raw) {
                flatten("", &Value::Table(t), &mut out);
            }
            for shared in ["name", "description", "simulation.seed", "simulation.replications"] {
                out.remove(shared);
            }
            out
        })
        .collect();
    let mut keys: Vec<&String> = flat.iter().flat_map(BTreeMap::keys).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter_map(|k| {
            let values: Vec<Option<String>> = flat.iter().map(|f| f.get(k).cloned()).collect();
            let same = values.iter().all(|v| *v == values[0]);
            (!same).then(|| InputDifference { key: k.clone(), values })
        })
        .collect()
}

/// Every leaf of `v` under `prefix`, as (key path, TOML text).
fn flatten(prefix: &str, v: &Value, out: &mut BTreeMap<String, String>) {
    let join = |k: &str| {
        if prefix.is_empty() {
            k.to_string()
        } else {
            format!("{prefix}.{k}")
        }
    };
    match v {
        Value::Table(t) => {
            for (k, x) in t {
                flatten(&join(k), x, out);
            }
        }
        Value::Array(items) if !items.is_empty() && items.iter().all(|i| named(i).is_some()) => {
            for i in items {
                let name = named(i).unwrap_or_default();
                flatten(&join(&name), i, out);
            }
        }
        other => {
            out.insert(prefix.to_string(), other.to_string());
        }
    }
}

/// The `name` of a table, if it is one and has one.
fn named(v: &Value) -> Option<String> {
    v.as_table()?.get("name")?.as_str().map(str::to_string)
}
