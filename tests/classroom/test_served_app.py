"""The app a classroom serves, headless: certification only from approved sets, under the
signed-in name (never asked), practice only in the catalogue, no trainer report for trainees."""

from __future__ import annotations

from pathlib import Path

from scoring import sets
from scoring.signing import load_signing_key
from scoring.store import open_store
from scoring.store.queries import certification_of, verify_store
from simulator.engine.loader import load
from simulator.tui.screens.classroom import ClassroomScreen, PracticeScreen
from simulator.tui.screens.end import EndScreen
from simulator.tui.served import served_app
from tests.store.helpers import TINY

SIZE = (100, 30)


def _store_with_set(tmp_path: Path) -> str:
    db = str(tmp_path / "r.sqlite3")
    with open_store(db) as store:
        sets.add(store, load_signing_key(create=True), "onboarding-2027",
                 [(load(TINY), TINY.read_bytes())], 50)
    return db


async def test_a_trainee_certifies_on_an_approved_set_under_the_signed_in_name(
        tmp_path: Path, config_dir: Path) -> None:
    db = _store_with_set(tmp_path)
    app = served_app("Sam Ortiz", "trainee", db=db, animation=False, tick_seconds=None)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ClassroomScreen) and len(screen.sets) == 1
        await pilot.press("enter")  # the set is listed first
        for _ in range(6):
            await pilot.pause()
            if isinstance(app.screen, EndScreen):
                break
            await pilot.press("1")
        assert isinstance(app.screen, EndScreen)
        await pilot.press("b")
        await pilot.pause()
        assert isinstance(app.screen, ClassroomScreen)
    key = load_signing_key()
    with open_store(db) as store:
        cert = certification_of(store, 1)
        assert verify_store(store, key).issues == []
    assert cert["trainee"] == "Sam Ortiz" and cert["status"] == "finished"
    assert cert["administered"] == "classroom" and cert["set"]["name"] == "onboarding-2027"


async def test_practice_in_the_classroom_is_never_certification(tmp_path: Path,
                                                                config_dir: Path) -> None:
    db = _store_with_set(tmp_path)
    app = served_app("Sam Ortiz", "trainee", db=db, animation=False, tick_seconds=None)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("down", "enter")  # free practice
        await pilot.pause()
        assert isinstance(app.screen, PracticeScreen)
        await pilot.press("f2")  # no certification from the catalogue
        await pilot.pause()
        assert app.screen.mode.value == "practice"
        await pilot.press("f4")  # no trainer report for a trainee
        await pilot.pause()
        assert isinstance(app.screen, PracticeScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ClassroomScreen)
    with open_store(db) as store, store.read() as cur:
        store.execute(cur, "SELECT COUNT(*) FROM attempts")
        assert cur.fetchone()[0] == 0


async def test_without_a_store_the_classroom_says_certification_is_closed(
        tmp_path: Path, config_dir: Path) -> None:
    (tmp_path / "dir.sqlite3").mkdir()
    app = served_app("Sam Ortiz", "trainee", db=str(tmp_path / "dir.sqlite3"),
                     animation=False, tick_seconds=None)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ClassroomScreen) and app.screen.problem
