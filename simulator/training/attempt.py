"""One trainee's attempt at a scenario in a mode: the session, its recorder and its scorecard.

Hosts drive an :class:`Attempt` and never a :class:`Session` directly, so the rules of a mode
(:data:`~simulator.training.modes.RULES`) and the recorder calls live in one place that is
tested without any UI. Who plays is an input (``trainee``), never asked for here.
"""

from __future__ import annotations

import itertools
import json
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from scoring.recording import AttemptStart, Mode, Recorder, RecorderFactory
from simulator.engine.machine import ScenarioMachine
from simulator.engine.model import SILENCE, Scenario
from simulator.engine.session import Clock, Prompt, Session, SessionError, Step
from simulator.training import modes
from simulator.training.modes import RULES, Rules

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


#: Every prompt an attempt offers gets a number never used before in this process.
_PROMPT_IDS = itertools.count(1)


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
        analysis: Analysis | None = None,
        typed: bool = False,
    ) -> None:
        self.mode = Mode(mode)
        #: True when the trainee answers in their own words (typed replies), not from a list.
        self.typed = typed
        self.rules: Rules = RULES[self.mode]
        if not self.rules.mid_call_start and (start is not None or start_values):
            raise AttemptError(f"a {self.mode} attempt starts at the beginning of the call")
        self.scenario = scenario
        self.trainee = trainee
        if seed is None:
            seed = modes.certification_seed() if self.rules.fresh_seed else 0
        self.seed = seed
        self.start = start
        self.start_values = dict(start_values) if start_values else None
        self.clock = clock
        self._factory = recorder_factory
        self._analysis = analysis if analysis is not None and analysis.scenario is scenario \
            else None
        self.session = Session(
            scenario, seed=self.seed, shuffle=self.rules.shuffle,
            stop_on_critical=self.rules.stop_on_critical, start=start,
            start_values=start_values, clock=clock, machine=machine)
        self.recorder: Recorder | None = None
        if recorder_factory is not None:
            self.recorder = recorder_factory(AttemptStart(
                scenario, self.session, self.mode, trainee, self.reply_seconds, self.analysis,
                typed=typed))
        self.scorecard: Scorecard | None = None
        self.closed = False
        #: The prompt on offer now: a host shows it, and answers it by :meth:`answer_prompt`.
        self.prompt_id = next(_PROMPT_IDS)
        #: What stopped recording (a broken store, a full disk), or None while it works.
        self.recording_failure: Exception | None = None

    # -- reading -----------------------------------------------------------------------------
    @property
    def certifying(self) -> bool:
        """True in certification mode."""
        return self.mode == Mode.CERTIFICATION

    @property
    def shows_feedback(self) -> bool:
        """Whether what each reply did is shown as soon as it is made."""
        return self.rules.feedback

    @property
    def reply_seconds(self) -> int | None:
        """The time allowed per reply, or None when the mode is not timed."""
        return modes.reply_seconds(self.scenario, self.typed) if self.rules.timed else None

    @property
    def can_undo(self) -> bool:
        """True when there is a reply to take back and the mode allows it."""
        return self.rules.undo and not self.closed and self.session.turn > 0

    @property
    def can_restart(self) -> bool:
        """True when the mode allows starting the call again."""
        return self.rules.undo

    @property
    def finished(self) -> bool:
        """True once the call has reached an ending."""
        return self.session.finished

    def prompt(self) -> Prompt:
        """What the trainee sees now."""
        return self.session.current()

    def accepts(self, answer: str) -> bool:
        """True when ``answer`` (a reply id, or :data:`SILENCE`) can be given now."""
        return not self.finished and (answer == SILENCE or answer in self.session.option_ids())

    def analysis(self) -> Analysis:
        """The scenario's analysis, computed once for this attempt (and the attempts made
        fresh from it)."""
        from simulator.engine.situations import analysis_for

        # Per situation: a scenario whose start is drawn is analysed for the one this
        # session plays (the best achievable score is that situation's).
        self._analysis = analysis_for(self.scenario, self.session.start_values or {},
                                      self._analysis)
        return self._analysis

    def score(self) -> Scorecard:
        """The scorecard of the call so far (the final one once it has ended)."""
        from scoring.scorer import score

        return score(self.scenario, self.session.log, self.session.ending, self.analysis())

    # -- acting ------------------------------------------------------------------------------
    def answer(self, answer: str | None) -> Step:
        """Answer with a reply id; :data:`SILENCE` or None when the trainee said nothing
        (the reply time ran out). Report it; score the call if it ended."""
        if answer is None or answer == SILENCE:
            return self.timeout()
        return self.choose(answer)

    def answer_prompt(self, prompt_id: int, answer: str | None, *, typed: str = "",
                      match: str = "") -> Step | None:
        """Answer the prompt numbered ``prompt_id`` (the :attr:`prompt_id` the host showed)
        with a reply id, or with silence (None or :data:`SILENCE`).

        Only the prompt on offer now is answered: when the call has moved on since that prompt
        was shown (a key pressed twice, a reply time that ran out as a reply was made), or the
        answer is not one of its replies, nothing happens and None is returned. A fast second
        key is never taken for the next question, and never raises.
        """
        if prompt_id != self.prompt_id or self.closed or self.finished:
            return None
        if answer is None or answer == SILENCE:
            return self.timeout()
        if not self.accepts(answer):
            return None
        return self.choose(answer, typed=typed, match=match)

    def answer_unmatched(self, prompt_id: int, typed: str) -> Step | None:
        """Take a typed reply that matched none of the prompt's replies as an answer: scored
        as silence, the text kept (certification, where a second try is not allowed). Only
        the prompt on offer now is answered, as in :meth:`answer_prompt`."""
        if prompt_id != self.prompt_id or self.closed or self.finished:
            return None
        return self._after(self.session.unmatched(typed))

    def choose(self, choice_id: str, *, typed: str = "", match: str = "") -> Step:
        """Answer with ``choice_id`` (typed replies pass the words and how they were taken,
        see :meth:`Session.choose`); report it; score the call if it ended."""
        return self._after(self.session.choose(choice_id, typed=typed, match=match))

    def timeout(self) -> Step:
        """The reply time ran out: the customer heard silence."""
        return self._after(self.session.timeout())

    def _record(self, event: Callable[[Recorder], None]) -> None:
        """Pass one event to the recorder. If the store fails, recording stops for this
        attempt and the reason is kept for the host to show: the call itself goes on."""
        if self.recorder is None:
            return
        try:
            event(self.recorder)
        except Exception as exc:  # noqa: BLE001 - any store failure ends recording alike
            self.recorder = None
            self.recording_failure = exc

    @property
    def recording_error(self) -> str | None:
        """Why recording stopped, in one line, or None while it works."""
        exc = self.recording_failure
        return None if exc is None else (" ".join(str(exc).split()) or type(exc).__name__)

    def _after(self, step: Step) -> Step:
        self.prompt_id = next(_PROMPT_IDS)
        self._record(lambda r: r.step(step))
        if self.session.finished:
            self._finish()
        return step

    def _finish(self) -> None:
        scorecard = self.scorecard = self.score()
        self.closed = True
        self._record(lambda r: r.finish(self.session, scorecard))

    def undo(self) -> Step | None:
        """Take back the last reply (when the mode allows it); return it, or None if there
        was none."""
        if not self.rules.undo:
            raise AttemptError(f"undo is not available in {self.mode}")
        if self.closed:
            return None
        step = self.session.undo()
        self.prompt_id = next(_PROMPT_IDS)
        return step

    def abandon(self) -> None:
        """The trainee leaves before the end: tell the recorder once, free the session."""
        if self.closed:
            return
        self.closed = True
        self._record(lambda r: r.abandon(self.session))
        self.session.close()

    def round_trip(self) -> None:
        """Save the session to its serialised form and restore it (as a saved call is):
        the call must go on exactly as before."""
        data = json.loads(json.dumps(self.session.to_dict()))
        self.session = Session.from_dict(self.scenario, data, clock=self.clock)

    def fresh(self, same_seed: bool = False) -> Attempt:
        """A new attempt at the same scenario and mode (a mode with fresh seeds draws a new
        one unless ``same_seed``). An unfinished attempt is abandoned first, so its recorder
        hears of it."""
        self.abandon()
        return Attempt(
            self.scenario, self.mode,
            seed=None if self.rules.fresh_seed and not same_seed else self.seed,
            start=self.start, start_values=self.start_values, trainee=self.trainee,
            recorder_factory=self._factory, clock=self.clock, machine=self.session.machine,
            analysis=self._analysis, typed=self.typed,
        )

    def restart(self) -> Attempt:
        """Start the call again (when the mode allows it): a fresh attempt, same seed."""
        if not self.rules.undo:
            raise AttemptError(f"restart is not available in {self.mode}")
        return self.fresh(same_seed=True)

    def reload(self, scenario: Scenario) -> tuple[Attempt, Replay]:
        """The same attempt on a changed scenario, replaying the replies made so far.

        Replies are replayed in order until the first that no longer applies (its node or
        choice is gone, or the call ended earlier than before). Not in certification.
        """
        if not self.rules.undo:
            raise AttemptError(f"a {self.mode} attempt cannot be reloaded")
        made = self.session.choices_made
        start = self.start if self.start in scenario.nodes else None
        values = {k: v for k, v in (self.start_values or {}).items() if k in scenario.variables}
        self.abandon()
        new = Attempt(scenario, self.mode, seed=self.seed, start=start, start_values=values,
                      trainee=self.trainee, recorder_factory=self._factory, clock=self.clock,
                      typed=self.typed)
        replayed, stopped = 0, None
        for choice in made:
            if not new.accepts(choice):
                stopped = choice
                break
            new.answer(choice)
            replayed += 1
        return new, Replay(replayed, len(made), stopped, restarted=start != self.start)
