"""gatesim in Python: simulate a mini-program review pipeline and its effect on
users, and read the results as pandas (or polars) DataFrames.

    >>> import gatesim
    >>> s = gatesim.load("scenarios/guizhou.toml")
    >>> s.set("gatekeeper.reviewers", 3)
    >>> r = gatesim.run(s, replications=20, seed=1)
    >>> r.summary          # headline metrics, one row per scope and metric
    >>> r.timeseries       # the daily series (timeseries.csv)
    >>> r.write("output")  # exactly the files of `gatesim run ... --out output`

Every command runs the Rust library in this process with the GIL released;
Ctrl-C stops it (KeyboardInterrupt) and nothing is written. Results are the
command line's, byte for byte: ``run``, ``compare``, ``sweep``,
``sensitivity``, ``calibrate`` and the fits (``fit_retention``,
``fit_durations``, ``fit_reviews``) each return a :class:`Result`.

:class:`Model` is a scenario as a function from values of its uncertain keys
to its headline metrics, vectorised over many points with gatesim's threads
and common random numbers: what SALib, the EMA Workbench and pyABC call.
"""

from __future__ import annotations

import io
import json
import math
import os
import pathlib
import re
from typing import Any, Callable, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple, Union

from . import _gatesim
from ._errors import GatesimError, Problem, RunError, ScenarioError, UsageError

__all__ = [
    "Scenario",
    "Result",
    "RunResult",
    "Model",
    "load",
    "run",
    "compare",
    "sweep",
    "sensitivity",
    "calibrate",
    "fit_retention",
    "fit_durations",
    "fit_reviews",
    "GatesimError",
    "UsageError",
    "ScenarioError",
    "RunError",
    "Problem",
    "__version__",
]

__version__: str = _gatesim.version()

PathLike = Union[str, "os.PathLike[str]"]

_BARE = re.compile(r"^[A-Za-z_][A-Za-z0-9_\-]*$")


