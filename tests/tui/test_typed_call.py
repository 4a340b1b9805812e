"""Typed practice in the call screen: type, Enter, "understood as", "did you mean" 1/2 with Esc
to rephrase, "say it another way"; a whole shipped call finished by typing, at 80x24."""

from __future__ import annotations

from typing import Any

from textual.widgets import Input

from simulator import library
from simulator.engine.matching import Matcher, Verdict
from simulator.engine.model import Scenario
from simulator.tui.app import create_app
from simulator.tui.screens.end import EndScreen
from simulator.tui.screens.typed_call import TypedCallScreen
from simulator.tui.widgets.choice_list import ChoiceList
from tests.training.typed_play import preferred, texts_for
from tests.tui.driving import SIZE, screen_text

CLEAR = "I'm so sorry, that's not good enough. Tell me about today."


def vulgar() -> Scenario:
    return library.resolve("vulgar-caller")


async def send(pilot: Any, text: str) -> None:
    """Put ``text`` in the reply box and press Enter."""
    box = pilot.app.screen.query_one("#typed", Input)
    box.value = text
    await pilot.press("enter")
    await pilot.pause()


def hint(pilot: Any) -> str:
    return str(pilot.app.screen.query_one("#typed-hint").render())


async def test_a_clear_reply_is_understood_and_gets_feedback() -> None:
    app = create_app(vulgar(), animation=False, typed=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = pilot.app.screen
        assert isinstance(screen, TypedCallScreen)
        assert not screen.query_one(ChoiceList).display  # no list of replies to read
        await pilot.press(*"sorry")  # typed key by key: digits and letters go to the box
        assert screen.query_one("#typed", Input).value == "sorry"
        await send(pilot, CLEAR)
        assert screen.attempt.session.choices_made == ["own-the-no-show"]
        assert "Understood as: Three missed visits" in hint(pilot)
        assert screen.query_one("#typed", Input).value == ""
        assert "Feedback" in screen_text(app)


async def test_did_you_mean_offers_two_and_takes_the_key_pressed() -> None:
    app = create_app(vulgar(), animation=False, typed=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = pilot.app.screen
        await send(pilot, "sorry")
        choices = screen.query_one(ChoiceList)
        offered = [o.id for o in choices.replies]
        assert choices.display and len(offered) == 2 and "Did you mean" in hint(pilot)
        assert screen.attempt.session.turn == 0
        await pilot.press("3", "9", "0")  # only 1 and 2 are offered
        assert screen.attempt.session.turn == 0
        await pilot.press("2")
        await pilot.pause()
        assert screen.attempt.session.choices_made == [offered[1]]
        assert "after a prompt" in hint(pilot)
        assert not choices.display
        (turn,) = screen.typed.turns()
        assert turn.prompted and turn.text == "sorry"


async def test_escape_goes_back_to_typing_and_rephrase_keeps_the_text() -> None:
    app = create_app(vulgar(), animation=False, typed=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = pilot.app.screen
        await send(pilot, "sorry")
        await pilot.press("escape")
        await pilot.pause()
        assert not screen.query_one(ChoiceList).display
        assert screen.focused is screen.query_one("#typed", Input)
        assert screen.app.screen is screen  # Esc did not open "leave this call?"
        await send(pilot, "banana helicopter")
        assert "Say it another way" in hint(pilot)
        assert screen.query_one("#typed", Input).value == "banana helicopter"
        assert screen.attempt.session.turn == 0


async def test_key_bursts_never_crash_it() -> None:
    app = create_app(vulgar(), animation=False, typed=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = pilot.app.screen
        await pilot.press(*("12enter" * 3), "enter", "enter")
        await send(pilot, "sorry")
        await pilot.press("1", "1", "2", "enter", "2", "escape", "escape")
        await pilot.pause()
        await send(pilot, "\x1b[2J\x00" + "x" * 5_000)
        assert screen.attempt.session.turn <= 2


async def test_a_whole_shipped_call_is_finished_by_typing() -> None:
    scenario = vulgar()
    app = create_app(scenario, animation=False, typed=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = pilot.app.screen
        assert isinstance(screen, TypedCallScreen)
        while not screen.attempt.finished:
            node = scenario.nodes[screen.attempt.session.state]
            choice = preferred(node)[0]
            text = next(t for t in texts_for(scenario, node, choice)
                        if (m := Matcher().match(node, t)).verdict is not Verdict.NONE
                        and choice.id in [c.choice_id for c in m.ranking[:2]])
            turn = screen.attempt.session.turn
            await send(pilot, text)
            if screen.attempt.session.turn == turn:  # "did you mean": press its number
                offered = [o.id for o in screen.query_one(ChoiceList).replies]
                await pilot.press(str(offered.index(choice.id) + 1))
                await pilot.pause()
            assert screen.attempt.session.turn == turn + 1
        await pilot.pause()
        assert isinstance(app.screen, EndScreen)  # the scorecard of the typed call
        assert "Call ended:" in screen_text(app)
        assert app.screen.attempt.scorecard is not None
