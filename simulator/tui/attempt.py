"""One trainee's attempt at a scenario in a mode: the session, its recorder and its scorecard.

The screens drive an :class:`Attempt` and never a :class:`Session` directly, so the rules of a
mode (certification shuffles, stops on a critical reply, forbids undo; practice does not) and
the recorder calls live in one place that is tested without starting the UI.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from scoring.recording import Mode, Recorder, RecorderFactory
from simulator.engine.machine import ScenarioMachine
from simulator.engine.model import Scenario
from simulator.engine.session import Clock, Prompt, Session, SessionError, Step

if TYPE_CHECKING:
    from scoring.scorer import Scorecard
    from simulator.engine.analysis import Analysis


class AttemptError(SessionError):
    """Something the attempt's mode does not allow (undo or restart in certification)."""


@dataclass(frozen=True, slots=True)
class Replay:
    """How a reload went: how many of the earlier replies still applied."""

    replayed: int
    made: int
    stopped_at: str | None
    """The first reply that no longer applies (None when every reply replayed)."""
    restarted: bool = False
    """True when the start node is gone and the call now begins at the scenario's start."""


def certification_seed() -> int:
    """A fresh, unpredictable seed for a certification attempt."""
    import secrets

    return secrets.randbelow(2**31)


class Attempt:
    """A session played in a mode, reporting to an optional recorder."""

    def __init__(
        self,
        scenario: Scenario,
        mode: Mode = Mode.PRACTICE,
        *,
        seed: int | None = None,
        start: str | None = None,
        start_values: Mapping[str, int] | None = None,
        trainee: str | None = None,
        recorder_factory: RecorderFactory | None = None,
        clock: Clock = time.time,
        machine: ScenarioMachine | None = None,
    ) -> None:
        certifying = mode == Mode.CERTIFICATION
        if certifying and (start is not None or start_values):
            raise AttemptError("a certification attempt starts at the beginning of the call")
        self.scenario = scenario
        self.mode = Mode(mode)
        self.trainee = trainee
        self.seed = seed if seed is not None else (certification_seed() if certifying else 0)
        self.start = start
        self.start_values = dict(start_values) if start_values else None
        self.clock = clock
        self._factory = recorder_factory
        self.session = Session(
            scenario, seed=self.seed, shuffle=certifying, stop_on_critical=certifying,
            start=start, start_values=start_values, clock=clock, machine=machine)
        self.recorder: Recorder | None = (
            recorder_factory(scenario, self.session, self.mode, trainee)
            if recorder_factory else None)
        self.scorecard: Scorecard | None = None
        self.closed = False
        self._analysis: Analysis | None = None
        #: Why recording stopped (a broken store, a full disk), or None while it works.
        self.recording_error: str | None = None

    # -- reading -----------------------------------------------------------------------------
    @property
    def certifying(self) -> bool:
        """True in certification mode."""
        return self.mode == Mode.CERTIFICATION

    @property
    def shows_feedback(self) -> bool:
        """Whether feedback is shown after each reply (practice only)."""
        return not self.certifying

    @property
    def can_undo(self) -> bool:
        """True when there is a reply to take back and the mode allows it."""
        return not self.certifying and not self.closed and self.session.turn > 0

    @property
    def can_restart(self) -> bool:
        """True when the mode allows starting the call again."""
        return not self.certifying

    @property
    def finished(self) -> bool:
        """True once the call has reached an ending."""
        return self.session.finished

    def prompt(self) -> Prompt:
        """What the trainee sees now."""
        return self.session.current()

    # -- acting ------------------------------------------------------------------------------
    def choose(self, choice_id: str) -> Step:
        """Answer with ``choice_id``; report it; score the call if it ended."""
        return self._after(self.session.choose(choice_id))

    def timeout(self) -> Step:
        """The reply time ran out: the customer heard silence."""
        return self._after(self.session.timeout())

    def _record(self, event: Callable[[Recorder], None]) -> None:
        """Pass one event to the recorder. If the store fails, recording stops for this
        attempt and the reason is kept for the screen to show: the call itself goes on."""
        if self.recorder is None:
            return
        try:
            event(self.recorder)
        except Exception as exc:  # noqa: BLE001 - any store failure ends recording alike
            self.recorder = None
            self.recording_error = " ".join(str(exc).split()) or type(exc).__name__

    def _after(self, step: Step) -> Step:
        self._record(lambda r: r.step(step))
        if self.session.finished:
            self._finish()
        return step

    def _finish(self) -> None:
        from scoring.scorer import score
        from simulator.engine.analysis import analyze

        if self._analysis is None or self._analysis.scenario is not self.scenario:
            self._analysis = analyze(self.scenario)
        self.scorecard = score(self.scenario, self.session.log, self.session.ending,
                               self._analysis)
        self.closed = True
        scorecard = self.scorecard
        self._record(lambda r: r.finish(self.session, scorecard))

    def undo(self) -> Step | None:
        """Take back the last reply (practice only); return it, or None if there was none."""
        if self.certifying:
            raise AttemptError("undo is not available in certification")
        if self.closed:
            return None
        return self.session.undo()

    def abandon(self) -> None:
        """The trainee leaves before the end: tell the recorder once, free the session."""
        if self.closed:
            return
        self.closed = True
        self._record(lambda r: r.abandon(self.session))
        self.session.close()

    def fresh(self) -> Attempt:
        """A new attempt at the same scenario and mode (certification draws a new seed).

        An unfinished attempt is abandoned first, so its recorder hears of it.
        """
        self.abandon()
        return Attempt(
            self.scenario, self.mode,
            seed=None if self.certifying else self.seed,
            start=self.start, start_values=self.start_values, trainee=self.trainee,
            recorder_factory=self._factory, clock=self.clock, machine=self.session.machine,
        )

    def restart(self) -> Attempt:
        """Start the call again (practice only): a fresh attempt with the same seed."""
        if self.certifying:
            raise AttemptError("restart is not available in certification")
        return self.fresh()

    def reload(self, scenario: Scenario) -> tuple[Attempt, Replay]:
        """The same attempt on a changed scenario, replaying the replies made so far.

        Replies are replayed in order until the first that no longer applies (its node or
        choice is gone, or the call ended earlier than before). Practice only.
        """
        if self.certifying:
            raise AttemptError("a certification attempt cannot be reloaded")
        made = self.session.choices_made
        start = self.start if self.start in scenario.nodes else None
        values = {k: v for k, v in (self.start_values or {}).items() if k in scenario.variables}
        self.abandon()
        new = Attempt(scenario, self.mode, seed=self.seed, start=start, start_values=values,
                      trainee=self.trainee, recorder_factory=self._factory, clock=self.clock)
        replayed, stopped = 0, None
        for choice in made:
            if new.finished or not (choice == "silence" or choice in new.session.option_ids()):
                stopped = choice
                break
            if choice == "silence":
                new.timeout()
            else:
                new.choose(choice)
            replayed += 1
        return new, Replay(replayed, len(made), stopped, restarted=start != self.start)
