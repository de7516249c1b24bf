"""The README's Python section runs: its install command is the one
.ci/python-check uses, and its examples run as written."""

import re

from conftest import ROOT


def _python_blocks(path):
    return re.findall(r"```python\n(.*?)```", path.read_text(encoding="utf-8"), re.S)


def _root_section():
    """The root README's "Python" section, up to the next heading."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return text.split("\n## Python\n", 1)[1].split("\n## ", 1)[0]


def test_the_install_command_is_the_one_the_check_runs():
    assert "$ pip install ./python" in (ROOT / "python/README.md").read_text(encoding="utf-8")
    assert "\npip install ./python\n" in _root_section()
    assert "pip install ./python" in (ROOT / ".ci/python-check").read_text(encoding="utf-8")


def test_the_ten_line_example_runs(tmp_path, monkeypatch, capsys):
    sections = [("README.md", _root_section()), ("python/README.md", (ROOT / "python/README.md").read_text(encoding="utf-8"))]
    for readme, text in sections:
        code = re.findall(r"```python\n(.*?)```", text, re.S)[0]
        assert len([line for line in code.splitlines() if line.strip()]) <= 10, readme
        code = code.replace('"output"', repr(str(tmp_path)))
        exec(compile(code, str(readme), "exec"), {"__name__": "readme"})
        out = capsys.readouterr().out
        assert "gatesim run scenarios/guizhou.toml --set gatekeeper.reviewers=3 -n 20 --seed 1" in out
    assert (tmp_path / "guizhou+gatekeeper.reviewers=3" / "timeseries.csv").exists()


def test_the_salib_example_runs():
    code = _python_blocks(ROOT / "python/README.md")[1]
    code = code.replace("256", "8")
    exec(compile(code, "README.md", "exec"), {"__name__": "readme"})
