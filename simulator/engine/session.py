"""One playthrough of a scenario: the only door the UI, the CLI and certification use.

A host pulls: :meth:`Session.current` gives the step to render, :meth:`Session.choose`
reports the trainee's choice and returns what it did. Everything random is derived from the
seed, the turn and the node, so a session replays exactly, survives undo, and round-trips
through :meth:`Session.to_dict` / :meth:`Session.from_dict`.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from simulator.engine.machine import Cursor, ScenarioMachine
from simulator.engine.model import (
    CRITICAL_ENDING,
    MAX_TURNS_ENDING,
    SILENCE,
    Choice,
    Ending,
    Scenario,
)
from simulator.engine.moments import iso_at
from simulator.engine.situations import draw
from simulator.engine.stategraph import counted
from simulator.engine.typedtext import clean

SESSION_FORMAT = 1

#: How a typed reply was taken (:attr:`Step.match`): matched with confidence; picked by the
#: trainee from the two closest after "did you mean" (a prompt was needed); matched nothing.
UNDERSTOOD, PROMPTED, UNMATCHED = "understood", "prompted", "unmatched"

Clock = Callable[[], float]

#: What a timed-out reply does at a node that has no ``silence`` response of its own.
DEFAULT_SILENCE = Choice(
    id=SILENCE,
    say="",
    scores={"stay_calm": -1},
    effects={"anger": 10},
    feedback="Dead air: the customer heard nothing while they waited, and grew angrier. "
    "Even 'let me check that for you' keeps the call alive.",
    routes=(),
)

MAX_TURNS = Ending(
    MAX_TURNS_ENDING,
    "unresolved",
    "The call went round in circles until it ran out of time. Look for the point where you "
    "could have offered a concrete next step.",
)
CRITICAL = Ending(
    CRITICAL_ENDING,
    "critical_failure",
    "The attempt ended on a reply that is never acceptable on a call. Whatever the customer "
    "says, that line cannot be crossed.",
)


class SessionError(ValueError):
    """A request the session cannot honour (unknown choice, finished call, bad save data)."""


@dataclass(frozen=True, slots=True)
class Option:
    """A choice as offered to the trainee (in display order)."""

    id: str
    say: str


@dataclass(frozen=True, slots=True)
class Prompt:
    """What the host shows now: the customer's line and the trainee's options."""

    turn: int
    node: str
    line: str
    line_index: int
    options: tuple[Option, ...]
    values: Mapping[str, int]
    finished: bool
    ending: Ending | None
    narration: str = ""
    """What the agent sees at this point (on screen, in the account), not said aloud."""


@dataclass(frozen=True, slots=True)
class Step:
    """One answered turn: the event log entry, immutable."""

    turn: int
    node: str
    line: str
    line_index: int
    choice: str
    say: str
    scores: Mapping[str, int]
    effects: Mapping[str, int]
    values_before: Mapping[str, int]
    values: Mapping[str, int]
    target: str
    feedback: str
    critical: bool = False
    timed_out: bool = False
    at: str = ""
    narration: str = ""
    typed: str = ""
    """What the agent typed, cleaned (empty when the reply was picked from a list)."""
    match: str = ""
    """How a typed reply was taken: :data:`UNDERSTOOD`, :data:`PROMPTED` or :data:`UNMATCHED`
    (empty when the reply was picked from a list, or the reply time ran out)."""
    gains_counted_before: bool = False
    """The reply was said before at this point of the call, so its gains were not counted
    again (only its losses were)."""

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict of this step."""
        data = asdict(self)
        for key in ("scores", "effects", "values_before", "values"):
            data[key] = dict(data[key])
        return data


@dataclass(slots=True)
class _Snapshot:
    state: str
    values: dict[str, int]
    ending: Ending | None = None
    steps: int = 0


