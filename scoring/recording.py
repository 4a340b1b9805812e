"""The recorder hook: how a durable store hears about an attempt without the UI knowing it.

The training service (:mod:`simulator.training`) is given a :data:`RecorderFactory`. For each
attempt it calls the factory once with an :class:`AttemptStart`; if that returns a
:class:`Recorder`, the service reports every
answered turn to :meth:`Recorder.step`, the scored end to :meth:`Recorder.finish`, and a call
the trainee left before its end to :meth:`Recorder.abandon`. Exactly one of ``finish`` and
``abandon`` is called per attempt, and nothing after it. Undo exists only in practice and is
not reported: the session handed to ``finish`` or ``abandon`` holds the authoritative log.

This module is pure: no UI and no storage imports.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:
    from scoring.scorer import Scorecard
    from simulator.engine.analysis import Analysis
    from simulator.engine.model import Scenario
    from simulator.engine.session import Session, Step


class Mode(StrEnum):
    """How an attempt is played. Compares equal to its plain string value."""

    PRACTICE = "practice"
    """Feedback after every reply; undo and restart allowed."""
    CERTIFICATION = "certification"
    """Shuffled choices, a countdown per reply, no feedback until the end, no undo."""
    PREVIEW = "preview"
    """An author trying a scenario (``calmline run``, playthrough plans): never recorded."""


@runtime_checkable
class Recorder(Protocol):
    """Receives the events of one attempt, in order."""

    def step(self, step: Step) -> None:
        """A turn was answered (a choice, or a timeout's silence)."""

    def finish(self, session: Session, scorecard: Scorecard) -> None:
        """The call reached an ending and was scored. ``session.log`` is the full record."""

    def abandon(self, session: Session) -> None:
        """The trainee left the call before its end."""


@dataclass(frozen=True, slots=True)
class AttemptStart:
    """What the training service has decided when an attempt opens, for its recorder."""

    scenario: Scenario
    session: Session
    """The session as it starts (its seed, shuffle and critical-stop rules are recorded)."""
    mode: Mode
    trainee: str | None
    """Who plays, when known (a recorder that needs a name and has none refuses)."""
    reply_seconds: int | None
    """The time allowed per reply, or None when the mode is not timed."""
    analysis: Callable[[], Analysis]
    """The scenario's analysis, computed at most once per attempt and shared with its
    scorecard."""
    typed: bool = False
    """True when the trainee types their replies (matched to the authored ones) instead of
    picking them from a list."""


#: ``factory(start)``: a recorder for this attempt, or None.
RecorderFactory = Callable[[AttemptStart], "Recorder | None"]
