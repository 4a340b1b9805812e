"""Recording certifications: a :class:`Recorder` that writes each answer to the results
store as it is given, a certification run over a set of scenarios with its overall pass
rule, and a headless player that drives a certification without any UI.

The terminal UI gets :meth:`CertificationRun.recorder_factory`; scripts and tests use
:func:`play_headless`. Both produce the same records.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from scoring.rubric import RUBRIC_VERSION
from scoring.scorer import Scorecard, score
from scoring.seal import SealKey
from scoring.store import AttemptInfo, AttemptResult, Store
from simulator.engine.analysis import Analysis, analyze
from simulator.engine.recording import Mode, Recorder
from simulator.engine.session import Clock, Prompt, Session

if TYPE_CHECKING:
    from simulator.engine.model import Scenario
    from simulator.engine.session import Step

#: Seconds allowed per reply in certification when the scenario sets none.
DEFAULT_RESPONSE_SECONDS = 45


def response_seconds(scenario: Scenario) -> int:
    """The reply time in certification: the scenario's, or the default."""
    return scenario.response_seconds or DEFAULT_RESPONSE_SECONDS


def calmline_version() -> str:
    """The installed calmline version."""
    from simulator import __version__

    return __version__


def result_of(card: Scorecard) -> AttemptResult:
    """The stored form of a scorecard."""
    data = card.to_dict()
    return AttemptResult(
        ending=card.ending, outcome=card.outcome, total=card.total, percent=card.percent,
        passed=card.passed, critical=len(card.critical),
        missed=[dict(m) for m in data["missed"]],  # type: ignore[union-attr]
        principles=[(p.id, p.earned, p.best, p.percent) for p in card.principles],
    )


class StoreRecorder:
    """Writes one attempt to the store: the start when created, each answer as it is made,
    the sealed result at the end (or the abandonment)."""

    def __init__(self, store: Store, key: SealKey, scenario: Scenario, session: Session,
                 mode: str, trainee: str, analysis: Analysis | None = None,
                 certification_id: int | None = None, position: int = 1) -> None:
        self.store = store
        self.key = key
        self.scenario = scenario
        analysis = analysis or analyze(scenario)
        info = AttemptInfo(
            trainee=trainee, scenario_id=scenario.id, scenario_title=scenario.title,
            scenario_path=scenario.path, scenario_sha256=scenario.sha256,
            rubric_version=RUBRIC_VERSION, calmline_version=calmline_version(),
            seed=session.seed, shuffle=session.shuffle,
            stop_on_critical=session.stop_on_critical,
            response_seconds=response_seconds(scenario), pass_mark=scenario.pass_mark,
            max_score=analysis.best.total, min_score=min(analysis.worst.total, 0),
            mode=str(mode), certification_id=certification_id, position=position,
        )
        self.id, self.uid = store.start_attempt(info)
        self.recorded = 0
        self.seal: str | None = None
        self.scorecard: Scorecard | None = None
        self.closed = False

    def step(self, step: Step) -> None:
        """Write one answered turn and commit it."""
        self.store.add_answer(self.id, step.to_dict())
        self.recorded += 1

    def _catch_up(self, session: Session) -> None:
        for step in session.log[self.recorded:]:
            self.step(step)

    def finish(self, session: Session, scorecard: Scorecard) -> None:
        """Write the result and seal the attempt."""
        self._catch_up(session)
        self.seal = self.store.finish_attempt(self.id, result_of(scorecard), self.key)
        self.scorecard = scorecard
        self.closed = True

    def abandon(self, session: Session) -> None:
        """Close the attempt as abandoned, keeping every answer already made."""
        self._catch_up(session)
        self.seal = self.store.abandon_attempt(self.id, self.key)
        self.closed = True


@dataclass(frozen=True, slots=True)
class Outcome:
    """How a certification ended."""

    certification: int
    passed: bool
    mean: float
    status: str
    attempts: tuple[int, ...]


