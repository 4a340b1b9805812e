"""Typed replies in the app a classroom serves, headless: a typed set is certified in the
typed call screen and recorded in typed words that verify; practice offers typed replies
(F5 on the practice screen, kept for the session), never recorded."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.widgets import Input

from scoring import sets
from scoring.signing import load_signing_key
from scoring.store import open_store
from scoring.store.queries import attempt_detail, certification_of, verify_store
from simulator.engine.loader import load
from simulator.training import reply_seconds
from simulator.tui.screens.call import CallScreen
from simulator.tui.screens.classroom import ClassroomScreen, PracticeScreen, RepliesPicker
from simulator.tui.screens.end import EndScreen
from simulator.tui.screens.typed_call import TypedCallScreen
from simulator.tui.served import served_app
from tests.store.helpers import TINY
from tests.tui.driving import screen_text

SIZE = (100, 30)
#: What Sam types on the tiny call: not the authored wording.
TINY_WORDS = {"opening": "I am so sorry to hear about that", "fix": "I will send you a "
              "replacement kettle today"}


def _store_with_typed_set(tmp_path: Path) -> str:
    db = str(tmp_path / "r.sqlite3")
    with open_store(db) as store:
        sets.add(store, load_signing_key(create=True), "typed-2027",
                 [(load(TINY), TINY.read_bytes())], 50, typed=True)
    return db


async def send(pilot: Any, text: str) -> None:
    """Put ``text`` in the reply box and press Enter."""
    pilot.app.screen.query_one("#typed", Input).value = text
    await pilot.press("enter")
    await pilot.pause()


async def test_a_typed_set_is_certified_in_typed_words(tmp_path: Path,
                                                       config_dir: Path) -> None:
    db = _store_with_typed_set(tmp_path)
    app = served_app("Sam Ortiz", "trainee", db=db, animation=False, tick_seconds=None)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "typed in your own words" in screen_text(app)
        await pilot.press("enter")  # the set is listed first
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, TypedCallScreen)
        assert screen.attempt.typed and screen.attempt.certifying
        assert screen.attempt.reply_seconds == 2 * reply_seconds(load(TINY))
        for _ in range(4):
            if isinstance(app.screen, EndScreen):
                break
            await send(pilot, TINY_WORDS[screen.attempt.session.state])
            assert "Understood as" not in screen_text(app)  # no feedback in certification
        assert isinstance(app.screen, EndScreen)
        await pilot.press("b")
        await pilot.pause()
        assert isinstance(app.screen, ClassroomScreen) and not app.set_typed
    with open_store(db) as store:
        cert = certification_of(store, 1)
        attempt = attempt_detail(store, cert["attempts"][0])
        assert verify_store(store, load_signing_key()).issues == []
    assert cert["status"] == "finished" and cert["set"]["typed"] is True
    assert attempt["typed"] and [(a["choice"], a["typed"], a["match"])
                                 for a in attempt["answers"]] == [
        ("sorry", TINY_WORDS["opening"], "understood"),
        ("replace", TINY_WORDS["fix"], "understood")]


async def test_practice_offers_typed_replies_switched_by_f5(tmp_path: Path,
                                                           config_dir: Path) -> None:
    db = _store_with_typed_set(tmp_path)
    app = served_app("Sam Ortiz", "trainee", db=db, animation=False, tick_seconds=None)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("down", "enter")  # free practice
        await pilot.pause()
        assert isinstance(app.screen, PracticeScreen)
        picker = app.screen.query_one(RepliesPicker)
        assert picker.display and not picker.typed
        assert "(•) From a list" in screen_text(app) and "F5" in screen_text(app)
        await pilot.press("f5")
        await pilot.pause()
        assert picker.typed and "(•) Typed, in your own words" in screen_text(app)
        await pilot.press(*"vulgar-caller", "enter")
        await pilot.pause()
        call = app.screen
        assert isinstance(call, TypedCallScreen)
        assert call.attempt.typed and not call.attempt.certifying
        await send(pilot, "I am so sorry, three missed visits is not on. Tell me about today.")
        assert "Understood as" in screen_text(app)  # practice: feedback after every reply
        await pilot.press("escape")  # leave the call (it asks first)
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        await pilot.press("escape")  # back to the classroom screen, then practice again
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ClassroomScreen)
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.query_one(RepliesPicker).typed  # kept for the session
        await pilot.press("f5", *"vulgar-caller", "enter")
        await pilot.pause()
        assert type(app.screen) is CallScreen and not app.screen.attempt.typed
    with open_store(db) as store, store.read() as cur:
        store.execute(cur, "SELECT COUNT(*) FROM attempts")
        assert cur.fetchone()[0] == 0  # practice is never recorded
