"""The per-call overhead of the model function: one replication of the
flagship (scenarios/guizhou.toml at its own values, one point, one thread)
called from Python through gatesim.Model, against the same replication run
in Rust alone (its replication 0, timed inside the extension with no Python
in the loop). The two calls alternate, one of each at a time and each first half the
time, so that both see the same load; their medians are compared.

    python python/bench/overhead.py [ROUNDS] [CALLS_PER_ROUND]

Run from the repository's root."""

import statistics
import sys
import time

import gatesim
from gatesim import _gatesim


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 15
    calls = int(sys.argv[2]) if len(sys.argv) > 2 else 40
    s = gatesim.load("scenarios/guizhou.toml")
    model = gatesim.Model(s, replications=1, threads=1)
    point = [[p["base"] for p in model.parameters]]
    model(point)  # warm up
    _gatesim.time_replication(s._inner, 5)
    py, rust = [], []
    def from_python() -> None:
        start = time.perf_counter()
        model(point)
        py.append(time.perf_counter() - start)

    for _ in range(rounds):
        for k in range(calls):
            # ABBA: each goes first half the time.
            if k % 2 == 0:
                rust.append(_gatesim.time_replication(s._inner, 1))
                from_python()
            else:
                from_python()
                rust.append(_gatesim.time_replication(s._inner, 1))
    p, r = statistics.median(py), statistics.median(rust)
    print(f"one flagship replication: Rust alone {r * 1e3:.3f} ms, from Python (gatesim.Model) {p * 1e3:.3f} ms")
    print(f"overhead {100 * (p / r - 1):+.1f}% (medians of {rounds * calls} calls of each, alternated)")


if __name__ == "__main__":
    main()
