"""Calibrating two of the flagship's uncertain assumptions with pyABC
(ABC-SMC), gatesim's model function as pyABC's model: synthetic observations
made by the model at known values, then pyABC's posterior around them.

    pip install ./python pyabc
    python python/examples/pyabc_calibration.py [POPULATIONS]

from the repository's root (about a minute with the defaults on 2 cores).
gatesim's own calibration of the same kind is `gatesim calibrate`."""

import os
import sys
import tempfile

import pyabc

import gatesim

POPULATIONS = int(sys.argv[1]) if len(sys.argv) > 1 else 4
OUTPUTS = ["Taocaicai.active_users_end", "Meituan Select.active_users_end", "Duoduo Maicai.active_users_end"]

model = gatesim.Model(
    "scenarios/guizhou.toml",
    parameters={
        "users.adoption_per_day": ("loguniform", 0.006, 0.024),
        "users.churn_per_stale_day": ("loguniform", 0.001, 0.016),
    },
    metrics=["active_users_end"],
    replications=1,
    threads=1,  # pyABC calls one point at a time; run several pyABC workers instead
)
truth = {"users.adoption_per_day": 0.01, "users.churn_per_stale_day": 0.006}
observed = model.pyabc(OUTPUTS)(truth)

prior = pyabc.Distribution(
    **{
        "users.adoption_per_day": pyabc.RV("loguniform", 0.006, 0.024),
        "users.churn_per_stale_day": pyabc.RV("loguniform", 0.001, 0.016),
    }
)


def distance(x, y):
    """Relative distance over the platforms' active users at the end."""
    return sum(abs(x[k] - y[k]) / abs(y[k]) for k in OUTPUTS)


abc = pyabc.ABCSMC(
    model.pyabc(OUTPUTS), prior, distance, population_size=100, sampler=pyabc.sampler.SingleCoreSampler()
)
db = "sqlite:///" + os.path.join(tempfile.mkdtemp(), "gatesim.db")
abc.new(db, observed)
history = abc.run(max_nr_populations=POPULATIONS)
posterior, weights = history.get_distribution()
for key, value in truth.items():
    mean = float((posterior[key] * weights).sum())
    print(f"{key}: true {value}, posterior mean {mean:.4g}")
