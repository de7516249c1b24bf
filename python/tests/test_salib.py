"""SALib's Sobol analysis (its own Sobol sampling and estimators) of the
flagship's eleven [[uncertain]] keys, driven through gatesim.Model, agrees
with `gatesim sensitivity --method sobol` on the same keys and distributions:
for every key and every platform's active_users_end, the two 95% bootstrap
intervals of the total index overlap (so each total lies in the union of the
two intervals). N = 256 base samples on each side (256 x 13 = 3,328 points of
one replication each, about 10 s on 2 cores)."""

import numpy as np
import pytest

import gatesim
from conftest import FLAGSHIP

N = 256


def test_salib_sobol_totals_agree_with_gatesim_sensitivity():
    sobol_sample = pytest.importorskip("SALib.sample.sobol")
    sobol_analyze = pytest.importorskip("SALib.analyze.sobol")
    model = gatesim.Model(FLAGSHIP, metrics=["active_users_end"], replications=1)
    problem = model.problem
    assert problem["num_vars"] == 11
    X = sobol_sample.sample(problem, N, calc_second_order=False, seed=7)
    Y = model(X)
    ours = gatesim.sensitivity(
        FLAGSHIP, method="sobol", samples=N, replications=1, metrics=["active_users_end"], charts=False, report=False
    ).sensitivity
    totals = ours[ours["index"] == "total"]
    checked = 0
    for j, output in enumerate(model.outputs):
        scope, metric = output.rsplit(".", 1)
        si = sobol_analyze.analyze(problem, Y[:, j], calc_second_order=False, num_resamples=1000, seed=11)
        for i, key in enumerate(model.names):
            row = totals[(totals.parameter == key) & (totals.scope == scope) & (totals.metric == metric)]
            assert len(row) == 1, (key, output)
            g_low, g_high = float(row.ci_low.iloc[0]), float(row.ci_high.iloc[0])
            s_est, s_conf = float(si["ST"][i]), float(si["ST_conf"][i])
            s_low, s_high = s_est - s_conf, s_est + s_conf
            overlap = max(g_low, s_low) <= min(g_high, s_high)
            assert overlap, f"{key} on {output}: gatesim [{g_low:.4g}, {g_high:.4g}], SALib [{s_low:.4g}, {s_high:.4g}]"
            union = (min(g_low, s_low), max(g_high, s_high))
            assert union[0] <= float(row.estimate.iloc[0]) <= union[1]
            assert union[0] <= s_est <= union[1]
            checked += 1
    assert checked == 33