def _toml_value(value: Any) -> str:
    """``value`` as the TOML text of a ``--set`` value."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, str):
        # A bare word is taken as a string by --set (`class=standard`); say
        # it the same way, so that folder names and provenance match.
        if _BARE.match(value) and value not in ("true", "false", "inf", "nan"):
            return value
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, Mapping):
        inner = ", ".join(f"{_toml_key(k)} = {_toml_value(v)}" for k, v in value.items())
        return "{ " + inner + " }" if inner else "{}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if hasattr(value, "item"):  # numpy scalars
        return _toml_value(value.item())
    raise TypeError(f"cannot set a value of type {type(value).__name__}: use a number, bool, str, list or dict")


def _toml_key(key: str) -> str:
    return key if _BARE.match(key) else json.dumps(key)


class Scenario:
    """A scenario: a TOML file (or text) and the ``--set`` overrides applied
    to it, checked by gatesim's own loader each time it changes.

    Create one with :func:`load` or :meth:`Scenario.from_toml`; change it with
    :meth:`set`; read it back resolved with :meth:`to_toml`."""

    __slots__ = ("_inner",)

    def __init__(self, inner: "_gatesim._Scenario") -> None:
        self._inner = inner

    @classmethod
    def load(cls, path: PathLike) -> "Scenario":
        """Loads the scenario file at ``path`` (as ``gatesim run PATH`` does).

        Raises :class:`ScenarioError` (with every problem and its key path)
        if it is invalid."""
        return cls(_gatesim._Scenario.from_file(os.fspath(path)))

    @classmethod
    def from_toml(cls, text: str, name: str = "scenario") -> "Scenario":
        """Reads a scenario from TOML ``text``; messages call it ``NAME.toml``,
        and so does the provenance of its results.

        Raises :class:`ScenarioError` if it is invalid."""
        return cls(_gatesim._Scenario.from_text(text, f"{name}.toml"))

    def set(self, key: str, value: Any = ...) -> "Scenario":
        """Sets ``key`` (a key path: ``gatekeeper.reviewers``,
        ``platforms.Taocaicai.class``, ``platforms[2].cadence_days``) to
        ``value``, checked exactly like ``--set key=value``; returns the
        scenario, changed in place. ``set("key=value")`` takes the command
        line's text as it is.

        Raises :class:`ScenarioError` (the scenario unchanged) if the key or
        the value is invalid."""
        text = key if value is ... else f"{key}={_toml_value(value)}"
        self._inner = self._inner.with_set(text)
        return self

    def copy(self) -> "Scenario":
        """An independent copy (``set`` on it leaves this one alone)."""
        return Scenario(self._inner)

    def to_toml(self) -> str:
        """The scenario resolved (defaults filled in, overrides applied) as
        TOML: what ``gatesim check`` prints, and what reruns the same inputs."""
        return self._inner.to_toml()

    @property
    def name(self) -> str:
        """The scenario's name (its output folder's)."""
        return self._inner.name

    @property
    def seed(self) -> int:
        """The seed of every random stream."""
        return self._inner.seed

    @property
    def replications(self) -> int:
        """Replications run by default."""
        return self._inner.replications

    @property
    def horizon_days(self) -> int:
        """The length of a run (days)."""
        return self._inner.horizon_days

    @property
    def path(self) -> str:
        """The file (as given), or ``NAME.toml`` for a scenario from text."""
        return self._inner.path

    @property
    def overrides(self) -> List[str]:
        """The overrides applied, as ``--set`` takes them."""
        return list(self._inner.sets)

    @property
    def uncertain(self) -> List[Dict[str, Any]]:
        """The ``[[uncertain]]`` entries: key, distribution, range, whether
        whole, value in the scenario, why."""
        keys = ("key", "distribution", "low", "high", "whole", "base", "why")
        return [dict(zip(keys, u)) for u in self._inner.uncertain]

    def __repr__(self) -> str:
        sets = "".join(f" --set {s}" for s in self.overrides)
        return f"<gatesim.Scenario {self.name!r} from {self.path}{sets}>"


def load(path: PathLike) -> Scenario:
    """Loads the scenario file at ``path``; see :meth:`Scenario.load`."""
    return Scenario.load(path)


def _frame(data: bytes, frames: str):
    if frames == "polars":
        import polars as pl

        return pl.read_csv(io.BytesIO(data), infer_schema_length=None)
    if frames != "pandas":
        raise ValueError(f"frames must be 'pandas' or 'polars', got {frames!r}")
    import pandas as pd

    return pd.read_csv(io.BytesIO(data))


class Result:
    """What a command produced, in memory: every file the command line writes
    (``files``, name -> bytes), its tables as DataFrames (every CSV file, by
    its name without ``.csv``: ``r.timeseries``, ``r["timeseries"]``), its
    JSON (``json``) and the text it prints (``text``).

    :meth:`write` writes the files exactly as the command line does."""

    def __init__(self, captured: "_gatesim._Captured", frames: str = "pandas") -> None:
        self._captured = captured
        self.files: Dict[str, bytes] = dict(captured.files)
        self.text: str = captured.text
        self.command_line: List[str] = list(captured.command_line)
        self.folder: str = captured.folder
        self.frames = frames
        self._tables: Dict[str, Any] = {}

    @property
    def command(self) -> str:
        """The command line that reproduces these results, as one string."""
        import shlex

        return " ".join(shlex.quote(a) for a in self.command_line)

    @property
    def table_names(self) -> List[str]:
        """The tables there are (the CSV files, without ``.csv``)."""
        return [n[:-4] for n in self.files if n.endswith(".csv") and "/" not in n]

    def table(self, name: str, frames: Optional[str] = None):
        """The table ``name`` (``name.csv``) as a pandas DataFrame, or a polars
        one with ``frames="polars"``."""
        frames = frames or self.frames
        key = (name, frames)
        if key not in self._tables:
            data = self.files.get(f"{name}.csv")
            if data is None:
                raise KeyError(f"no table {name!r}; tables: {', '.join(self.table_names)}")
            self._tables[key] = _frame(data, frames)
        return self._tables[key]

    def __getitem__(self, name: str):
        return self.table(name)

    def __getattr__(self, name: str):
        if name.startswith("_"):
            raise AttributeError(name)
        if f"{name}.csv" in self.__dict__.get("files", {}):
            return self.table(name)
        raise AttributeError(
            f"{type(self).__name__} has no attribute {name!r}; tables: {', '.join(self.table_names)}"
        )

    @property
    def json(self) -> Dict[str, Any]:
        """The command's JSON file (``summary.json``, ``sensitivity.json``, ...),
        parsed."""
        names = [n for n in self.files if n.endswith(".json") and "/" not in n]
        if not names:
            return {}
        return json.loads(self.files[names[0]])

    def write(self, out: PathLike, name: Optional[str] = None) -> pathlib.Path:
        """Writes the outputs into ``out/<folder>`` (or ``out/<name>``) exactly
        as the command line with ``--out out`` (and ``--name name``) writes
        them: the same files, byte for byte, written atomically; refused
        (:class:`UsageError`) if that folder holds another run's results.
        Ctrl-C while writing leaves the previous results whole. Returns the
        folder written."""
        return pathlib.Path(self._captured.write(os.fspath(out), name))

    def __repr__(self) -> str:
        return f"<gatesim.Result of `{self.command}`: {len(self.files)} files, tables {self.table_names}>"

    def _repr_markdown_(self) -> Optional[str]:
        md = self.files.get("summary.md")
        return md.decode("utf-8") if md else None


class RunResult(Result):
    """The result of :func:`run`: ``summary`` (headline metrics),
    ``timeseries``, ``replications``, ``cohorts`` (when the scenario has
    users) as DataFrames."""

    @property
    def summary(self):
        """The headline metrics (``summary.json``'s ``headlines``): scope,
        metric, unit, n, mean, sd, 95% interval, percentiles."""
        rows = self.json.get("headlines", [])
        if self.frames == "polars":
            import polars as pl

            return pl.DataFrame(rows)
        import pandas as pd

        return pd.DataFrame(rows)


def _option(args: List[str], flag: str, value: Any) -> None:
    """Appends ``flag value`` (repeated for a list; alone for True)."""
    if value is None or value is False:
        return
    if value is True:
        args.append(flag)
    elif isinstance(value, (list, tuple)):
        for v in value:
            args.extend([flag, str(v)])
    else:
        args.extend([flag, str(value)])


def _extra(args: List[str], options: Mapping[str, Any]) -> None:
    """Any other flag of the command: ``max_replications=5`` is
    ``--max-replications 5``."""
    for k, v in options.items():
        _option(args, "--" + k.replace("_", "-"), v)


def _common(
    args: List[str],
    replications: Optional[int],
    seed: Optional[int],
    threads: Optional[int],
    charts: Union[bool, str, Sequence[str]],
    report: bool,
) -> None:
    _option(args, "-n", replications)
    _option(args, "--seed", seed)
    _option(args, "-j", threads)
    if charts is False:
        args.append("--no-charts")
    elif charts is not True:
        args.extend(["--format", charts if isinstance(charts, str) else ",".join(charts)])
    if not report:
        args.append("--no-report")
    args.append("--quiet")


def _scenario(s: Union[Scenario, PathLike]) -> Scenario:
    return s if isinstance(s, Scenario) else load(s)


def _progress_callback(progress: Union[bool, Callable[[int, int], None]]):
    """A callback drawing a progress bar (tqdm's, in Jupyter its widget)."""
    if not progress:
        return None, None
    if callable(progress):
        return progress, None
    from tqdm.auto import tqdm

    bar = tqdm(total=0, unit="replication")

    def tick(done: int, total: int) -> None:
        if total and bar.total != total:
            bar.total = total
            bar.refresh()
        if done > bar.n:
            bar.update(done - bar.n)

    return tick, bar


def _capture(args: List[str], scenarios: Sequence[Scenario], progress) -> "_gatesim._Captured":
    texts = [(s.path, s._inner.text) for s in scenarios if s._inner.text is not None]
    tick, bar = _progress_callback(progress)
    try:
        return _gatesim.capture(args, texts, tick)
    finally:
        if bar is not None:
            bar.close()


def _with_sets(command: str, s: Scenario) -> List[str]:
    args = ["gatesim", command, s.path]
    for o in s.overrides:
        args.extend(["--set", o])
    return args


def run(
    scenario: Union[Scenario, PathLike],
    replications: Optional[int] = None,
    seed: Optional[int] = None,
    threads: Optional[int] = None,
    *,
    precision: Optional[float] = None,
    members: Sequence[str] = (),
    charts: Union[bool, str, Sequence[str]] = True,
    report: bool = True,
    progress: Union[bool, Callable[[int, int], None]] = False,
    frames: str = "pandas",
    **options: Any,
) -> RunResult:
    """Runs a scenario's replications: ``gatesim run``.

    ``replications`` (``-n``, default the scenario's), ``seed`` (``--seed``),
    ``threads`` (``-j``, default all cores; results do not depend on it),
    ``precision`` (``--precision``), ``members`` (``--member NAME#I``);
    ``charts`` (True: PNG and SVG; False: none; or ``"svg"``) and ``report``
    decide what :meth:`Result.write` writes besides the data files (drawing
    them takes a few tenths of a second). ``progress=True`` shows a progress
    bar (tqdm; a widget in Jupyter), or give a callable ``f(done, total)``.
    ``frames="polars"`` gives polars DataFrames. Any other flag of ``gatesim
    run`` as a keyword (``max_replications=500``).

    Returns a :class:`RunResult`. Raises :class:`ScenarioError`,
    :class:`UsageError` or :class:`RunError` with the command line's message,
    KeyboardInterrupt on Ctrl-C."""
    s = _scenario(scenario)
    args = _with_sets("run", s)
    _common(args, replications, seed, threads, charts, report)
    _option(args, "--precision", precision)
    _option(args, "--member", list(members))
    _extra(args, options)
    return RunResult(_capture(args, [s], progress), frames)


def compare(
    scenarios: Sequence[Union[Scenario, PathLike]],
    replications: Optional[int] = None,
    seed: Optional[int] = None,
    threads: Optional[int] = None,
    *,
    pairs: str = "baseline",
    charts: Union[bool, str, Sequence[str]] = True,
    report: bool = True,
    progress: Union[bool, Callable[[int, int], None]] = False,
    frames: str = "pandas",
    **options: Any,
) -> Result:
    """Runs several scenarios with common random numbers and reports their
    paired differences against the first: ``gatesim compare``. The
    scenarios' overrides must be the same (``--set`` applies to every
    scenario); give scenarios that differ as files or as text. Other
    arguments as :func:`run`; ``pairs="all"`` for every pair."""
    ss = [_scenario(s) for s in scenarios]
    if len(ss) < 2:
        raise UsageError("compare needs two or more scenarios; the first is the baseline")
    sets = ss[0].overrides
    if any(s.overrides != sets for s in ss[1:]):
        raise UsageError(
            "compare applies the same overrides to every scenario: set the same keys on each, "
            "or write each scenario out (Scenario.from_toml(s.to_toml(), name=...))"
        )
    args = ["gatesim", "compare", *[s.path for s in ss]]
    for o in sets:
        args.extend(["--set", o])
    _common(args, replications, seed, threads, charts, report)
    if pairs != "baseline":
        _option(args, "--pairs", pairs)
    _extra(args, options)
    return Result(_capture(args, ss, progress), frames)


def _param_text(key: str, values: Any) -> str:
    if isinstance(values, str):
        return f"{key}={values}"
    if isinstance(values, range):
        return f"{key}={values.start}:{values.stop - values.step}:{values.step}"
    return f"{key}=" + ",".join(_toml_value(v) for v in values)


def sweep(
    scenario: Union[Scenario, PathLike],
    params: Mapping[str, Any],
    replications: Optional[int] = None,
    seed: Optional[int] = None,
    threads: Optional[int] = None,
    *,
    labels: Sequence[str] = (),
    reference: Optional[Mapping[str, Any]] = None,
    charts: Union[bool, str, Sequence[str]] = True,
    report: bool = True,
    progress: Union[bool, Callable[[int, int], None]] = False,
    frames: str = "pandas",
    **options: Any,
) -> Result:
    """Runs a scenario at every point of a grid: ``gatesim sweep``.

    ``params`` maps each swept key to its values: a list (``[0, 7, 30]``), a
    ``range``, or the command line's text (``"0:210:15"``). ``labels`` name
    them in charts; ``reference`` (key -> value) reports every point as a
    paired difference from that one. Other arguments as :func:`run`."""
    s = _scenario(scenario)
    args = _with_sets("sweep", s)
    _option(args, "--param", [_param_text(k, v) for k, v in params.items()])
    _option(args, "--label", list(labels))
    if reference:
        _option(args, "--reference", [f"{k}={_toml_value(v)}" for k, v in reference.items()])
    _common(args, replications, seed, threads, charts, report)
    _extra(args, options)
    return Result(_capture(args, [s], progress), frames)


def _vary_text(key: str, spec: Any) -> str:
    """``--vary`` text of ``key`` over ``spec``: (low, high) uniform,
    ("loguniform", low, high), ("normal", mean, sd), ("lognormal", median,
    sigma), or the command line's text ``"loguniform:0.001:0.016"``."""
    if isinstance(spec, str):
        return f"{key}={spec}"
    parts = [str(p) for p in spec]
    return f"{key}={':'.join(parts)}"


def _vary(vary: Union[None, Mapping[str, Any], Sequence[str]]) -> List[str]:
    if vary is None:
        return []
    if isinstance(vary, Mapping):
        return [_vary_text(k, v) for k, v in vary.items()]
    return list(vary)


def sensitivity(
    scenario: Union[Scenario, PathLike],
    method: str = "sobol",
    samples: Optional[int] = None,
    replications: Optional[int] = None,
    seed: Optional[int] = None,
    threads: Optional[int] = None,
    *,
    vary: Union[None, Mapping[str, Any], Sequence[str]] = None,
    metrics: Sequence[str] = (),
    against: Optional[Mapping[str, Any]] = None,
    label: Optional[str] = None,
    charts: Union[bool, str, Sequence[str]] = True,
    report: bool = True,
    progress: Union[bool, Callable[[int, int], None]] = False,
    frames: str = "pandas",
    **options: Any,
) -> Result:
    """A sensitivity analysis over the scenario's ``[[uncertain]]`` keys (or
    ``vary``: key -> (low, high) or ("loguniform", low, high), ...):
    ``gatesim sensitivity``. ``method``: sobol, morris, tornado or
    uncertainty; ``samples`` (``--samples``); ``metrics`` (``--metric``);
    ``against`` (key -> value, ``--against``) and ``label``. Other flags as
    keywords (``sampling="lhs"``, ``levels=6``, ``candidates=100``,
    ``posterior="posterior.csv"``). Tables: ``sensitivity`` (the indices with
    their bootstrap intervals), ``design``."""
    s = _scenario(scenario)
    args = _with_sets("sensitivity", s)
    _option(args, "--method", method)
    _option(args, "--samples", samples)
    _option(args, "--vary", _vary(vary))
    _option(args, "--metric", list(metrics))
    if against:
        _option(args, "--against", [f"{k}={_toml_value(v)}" for k, v in against.items()])
    _option(args, "--label", label)
    _common(args, replications, seed, threads, charts, report)
    _extra(args, options)
    return Result(_capture(args, [s], progress), frames)


def calibrate(
    scenario: Union[Scenario, PathLike],
    data: PathLike,
    replications: Optional[int] = None,
    seed: Optional[int] = None,
    threads: Optional[int] = None,
    *,
    particles: Optional[int] = None,
    budget: Optional[int] = None,
    generations: Optional[int] = None,
    vary: Union[None, Mapping[str, Any], Sequence[str]] = None,
    metrics: Sequence[str] = (),
    against: Optional[Mapping[str, Any]] = None,
    label: Optional[str] = None,
    charts: Union[bool, str, Sequence[str]] = True,
    report: bool = True,
    progress: Union[bool, Callable[[int, int], None]] = False,
    frames: str = "pandas",
    **options: Any,
) -> Result:
    """Learns the scenario's uncertain keys from the observed series in
    ``data`` (ABC-SMC): ``gatesim calibrate``. Tables include ``posterior``."""
    s = _scenario(scenario)
    args = _with_sets("calibrate", s)
    _option(args, "--data", os.fspath(data))
    _option(args, "--particles", particles)
    _option(args, "--budget", budget)
    _option(args, "--generations", generations)
    _option(args, "--vary", _vary(vary))
    _option(args, "--metric", list(metrics))
    if against:
        _option(args, "--against", [f"{k}={_toml_value(v)}" for k, v in against.items()])
    _option(args, "--label", label)
    _common(args, replications, seed, threads, charts, report)
    _extra(args, options)
    return Result(_capture(args, [s], progress), frames)


def _fit(kind: str, file: PathLike, frames: str, options: Mapping[str, Any]) -> Result:
    args = ["gatesim", "fit", kind, os.fspath(file), "--quiet"]
    _extra(args, options)
    return Result(_capture(args, [], False), frames)


def fit_retention(file: PathLike, *, frames: str = "pandas", **options: Any) -> Result:
    """Fits the retention model to cohort counts in ``file``: ``gatesim fit
    retention``; flags as keywords (``cohort_column="month"``). ``text`` is
    the report with the scenario lines to paste."""
    return _fit("retention", file, frames, options)


def fit_durations(file: PathLike, *, frames: str = "pandas", **options: Any) -> Result:
    """Fits duration distributions to ``file``: ``gatesim fit durations``."""
    return _fit("durations", file, frames, options)


def fit_reviews(file: PathLike, *, frames: str = "pandas", **options: Any) -> Result:
    """Reads a review log: ``gatesim fit reviews``; flags as keywords."""
    return _fit("reviews", file, frames, options)


from ._model import Model  # noqa: E402