@dataclass
class Session:
    """The state of one call. Create it with a scenario, a seed and options; then drive it."""

    scenario: Scenario
    seed: int = 0
    stop_on_critical: bool = False
    shuffle: bool = False
    start: str | None = None
    start_values: Mapping[str, int] | None = None
    clock: Clock = time.time
    machine: ScenarioMachine | None = None
    _cursor: Cursor = field(default_factory=Cursor, init=False, repr=False)
    _values: dict[str, int] = field(default_factory=dict, init=False)
    _log: list[Step] = field(default_factory=list, init=False)
    _history: list[_Snapshot] = field(default_factory=list, init=False, repr=False)
    _ending: Ending | None = field(default=None, init=False)

    def __post_init__(self) -> None:
        if self.machine is None:
            self.machine = ScenarioMachine(self.scenario)
        elif self.machine.scenario is not self.scenario:
            raise SessionError("the machine was compiled from another scenario")
        if self.start is not None and self.start not in self.scenario.nodes:
            known = ", ".join(self.scenario.nodes)
            raise SessionError(f"unknown node {self.start!r}; nodes: {known}")
        values = self.scenario.start_values()
        # Variables whose start is drawn take the value the seed draws (unless set).
        values.update(draw(self.scenario, self.seed))
        for name, value in (self.start_values or {}).items():
            var = self.scenario.variables.get(name)
            if var is None:
                known = ", ".join(self.scenario.variables)
                raise SessionError(f"unknown variable {name!r}; variables: {known}")
            values[name] = var.clamp(int(value))
        self.start_values = dict(values)
        self._values = values
        self.machine.attach(self._cursor, self.start or self.scenario.start)

    # -- reading -----------------------------------------------------------------------------
    @property
    def state(self) -> str:
        """The current node or ending id."""
        return self._cursor.state

    @property
    def turn(self) -> int:
        """How many turns have been answered."""
        return len(self._log)

    @property
    def finished(self) -> bool:
        """True once the call has reached an ending."""
        return self._ending is not None

    @property
    def ending(self) -> Ending | None:
        """The ending reached, or None while the call goes on."""
        return self._ending

    @property
    def values(self) -> dict[str, int]:
        """A copy of the customer variables now."""
        return dict(self._values)

    @property
    def log(self) -> tuple[Step, ...]:
        """Every answered turn, in order."""
        return tuple(self._log)

    @property
    def choices_made(self) -> list[str]:
        """The choice ids answered so far ("silence" for a timed-out turn)."""
        return [s.choice for s in self._log]

    def _rng(self, purpose: str, node: str) -> random.Random:
        return random.Random(f"{self.seed}:{purpose}:{self.turn}:{node}")

    def current(self) -> Prompt:
        """What to show now: the customer's line and the options, or the ending."""
        if self._ending is not None:
            return Prompt(self.turn, self._ending.id, self._ending.line, 0, (),
                          self.values, True, self._ending)
        node = self.scenario.nodes[self.state]
        index = self._rng("line", node.id).randrange(len(node.lines)) if node.lines else 0
        options = [Option(c.id, c.say) for c in node.choices]
        if self.shuffle and not node.fixed_order:
            self._rng("order", node.id).shuffle(options)
        line = node.lines[index] if node.lines else ""
        return Prompt(self.turn, node.id, line, index, tuple(options), self.values, False, None,
                      node.narration_for(self._values))

    def option_ids(self) -> list[str]:
        """The choice ids available now, in display order."""
        return [o.id for o in self.current().options]

    # -- acting ------------------------------------------------------------------------------
    def choose(self, choice_id: str, *, typed: str = "", match: str = "") -> Step:
        """Answer with ``choice_id``; return the step it produced. A typed reply passes what
        was typed and how it was understood (:data:`UNDERSTOOD` or :data:`PROMPTED`)."""
        if match not in ("", UNDERSTOOD, PROMPTED):
            raise SessionError(f"a chosen reply cannot be taken as {match!r}")
        if self._ending is not None:
            raise SessionError("the call has already ended")
        node = self.scenario.nodes[self.state]
        choice = next((c for c in node.choices if c.id == choice_id), None)
        if choice is None:
            valid = ", ".join(self.option_ids())
            raise SessionError(f"unknown choice {choice_id!r} at {node.id!r}; valid: {valid}")
        return self._apply(choice, timed_out=False, typed=typed, match=match if typed else "")

    def unmatched(self, typed: str) -> Step:
        """A typed reply that matched none of the replies, taken where no second try is
        allowed (certification): scored as silence is, with what was typed kept."""
        if self._ending is not None:
            raise SessionError("the call has already ended")
        node = self.scenario.nodes[self.state]
        return self._apply(node.silence or DEFAULT_SILENCE, timed_out=False, typed=typed,
                           match=UNMATCHED)

    def timeout(self) -> Step:
        """The reply time ran out: play the node's silence response (or the default one)."""
        if self._ending is not None:
            raise SessionError("the call has already ended")
        node = self.scenario.nodes[self.state]
        return self._apply(node.silence or DEFAULT_SILENCE, timed_out=True)

    def _apply(self, choice: Choice, timed_out: bool, typed: str = "", match: str = ""
               ) -> Step:
        assert self.machine is not None
        prompt = self.current()
        before = dict(self._values)
        after = dict(before)
        for name, delta in choice.effects.items():
            var = self.scenario.variables.get(name)
            if var is not None:
                after[name] = var.clamp(after[name] + delta)
        self._history.append(_Snapshot(self.state, before, None, len(self._log)))
        # A choice without routes (the default silence) keeps the call where it is.
        target = self.machine.fire(self._cursor, choice, after) if choice.routes else self.state
        self._values = after
        # A reply's gains count once per attempt: said again (round a loop), only its losses.
        repeat = any(st.node == prompt.node and st.choice == choice.id for st in self._log)
        scores = {k: v for k, v in counted(choice, repeat).items()
                  if k in self.scenario.principles}
        step = Step(
            turn=len(self._log) + 1, node=prompt.node, line=prompt.line,
            line_index=prompt.line_index, choice=choice.id, say=choice.say, scores=scores,
            effects=dict(choice.effects), values_before=before, values=dict(after),
            target=target, feedback=choice.feedback, critical=choice.critical,
            timed_out=timed_out, at=iso_at(self.clock()), narration=prompt.narration,
            typed=clean(typed), match=match,
            gains_counted_before=repeat and any(v > 0 for v in choice.scores.values()),
        )
        self._log.append(step)
        if target in self.scenario.endings:
            self._end(self.scenario.endings[target])
        elif choice.critical and self.stop_on_critical:
            self._end(CRITICAL)
        elif len(self._log) >= self.scenario.max_turns:
            self._end(MAX_TURNS)
        return step

    def _end(self, ending: Ending) -> None:
        assert self.machine is not None
        self._ending = ending
        self.machine.detach(self._cursor)

    def undo(self) -> Step | None:
        """Take back the last answer; return the step undone (None if there was none)."""
        if not self._history:
            return None
        assert self.machine is not None
        snap = self._history.pop()
        undone = self._log.pop()
        if self._ending is not None:
            self._ending = None
            # A fresh cursor: the detached one still carries its old trigger bindings.
            self._cursor = Cursor()
            self.machine.attach(self._cursor, snap.state)
        else:
            self.machine.place(self._cursor, snap.state)
        self._values = snap.values
        return undone

    def restart(self) -> None:
        """Start the call again from the beginning, with the same seed and start values."""
        while self._history:
            self.undo()

    def close(self) -> None:
        """Release the machine slot of an unfinished session that will not be played on."""
        assert self.machine is not None
        self.machine.detach(self._cursor)

    # -- saving ------------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """The session as JSON-ready data (format :data:`SESSION_FORMAT`)."""
        return {
            "session_format": SESSION_FORMAT,
            "scenario": self.scenario.id,
            "sha256": self.scenario.sha256,
            "seed": self.seed,
            "stop_on_critical": self.stop_on_critical,
            "shuffle": self.shuffle,
            "start": self.start,
            "start_values": dict(self.start_values or {}),
            "steps": [s.to_dict() for s in self._log],
            "state": self.state if self._ending is None else self._ending.id,
            "ending": self._ending.id if self._ending else None,
        }

    @classmethod
    def from_dict(
        cls,
        scenario: Scenario,
        data: Mapping[str, Any],
        machine: ScenarioMachine | None = None,
        clock: Clock = time.time,
    ) -> Session:
        """Rebuild a session saved by :meth:`to_dict` by replaying its answers."""
        try:
            if data.get("session_format") != SESSION_FORMAT:
                raise SessionError(f"unsupported session format {data.get('session_format')!r}")
            if data["scenario"] != scenario.id:
                raise SessionError(f"saved for scenario {data['scenario']!r}, not "
                                   f"{scenario.id!r}")
            steps = list(data["steps"])
            stamps = iter([s["at"] for s in steps])
            session = cls(scenario, int(data["seed"]), bool(data["stop_on_critical"]),
                          bool(data["shuffle"]), data["start"], dict(data["start_values"]),
                          clock=clock, machine=machine)
            for saved in steps:
                step = answer_as(session, saved)
                if step.target != saved["target"] or dict(step.values) != saved["values"]:
                    raise SessionError(f"turn {step.turn} replays differently: the scenario "
                                       "has changed since the session was saved")
                session._log[-1] = Step(**{**step.to_dict(), "at": next(stamps)})
        except (KeyError, TypeError, ValueError) as exc:
            if isinstance(exc, SessionError):
                raise
            raise SessionError(f"malformed session data: {exc}") from None
        return session


def answer_as(session: Session, saved: Mapping[str, Any]) -> Step:
    """Answer ``session``'s turn as a saved or recorded answer was given (``timed_out``,
    ``choice``, and ``typed`` and ``match`` when the reply was typed)."""
    typed, match = str(saved.get("typed") or ""), str(saved.get("match") or "")
    if saved["timed_out"]:
        return session.timeout()
    if match == UNMATCHED:
        return session.unmatched(typed)
    return session.choose(saved["choice"], typed=typed, match=match)
