"""Typed certification in the terminal UI: no list and no feedback, twice the reply time, an
unrecognised reply recorded as silence, the countdown answering silence even while "did you
mean" is open, and a whole typed call recorded, sealed and verified."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input

from scoring.record import DeferredCertification
from scoring.recording import Mode
from scoring.seal import SealKey
from scoring.store import open_store, queries
from simulator import library
from simulator.cli import main
from simulator.engine.matching import Matcher, Verdict
from simulator.engine.model import Scenario
from simulator.engine.session import PROMPTED, UNDERSTOOD, UNMATCHED
from simulator.training import reply_seconds
from simulator.tui.app import CalmlineApp, create_app
from simulator.tui.screens.end import EndScreen
from simulator.tui.screens.typed_call import TypedCallScreen
from simulator.tui.widgets.choice_list import ChoiceList
from simulator.tui.widgets.countdown import Countdown
from simulator.tui.widgets.feedback_panel import FeedbackPanel
from tests.store.fixtures import config_dir, seal_key  # noqa: F401
from tests.training.typed_play import preferred, texts_for
from tests.tui.driving import SIZE, SpyFactory, screen_text

CLEAR = "I'm so sorry, that's not good enough. Tell me about today."


def vulgar() -> Scenario:
    return library.resolve("vulgar-caller")


def _certify(**options: Any) -> CalmlineApp:
    options.setdefault("trainee", "Ann Lee")
    options.setdefault("tick_seconds", None)  # the tests tick the countdown by hand
    return create_app(vulgar(), mode=Mode.CERTIFICATION, animation=False, typed=True,
                      **options)


def _screen(app: CalmlineApp) -> TypedCallScreen:
    assert isinstance(app.screen, TypedCallScreen)
    return app.screen


async def send(pilot: Any, text: str) -> None:
    pilot.app.screen.query_one("#typed", Input).value = text
    await pilot.press("enter")
    await pilot.pause()


def hint(pilot: Any) -> str:
    return str(pilot.app.screen.query_one("#typed-hint").render())


async def test_a_typed_certification_shows_no_list_no_feedback_and_doubles_the_time() -> None:
    spies = SpyFactory()
    app = _certify(recorder_factory=spies)
    async with app.run_test(size=SIZE) as pilot:
        screen = _screen(app)
        assert screen.attempt.typed and screen.attempt.certifying
        assert not screen.query(FeedbackPanel)
        assert not screen.query_one(ChoiceList).display
        seconds = reply_seconds(vulgar(), typed=True)
        assert screen.query_one(Countdown).total == seconds == 2 * reply_seconds(vulgar())
        await pilot.press(*"quiet")  # letters go to the box: no quit, no undo, no restart
        assert screen.query_one("#typed", Input).value == "quiet"
        assert app.screen is screen and screen.attempt.session.turn == 0
        await send(pilot, CLEAR)
        step = screen.attempt.session.log[-1]
        assert (step.choice, step.typed, step.match) == ("own-the-no-show", CLEAR, UNDERSTOOD)
        assert hint(pilot).startswith("Reply recorded")
        text = screen_text(app)
        assert "Understood as" not in text and "Three missed visits" not in text
        assert CLEAR[:30] in text  # the transcript shows the words typed
        assert spies.made[0].events == [("step", "own-the-no-show")]


async def test_an_unrecognised_reply_is_recorded_as_silence_with_no_second_try() -> None:
    app = _certify()
    async with app.run_test(size=SIZE) as pilot:
        screen = _screen(app)
        await send(pilot, "banana helicopter")
        step = screen.attempt.session.log[-1]
        assert (step.typed, step.match, step.say) == ("banana helicopter", UNMATCHED, "")
        assert screen.attempt.session.turn == 1
        assert "Not recognised" in hint(pilot)
        assert screen.query_one("#typed", Input).value == ""
        await send(pilot, "   ")  # nothing typed: nothing answered
        assert screen.attempt.session.turn == 1


async def test_the_countdown_answers_silence_even_while_did_you_mean_is_open() -> None:
    app = _certify()
    async with app.run_test(size=SIZE) as pilot:
        screen = _screen(app)
        await send(pilot, "sorry")
        assert screen.asking and screen.attempt.session.turn == 0
        countdown = screen.query_one(Countdown)
        for _ in range(countdown.total):
            countdown.tick()
        await pilot.pause()
        step = screen.attempt.session.log[-1]
        assert step.timed_out and step.choice == "silence" and step.match == ""
        assert not screen.asking and not screen.query_one(ChoiceList).display
        assert screen.focused is screen.query_one("#typed", Input)
        await pilot.press("1", "2")  # the question is gone: the keys go to the box
        assert screen.attempt.session.turn == 1


async def test_a_whole_typed_certification_is_recorded_sealed_and_verified(
        tmp_path: Path, seal_key: SealKey,  # noqa: F811 - the fixture, used by name
        capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "results.sqlite3")
    scenario = vulgar()
    with open_store(db) as store:
        cert = DeferredCertification(lambda: (store, seal_key), "Ann Lee", [scenario])
        app = _certify(recorder_factory=cert.recorder_factory)
        async with app.run_test(size=SIZE) as pilot:
            screen = _screen(app)
            await send(pilot, "sorry")  # "did you mean": the pick is recorded as prompted
            offered = [o.id for o in screen.query_one(ChoiceList).replies]
            best = preferred(scenario.nodes["opening"])[0].id
            await pilot.press(str(offered.index(best) + 1) if best in offered else "1")
            await pilot.pause()
            while not screen.attempt.finished:
                node = scenario.nodes[screen.attempt.session.state]
                choice = preferred(node)[0]
                text = next(t for t in texts_for(scenario, node, choice)
                            if (m := Matcher().match(node, t)).verdict is Verdict.CONFIDENT
                            and m.ranking[0].choice_id == choice.id)
                turn = screen.attempt.session.turn
                await send(pilot, text)
                assert screen.attempt.session.turn == turn + 1
            await pilot.pause()
            assert isinstance(app.screen, EndScreen)
        (outcome,) = cert.close()
        detail = queries.attempt_detail(store, outcome.attempts[0])
    assert outcome.status == "finished"
    assert detail["typed"] is True
    assert detail["answers"][0]["typed"] == "sorry"
    assert detail["answers"][0]["match"] == PROMPTED
    assert all(a["match"] == UNDERSTOOD and a["typed"] for a in detail["answers"][1:])
    capsys.readouterr()
    assert main(["verify", "--db", db]) == 0, capsys.readouterr().out
