"""Problems found in a scenario file, reported as ``path:line:col: message``."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True, order=True)
class Problem:
    """One error or warning at a place in a file (line and col are 1-based; 0 = whole file)."""

    path: str
    line: int
    col: int
    message: str
    severity: str = "error"
    code: str = ""

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}:{self.col}" if self.line else self.path
        kind = "" if self.severity == "error" else f"{self.severity}: "
        code = f" [{self.code}]" if self.code else ""
        return f"{where}: {kind}{self.message}{code}"


def excerpt(text: str, limit: int = 60) -> str:
    """``text`` cut to ``limit`` characters with an ellipsis, for quoting in a message."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


class ScenarioError(Exception):
    """Raised when a scenario file cannot be loaded; carries every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    @property
    def first(self) -> Problem:
        """The first problem in file order."""
        return self.problems[0]
