"""Certification without any UI: a :class:`CertificationRun`'s scenario played through the
training service with answers from a callback (the ``certify --headless`` prompt, scripts,
tests). It produces the same records as the terminal UI."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from scoring.record import CertificationRun, StoreRecorder
from scoring.recording import AttemptStart, Mode
from simulator.engine.model import Scenario
from simulator.engine.session import Clock, Option, Prompt
from simulator.training.attempt import Attempt
from simulator.training.typed import Outcome, TypedReplies

if TYPE_CHECKING:
    from simulator.engine.matching import Matcher

#: ``answer(prompt, seconds) -> choice id``, or None when the reply time ran out.
Answerer = Callable[[Prompt, int], "str | None"]

#: ``answer(prompt, seconds, offered) -> text``: what the trainee typed for this turn (its
#: reply time is ``seconds`` in all); while "did you mean" offers two replies (``offered``),
#: the id of the one they pick, or new text to say it another way. None when the reply time
#: ran out.
TypedAnswerer = Callable[[Prompt, int, "tuple[Option, ...]"], "str | None"]


def _attempt_for(run: CertificationRun, scenario: Scenario, clock: Clock | None,
                 seed: int | None, typed: bool) -> tuple[Attempt, StoreRecorder]:
    if run.position(scenario) is None:
        raise ValueError(f"scenario {scenario.id!r} is not part of this certification")
    recorders: list[StoreRecorder] = []

    def factory(start: AttemptStart) -> StoreRecorder | None:
        made = run.recorder_factory(start)
        if made is not None:
            recorders.append(made)
        return made

    attempt = Attempt(scenario, Mode.CERTIFICATION, seed=seed, trainee=run.trainee,
                      recorder_factory=factory, clock=clock or time.time, typed=typed)
    (recorder,) = recorders
    return attempt, recorder


def play_certification(run: CertificationRun, scenario: Scenario, answer: Answerer,
                       clock: Clock | None = None, seed: int | None = None) -> StoreRecorder:
    """Play one scenario of ``run`` with answers from ``answer``; every answer is committed
    as it is given. Any exception abandons the attempt (and is raised again). Return the
    attempt's recorder (its id, seal and scorecard)."""
    attempt, recorder = _attempt_for(run, scenario, clock, seed, typed=False)
    seconds = attempt.reply_seconds
    assert seconds is not None
    _play_out(attempt, lambda: attempt.answer(answer(attempt.prompt(), seconds)))
    return recorder


def _play_out(attempt: Attempt, turn: Callable[[], object]) -> None:
    """Play ``turn`` until the call ends. A certification must be recorded: a recording
    failure stops it, and any exception abandons the attempt (and is raised again)."""
    try:
        while not attempt.finished:
            turn()
            if attempt.recording_failure is not None:
                raise attempt.recording_failure
    except BaseException:
        attempt.abandon()
        raise


def play_typed_certification(run: CertificationRun, scenario: Scenario, answer: TypedAnswerer,
                             clock: Clock | None = None, seed: int | None = None,
                             matcher: Matcher | None = None) -> StoreRecorder:
    """Play one scenario of ``run`` with typed replies from ``answer`` (see
    :data:`TypedAnswerer`), as :func:`play_certification` does with picked ones: a reply
    matched with confidence is taken; "did you mean" waits for a pick (recorded as a prompt
    needed) or new text; a reply that matches nothing is recorded as unmatched and scored as
    silence, with what was typed kept."""
    attempt, recorder = _attempt_for(run, scenario, clock, seed, typed=True)
    seconds = attempt.reply_seconds
    assert seconds is not None
    typed = TypedReplies(attempt, matcher)
    _play_out(attempt, lambda: _typed_turn(attempt, typed, answer, seconds))
    return recorder


def _typed_turn(attempt: Attempt, typed: TypedReplies, answer: TypedAnswerer,
                seconds: int) -> None:
    """Answer one turn: until a reply is taken, or the time runs out (silence)."""
    prompt = attempt.prompt()
    while True:
        offered = typed.offered
        reply = answer(prompt, seconds, offered)
        if reply is None:
            attempt.answer(None)
            return
        if offered and reply in {o.id for o in offered}:
            typed.confirm(reply)
            return
        if typed.say(reply).outcome in (Outcome.UNDERSTOOD, Outcome.UNMATCHED):
            return
