//! `docs/src/reference/scenario.md`: the scenario format's every key with its
//! type, unit, default, allowed range and meaning, grouped by table,
//! rendered from the JSON Schema of [`super::scenario_schema`] (so the
//! reference and the schema say the same thing). Keys are listed required
//! first, then alphabetically.

use serde_json::{Map, Value};

/// The Markdown reference.
pub fn reference_markdown() -> String {
    let schema = super::scenario_schema();
    let defs = schema
        .get("definitions")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let mut out = String::from(
        "# Scenario reference\n\n\
         Every key of a gatesim scenario file, generated from the types that load scenarios \
         (`gatesim schema --markdown`; do not edit by hand). The same source gives the JSON Schema \
         `scenarios/gatesim.schema.json`, which editors use to complete and check keys (see \
         [Writing a scenario](../guide/writing-a-scenario.md)).\n\n\
         A scenario is a TOML file. Every table refuses keys it does not know; a key left out takes its \
         default; `required` keys have none. A *distribution* is written as a bare number, the string \
         `\"never\"` or a table tagged by `dist` (see [Distributions](#distributions)); its unit is the \
         key's. Ranges are checked when the scenario is loaded (`gatesim check`), with more rules than \
         a schema can say (names must exist, the warm-up is shorter than the horizon, ...).\n",
    );
    let mut tables = Vec::new();
    collect_tables(&schema, "", false, &defs, &mut tables);
    for (heading, table) in &tables {
        out.push_str(&format!("\n## {heading}\n\n"));
        if let Some(d) = table.get("description").and_then(Value::as_str) {
            let d = one_line(d);
            // A struct's description that only repeats its heading says nothing more.
            if !d.starts_with('`') || d.contains(':') {
                out.push_str(&format!(
                    "{}\n\n",
                    capitalised(d.split_once(": ").map_or(d.as_str(), |x| x.1))
                ));
            }
        }
        out.push_str("| key | type | unit | default | range | meaning |\n|---|---|---|---|---|---|\n");
        for (key, prop, required) in keys(table) {
            out.push_str(&format!(
                "| `{key}` | {} | {} | {} | {} | {} |\n",
                type_of(prop, &defs),
                cell(prop.get("x-unit").and_then(Value::as_str).unwrap_or("")),
                default_of(prop, required, table_ref(prop, &defs).is_some()),
                range_of(prop),
                cell(&one_line(prop.get("description").and_then(Value::as_str).unwrap_or(""))),
            ));
        }
    }
    distributions(&mut out, &defs);
    out
}

/// Collects `(heading, table schema)` depth first: the table's own keys,
/// then its sub-tables and arrays of tables.
fn collect_tables(
    table: &Value,
    path: &str,
    array: bool,
    defs: &Map<String, Value>,
    out: &mut Vec<(String, Map<String, Value>)>,
) {
    let Some(obj) = table.as_object() else { return };
    let heading = match (path, array) {
        ("", _) => "Top level".to_string(),
        (p, true) => format!("`[[{p}]]`"),
        (p, false) => format!("`[{p}]`"),
    };
    out.push((heading, obj.clone()));
    for (key, prop, _) in keys(obj) {
        let sub = if path.is_empty() {
            key.to_string()
        } else {
            format!("{path}.{key}")
        };
        if let Some(t) = table_ref(prop, defs) {
            collect_tables(t, &sub, false, defs, out);
        } else if let Some(t) = prop.get("items").and_then(|i| table_ref(i, defs)) {
            collect_tables(t, &sub, true, defs, out);
        }
    }
}

