#!/usr/bin/env python3
"""Writes the damaged partial-result files of tests/corpus/partials/ (each
with its .expect sidecar), in the layout of src/shard/partial.rs:
magic, format version (u32), header length (u64) and JSON header, payload
length (u64) and deflate payload, SHA-256 of everything before it; all
integers little-endian. Every case is refused before its payload is read
as results, so the files stay valid cases whatever the payload's format
becomes. Run from anywhere: python3 tests/corpus/make_partials.py
"""

import hashlib
import json
import os
import struct
import zlib

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "partials")
MAGIC = b"GATESIM-PARTIAL\n"


def header(**changes):
    """A header as gatesim writes it, for shard 1 of 1 of 2 replications."""
    h = {
        "gatesim_version": "0.1.0",
        "kind": "run",
        "name": "corpus",
        "inputs_sha256": hashlib.sha256(b"corpus").hexdigest(),
        "seed": 1,
        "replications": 2,
        "horizon_days": 30,
        "shard": 1,
        "shards": 1,
        "first_replication": 0,
        "end_replication": 2,
    }
    h.update(changes)
    return json.dumps(h, separators=(",", ":")).encode()


def deflate(data):
    z = zlib.compressobj(wbits=-15)
    return z.compress(data) + z.flush()


def partial(head=None, payload=None, version=2, head_len=None, payload_len=None):
    """A partial file with a valid checksum (over whatever it holds)."""
    head = header() if head is None else head
    payload = deflate(b"") if payload is None else payload
    body = MAGIC + struct.pack("<I", version)
    body += struct.pack("<Q", len(head) if head_len is None else head_len) + head
    body += struct.pack("<Q", len(payload) if payload_len is None else payload_len) + payload
    return body + hashlib.sha256(body).digest()


def main():
    good = partial()
    head_end = 16 + 4 + 8 + len(header())
    cases = {
        "empty.partial": (b"", ["not a gatesim partial result"]),
        "magic_only.partial": (MAGIC, ["truncated: the file ends before its format version"]),
        "cut_in_header_length.partial": (good[:24], ["truncated: the file ends before its header"]),
        "cut_in_header.partial": (good[:60], ["truncated: the file ends before its header"]),
        "cut_in_results.partial": (good[: head_end + 4], ["truncated: the file ends before its results"]),
        "cut_in_checksum.partial": (good[:-1], ["truncated: the file ends before its checksum"]),
        "one_byte_changed.partial": (
            good[:40] + bytes([good[40] ^ 1]) + good[41:],
            ["corrupted: its SHA-256 checksum does not match"],
        ),
        "checksum_changed.partial": (
            good[:-1] + bytes([good[-1] ^ 0x80]),
            ["corrupted: its SHA-256 checksum does not match"],
        ),
        "byte_after_checksum.partial": (good + b"\0", ["corrupted: its SHA-256 checksum does not match"]),
        "format_version_3.partial": (
            partial(version=3),
            ["partial format version 3, this gatesim reads version 2"],
        ),
        "format_version_0.partial": (partial(version=0), ["partial format version 0"]),
        "header_length_huge.partial": (
            partial(head_len=1 << 62),
            ["a header of 4611686018427387904 bytes is too long"],
        ),
        "results_length_huge.partial": (
            partial(payload_len=(1 << 64) - 1),
            ["truncated: the file ends before its results"],
        ),
        "header_not_json.partial": (partial(head=b"shard = 1"), ["its header cannot be read"]),
        "header_missing_key.partial": (
            partial(head=b'{"gatesim_version":"0.1.0","kind":"run"}'),
            ["its header cannot be read", "missing field"],
        ),
        "header_negative_seed.partial": (
            partial(head=header(seed=-1)),
            ["its header cannot be read", "invalid value"],
        ),
        "shard_zero.partial": (
            partial(head=header(shard=0)),
            ["its header is inconsistent", "shard 0/1 of 2 replications cannot cover 0 to 2"],
        ),
        "shard_beyond_n.partial": (
            partial(head=header(shard=3, shards=2, first_replication=2, end_replication=2)),
            ["its header is inconsistent", "shard 3/2"],
        ),
        "range_not_its_shard.partial": (
            partial(head=header(end_replication=1)),
            ["its header is inconsistent", "cannot cover 0 to 1"],
        ),
        "points_range_not_its_shard.partial": (
            partial(
                head=header(
                    kind="sensitivity", points=5, shard=2, shards=3, first_replication=1, end_replication=2
                )
            ),
            ["its header is inconsistent", "shard 2/3 of 5 points cannot cover 1 to 2"],
        ),
        "points_negative.partial": (
            partial(head=header(kind="sensitivity", points=-5)),
            ["its header cannot be read", "invalid value"],
        ),
        "results_not_deflate.partial": (
            partial(payload=b"\xff" * 32),
            ["its results cannot be decompressed"],
        ),
        "results_not_results.partial": (
            partial(payload=deflate(b"\xff" * 64)),
            ["its results cannot be read"],
        ),
        "results_empty.partial": (partial(payload=deflate(b"")), ["its results cannot be read"]),
    }
    os.makedirs(HERE, exist_ok=True)
    for name, (data, expect) in cases.items():
        with open(os.path.join(HERE, name), "wb") as f:
            f.write(data)
        with open(os.path.join(HERE, name + ".expect"), "w") as f:
            f.write("\n".join(expect) + "\n")


if __name__ == "__main__":
    main()
