"""The terminal UI records certifications through the recorder hook: each answer reaches the
store as it is given, the store opens only at the first answer, leaving mid-call records an
abandoned attempt; and ``calmline certify`` plays a set call by call."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import pytest

from scoring.record import DeferredCertification, open_for_recording
from scoring.recording import Mode
from scoring.seal import SealKey
from scoring.store import Store, open_store, queries
from tests.store.helpers import GOOD, LINE, TINY, scenario

SIZE = (80, 24)


class Opener:
    """Opens the store on demand and counts how often it was asked to."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.calls = 0

    def __call__(self) -> tuple[Store, SealKey]:
        self.calls += 1
        return open_for_recording(self.url)


def _key(app: Any, choice: str) -> str:
    ids = app.screen.attempt.session.option_ids()
    return str(ids.index(choice) + 1)


async def test_a_ui_certification_is_recorded_answer_by_answer(tmp_path: Path,
                                                               seal_key: SealKey) -> None:
    from simulator.tui.app import create_app

    url = str(tmp_path / "r.sqlite3")
    opener = Opener(url)
    sc = scenario()
    cert = DeferredCertification(opener, "Ann Lee", [sc])
    app = create_app(sc, mode=Mode.CERTIFICATION, trainee="Ann Lee", animation=False,
                     tick_seconds=None, recorder_factory=cert.recorder_factory)
    async with app.run_test(size=SIZE) as pilot:
        assert opener.calls == 0  # nothing touched the store for the first frame
        for n, choice in enumerate(GOOD[:2], 1):
            await pilot.press(_key(app, choice))
            with open_store(url) as other:
                detail = queries.attempt_detail(other, 1)
            assert [a["choice"] for a in detail["answers"]] == list(GOOD[:n])
        for choice in GOOD[2:]:
            await pilot.press(_key(app, choice))
    outcome = cert.close()[0]
    assert opener.calls == 1 and outcome.passed and outcome.status == "finished"
    with open_store(url) as store:
        row = queries.attempts(store)[0]
    assert (row.trainee, row.status, row.answered, row.sealed) == ("Ann Lee", "finished", 4,
                                                                   True)


async def test_leaving_a_ui_certification_records_it_abandoned(tmp_path: Path,
                                                               seal_key: SealKey) -> None:
    from simulator.tui.app import create_app

    url = str(tmp_path / "r.sqlite3")
    sc = scenario()
    cert = DeferredCertification(Opener(url), "Ann Lee", [sc])
    app = create_app(sc, mode=Mode.CERTIFICATION, trainee="Ann Lee", animation=False,
                     tick_seconds=None, recorder_factory=cert.recorder_factory)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(_key(app, "calm1"))
        await pilot.press("q", "y")
    outcome = cert.close()[0]
    with open_store(url) as store:
        row = queries.attempts(store)[0]
    assert outcome.status == "abandoned"
    assert (row.status, row.answered, row.sealed) == ("abandoned", 1, True)


def test_catalogue_certifications_are_each_their_own_certification(
        tmp_path: Path, seal_key: SealKey) -> None:
    from scoring.record import catalogue_recorder_factory
    from simulator.training import Attempt

    url = str(tmp_path / "r.sqlite3")
    factory = catalogue_recorder_factory(url)
    assert Attempt(scenario(), Mode.PRACTICE, trainee="A", recorder_factory=factory
                   ).recorder is None
    for sc, choices in ((scenario(), GOOD), (scenario(TINY), ("sorry", "replace"))):
        attempt = Attempt(sc, Mode.CERTIFICATION, trainee="Bea", recorder_factory=factory)
        assert attempt.recorder is not None
        for choice in choices:
            attempt.answer(choice)
        assert attempt.finished and attempt.recording_error is None
    with open_store(url) as store:
        rows = queries.attempts(store)
        certs = [queries.certification_of(store, r.certification or 0) for r in rows]
    assert [(r.scenario, r.certification) for r in rows] == [("line", 1), ("tiny", 2)]
    assert [(c["status"], c["passed"], c["scenarios"]) for c in certs] == [
        ("finished", True, ["line"]), ("finished", True, ["tiny"])]


class _ScriptedApp:
    """Stands in for the UI app: plays its call through the recorder hook."""

    def __init__(self, plays: dict[str, tuple[str, ...]], return_code: int = 0,
                 **options: Any) -> None:
        self.options = options
        self.plays = plays
        self.return_code = return_code
        """What the app exits with: 0, or 129 when its terminal went away."""

    def run(self) -> None:
        from simulator.training import Attempt

        sc = self.options["scenario"]
        attempt = Attempt(sc, self.options["mode"], trainee=self.options["trainee"],
                          recorder_factory=self.options["recorder_factory"])
        for choice in self.plays[sc.id]:
            attempt.answer(choice)
        if not attempt.finished:
            attempt.abandon()


@pytest.mark.parametrize(("plays", "code", "last"), [
    ({"line": GOOD, "tiny": ("sorry", "replace")}, 0, "certification 1 of Ann: PASSED"),
    ({"line": ("calm1",), "tiny": ("sorry", "replace")}, 1, "certification 1: ABANDONED"),
    ({"line": GOOD, "tiny": ("argue",)}, 1, "certification 1 of Ann: NOT PASSED"),
])
def test_certify_plays_the_set_call_by_call_and_reports_the_verdict(
        tmp_path: Path, seal_key: SealKey, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str], plays: dict[str, tuple[str, ...]], code: int,
        last: str) -> None:
    from simulator.cli import certify as certify_cli

    opened: list[str] = []

    def fake_app(**options: Any) -> _ScriptedApp:
        opened.append(options["scenario"].id)
        assert options["mode"] == Mode.CERTIFICATION and options["animation"] is False
        return _ScriptedApp(plays, **options)

    monkeypatch.setattr(certify_cli, "_tui_app", fake_app)
    args = argparse.Namespace(db=str(tmp_path / "r.sqlite3"), min_mean=0.0, no_animation=True,
                              typed=False)
    assert certify_cli._certify_tui(args, "Ann", [scenario(LINE), scenario(TINY)]) == code
    assert capsys.readouterr().out.splitlines()[-1].startswith(last)
    assert opened == (["line"] if code == 1 and "ABANDONED" in last else ["line", "tiny"])


def test_certify_stops_the_set_silently_when_the_terminal_goes_away(
        tmp_path: Path, seal_key: SealKey, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """The first call is played to its end, then its end screen loses the terminal: no
    further call is opened, nothing is printed (no one is there), and the set is closed."""
    from simulator.cli import certify as certify_cli
    from simulator.tui.hangup import HANGUP_STATUS

    opened: list[str] = []

    def fake_app(**options: Any) -> _ScriptedApp:
        opened.append(options["scenario"].id)
        return _ScriptedApp({"line": GOOD, "tiny": ("sorry", "replace")},
                            return_code=HANGUP_STATUS, **options)

    monkeypatch.setattr(certify_cli, "_tui_app", fake_app)
    url = str(tmp_path / "r.sqlite3")
    args = argparse.Namespace(db=url, min_mean=0.0, no_animation=True, typed=False)
    assert certify_cli._certify_tui(args, "Ann", [scenario(LINE), scenario(TINY)]) \
        == HANGUP_STATUS
    assert opened == ["line"] and capsys.readouterr().out == ""
    with open_store(url) as store:
        (row,) = queries.attempts(store)
        cert = queries.certification_of(store, row.certification or 0)
    assert (row.scenario, row.status) == ("line", "finished")
    assert cert["status"] == "abandoned"
