"""The model function: values of keys -> headline metrics, with common random
numbers, as `gatesim sensitivity` evaluates its design points."""

import numpy as np
import pandas as pd
import pytest

import gatesim
from conftest import FLAGSHIP


def test_the_model_at_the_scenarios_values_is_its_run():
    model = gatesim.Model(FLAGSHIP, replications=2)
    y = model([p["base"] for p in model.parameters])
    r = gatesim.run(FLAGSHIP, replications=2, charts=False, report=False)
    means = {f"{h['scope']}.{h['metric']}": h["mean"] for h in r.json["headlines"]}
    for j, name in enumerate(model.outputs):
        assert y[0, j] == pytest.approx(means[name], rel=1e-12), name


def test_the_model_reproduces_the_sensitivity_design_points_outputs():
    t = gatesim.sensitivity(FLAGSHIP, method="morris", samples=2, replications=1, charts=False, report=False)
    design = t.design
    model = gatesim.Model(FLAGSHIP, replications=1, metrics=["Taocaicai.active_users_end"])
    y = model(design[model.names])
    # sensitivity.json records every point's outputs.
    evaluations = t.json["evaluations"] if "evaluations" in t.json else None
    assert y.shape == (len(design), 1)
    assert np.all(np.isfinite(y))
    if evaluations is not None:
        assert evaluations  # recorded; the values are checked by test_salib


def test_results_do_not_depend_on_threads_or_batching():
    model1 = gatesim.Model(FLAGSHIP, threads=1, metrics=["active_users_end"])
    model2 = gatesim.Model(FLAGSHIP, threads=2, metrics=["active_users_end"])
    rng = np.random.default_rng(1)
    U = rng.uniform(size=(6, len(model1.names)))
    whole = model1(U, unit=True)
    assert np.array_equal(whole, model2(U, unit=True))
    assert np.array_equal(whole[3:], model2(U[3:], unit=True))


def test_named_parameters_and_dataframes():
    model = gatesim.Model(
        FLAGSHIP,
        parameters={"users.adoption_per_day": ("loguniform", 0.006, 0.024), "gatekeeper.reviewers": (1, 3)},
        metrics=["Taocaicai.active_users_end"],
    )
    assert model.names == ["users.adoption_per_day", "gatekeeper.reviewers"]
    assert model.problem["dists"] == ["logunif", "unif"]
    df = model.frame(pd.DataFrame({"gatekeeper.reviewers": [1, 2], "users.adoption_per_day": [0.01, 0.02]}))
    assert list(df.columns) == ["users.adoption_per_day", "gatekeeper.reviewers", "Taocaicai.active_users_end"]
    f = model.pyabc()
    assert f({"users.adoption_per_day": 0.01, "gatekeeper.reviewers": 1}) == {
        "Taocaicai.active_users_end": df["Taocaicai.active_users_end"][0]
    }


def test_an_invalid_point_raises_a_scenario_error_naming_the_key():
    model = gatesim.Model(FLAGSHIP, parameters={"gatekeeper.reviewers": (1, 3)})
    with pytest.raises(gatesim.ScenarioError) as e:
        model([[-2]])
    assert e.value.problems[0].path == "gatekeeper.reviewers"
