"""Watching a scenario file while its author plays it: notice saves, reload, report problems."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from simulator.engine.loader import load
from simulator.engine.model import Scenario
from simulator.engine.problems import Problem, ScenarioError


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size)


@dataclass(frozen=True, slots=True)
class Reloaded:
    """The outcome of reading the file again: a scenario, or the problems that stop it."""

    scenario: Scenario | None
    problems: tuple[Problem, ...] = ()


class FileWatch:
    """Polls one file's modification time and size; :meth:`changed` is true once per save."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._seen = _stamp(self.path)

    def changed(self) -> bool:
        """True if the file was written (or removed, or created) since the last call."""
        now = _stamp(self.path)
        if now == self._seen:
            return False
        self._seen = now
        return True

    def reload(self) -> Reloaded:
        """Load and validate the file again."""
        try:
            return Reloaded(load(self.path))
        except ScenarioError as exc:
            return Reloaded(None, tuple(exc.problems))
        except OSError as exc:
            return Reloaded(None, (Problem(str(self.path), 0, 0,
                                           exc.strerror or "cannot be read"),))
