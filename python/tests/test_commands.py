"""The package's `gatesim` command is the gatesim program (Ctrl-C included);
calibrate and the progress callback work through the same path."""

import signal
import subprocess
import time

import pandas as pd

import gatesim
from conftest import FLAGSHIP, ROOT, cli, files_of
import conftest


def test_the_package_installs_the_gatesim_command():
    found = conftest.shutil.which("gatesim", path=conftest.os.path.dirname(conftest.sys.executable))
    assert found, "the gatesim console command is installed beside python"
    out = subprocess.run([found, "check", FLAGSHIP], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0 and "is valid" in out.stdout
    bad = subprocess.run([found, "run", FLAGSHIP, "--set", "gatekeeper.reviewerz=3"], cwd=ROOT, capture_output=True, text=True)
    assert bad.returncode == 2 and bad.stderr.startswith("error: invalid --set")


def test_ctrl_c_stops_the_package_command_with_exit_code_130_and_nothing_written(tmp_path):
    found = conftest.shutil.which("gatesim", path=conftest.os.path.dirname(conftest.sys.executable))
    p = subprocess.Popen(
        [found, "run", FLAGSHIP, "-n", "1000000", "--out", str(tmp_path)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(1.0)
    p.send_signal(signal.SIGINT)
    _, err = p.communicate(timeout=30)
    assert p.returncode == 130, err
    assert "interrupted by SIGINT" in err
    assert not any(tmp_path.iterdir())


def test_progress_is_reported_to_a_callback():
    seen = []
    gatesim.run(FLAGSHIP, replications=200, charts=False, report=False, progress=lambda d, t: seen.append((d, t)))
    assert seen and seen[-1] == (200, 200)
    assert all(d <= t for d, t in seen)


def test_calibrate_writes_the_files_of_gatesim_calibrate(tmp_path):
    data = "scenarios/data/guizhou_observed.csv"
    flags = ["--particles", "20", "--budget", "200", "--generations", "2"]
    r = gatesim.calibrate(FLAGSHIP, data, particles=20, budget=200, generations=2, charts=False, report=False)
    r.write(tmp_path / "py")
    cli("calibrate", FLAGSHIP, "--data", data, *flags, "--no-charts", "--no-report", "--out", str(tmp_path / "cli"), "-q")
    assert files_of(tmp_path / "py") == files_of(tmp_path / "cli")
    assert isinstance(r.posterior, pd.DataFrame) and len(r.posterior) > 0
