#!/usr/bin/env python3
"""Writes scenarios/data/guizhou_observed.csv: SYNTHETIC observations for
demonstrating `gatesim calibrate`, not data about Guizhou.

One replication of scenarios/guizhou.toml (seed 2021) with five of its
uncertain assumptions set to the values below (the truth a calibration
should recover), read once a week (days 7 to 238) for the daily active
users and the orders per day of each platform, as a data provider would
report them: each value with a standard error (1% for active users, 2% for
orders) and a normal error of that size added (Python's random, seed 25).

Run from the repository's root after building gatesim:
    cargo build --release && python3 scenarios/data/make_guizhou_observed.py
"""
import csv
import os
import random
import subprocess
import sys
import tempfile

TRUTH = [
    ("users.adoption_per_day", "0.01"),
    ("users.churn_per_stale_day", "0.006"),
    ("users.appeal_half_life_days", "45"),
    ("users.churn_per_appeal_gap", "0.04"),
    ("users.engagement_elasticity", "0.7"),
]
SEED = 2021
SE = {"dau": 0.01, "orders": 0.02}
OUT = "scenarios/data/guizhou_observed.csv"


def main():
    gatesim = sys.argv[1] if len(sys.argv) > 1 else "target/release/gatesim"
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [gatesim, "run", "scenarios/guizhou.toml", "-n", "1", "--seed", str(SEED)]
        for k, v in TRUTH:
            cmd += ["--set", f"{k}={v}"]
        cmd += ["--out", tmp, "--name", "truth", "--no-charts", "--no-report", "--quiet"]
        subprocess.run(cmd, check=True)
        with open(os.path.join(tmp, "truth", "timeseries.csv"), newline="") as f:
            rows = [r for r in csv.DictReader(f) if r["metric"] in SE and r["platform"] not in ("market", "gatekeeper")]
    rng = random.Random(25)
    weekly = [r for r in rows if int(r["day"]) % 7 == 0 and int(r["day"]) > 0]
    lines = [
        "# SYNTHETIC data for demonstrating gatesim calibrate (not observations of Guizhou).",
        "# Drawn from scenarios/guizhou.toml, one replication, seed " + str(SEED) + ", with "
        + ", ".join(f"{k} = {v}" for k, v in TRUTH) + "; the other assumptions as in the scenario.",
        "# Weekly daily active users and orders per day of each platform, each with a standard error",
        "# (1% and 2%) and a normal error of that size added. Made by scenarios/data/make_guizhou_observed.py.",
        "day,platform,metric,value,se",
    ]
    for r in weekly:
        v = float(r["mean"])
        se = SE[r["metric"]] * v
        noisy = max(0.0, v + rng.gauss(0.0, se))
        lines.append(f"{r['day']},{r['platform']},{r['metric']},{round(noisy)},{round(se)}")
    with open(OUT, "w") as f:
        f.write("\n".join(lines) + "\n")
    print(f"wrote {OUT}: {len(weekly)} observations")


if __name__ == "__main__":
    main()
