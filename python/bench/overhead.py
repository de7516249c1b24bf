"""The per-call overhead of the model function: one replication of the
flagship (scenarios/guizhou.toml at its own values, one point, one thread)
called from Python through gatesim.Model, against

- the same replication in Rust alone: its replication 0 run by
  gatesim::run_replication inside the extension, no Python in the loop (the
  replication the flagship's criterion bench times);
- the Rust call under model(): PointModel::evaluate, which loads the point's
  scenario (its values set as --set sets them), runs the replication and
  reads its headline metrics.

The three calls alternate, one of each at a time in an order reversed every
other time, so that all see the same load; their medians are compared.

    python python/bench/overhead.py [CALLS]

Run from the repository's root."""

import statistics
import sys
import time

import gatesim
from gatesim import _gatesim


def main() -> None:
    calls = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    s = gatesim.load("scenarios/guizhou.toml")
    model = gatesim.Model(s, replications=1, threads=1)
    point = [[p["base"] for p in model.parameters]]
    runs = {"rust": [], "evaluate": [], "python": []}
    steps = [
        ("rust", lambda: _gatesim.time_replication(s._inner, 1)),
        ("evaluate", lambda: model._inner.evaluate(point, False)),
        ("python", lambda: model(point)),
    ]
    for _, f in steps:  # warm up
        f()
    for k in range(calls):
        for name, f in steps if k % 2 == 0 else steps[::-1]:
            start = time.perf_counter()
            f()
            runs[name].append(time.perf_counter() - start)
    rust, evaluate, python = (statistics.median(runs[n]) for n in ("rust", "evaluate", "python"))
    print(f"one flagship replication, medians of {calls} calls of each, alternated:")
    print(f"  Rust alone (run_replication)        {rust * 1e3:.3f} ms")
    print(f"  Rust call under model() (evaluate)  {evaluate * 1e3:.3f} ms  {100 * (evaluate / rust - 1):+.1f}%")
    print(f"  from Python (gatesim.Model)         {python * 1e3:.3f} ms  {100 * (python / rust - 1):+.1f}%")


if __name__ == "__main__":
    main()
