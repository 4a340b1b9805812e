"""Typed practice in the call screen: type, Enter, "understood as", "did you mean" 1/2 with Esc
to rephrase, "say it another way"; the end screen of a typed call (what was typed, how it was
taken). Every shipped call finished by typing: test_typed_library.py."""

from __future__ import annotations

from typing import Any

from textual.widgets import Input

from simulator import library
from simulator.engine.model import Scenario
from simulator.tui.app import create_app
from simulator.tui.screens.end import EndScreen
from simulator.tui.screens.typed_call import TypedCallScreen
from simulator.tui.widgets.choice_list import ChoiceList
from tests.training.typed_play import own_words
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


async def test_the_end_screen_shows_what_was_typed_and_how_it_was_taken() -> None:
    scenario = vulgar()
    app = create_app(scenario, animation=False, typed=True)
    async with app.run_test(size=(100, 120)) as pilot:
        await pilot.pause()
        screen = pilot.app.screen
        assert isinstance(screen, TypedCallScreen)
        await send(pilot, "banana helicopter")  # not recognised: said another way
        await send(pilot, "sorry")  # "did you mean": the first offered is picked
        first = screen.query_one(ChoiceList).replies[0]
        await pilot.press("1")
        await pilot.pause()
        while not screen.attempt.finished:
            words = own_words(scenario, scenario.nodes[screen.attempt.session.state])
            await send(pilot, words.text)
            if words.asked:
                await pilot.press(str(words.number))
                await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, EndScreen)
        text = " ".join(screen_text(app).split())
        assert "What you typed, and how it was taken" in text
        assert 'Turn 1 you picked it when asked "did you mean"' in text
        assert f"You typed “sorry” Taken as “{' '.join(first.say.split())}”" in text
        assert "Turn 2 understood at once" in text
        assert "Practice · typed replies · attempt seed" in text
        await pilot.press("t")  # the call turn by turn: the typed words and the reply taken
        await pilot.pause()
        text = " ".join(screen_text(app).split())
        assert "You typed: “sorry” Taken as: " in text
        await pilot.press("r")  # a retry is typed too
        await pilot.pause()
        assert isinstance(app.screen, TypedCallScreen)


async def test_a_call_from_the_list_has_no_typed_section() -> None:
    app = create_app(vulgar(), animation=False)
    async with app.run_test(size=(100, 120)) as pilot:
        await pilot.pause()
        while not isinstance(app.screen, EndScreen):
            await pilot.press("1")
            await pilot.pause()
        assert not app.screen.attempt.typed and not app.screen.query("#typed-turns")
        assert "You said" in screen_text(app) or "best reply available" in screen_text(app)


async def test_the_key_bar_and_palette_offer_the_typed_calls_keys() -> None:
    app = create_app(vulgar(), animation=False, typed=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        footer = screen_text(app).splitlines()[-1]
        assert "esc Leave" in footer and "f1 Help" in footer and "^r Restart" in footer
        assert " q " not in footer and " r " not in footer  # letters go into the reply
        assert [c.title for c in app.get_system_commands(app.screen)][:3] == [
            "Leave", "Help", "Restart"]
        await send(pilot, "sorry")  # "did you mean": only its keys
        footer = screen_text(app).splitlines()[-1]
        assert "1 2 Pick" in footer and "esc Type again" in footer
        assert "Leave" not in footer and "Restart" not in footer
