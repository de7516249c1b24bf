//! A result's provenance ([`crate::experiments::provenance`]) in its
//! files: the first member of every command's JSON, read back by the
//! output manager to refuse replacing the results of another run.

use crate::experiments::provenance::Provenance;
use serde::Deserialize;

/// `json` (a pretty-printed JSON object, as every exporter writes one) with
/// `"provenance": p` as its first member.
pub(crate) fn with_provenance(json: &[u8], p: &Provenance) -> Vec<u8> {
    let Some(rest) = json.strip_prefix(b"{\n") else {
        return json.to_vec();
    };
    let value = serde_json::to_string_pretty(p).unwrap_or_else(|_| "null".into());
    let indented = value.replace('\n', "\n  ");
    let mut out = Vec::with_capacity(json.len() + indented.len() + 32);
    out.extend_from_slice(b"{\n  \"provenance\": ");
    out.extend_from_slice(indented.as_bytes());
    out.extend_from_slice(b",\n");
    out.extend_from_slice(rest);
    out
}

/// The provenance recorded in `json` (a command's JSON), if any.
pub(crate) fn read_provenance(json: &[u8]) -> Option<Provenance> {
    #[derive(Deserialize)]
    struct Head {
        provenance: Provenance,
    }
    serde_json::from_slice::<Head>(json).ok().map(|h| h.provenance)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::experiments::provenance::InputFile;

    fn p() -> Provenance {
        Provenance {
            gatesim_version: "0.1.0".into(),
            command_line: vec!["gatesim".into(), "run".into(), "a b.toml".into()],
            command: "run".into(),
            overrides: vec!["users.churn_per_stale_day=0.001".into()],
            seed: Some(7),
            inputs: vec![InputFile {
                path: "a b.toml".into(),
                sha256: "00ff".into(),
            }],
        }
    }

    #[test]
    fn provenance_becomes_the_first_member_of_a_json_object_and_reads_back() {
        let json = b"{\n  \"run\": 1,\n  \"x\": [\n    2\n  ]\n}\n";
        let with = with_provenance(json, &p());
        let v: serde_json::Value = serde_json::from_slice(&with).unwrap();
        assert_eq!(v["run"], 1);
        assert_eq!(v["provenance"]["seed"], 7);
        assert!(String::from_utf8_lossy(&with).starts_with("{\n  \"provenance\": {\n    \"gatesim_version\""));
        assert_eq!(read_provenance(&with), Some(p()));
    }

    #[test]
    fn the_command_line_is_quoted_where_a_shell_needs_it() {
        assert_eq!(p().command_text(), "gatesim run 'a b.toml'");
        assert_eq!(
            p().overrides_line().unwrap(),
            "overrides: --set users.churn_per_stale_day=0.001"
        );
    }
}
