"""Certification without any UI: a :class:`CertificationRun`'s scenario played through the
training service with answers from a callback (the ``certify --headless`` prompt, scripts,
tests). It produces the same records as the terminal UI."""

from __future__ import annotations

import time
from collections.abc import Callable

from scoring.record import CertificationRun, StoreRecorder
from scoring.recording import AttemptStart, Mode
from simulator.engine.model import Scenario
from simulator.engine.session import Clock, Prompt
from simulator.training.attempt import Attempt

#: ``answer(prompt, seconds) -> choice id``, or None when the reply time ran out.
Answerer = Callable[[Prompt, int], "str | None"]


def play_certification(run: CertificationRun, scenario: Scenario, answer: Answerer,
                       clock: Clock | None = None, seed: int | None = None) -> StoreRecorder:
    """Play one scenario of ``run`` with answers from ``answer``; every answer is committed
    as it is given. Any exception abandons the attempt (and is raised again). Return the
    attempt's recorder (its id, seal and scorecard)."""
    if run.position(scenario) is None:
        raise ValueError(f"scenario {scenario.id!r} is not part of this certification")
    recorders: list[StoreRecorder] = []

    def factory(start: AttemptStart) -> StoreRecorder | None:
        made = run.recorder_factory(start)
        if made is not None:
            recorders.append(made)
        return made

    attempt = Attempt(scenario, Mode.CERTIFICATION, seed=seed, trainee=run.trainee,
                      recorder_factory=factory, clock=clock or time.time)
    (recorder,) = recorders
    seconds = attempt.reply_seconds
    assert seconds is not None
    try:
        while not attempt.finished:
            attempt.answer(answer(attempt.prompt(), seconds))
            if attempt.recording_failure is not None:
                raise attempt.recording_failure  # a certification must be recorded
    except BaseException:
        attempt.abandon()
        raise
    return recorder
