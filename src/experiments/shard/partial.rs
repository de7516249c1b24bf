//! The partial-result file a shard writes and `gatesim merge` reads.
//!
//! Layout (version 1), all integers little-endian:
//!
//! | bytes | what |
//! |---|---|
//! | 16 | the magic `GATESIM-PARTIAL\n` |
//! | 4 | format version |
//! | 8 + h | header length h, then the header as JSON ([`Header`]) |
//! | 8 + p | payload length p, then the payload, deflate-compressed |
//! | 32 | SHA-256 of every byte before it |
//!
//! The header says what the shard belongs to (kind, name, a hash of every
//! input that changes results, seed, replications, horizon, gatesim
//! version, K and N, the replication indices covered, or for a
//! sensitivity analysis the design points covered) so that merge can
//! refuse partials that do not belong together; the checksum catches a
//! truncated or corrupted file. The payload is the experiment's exact
//! accumulators, serialised by the experiment itself.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::io::{Read, Write};

/// The first bytes of every partial file.
pub const MAGIC: &[u8; 16] = b"GATESIM-PARTIAL\n";
/// The layout's version.
pub const FORMAT_VERSION: u32 = 2;
/// Largest payload accepted once decompressed (bytes): a guard against a
/// hostile file claiming an absurd size.
const MAX_PAYLOAD: u64 = 8 << 30;
/// Largest header accepted (bytes).
const MAX_HEADER: u64 = 1 << 20;

/// What a partial belongs to and what it covers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Header {
    /// The gatesim version that wrote it; merge needs the same one.
    pub gatesim_version: String,
    /// The command: `run`, `compare`, `sweep` or `sensitivity`.
    pub kind: String,
    /// The output folder's name (e.g. `guizhou`, `sweep-guizhou`).
    pub name: String,
    /// SHA-256 (hex) of every input that changes results: the resolved
    /// scenario(s), seed, replications, horizon, overrides, sweep points.
    pub inputs_sha256: String,
    /// Seed of every random stream.
    pub seed: u64,
    /// Replications of the whole run (all shards).
    pub replications: u64,
    /// Horizon (days).
    pub horizon_days: u32,
    /// This shard's number K, from 1.
    pub shard: u64,
    /// The number of shards N.
    pub shards: u64,
    /// First replication index covered (0-based), or first design point
    /// when [`Header::points`] is given.
    pub first_replication: u64,
    /// One past the last replication index (or design point) covered.
    pub end_replication: u64,
    /// Design points of the whole analysis, for a sensitivity analysis: its
    /// shards split the points (each point runs every replication), and
    /// the range covered is of points. Absent for the other commands.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub points: Option<u64>,
}

impl Header {
    /// What the shards split, and how many: `("points", n)` for a
    /// sensitivity analysis, `("candidates", n)` for a round of a
    /// calibration (its window of candidates, numbered from the window's
    /// first), else `("replications", n)`.
    pub fn units(&self) -> (&'static str, u64) {
        match self.points {
            Some(p) if self.kind == "calibrate" => ("candidates", p),
            Some(p) => ("points", p),
            None => ("replications", self.replications),
        }
    }
}

/// Why a file could not be read as a partial.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum PartialError {
    /// It does not start with the magic.
    #[error("not a gatesim partial result (it does not start with `GATESIM-PARTIAL`)")]
    NotAPartial,
    /// Written by a later layout.
    #[error("partial format version {0}, this gatesim reads version {FORMAT_VERSION}")]
    Version(u32),
    /// Shorter than its lengths say.
    #[error("truncated: the file ends before its {0}")]
    Truncated(&'static str),
    /// The checksum does not match.
    #[error("corrupted: its SHA-256 checksum does not match its content")]
    Checksum,
    /// The header is not valid.
    #[error("its header cannot be read: {0}")]
    Header(String),
    /// The payload does not decompress.
    #[error("its results cannot be decompressed: {0}")]
    Payload(String),
}

/// Hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// The SHA-256 of everything `reader` holds, in hexadecimal, read a block
/// at a time (a file of any size in constant memory).
pub(crate) fn sha256_hex_of(mut reader: impl std::io::Read) -> std::io::Result<String> {
    let mut hasher = Sha256::new();
    let mut block = vec![0u8; 1 << 16];
    loop {
        match reader.read(&mut block) {
            Ok(0) => break,
            Ok(n) => hasher.update(&block[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(hasher.finalize().iter().map(|b| format!("{b:02x}")).collect())
}

/// The bytes of a partial file holding `header` and `payload`.
pub fn encode(header: &Header, payload: &[u8]) -> Vec<u8> {
    let head = serde_json::to_vec(header).unwrap_or_default();
    let mut z = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
    // Writing to a Vec cannot fail.
    let _ = z.write_all(payload);
    let body = z.finish().unwrap_or_default();
    let mut out = Vec::with_capacity(16 + 4 + 16 + head.len() + body.len() + 32);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    out.extend_from_slice(&(head.len() as u64).to_le_bytes());
    out.extend_from_slice(&head);
    out.extend_from_slice(&(body.len() as u64).to_le_bytes());
    out.extend_from_slice(&body);
    let sum = Sha256::digest(&out);
    out.extend_from_slice(&sum);
    out
}

/// Reads `n` bytes at `*at`, or says which part is cut short.
fn take<'a>(bytes: &'a [u8], at: &mut usize, n: u64, what: &'static str) -> Result<&'a [u8], PartialError> {
    let n = usize::try_from(n).map_err(|_| PartialError::Truncated(what))?;
    let end = at.checked_add(n).ok_or(PartialError::Truncated(what))?;
    let s = bytes.get(*at..end).ok_or(PartialError::Truncated(what))?;
    *at = end;
    Ok(s)
}

fn length(bytes: &[u8], at: &mut usize, what: &'static str) -> Result<u64, PartialError> {
    let b = take(bytes, at, 8, what)?;
    Ok(u64::from_le_bytes(
        b.try_into().map_err(|_| PartialError::Truncated(what))?,
    ))
}

/// Reads only the header of a partial file, checking magic, version,
/// lengths and checksum.
pub fn read_header(bytes: &[u8]) -> Result<Header, PartialError> {
    Ok(split(bytes)?.0)
}

fn split(bytes: &[u8]) -> Result<(Header, &[u8]), PartialError> {
    if bytes.len() < MAGIC.len() || &bytes[..MAGIC.len()] != MAGIC {
        return Err(PartialError::NotAPartial);
    }
    let mut at = MAGIC.len();
    let v = take(bytes, &mut at, 4, "format version")?;
    let version = u32::from_le_bytes(v.try_into().map_err(|_| PartialError::Truncated("format version"))?);
    if version != FORMAT_VERSION {
        return Err(PartialError::Version(version));
    }
    let h = length(bytes, &mut at, "header")?;
    if h > MAX_HEADER {
        return Err(PartialError::Header(format!("a header of {h} bytes is too long")));
    }
    let head = take(bytes, &mut at, h, "header")?;
    let p = length(bytes, &mut at, "results")?;
    let body = take(bytes, &mut at, p, "results")?;
    let sum = take(bytes, &mut at, 32, "checksum")?;
    if at != bytes.len() {
        return Err(PartialError::Checksum);
    }
    if Sha256::digest(&bytes[..at - 32]).as_slice() != sum {
        return Err(PartialError::Checksum);
    }
    let header: Header = serde_json::from_slice(head).map_err(|e| PartialError::Header(e.to_string()))?;
    Ok((header, body))
}

/// Reads a partial file: its header and its decompressed payload.
pub fn decode(bytes: &[u8]) -> Result<(Header, Vec<u8>), PartialError> {
    let (header, body) = split(bytes)?;
    let mut payload = Vec::new();
    flate2::read::DeflateDecoder::new(body)
        .take(MAX_PAYLOAD + 1)
        .read_to_end(&mut payload)
        .map_err(|e| PartialError::Payload(e.to_string()))?;
    if payload.len() as u64 > MAX_PAYLOAD {
        return Err(PartialError::Payload("it decompresses to more than 8 GiB".into()));
    }
    Ok((header, payload))
}

/// Checks that `partials` (a name for messages, and the header) are the N
/// shards of one run, each once, with nothing missing; returns them
/// ordered by shard. Messages name the files.
pub fn check_complete<T>(partials: &[(String, Header, T)]) -> Result<Vec<&(String, Header, T)>, String> {
    let Some((first_name, first, _)) = partials.first() else {
        return Err("no partial results to merge".into());
    };
    for (name, h, _) in partials {
        let differs = |what: &str, a: &dyn std::fmt::Display, b: &dyn std::fmt::Display| {
            format!("{name} does not belong with {first_name}: its {what} is {a}, not {b}")
        };
        if h.gatesim_version != first.gatesim_version {
            return Err(differs("gatesim version", &h.gatesim_version, &first.gatesim_version));
        }
        if h.kind != first.kind {
            return Err(differs("command", &h.kind, &first.kind));
        }
        if h.name != first.name {
            return Err(differs("scenario", &h.name, &first.name));
        }
        if h.seed != first.seed {
            return Err(differs("seed", &h.seed, &first.seed));
        }
        if h.replications != first.replications {
            return Err(differs("replication count", &h.replications, &first.replications));
        }
        if h.horizon_days != first.horizon_days {
            return Err(differs("horizon (days)", &h.horizon_days, &first.horizon_days));
        }
        if h.points != first.points {
            let count = |p: Option<u64>| p.map_or_else(|| "none".to_string(), |p| p.to_string());
            return Err(differs("design point count", &count(h.points), &count(first.points)));
        }
        if h.shards != first.shards {
            return Err(differs("number of shards", &h.shards, &first.shards));
        }
        if h.inputs_sha256 != first.inputs_sha256 {
            return Err(format!(
                "{name} does not belong with {first_name}: they were run from different inputs (scenario, overrides or parameters differ)"
            ));
        }
        let (unit, count) = h.units();
        let expected = super::Shard::new(h.shard, h.shards).map(|s| s.replications(count));
        if expected != Ok(h.first_replication..h.end_replication) {
            return Err(format!(
                "{name}: its header is inconsistent (shard {}/{} of {count} {unit} cannot cover {} to {})",
                h.shard, h.shards, h.first_replication, h.end_replication
            ));
        }
    }
    let mut by_shard: BTreeMap<u64, &(String, Header, T)> = BTreeMap::new();
    for p in partials {
        if let Some(other) = by_shard.insert(p.1.shard, p) {
            return Err(format!(
                "shard {}/{} given twice: {} and {}",
                p.1.shard, p.1.shards, other.0, p.0
            ));
        }
    }
    let (unit, count) = first.units();
    for k in 1..=first.shards {
        if !by_shard.contains_key(&k) {
            let r = super::Shard::new(k, first.shards)
                .map(|s| s.replications(count))
                .unwrap_or(0..0);
            let what = if r.is_empty() {
                format!("no {unit}")
            } else {
                format!("{unit} {} to {}", r.start, r.end - 1)
            };
            return Err(format!("shard {k}/{} missing: {what}", first.shards));
        }
    }
    Ok(by_shard.into_values().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(k: u64, n: u64) -> Header {
        let r = super::super::Shard::new(k, n).unwrap().replications(1000);
        Header {
            gatesim_version: "0.1.0".into(),
            kind: "run".into(),
            name: "guizhou".into(),
            inputs_sha256: sha256_hex(b"inputs"),
            seed: 7,
            replications: 1000,
            horizon_days: 240,
            shard: k,
            shards: n,
            first_replication: r.start,
            end_replication: r.end,
            points: None,
        }
    }

    #[test]
    fn a_partial_reads_back_its_header_and_payload() {
        let payload: Vec<u8> = (0..10_000u32).flat_map(|i| (i % 251).to_le_bytes()).collect();
        let bytes = encode(&header(2, 3), &payload);
        assert!(bytes.len() < payload.len() / 4, "compressed");
        assert_eq!(decode(&bytes), Ok((header(2, 3), payload)));
    }

    #[test]
    fn a_truncated_corrupted_or_foreign_file_is_refused_with_the_reason() {
        let bytes = encode(&header(1, 3), b"results");
        assert_eq!(decode(b"hello"), Err(PartialError::NotAPartial));
        assert_eq!(decode(b"name = \"guizhou\"\n"), Err(PartialError::NotAPartial));
        for cut in [17, 30, bytes.len() - 40, bytes.len() - 1] {
            assert!(
                matches!(decode(&bytes[..cut]), Err(PartialError::Truncated(_))),
                "cut at {cut}: {:?}",
                decode(&bytes[..cut])
            );
        }
        let mut flipped = bytes.clone();
        let mid = flipped.len() / 2;
        flipped[mid] ^= 1;
        assert_eq!(decode(&flipped), Err(PartialError::Checksum));
        let mut longer = bytes.clone();
        longer.push(0);
        assert_eq!(decode(&longer), Err(PartialError::Checksum));
        let mut later = bytes;
        later[16] = 9;
        assert_eq!(decode(&later), Err(PartialError::Version(9)));
    }

    fn set(parts: &[(u64, u64)]) -> Vec<(String, Header, ())> {
        parts
            .iter()
            .map(|&(k, n)| (format!("s{k}.partial"), header(k, n), ()))
            .collect()
    }

    #[test]
    fn a_complete_set_is_ordered_by_shard_whatever_the_order_given() {
        let given = set(&[(3, 3), (1, 3), (2, 3)]);
        let ok = check_complete(&given).unwrap();
        assert_eq!(ok.iter().map(|p| p.1.shard).collect::<Vec<_>>(), vec![1, 2, 3]);
    }

    #[test]
    fn a_missing_or_repeated_shard_or_a_foreign_partial_is_refused_by_name() {
        let e = check_complete(&set(&[(1, 3), (3, 3)])).unwrap_err();
        assert_eq!(e, "shard 2/3 missing: replications 333 to 665");
        let e = check_complete(&set(&[(1, 3), (2, 3), (2, 3), (3, 3)])).unwrap_err();
        assert!(e.contains("shard 2/3 given twice: s2.partial and s2.partial"), "{e}");
        let mut other = set(&[(1, 2), (2, 2)]);
        other[1].1.seed = 8;
        let e = check_complete(&other).unwrap_err();
        assert!(
            e.contains("s2.partial does not belong with s1.partial: its seed is 8, not 7"),
            "{e}"
        );
        let mut other = set(&[(1, 2), (2, 2)]);
        other[1].1.inputs_sha256 = sha256_hex(b"else");
        assert!(check_complete(&other).unwrap_err().contains("different inputs"));
        let mut other = set(&[(1, 2), (2, 2)]);
        other[0].1.gatesim_version = "0.0.9".into();
        assert!(check_complete(&other).unwrap_err().contains("gatesim version"));
        assert!(
            check_complete(&set(&[(1, 2), (2, 3)]))
                .unwrap_err()
                .contains("number of shards")
        );
    }

    /// Shard `k` of `n` of a sensitivity analysis of 12 design points.
    fn points_header(k: u64, n: u64) -> Header {
        let r = super::super::Shard::new(k, n).unwrap().replications(12);
        Header {
            kind: "sensitivity".into(),
            replications: 2,
            first_replication: r.start,
            end_replication: r.end,
            points: Some(12),
            ..header(k, n)
        }
    }

    #[test]
    fn sensitivity_shards_cover_design_points_and_a_missing_one_names_its_points() {
        let given: Vec<(String, Header, ())> = [3u64, 1]
            .iter()
            .map(|&k| (format!("s{k}.partial"), points_header(k, 3), ()))
            .collect();
        assert_eq!(check_complete(&given).unwrap_err(), "shard 2/3 missing: points 4 to 7");
        let mut odd = points_header(2, 3);
        odd.end_replication = 9;
        let e = check_complete(&[("s2.partial".to_string(), odd, ())]).unwrap_err();
        assert!(e.contains("shard 2/3 of 12 points cannot cover 4 to 9"), "{e}");
        let mixed = vec![
            ("s1.partial".to_string(), points_header(1, 2), ()),
            (
                "s2.partial".to_string(),
                Header {
                    points: Some(13),
                    ..points_header(2, 2)
                },
                (),
            ),
        ];
        assert!(
            check_complete(&mixed)
                .unwrap_err()
                .contains("design point count is 13, not 12")
        );
    }

    #[test]
    fn a_header_without_points_is_written_as_before() {
        let json = serde_json::to_string(&header(1, 3)).unwrap();
        assert!(!json.contains("points"), "{json}");
        let back: Header = serde_json::from_str(&json).unwrap();
        assert_eq!(back, header(1, 3));
    }
}
