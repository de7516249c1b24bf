"""The flagship's uncertain assumptions explored with the EMA Workbench,
gatesim's model function as the Workbench's model (a Latin hypercube of 200
experiments over the keys' ranges, then feature scoring of what drives each
platform's users).

    pip install ./python ema_workbench
    python python/examples/ema_exploration.py

from the repository's root."""

from ema_workbench import Model, RealParameter, ScalarOutcome, perform_experiments
from ema_workbench.analysis import feature_scoring

import gatesim

gm = gatesim.Model("scenarios/guizhou.toml", metrics=["active_users_end"], replications=1)


def ident(name):
    return "".join(c if c.isalnum() else "_" for c in name)


model = Model("guizhou", function=gm.ema())
# The flagship's keys are uniform or log-uniform over (a, b): the Workbench
# samples each uniformly over that range.
model.uncertainties = [RealParameter(ident(p["key"]), p["a"], p["b"]) for p in gm.parameters]
model.outcomes = [ScalarOutcome(ident(o)) for o in gm.outputs]

experiments, outcomes = perform_experiments(model, 200)
scores = feature_scoring.get_feature_scores_all(experiments[[ident(n) for n in gm.names]], outcomes)
print(scores)
