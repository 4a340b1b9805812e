"""The rules of each mode of play, the reply time and the certification seed, as data."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from scoring.recording import Mode
from simulator.engine.model import Scenario

#: Seconds allowed per reply in a timed mode when the scenario sets none.
DEFAULT_REPLY_SECONDS = 45


@dataclass(frozen=True, slots=True)
class Rules:
    """What a mode allows and how it plays a call."""

    shuffle: bool
    """The replies are shown in an order drawn from the attempt's seed."""
    stop_on_critical: bool
    """A critical reply ends the call at once (a critical failure)."""
    feedback: bool
    """What each reply did, and why, is shown as soon as it is made."""
    undo: bool
    """Replies can be taken back, the call restarted or reloaded after an edit."""
    timed: bool
    """Each reply has a time limit; when it runs out the customer hears silence."""
    fresh_seed: bool
    """Every attempt draws an unpredictable seed (recorded), so nobody learns the order."""
    mid_call_start: bool
    """The call may start at another node, or with other starting values."""


RULES: dict[Mode, Rules] = {
    Mode.PRACTICE: Rules(shuffle=True, stop_on_critical=False, feedback=True, undo=True,
                         timed=False, fresh_seed=True, mid_call_start=True),
    Mode.CERTIFICATION: Rules(shuffle=True, stop_on_critical=True, feedback=False, undo=False,
                              timed=True, fresh_seed=True, mid_call_start=False),
    Mode.PREVIEW: Rules(shuffle=True, stop_on_critical=False, feedback=True, undo=True,
                        timed=False, fresh_seed=False, mid_call_start=True),
}


#: Typing a reply takes longer than picking one: a typed attempt gets this many times the time.
TYPED_TIME_FACTOR = 2


def reply_seconds(scenario: Scenario, typed: bool = False) -> int:
    """The time allowed per reply in a timed mode: the scenario's, or the default; twice
    that when the trainee types their replies."""
    seconds = scenario.response_seconds or DEFAULT_REPLY_SECONDS
    return seconds * TYPED_TIME_FACTOR if typed else seconds


def certification_seed() -> int:
    """A fresh, unpredictable seed for an attempt (its reply order and line variants)."""
    return secrets.randbelow(2**31)
