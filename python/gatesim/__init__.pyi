"""Type stubs of gatesim (see help(gatesim) and python/README.md)."""

import os
import pathlib
from typing import Any, Callable, Dict, List, Literal, Mapping, Optional, Sequence, Union

import numpy as np

from ._errors import GatesimError as GatesimError
from ._errors import Problem as Problem
from ._errors import RunError as RunError
from ._errors import ScenarioError as ScenarioError
from ._errors import UsageError as UsageError

__version__: str

PathLike = Union[str, os.PathLike[str]]
Frames = Literal["pandas", "polars"]
Charts = Union[bool, str, Sequence[str]]
Progress = Union[bool, Callable[[int, int], None]]
Vary = Union[None, Mapping[str, Any], Sequence[str]]

class Scenario:
    @classmethod
    def load(cls, path: PathLike) -> Scenario: ...
    @classmethod
    def from_toml(cls, text: str, name: str = "scenario") -> Scenario: ...
    def set(self, key: str, value: Any = ...) -> Scenario: ...
    def copy(self) -> Scenario: ...
    def to_toml(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def seed(self) -> int: ...
    @property
    def replications(self) -> int: ...
    @property
    def horizon_days(self) -> int: ...
    @property
    def path(self) -> str: ...
    @property
    def overrides(self) -> List[str]: ...
    @property
    def uncertain(self) -> List[Dict[str, Any]]: ...

def load(path: PathLike) -> Scenario: ...

class Result:
    files: Dict[str, bytes]
    text: str
    command_line: List[str]
    folder: str
    frames: Frames
    @property
    def command(self) -> str: ...
    @property
    def table_names(self) -> List[str]: ...
    def table(self, name: str, frames: Optional[Frames] = None) -> Any: ...
    def __getitem__(self, name: str) -> Any: ...
    def __getattr__(self, name: str) -> Any: ...
    @property
    def json(self) -> Dict[str, Any]: ...
    def write(self, out: PathLike, name: Optional[str] = None) -> pathlib.Path: ...

class RunResult(Result):
    @property
    def summary(self) -> Any: ...
    @property
    def timeseries(self) -> Any: ...
    @property
    def replications(self) -> Any: ...
    @property
    def cohorts(self) -> Any: ...

def run(
    scenario: Union[Scenario, PathLike],
    replications: Optional[int] = None,
    seed: Optional[int] = None,
    threads: Optional[int] = None,
    *,
    precision: Optional[float] = None,
    members: Sequence[str] = (),
    charts: Charts = True,
    report: bool = True,
    progress: Progress = False,
    frames: Frames = "pandas",
    **options: Any,
) -> RunResult: ...
def compare(
    scenarios: Sequence[Union[Scenario, PathLike]],
    replications: Optional[int] = None,
    seed: Optional[int] = None,
    threads: Optional[int] = None,
    *,
    pairs: Literal["baseline", "all"] = "baseline",
    charts: Charts = True,
    report: bool = True,
    progress: Progress = False,
    frames: Frames = "pandas",
    **options: Any,
) -> Result: ...
def sweep(
    scenario: Union[Scenario, PathLike],
    params: Mapping[str, Any],
    replications: Optional[int] = None,
    seed: Optional[int] = None,
    threads: Optional[int] = None,
    *,
    labels: Sequence[str] = (),
    reference: Optional[Mapping[str, Any]] = None,
    charts: Charts = True,
    report: bool = True,
    progress: Progress = False,
    frames: Frames = "pandas",
    **options: Any,
) -> Result: ...
def sensitivity(
    scenario: Union[Scenario, PathLike],
    method: Literal["sobol", "morris", "tornado", "uncertainty"] = "sobol",
    samples: Optional[int] = None,
    replications: Optional[int] = None,
    seed: Optional[int] = None,
    threads: Optional[int] = None,
    *,
    vary: Vary = None,
    metrics: Sequence[str] = (),
    against: Optional[Mapping[str, Any]] = None,
    label: Optional[str] = None,
    charts: Charts = True,
    report: bool = True,
    progress: Progress = False,
    frames: Frames = "pandas",
    **options: Any,
) -> Result: ...
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
    vary: Vary = None,
    metrics: Sequence[str] = (),
    against: Optional[Mapping[str, Any]] = None,
    label: Optional[str] = None,
    charts: Charts = True,
    report: bool = True,
    progress: Progress = False,
    frames: Frames = "pandas",
    **options: Any,
) -> Result: ...
def fit_retention(file: PathLike, *, frames: Frames = "pandas", **options: Any) -> Result: ...
def fit_durations(file: PathLike, *, frames: Frames = "pandas", **options: Any) -> Result: ...
def fit_reviews(file: PathLike, *, frames: Frames = "pandas", **options: Any) -> Result: ...

class Model:
    scenario: Scenario
    replications: int
    def __init__(
        self,
        scenario: Union[Scenario, PathLike],
        parameters: Vary = None,
        metrics: Sequence[str] = (),
        replications: int = 1,
        threads: Optional[int] = None,
        seed: Optional[int] = None,
    ) -> None: ...
    @property
    def names(self) -> List[str]: ...
    @property
    def outputs(self) -> List[str]: ...
    @property
    def parameters(self) -> List[Dict[str, Any]]: ...
    @property
    def problem(self) -> Dict[str, Any]: ...
    def __call__(self, X: Any, unit: bool = False) -> np.ndarray: ...
    def frame(self, X: Any, unit: bool = False) -> Any: ...
    def pyabc(self, outputs: Optional[Sequence[str]] = None) -> Callable[[Mapping[str, float]], Dict[str, float]]: ...
    def ema(self, outputs: Optional[Sequence[str]] = None) -> Callable[..., Dict[str, float]]: ...