/// The keys of a table: required first (in the schema's order), then the
/// others alphabetically; with whether each is required.
fn keys(table: &Map<String, Value>) -> Vec<(&str, &Value, bool)> {
    let required: Vec<&str> = table
        .get("required")
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let Some(props) = table.get("properties").and_then(Value::as_object) else {
        return Vec::new();
    };
    let mut out: Vec<(&str, &Value, bool)> = required
        .iter()
        .filter_map(|k| props.get_key_value(*k).map(|(k, v)| (k.as_str(), v, true)))
        .collect();
    out.extend(
        props
            .iter()
            .filter(|(k, _)| !required.contains(&k.as_str()))
            .map(|(k, v)| (k.as_str(), v, false)),
    );
    out
}

/// The referenced definition's name, if `v` is (or wraps) a `$ref`.
fn ref_name(v: &Value) -> Option<&str> {
    if let Some(r) = v.get("$ref").and_then(Value::as_str) {
        return r.rsplit('/').next();
    }
    v.get("allOf")?.as_array()?.first().and_then(ref_name)
}

/// The referenced definition, if it is a table (an object with properties).
fn table_ref<'a>(v: &Value, defs: &'a Map<String, Value>) -> Option<&'a Value> {
    let def = defs.get(ref_name(v)?)?;
    def.get("properties").map(|_| def)
}

fn type_of(prop: &Value, defs: &Map<String, Value>) -> String {
    if let Some(name) = ref_name(prop) {
        return if name == "Distribution" {
            "[distribution](#distributions)".into()
        } else if name == "Date" {
            "date".into()
        } else if name == "ChangeDay" {
            "number or date".into()
        } else if table_ref(prop, defs).is_some() {
            "table".into()
        } else {
            name.into()
        };
    }
    if let Some(values) = prop.get("enum").and_then(Value::as_array) {
        let v: Vec<String> = values.iter().map(|v| format!("`{v}`")).collect();
        return v.join(" or ");
    }
    // Alternatives written inline (a number of days or "auto"): each one's type or constant.
    if let Some(alts) = prop.get("oneOf").and_then(Value::as_array) {
        let v: Vec<String> = alts
            .iter()
            .map(|a| match a.get("const") {
                Some(c) => format!("`{c}`"),
                None => type_of(a, defs),
            })
            .collect();
        return v.join(" or ");
    }
    match prop.get("type").and_then(Value::as_str) {
        Some("array") => match prop.get("items") {
            Some(i) if table_ref(i, defs).is_some() => "array of tables".into(),
            Some(i) => format!("array of {}", type_of(i, defs)),
            None => "array".into(),
        },
        Some(t) => t.into(),
        None => String::new(),
    }
}

fn default_of(prop: &Value, required: bool, is_table: bool) -> String {
    if required {
        return "required".into();
    }
    match prop.get("default") {
        None => "none (optional)".into(),
        Some(_) if is_table => "see its keys".into(),
        Some(v) => format!("`{}`", toml_value(v)),
    }
}

/// A JSON value as written in TOML (inline tables for objects).
fn toml_value(v: &Value) -> String {
    match v {
        Value::Object(o) => {
            let inner: Vec<String> = o.iter().map(|(k, v)| format!("{k} = {}", toml_value(v))).collect();
            format!("{{ {} }}", inner.join(", "))
        }
        Value::Array(a) => format!("[{}]", a.iter().map(toml_value).collect::<Vec<_>>().join(", ")),
        other => other.to_string(),
    }
}

