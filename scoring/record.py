"""Recording certifications: a :class:`Recorder` that writes each answer to the results
store as it is given, and a certification run over a set of scenarios with its overall pass
rule.

The training service (:mod:`simulator.training`) is handed
:meth:`CertificationRun.recorder_factory` (or a :class:`DeferredCertification`'s), whichever
host drives it: the terminal UI, headless certification or a script.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

from scoring.recording import AttemptStart, Mode, Recorder
from scoring.rubric import RUBRIC_VERSION
from scoring.scorer import Scorecard
from scoring.seal import Signer
from scoring.store import AttemptInfo, AttemptResult, Store
from simulator.engine.session import Session

if TYPE_CHECKING:
    from simulator.engine.model import Scenario
    from simulator.engine.session import Step


def calmline_version() -> str:
    """The installed calmline version."""
    from simulator import __version__

    return __version__


def result_of(card: Scorecard) -> AttemptResult:
    """The stored form of a scorecard."""
    return AttemptResult(
        ending=card.ending, outcome=card.outcome, total=card.total, percent=card.percent,
        passed=card.passed, critical=len(card.critical),
        missed=[asdict(m) for m in card.missed],
        principles=[(p.id, p.earned, p.best, p.percent) for p in card.principles],
    )


class StoreRecorder:
    """Writes one attempt to the store: the start when created, each answer as it is made,
    the sealed result at the end (or the abandonment)."""

    def __init__(self, store: Store, key: Signer, start: AttemptStart, trainee: str,
                 certification_id: int | None = None, position: int = 1,
                 started_at: str | None = None) -> None:
        self.store = store
        self.key = key
        self.scenario = scenario = start.scenario
        session, analysis = start.session, start.analysis()
        if start.reply_seconds is None:
            raise ValueError(f"a {start.mode} attempt is not timed and cannot be certified")
        info = AttemptInfo(
            trainee=trainee, scenario_id=scenario.id, scenario_title=scenario.title,
            scenario_path=scenario.path, scenario_sha256=scenario.sha256,
            rubric_version=RUBRIC_VERSION, calmline_version=calmline_version(),
            seed=session.seed, shuffle=session.shuffle,
            stop_on_critical=session.stop_on_critical,
            response_seconds=start.reply_seconds, pass_mark=scenario.pass_mark,
            max_score=analysis.best.total, min_score=min(analysis.worst.total, 0),
            mode=str(start.mode), certification_id=certification_id, position=position,
            started_at=started_at, typed=start.typed,
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

    def __init__(self, store: Store, key: Signer, trainee: str,
                 scenarios: Sequence[Scenario], min_mean: float = 0.0,
                 started_at: str | None = None, set_id: int | None = None,
                 administered: str | None = None) -> None:
        if not scenarios:
            raise ValueError("a certification needs at least one scenario")
        if not 0 <= min_mean <= 100:
            raise ValueError("the minimum mean is a percentage between 0 and 100")
        self.store = store
        self.key = key
        self.trainee = trainee
        self.scenarios = list(scenarios)
        self.min_mean = min_mean
        self.id, self.uid = store.start_certification(trainee, [s.id for s in scenarios],
                                                      min_mean, started_at, set_id,
                                                      administered)
        self.recorders: list[StoreRecorder] = []
        self.closed = False

    def position(self, scenario: Scenario) -> int | None:
        """The 1-based place of ``scenario`` in the set (None if it is not in the set)."""
        for i, s in enumerate(self.scenarios, 1):
            if s.id == scenario.id:
                return i
        return None

    def recorder_factory(self, start: AttemptStart, started_at: str | None = None
                         ) -> StoreRecorder | None:
        """The training service's hook, called per attempt: a recorder for certification
        attempts. An attempt at a scenario outside the set is recorded on its own, not as
        part of it."""
        if start.mode != Mode.CERTIFICATION:
            return None
        position = self.position(start.scenario)
        recorder = StoreRecorder(self.store, self.key, start, start.trainee or self.trainee,
                                 certification_id=self.id if position else None,
                                 position=position or 1, started_at=started_at)
        if position:
            self.recorders.append(recorder)
        return recorder

    def close(self) -> Outcome:
        """Close the run: finished when every scenario was played to its end, else
        abandoned (and not passed)."""
        self.closed = True
        played = {r.scenario.id for r in self.recorders if r.scorecard is not None}
        ids = tuple(r.id for r in self.recorders)
        for r in self.recorders:
            if not r.closed:
                self.store.abandon_attempt(r.id, self.key)
                r.closed = True
        if all(s.id in played for s in self.scenarios):
            passed, mean = self.store.finish_certification(self.id, self.key)
            return Outcome(self.id, passed, mean, "finished", ids)
        self.store.abandon_certification(self.id, self.key)
        return Outcome(self.id, False, 0.0, "abandoned", ids)


class DeferredCertification:
    """A certification for the terminal UI whose store work waits for the trainee's first
    answer, so neither the database layer nor its first commits delay the UI's first frame.

    ``scenarios`` is the set being certified (one certification), or None when the trainee
    picks certification calls from the catalogue: each such attempt is then its own
    one-scenario certification. Answers are still each committed as they are given.
    """

    def __init__(self, opener: Callable[[], tuple[Store, Signer]], trainee: str | None,
                 scenarios: Sequence[Scenario] | None = None, min_mean: float = 0.0,
                 clock: Callable[[], str] | None = None, set_id: int | None = None,
                 administered: str | None = None) -> None:
        self.opener = opener
        self.set_id = set_id
        self.administered = administered
        self.trainee = trainee
        self.scenarios = list(scenarios) if scenarios is not None else None
        self.min_mean = min_mean
        self.clock = clock or _now_text
        self.started_at = self.clock()
        self._opened: tuple[Store, Signer] | None = None
        self.run: CertificationRun | None = None
        self.runs: list[CertificationRun] = []

    def open(self) -> tuple[Store, Signer]:
        """The store and key, opened on first use."""
        if self._opened is None:
            self._opened = self.opener()
        return self._opened

    def run_for(self, scenario: Scenario, trainee: str, started_at: str) -> CertificationRun:
        """The certification an attempt at ``scenario`` belongs to (opened when needed)."""
        store, key = self.open()
        if self.scenarios is None:
            run = CertificationRun(store, key, trainee, [scenario], 0.0, started_at,
                                   administered=self.administered)
            self.runs.append(run)
            return run
        if self.run is None:
            self.run = CertificationRun(store, key, trainee, self.scenarios, self.min_mean,
                                        self.started_at, set_id=self.set_id,
                                        administered=self.administered)
            self.runs.append(self.run)
        return self.run

    def recorder_factory(self, start: AttemptStart) -> Recorder | None:
        """The training service's hook: a recorder that reaches the store when the first
        answer comes."""
        if start.mode != Mode.CERTIFICATION:
            return None
        name = start.trainee or self.trainee
        if not name:
            raise ValueError("a certification attempt needs the trainee's name")
        return _DeferredRecorder(self, start, name, self.clock())

    def close(self) -> list[Outcome]:
        """Close every certification this opened (abandoning what was not finished)."""
        outcomes = []
        for run in self.runs:
            if not run.closed:
                outcomes.append(run.close())
        return outcomes


def _now_text() -> str:
    from scoring.store import iso, utc_now

    return iso(utc_now())


class _DeferredRecorder:
    """Creates the real :class:`StoreRecorder` on the first event it receives."""

    def __init__(self, owner: DeferredCertification, start: AttemptStart, trainee: str,
                 started_at: str) -> None:
        self.owner = owner
        self.start = start
        self.trainee = trainee
        self.started_at = started_at
        self.real: StoreRecorder | None = None

    def _real(self) -> StoreRecorder:
        if self.real is None:
            run = self.owner.run_for(self.start.scenario, self.trainee, self.started_at)
            self.real = run.recorder_factory(self.start, self.started_at)
            assert self.real is not None
        return self.real

    def step(self, step: Step) -> None:
        """Write one answered turn (opening the store first if needed)."""
        self._real().step(step)

    def finish(self, session: Session, scorecard: Scorecard) -> None:
        """Write the result, seal it, and close a one-scenario certification."""
        real = self._real()
        real.finish(session, scorecard)
        self._close_single()

    def abandon(self, session: Session) -> None:
        """Record the attempt as abandoned."""
        self._real().abandon(session)
        self._close_single()

    def _close_single(self) -> None:
        if self.owner.scenarios is None:
            self.owner.close()


def open_for_recording(url: str | None = None) -> tuple[Store, Signer]:
    """Open the store at ``url`` (default: ``$CALMLINE_DB`` or the user data folder) and the
    seal key, and close attempts left behind by processes that died."""
    from scoring.signing import load_signing_key
    from scoring.store import open_store

    key = load_signing_key(create=True)
    store = open_store(url)
    try:
        store.reap(key)
    except BaseException:
        store.close()
        raise
    return store, key


def catalogue_recorder_factory(url: str | None = None
                               ) -> Callable[[AttemptStart], Recorder | None]:
    """The recorder factory for the terminal UI's own certification mode (chosen in the
    catalogue or with ``calmline play --mode certification``): each certification attempt
    is recorded as a one-scenario certification; the store opens at the first answer."""
    return DeferredCertification(lambda: open_for_recording(url), None).recorder_factory
