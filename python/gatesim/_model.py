"""A scenario as a function from values of its uncertain keys to its headline
metrics: what SALib, the EMA Workbench and pyABC call."""

from __future__ import annotations

import math
import os
from typing import Any, Dict, List, Mapping, Optional, Sequence, Union

import numpy as _np

from . import _gatesim


class Model:
    """A scenario as a function of its keys: ``model(X)`` runs the scenario at
    every row of ``X`` (one value per key, in :attr:`names` order) and returns
    the headline metrics (one column per :attr:`outputs` entry), each the mean
    over ``replications`` replications.

    Every point runs replications ``0..n-1`` with the scenario's seed, as
    ``gatesim sensitivity`` runs its designs: common random numbers, so a
    point's outputs are a deterministic function of its values, and two
    points differ only by what their values change. Points run in parallel on
    ``threads`` threads (default all cores; results do not depend on it), with
    the GIL released; Ctrl-C raises KeyboardInterrupt.

    ``parameters``: the scenario's ``[[uncertain]]`` keys (default), or a
    mapping key -> range as ``--vary`` takes it: ``(low, high)`` (uniform),
    ``("loguniform", low, high)``, ``("normal", mean, sd)``,
    ``("lognormal", median, sigma)`` or the text ``"loguniform:0.001:0.016"``.
    ``metrics``: headline metrics as ``--metric`` names them
    (``active_users_end`` for every platform, ``Taocaicai.orders_total``);
    default every platform's user metrics. Whole-number keys are rounded.
    """

    def __init__(
        self,
        scenario: Any,
        parameters: Union[None, Mapping[str, Any], Sequence[str]] = None,
        metrics: Sequence[str] = (),
        replications: int = 1,
        threads: Optional[int] = None,
        seed: Optional[int] = None,
    ) -> None:
        from . import Scenario, _vary, load

        s = scenario if isinstance(scenario, Scenario) else load(scenario)
        if seed is not None:
            s = s.copy().set("simulation.seed", int(seed))
        self.scenario = s
        threads = threads or os.cpu_count() or 1
        self._inner = _gatesim._Model(s._inner, _vary(parameters), list(metrics), int(replications), int(threads))
        self._parameters = self._inner.parameters
        self.replications = int(replications)
        self._names = [p[0] for p in self._parameters]
        self._outputs = [f"{scope}.{metric}" for scope, metric, _ in self._inner.outputs]

    @property
    def names(self) -> List[str]:
        """The keys, in the order of a point's values."""
        return list(self._names)

    @property
    def outputs(self) -> List[str]:
        """The outputs, ``scope.metric``, in the order of the result's columns."""
        return list(self._outputs)

    @property
    def parameters(self) -> List[Dict[str, Any]]:
        """Each key: its distribution (kind, a, b), whether whole, its value
        in the scenario."""
        keys = ("key", "kind", "a", "b", "whole", "base", "distribution")
        return [dict(zip(keys, p)) for p in self._parameters]

    @property
    def problem(self) -> Dict[str, Any]:
        """The SALib problem of the keys, with their declared distributions
        (``unif``, ``logunif``, ``norm``, ``lognorm``): sample with SALib,
        call the model on the samples, analyse with SALib."""
        dists, bounds = [], []
        for _, kind, a, b, *_ in self._parameters:
            if kind == "uniform":
                dists.append("unif")
                bounds.append([a, b])
            elif kind == "loguniform":
                dists.append("logunif")
                bounds.append([a, b])
            elif kind == "normal":
                dists.append("norm")
                bounds.append([a, b])
            elif kind == "lognormal":
                dists.append("lognorm")
                bounds.append([math.log(a), b])
            else:
                raise ValueError(f"no SALib distribution for {kind}")
        return {
            "num_vars": len(self._parameters),
            "names": self.names,
            "bounds": bounds,
            "dists": dists,
            "outputs": self.outputs,
        }

    def _rows(self, X: Any) -> List[List[float]]:
        names = self._names
        if hasattr(X, "columns"):  # a DataFrame: columns by name
            missing = [n for n in names if n not in list(X.columns)]
            if missing:
                raise KeyError(f"the points lack the keys {missing}")
            X = X[names]
            X = X.to_numpy() if hasattr(X, "to_numpy") else X
        if isinstance(X, Mapping):  # one point, by name
            return [[float(X[n]) for n in names]]
        a = _np.asarray(X, dtype=float)
        if a.ndim == 1:
            a = a.reshape(1, -1)
        return a.tolist()

    def __call__(self, X: Any, unit: bool = False):
        """The outputs at the points ``X``: a (points x keys) array, list of
        rows, DataFrame (columns by key name), or one point as a mapping.
        With ``unit``, the values are quantiles in [0, 1] of each key's
        declared distribution. Returns a NumPy array (points x outputs); NaN
        where an output is undefined."""
        rows = self._inner.evaluate(self._rows(X), unit)
        return _np.asarray(rows, dtype=float).reshape(len(rows), len(self._outputs))

    def frame(self, X: Any, unit: bool = False):
        """:meth:`__call__` as a pandas DataFrame: the keys' values, then one
        column per output."""
        import pandas as pd

        rows = self._rows(X)
        y = self(rows, unit)
        values = [self._inner.quantiles(r) for r in rows] if unit else rows
        df = pd.DataFrame(values, columns=self.names)
        for j, name in enumerate(self.outputs):
            df[name] = y[:, j]
        return df

    def pyabc(self, outputs: Optional[Sequence[str]] = None):
        """The model as pyABC takes it: a function from a parameter mapping
        (key -> value) to a mapping output -> value (``outputs``: a subset)."""
        wanted = list(outputs) if outputs else self.outputs
        index = [self.outputs.index(o) for o in wanted]

        def model(parameters: Mapping[str, float]) -> Dict[str, float]:
            y = self(parameters)[0]
            return {o: float(y[i]) for o, i in zip(wanted, index)}

        return model

    def ema(self, outputs: Optional[Sequence[str]] = None):
        """The model as the EMA Workbench's ``Model`` function takes it: keyword
        arguments by key (dots made ``_``), outputs by name (dots made ``_``)."""
        names = self.names
        wanted = list(outputs) if outputs else self.outputs
        index = [self.outputs.index(o) for o in wanted]

        def ident(s: str) -> str:
            return "".join(c if c.isalnum() else "_" for c in s)

        def model(**kwargs: float) -> Dict[str, float]:
            y = self([[kwargs[ident(n)] for n in names]])[0]
            return {ident(o): float(y[i]) for o, i in zip(wanted, index)}

        return model

    def __repr__(self) -> str:
        return (
            f"<gatesim.Model of {self.scenario.name!r}: {len(self.names)} keys -> "
            f"{len(self.outputs)} outputs, {self.replications} replication(s) per point>"
        )
