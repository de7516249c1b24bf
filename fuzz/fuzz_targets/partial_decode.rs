//! Any bytes as a partial result, three ways: as a whole file; behind a
//! valid magic, version, lengths and checksum (the header up to the first
//! NUL byte, the compressed body after it), so that the header's JSON and
//! the deflate stream are reached; and as the decompressed payload of a
//! well-formed file, so that the results' decoding is reached. Reading a
//! header, decompressing, decoding the results and checking a set of one
//! shard may refuse, never panic; what decodes must encode back to itself.

#![no_main]

use gatesim::partials::{self as partial, FORMAT_VERSION, Header, MAGIC, PartialError, Payload, check_complete};
use libfuzzer_sys::fuzz_target;
use sha2::{Digest, Sha256};

/// A header as a shard writes it.
fn header() -> Header {
    Header {
        gatesim_version: env!("CARGO_PKG_VERSION").to_string(),
        kind: "run".into(),
        name: "fuzz".into(),
        inputs_sha256: partial::sha256_hex(b"fuzz"),
        seed: 1,
        replications: 2,
        horizon_days: 30,
        shard: 1,
        shards: 1,
        first_replication: 0,
        end_replication: 2,
        points: None,
    }
}

/// A file with the magic, the version, these header and body bytes with
/// their lengths, and a valid checksum.
fn framed(head: &[u8], body: &[u8]) -> Vec<u8> {
    let mut out = MAGIC.to_vec();
    out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    out.extend_from_slice(&(head.len() as u64).to_le_bytes());
    out.extend_from_slice(head);
    out.extend_from_slice(&(body.len() as u64).to_le_bytes());
    out.extend_from_slice(body);
    let sum = Sha256::digest(&out);
    out.extend_from_slice(&sum);
    out
}

/// Decoded results, if any, re-encode to bytes that decode to the same.
fn results(payload: &[u8]) {
    match Payload::from_bytes(payload) {
        Ok(p) => {
            let bytes = p.to_bytes();
            let again = Payload::from_bytes(&bytes).expect("encoded results decode");
            assert_eq!(again.to_bytes(), bytes, "results do not survive a round trip");
            let _ = (p.kind(), p.inputs_sha256());
        }
        Err(e) => assert!(!e.is_empty()),
    }
}

/// Everything merge does with a file before it loads scenarios.
fn file(bytes: &[u8]) {
    let head = partial::read_header(bytes);
    match partial::decode(bytes) {
        Ok((h, payload)) => {
            assert_eq!(head.as_ref(), Ok(&h), "the header alone and the whole file disagree");
            let set = [("fuzz.partial".to_string(), h, ())];
            match check_complete(&set) {
                Ok(ordered) => assert_eq!(ordered.len(), 1),
                Err(e) => assert!(!e.is_empty()),
            }
            results(&payload);
        }
        Err(e) => {
            // A file whose header reads but whose payload does not decompress.
            if head.is_ok() {
                assert!(matches!(e, PartialError::Payload(_)), "{e:?}");
            }
            assert!(!e.to_string().is_empty());
        }
    }
}

fuzz_target!(|data: &[u8]| {
    file(data);
    let (head, body) = match data.iter().position(|&b| b == 0) {
        Some(at) => (&data[..at], &data[at + 1..]),
        None => (data, &[][..]),
    };
    file(&framed(head, body));
    let whole = partial::encode(&header(), data);
    let (h, payload) = partial::decode(&whole).expect("a file just encoded decodes");
    assert_eq!(h, header());
    assert_eq!(payload, data);
    file(&whole);
});
