"""A store that fails mid-call stops recording with a reason; it never crashes the call."""

from __future__ import annotations

from pathlib import Path

import pytest

from scoring.recording import Mode
from simulator.cli.play import store_recorder_factory
from simulator.engine.loader import load
from simulator.engine.model import Scenario
from simulator.engine.session import Session, Step
from simulator.training.attempt import Attempt

DATA = Path(__file__).parent.parent / "data"


class BrokenRecorder:
    """Accepts the first answer, then fails like a store whose disk filled up."""

    def __init__(self) -> None:
        self.steps: list[Step] = []

    def step(self, step: Step) -> None:
        if self.steps:
            raise OSError("database or disk is full")
        self.steps.append(step)

    def finish(self, session: Session, scorecard: object) -> None:
        raise AssertionError("a recorder that failed is not called again")

    def abandon(self, session: Session) -> None:
        raise AssertionError("a recorder that failed is not called again")


@pytest.fixture(scope="module")
def tiny() -> Scenario:
    return load(DATA / "tiny.yaml")


def test_a_failing_recorder_stops_recording_and_the_call_goes_on(tiny: Scenario) -> None:
    recorder = BrokenRecorder()
    attempt = Attempt(tiny, Mode.CERTIFICATION, seed=1, trainee="Ann",
                      recorder_factory=lambda _start: recorder)
    attempt.choose("sorry")
    assert attempt.recording_error is None and len(recorder.steps) == 1
    attempt.choose("replace")
    assert attempt.finished
    assert attempt.recording_error == "database or disk is full"
    assert attempt.recorder is None and attempt.scorecard is not None


def test_catalogue_factory_records_certification_only(tiny: Scenario, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CALMLINE_CONFIG_DIR", str(tmp_path / "config"))
    factory = store_recorder_factory(str(tmp_path / "results.db"))
    assert Attempt(tiny, Mode.PRACTICE, trainee="Ann", recorder_factory=factory).recorder is None
    assert not (tmp_path / "results.db").exists()
    attempt = Attempt(tiny, Mode.CERTIFICATION, seed=3, trainee="Ann", recorder_factory=factory)
    while not attempt.finished:
        attempt.choose(attempt.prompt().options[0].id)
    assert attempt.recording_error is None
    from scoring.store import open_store, queries

    with open_store(str(tmp_path / "results.db")) as store:
        rows = queries.attempts(store)
    assert [(r.trainee, r.scenario, r.status, r.sealed) for r in rows] == [
        ("Ann", "tiny", "finished", True)]
