"""SALib's Sobol analysis of the flagship's uncertain assumptions, driven
through gatesim's model function, beside gatesim's own
(`gatesim sensitivity --method sobol`) on the same keys and distributions.

    pip install ./python SALib
    python python/examples/salib_sobol.py [N]

from the repository's root. N is the base sample (a power of 2, default 256:
256 x 13 = 3,328 runs of one replication, about 10 s on 2 cores)."""

import sys

from SALib.analyze import sobol
from SALib.sample import sobol as sobol_sample

import gatesim

N = int(sys.argv[1]) if len(sys.argv) > 1 else 256
OUTPUT = "Taocaicai.active_users_end"

model = gatesim.Model("scenarios/guizhou.toml", metrics=[OUTPUT], replications=1)
problem = model.problem  # the [[uncertain]] keys with their distributions
X = sobol_sample.sample(problem, N, calc_second_order=False, seed=7)
Y = model(X)[:, 0]  # every point in parallel, common random numbers
si = sobol.analyze(problem, Y, calc_second_order=False, num_resamples=1000, seed=11)

ours = gatesim.sensitivity(
    "scenarios/guizhou.toml", method="sobol", samples=N, replications=1, metrics=[OUTPUT], charts=False, report=False
).sensitivity
scope, metric = OUTPUT.rsplit(".", 1)
ours = ours[(ours["index"] == "total") & (ours.scope == scope) & (ours.metric == metric)].set_index("parameter")

print(f"total Sobol indices of {OUTPUT}, N = {N} (95% intervals)")
print(f"{'key':34} {'SALib':>24} {'gatesim sensitivity':>24}")
for i, key in enumerate(model.names):
    s_lo, s_hi = si["ST"][i] - si["ST_conf"][i], si["ST"][i] + si["ST_conf"][i]
    g = ours.loc[key]
    print(f"{key:34} {si['ST'][i]:7.3f} [{s_lo:6.3f}, {s_hi:6.3f}] {g.estimate:7.3f} [{g.ci_low:6.3f}, {g.ci_high:6.3f}]")
