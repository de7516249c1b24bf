"""Shared fixtures: the repository's root as the working folder (the
scenarios' relative paths are the same for Python and the command line), and
the `gatesim` command to compare with (GATESIM_BIN, else the package's)."""

import os
import pathlib
import shutil
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
FLAGSHIP = "scenarios/guizhou.toml"


@pytest.fixture(autouse=True)
def at_root(monkeypatch):
    monkeypatch.chdir(ROOT)


def gatesim_command():
    """The gatesim command line: the Rust binary if GATESIM_BIN names one,
    else the package's console command."""
    explicit = os.environ.get("GATESIM_BIN")
    if explicit:
        return [explicit]
    found = shutil.which("gatesim", path=os.path.dirname(sys.executable)) or shutil.which("gatesim")
    assert found, "the package's gatesim command is not installed"
    return [found]


def cli(*args, check=True):
    """Runs the gatesim command with `args` at the repository's root."""
    return subprocess.run(
        [*gatesim_command(), *args], cwd=ROOT, capture_output=True, text=True, check=check
    )


def files_of(folder):
    """Every file under `folder`: relative path -> bytes."""
    folder = pathlib.Path(folder)
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }
