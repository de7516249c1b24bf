"""The exceptions of gatesim: the same messages (and, for a scenario, the same
key paths) as the ``gatesim`` command's errors."""

from __future__ import annotations

from typing import List, NamedTuple, Optional


class Problem(NamedTuple):
    """One problem of a scenario: the key path (``platforms[2].cadence_days``,
    empty for the whole file), the line and column in the file when known, and
    what is wrong."""

    path: str
    line: Optional[int]
    column: Optional[int]
    message: str


class GatesimError(Exception):
    """Base class of gatesim's errors."""


class UsageError(GatesimError, ValueError):
    """Bad usage or invalid input, as the command line's exit code 2: a flag,
    a value, a data file. The message is the command line's."""


class ScenarioError(UsageError):
    """A scenario that cannot be used (or an override that makes it so), with
    every problem found: ``problems`` lists them, each with its key path.
    ``str(e)`` is the message the command line prints."""

    def __init__(self, message: str, problems=(), file: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.problems: List[Problem] = [Problem(*p) for p in problems]
        self.file = file

    def __str__(self) -> str:
        return self.message


class RunError(GatesimError, RuntimeError):
    """The run itself failed, as the command line's exit code 1."""
