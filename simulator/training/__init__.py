"""The training service: one trainee's attempt at a scenario, played under a mode's rules.

Every host drives an :class:`Attempt`: the terminal UI, headless certification
(:func:`play_certification`), ``calmline run`` and playthrough plans. The mode's rules
(feedback, undo, reply time, critical fail, seed), the recorder calls and the final
scorecard live here once, with no UI and no global state.
"""

from __future__ import annotations

from scoring.recording import Mode
from simulator.training.attempt import Attempt, AttemptError, Replay
from simulator.training.headless import (
    Answerer,
    TypedAnswerer,
    play_certification,
    play_typed_certification,
)
from simulator.training.modes import DEFAULT_REPLY_SECONDS, RULES, Rules, reply_seconds

__all__ = [
    "DEFAULT_REPLY_SECONDS",
    "RULES",
    "Answerer",
    "Attempt",
    "AttemptError",
    "Mode",
    "Replay",
    "Rules",
    "TypedAnswerer",
    "play_certification",
    "play_typed_certification",
    "reply_seconds",
]
