"""Errors are Python exceptions with the command line's messages and key
paths; Ctrl-C stops a run with KeyboardInterrupt and nothing written."""

import os
import signal
import threading
import time

import pytest

import gatesim
from conftest import FLAGSHIP, cli


def test_a_bad_set_raises_a_scenario_error_with_the_command_lines_message_and_key_path():
    s = gatesim.load(FLAGSHIP)
    with pytest.raises(gatesim.ScenarioError) as e:
        s.set("gatekeeper.reviewerz", 3)
    [problem] = e.value.problems
    assert problem.path == "gatekeeper.reviewerz"
    assert "Did you mean `reviewers`?" in problem.message
    stderr = cli("check", FLAGSHIP, "--set", "gatekeeper.reviewerz=3", check=False).stderr
    assert stderr.strip() == f"error: {e.value}"
    assert s.overrides == []  # unchanged


def test_a_bad_value_is_refused_as_set_refuses_it():
    s = gatesim.load(FLAGSHIP)
    with pytest.raises(gatesim.ScenarioError) as e:
        s.set("gatekeeper.reviewers", -1)
    stderr = cli("check", FLAGSHIP, "--set", "gatekeeper.reviewers=-1", check=False).stderr
    assert stderr.strip() == f"error: {e.value}"
    assert e.value.problems[0].path == "gatekeeper.reviewers"


def test_an_invalid_scenario_text_lists_every_problem_with_its_line():
    with pytest.raises(gatesim.ScenarioError) as e:
        gatesim.Scenario.from_toml('[simulation]\nhorizon_days = "long"\n', name="broken")
    assert e.value.problems and e.value.problems[0].line == 2
    assert "broken.toml" in str(e.value)
    assert isinstance(e.value, ValueError)


def test_a_bad_flag_raises_a_usage_error_with_the_command_lines_message():
    with pytest.raises(gatesim.UsageError) as e:
        gatesim.run(FLAGSHIP, replications=2, precision=2.0, charts=False)
    stderr = cli("run", FLAGSHIP, "-n", "2", "--precision", "2", "--no-charts", check=False).stderr
    assert stderr.strip() == f"error: {e.value}"


def test_set_and_to_toml_round_trip():
    s = gatesim.load(FLAGSHIP).set("gatekeeper.reviewers", 4).set("platforms.Taocaicai.class", "standard")
    again = gatesim.Scenario.from_toml(s.to_toml(), name="guizhou")
    assert again.to_toml() == s.to_toml()
    assert "reviewers = 4" in s.to_toml()
    assert s.overrides == ["gatekeeper.reviewers=4", "platforms.Taocaicai.class=standard"]


@pytest.fixture
def ctrl_c_raises():
    """SIGINT raises KeyboardInterrupt, as in a terminal or a notebook, even
    when the process was started with SIGINT ignored (a shell's background
    job is)."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, previous)


def _interrupt_after(seconds):
    def fire():
        time.sleep(seconds)
        os.kill(os.getpid(), signal.SIGINT)

    t = threading.Thread(target=fire, daemon=True)
    t.start()
    return t


def test_ctrl_c_stops_a_run_with_keyboard_interrupt_and_nothing_written(tmp_path, ctrl_c_raises):
    _interrupt_after(0.5)
    start = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        gatesim.run(FLAGSHIP, replications=100_000, charts=False, threads=2)
    assert time.monotonic() - start < 5
    assert not any(tmp_path.iterdir())
    # The next run is not stopped by the last one's interrupt.
    r = gatesim.run(FLAGSHIP, replications=2, charts=False, report=False)
    assert r.json["replications"] == 2


def test_ctrl_c_stops_the_model_function(ctrl_c_raises):
    model = gatesim.Model(FLAGSHIP, threads=2)
    points = [[p["base"] for p in model.parameters]] * 20_000
    _interrupt_after(0.5)
    start = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        model(points)
    assert time.monotonic() - start < 5
