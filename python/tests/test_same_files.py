"""gatesim.run(...).write(dir) writes exactly the files of `gatesim run` with
the same inputs, byte for byte (charts and report included), and so do the
other commands; the DataFrames hold the CSV files' values."""

import io

import pandas as pd
import pytest

import gatesim
from conftest import FLAGSHIP, cli, files_of


def test_run_writes_exactly_the_files_of_gatesim_run(tmp_path):
    s = gatesim.load(FLAGSHIP).set("gatekeeper.reviewers", 3)
    r = gatesim.run(s, replications=3, seed=5, threads=2)
    written = r.write(tmp_path / "py")
    assert written == tmp_path / "py" / "guizhou+gatekeeper.reviewers=3"
    cli("run", FLAGSHIP, "--set", "gatekeeper.reviewers=3", "-n", "3", "--seed", "5", "--out", str(tmp_path / "cli"), "-q")
    ours = files_of(tmp_path / "py")
    theirs = files_of(tmp_path / "cli")
    assert sorted(ours) == sorted(theirs)
    assert any(n.endswith(".png") for n in ours) and "report.html" in "".join(ours)
    for name in theirs:
        assert ours[name] == theirs[name], name
    assert r.command_line == ["gatesim", "run", FLAGSHIP, "--set", "gatekeeper.reviewers=3", "-n", "3", "--seed", "5"]


def test_run_from_the_recorded_command_line_gives_the_same_files(tmp_path):
    r = gatesim.run(FLAGSHIP, replications=2, threads=1, charts=False, report=False)
    r.write(tmp_path / "py")
    cli(*r.command_line[1:], "--no-charts", "--no-report", "--out", str(tmp_path / "cli"), "-q")
    assert files_of(tmp_path / "py") == files_of(tmp_path / "cli")


def test_the_dataframes_hold_the_values_of_the_csv_files(tmp_path):
    r = gatesim.run(FLAGSHIP, replications=3, seed=2, charts=False, report=False)
    cli("run", FLAGSHIP, "-n", "3", "--seed", "2", "--no-charts", "--no-report", "--out", str(tmp_path), "-q")
    folder = tmp_path / r.folder
    assert r.table_names == ["timeseries", "replications", "cohorts"]
    for name in r.table_names:
        pd.testing.assert_frame_equal(r[name], pd.read_csv(folder / f"{name}.csv"), check_exact=True)
    import json

    headlines = json.loads((folder / "summary.json").read_text())["headlines"]
    pd.testing.assert_frame_equal(r.summary, pd.DataFrame(headlines), check_exact=True)


def test_polars_frames_hold_the_same_values():
    pl = pytest.importorskip("polars")
    r = gatesim.run(FLAGSHIP, replications=2, charts=False, report=False, frames="polars")
    assert isinstance(r.timeseries, pl.DataFrame)
    expected = pd.read_csv(io.BytesIO(r.files["timeseries.csv"]))
    assert r.timeseries.shape == expected.shape
    assert r.timeseries["mean"].to_list() == pytest.approx(expected["mean"].tolist(), nan_ok=True, rel=0, abs=0)


def test_compare_sweep_and_sensitivity_write_the_files_of_their_commands(tmp_path):
    c = gatesim.compare([FLAGSHIP, "scenarios/regulator-lifts-block.toml"], replications=2, charts=False)
    c.write(tmp_path / "py")
    cli("compare", FLAGSHIP, "scenarios/regulator-lifts-block.toml", "-n", "2", "--no-charts", "--out", str(tmp_path / "cli"), "-q")
    w = gatesim.sweep(FLAGSHIP, {"gatekeeper.reviewers": [1, 2]}, replications=2, charts=False)
    w.write(tmp_path / "py")
    cli("sweep", FLAGSHIP, "--param", "gatekeeper.reviewers=1,2", "-n", "2", "--no-charts", "--out", str(tmp_path / "cli"), "-q")
    t = gatesim.sensitivity(FLAGSHIP, method="morris", samples=2, replications=1, charts=False)
    t.write(tmp_path / "py")
    cli("sensitivity", FLAGSHIP, "--method", "morris", "--samples", "2", "-n", "1", "--no-charts", "--out", str(tmp_path / "cli"), "-q")
    assert files_of(tmp_path / "py") == files_of(tmp_path / "cli")
    assert len(files_of(tmp_path / "py")) > 12
    assert "sensitivity" in t.table_names and "design" in t.table_names


def test_a_scenario_from_text_runs_as_its_file_does():
    text = open(FLAGSHIP, encoding="utf-8").read()
    a = gatesim.run(gatesim.Scenario.from_toml(text, name="guizhou"), replications=2, charts=False, report=False)
    b = gatesim.run(FLAGSHIP, replications=2, charts=False, report=False)
    assert a.files["timeseries.csv"] == b.files["timeseries.csv"]
    assert a.files["replications.csv"] == b.files["replications.csv"]
    assert a.command_line[2] == "guizhou.toml"


def test_writing_over_another_runs_results_is_refused(tmp_path):
    gatesim.run(FLAGSHIP, replications=2, charts=False, report=False).write(tmp_path)
    # The same run again (same command, inputs and overrides) replaces its own results.
    gatesim.run(FLAGSHIP, replications=3, charts=False, report=False).write(tmp_path)
    other = gatesim.run(gatesim.load(FLAGSHIP).set("gatekeeper.reviewers", 2), replications=1, charts=False, report=False)
    with pytest.raises(gatesim.UsageError, match="holds the results of another run"):
        other.write(tmp_path, name="guizhou")
    assert b'"replications": 3' in (tmp_path / "guizhou" / "summary.json").read_bytes()


def test_a_fit_prints_what_the_command_prints():
    r = gatesim.fit_durations("scenarios/data/review_durations.csv")
    out = cli("fit", "durations", "scenarios/data/review_durations.csv").stdout
    assert r.text == out