fn range_of(prop: &Value) -> String {
    // Inline alternatives: the ranges of those that have one.
    if let Some(alts) = prop.get("oneOf").and_then(Value::as_array) {
        let v: Vec<String> = alts.iter().map(range_of).filter(|r| !r.is_empty()).collect();
        return v.join("; ");
    }
    let num = |k: &str| {
        prop.get(k)
            .and_then(Value::as_f64)
            .map(|x| (x, prop.get(k).map(Value::to_string)))
    };
    let show = |x: Option<String>| {
        x.map(|s| s.strip_suffix(".0").map(str::to_string).unwrap_or(s))
            .unwrap_or_default()
    };
    let lower = num("exclusiveMinimum").map(|(_, s)| format!("> {}", show(s)));
    let lower_incl = num("minimum").map(|(_, s)| show(s));
    let upper = num("maximum").map(|(_, s)| show(s));
    let mut parts = Vec::new();
    match (lower_incl, upper, lower) {
        (Some(lo), Some(hi), _) => parts.push(format!("{lo} to {hi}")),
        (Some(lo), None, _) => parts.push(format!("≥ {lo}")),
        (None, Some(hi), Some(ex)) => parts.push(format!("{ex}, ≤ {hi}")),
        (None, Some(hi), None) => parts.push(format!("≤ {hi}")),
        (None, None, Some(ex)) => parts.push(ex),
        (None, None, None) => {}
    }
    if prop.get("multipleOf").and_then(Value::as_f64) == Some(1.0) {
        parts.push("whole numbers".into());
    }
    if let Some(n) = prop.get("minItems").and_then(Value::as_u64) {
        parts.push(format!("at least {n} entr{}", if n == 1 { "y" } else { "ies" }));
    }
    if let Some(p) = prop.get("items").map(range_of).filter(|r| !r.is_empty()) {
        parts.push(format!("each {p}"));
    }
    if let Some(p) = prop.get("pattern").and_then(Value::as_str) {
        parts.push(format!("matches `{p}`"));
    }
    cell(&parts.join("; "))
}

/// The Distributions section: the three forms and every tagged table.
fn distributions(out: &mut String, defs: &Map<String, Value>) {
    out.push_str("\n## Distributions\n\n");
    if let Some(d) = defs.get("Distribution") {
        if let Some(desc) = d.get("description").and_then(Value::as_str) {
            out.push_str(&format!("{}\n\n", one_line(desc)));
        }
        out.push_str("| written as | meaning |\n|---|---|\n");
        for alt in d.get("oneOf").and_then(Value::as_array).into_iter().flatten() {
            let desc = alt.get("description").and_then(Value::as_str).unwrap_or("");
            if let Some(c) = alt.get("const") {
                out.push_str(&format!("| `{c}` | {} |\n", cell(desc)));
            } else if alt.get("type").and_then(Value::as_str) == Some("number") {
                out.push_str(&format!("| a number, e.g. `7` | {} |\n", cell(desc)));
            } else if ref_name(alt).is_some() {
                out.push_str("| a table `{ dist = \"...\", ... }` | one of the tables below |\n");
            }
        }
    }
    let Some(table) = defs.get("DistTable") else { return };
    out.push_str("\n| `dist` | example | parameters |\n|---|---|---|\n");
    for v in table.get("oneOf").and_then(Value::as_array).into_iter().flatten() {
        let Some(tag) = v.pointer("/properties/dist/const").and_then(Value::as_str) else {
            continue;
        };
        let example = one_line(v.get("description").and_then(Value::as_str).unwrap_or(""));
        let params: Vec<String> = v
            .as_object()
            .map(keys)
            .unwrap_or_default()
            .into_iter()
            .filter(|(k, _, _)| *k != "dist")
            .map(|(k, p, _)| {
                let desc = one_line(p.get("description").and_then(Value::as_str).unwrap_or(""));
                let desc = desc.trim_end_matches('.');
                let range = range_of(p);
                if range.is_empty() {
                    format!("`{k}`: {desc}")
                } else {
                    format!("`{k}`: {desc} ({range})")
                }
            })
            .collect();
        out.push_str(&format!(
            "| `{tag}` | {} | {} |\n",
            cell(&example),
            if params.is_empty() {
                "none".into()
            } else {
                cell(&params.join("; "))
            }
        ));
    }
}

/// A description on one line.
fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `s` with its first letter capitalised.
fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next().map_or(String::new(), |f| f.to_uppercase().chain(c).collect())
}

/// Text safe in a Markdown table cell.
fn cell(s: &str) -> String {
    s.replace('|', "\\|")
}