class CertificationRun:
    """One certification of one trainee on a set of scenarios, recorded as it goes.

    Passed when every scenario's first attempt in the run passed and their mean percent
    reaches ``min_mean``.
    """

    def __init__(self, store: Store, key: SealKey, trainee: str,
                 scenarios: Sequence[Scenario], min_mean: float = 0.0) -> None:
        if not scenarios:
            raise ValueError("a certification needs at least one scenario")
        if not 0 <= min_mean <= 100:
            raise ValueError("the minimum mean is a percentage between 0 and 100")
        self.store = store
        self.key = key
        self.trainee = trainee
        self.scenarios = list(scenarios)
        self.min_mean = min_mean
        self._analyses: dict[str, Analysis] = {}
        self.id, self.uid = store.start_certification(trainee, [s.id for s in scenarios],
                                                      min_mean)
        self.recorders: list[StoreRecorder] = []

    def position(self, scenario: Scenario) -> int:
        """The 1-based place of ``scenario`` in the set."""
        for i, s in enumerate(self.scenarios, 1):
            if s.id == scenario.id:
                return i
        raise ValueError(f"scenario {scenario.id!r} is not part of this certification")

    def recorder_factory(self, scenario: Scenario, session: Session, mode: Mode | str,
                         trainee: str | None) -> Recorder | None:
        """The hook the UI calls per attempt: a recorder for certification attempts."""
        if str(mode) != Mode.CERTIFICATION.value:
            return None
        analysis = self._analyses.get(scenario.sha256)
        if analysis is None or analysis.scenario is not scenario:
            analysis = self._analyses[scenario.sha256] = analyze(scenario)
        recorder = StoreRecorder(self.store, self.key, scenario, session, mode,
                                 trainee or self.trainee, analysis=analysis,
                                 certification_id=self.id, position=self.position(scenario))
        self.recorders.append(recorder)
        return recorder

    def close(self) -> Outcome:
        """Close the run: finished when every scenario was played to its end, else
        abandoned (and not passed)."""
        played = {r.scenario.id for r in self.recorders if r.scorecard is not None}
        ids = tuple(r.id for r in self.recorders)
        if all(s.id in played for s in self.scenarios):
            passed, mean = self.store.finish_certification(self.id)
            return Outcome(self.id, passed, mean, "finished", ids)
        for r in self.recorders:
            if not r.closed:
                self.store.abandon_attempt(r.id, self.key)
                r.closed = True
        self.store.abandon_certification(self.id)
        return Outcome(self.id, False, 0.0, "abandoned", ids)


#: ``answer(prompt, seconds) -> choice id``, or None when the reply time ran out.
Answerer = Callable[[Prompt, int], "str | None"]


def certification_session(scenario: Scenario, clock: Clock | None = None,
                          seed: int | None = None) -> Session:
    """A session with the rules of certification: shuffled choices with a fresh recorded
    seed, a critical reply ends the call."""
    seed = secrets.randbelow(2**31) if seed is None else seed
    if clock is None:
        return Session(scenario, seed=seed, shuffle=True, stop_on_critical=True)
    return Session(scenario, seed=seed, shuffle=True, stop_on_critical=True, clock=clock)


def play_headless(run: CertificationRun, scenario: Scenario, answer: Answerer,
                  clock: Clock | None = None, seed: int | None = None) -> StoreRecorder:
    """Play one scenario of ``run`` with answers from ``answer``; every answer is committed
    as it is given. Any exception abandons the attempt (and is raised again)."""
    session = certification_session(scenario, clock, seed)
    recorder = run.recorder_factory(scenario, session, Mode.CERTIFICATION, run.trainee)
    assert isinstance(recorder, StoreRecorder)
    seconds = response_seconds(scenario)
    try:
        while not session.finished:
            choice = answer(session.current(), seconds)
            step = session.timeout() if choice is None else session.choose(choice)
            recorder.step(step)
        card = score(scenario, session.log, session.ending, run._analyses.get(scenario.sha256))
        recorder.finish(session, card)
    except BaseException:
        if not recorder.closed:
            recorder.abandon(session)
        raise
    return recorder
