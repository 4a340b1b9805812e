"""Fast key bursts in a typed call never reach a shortcut: no letter restarts, undoes, leaves
or quits, while "did you mean" is open, as it closes, right after Enter (while the reply is
answered and the next line is typed out), or as the end screen opens.

A burst is every key put in the app's queue at once, as a terminal delivers fast typing: the
keys are handled one after another, before the screen has redrawn in between.
"""

from __future__ import annotations

import unicodedata
from typing import Any

import pytest
from textual import events
from textual.keys import key_to_character
from textual.widgets import Input

from simulator import library
from simulator.engine.session import Session
from simulator.tui.app import CalmlineApp, create_app
from simulator.tui.screens.confirm import ConfirmScreen
from simulator.tui.screens.end import EndScreen
from simulator.tui.screens.typed_call import TypedCallScreen
from simulator.tui.widgets.choice_list import ChoiceList
from tests.training.typed_play import own_words
from tests.tui.driving import SIZE

CLEAR = "I'm so sorry, that's not good enough. Tell me about today."
UNSURE = "sorry"
LETTERS = "qurqQURbtyn?"
NAMED = {"enter", "escape", "tab", "up", "down"}


def _app(animation: bool = False) -> CalmlineApp:
    return create_app(library.resolve("vulgar-caller"), animation=animation, typed=True)


def key(name_or_character: str) -> events.Key:
    """The key event a terminal sends: a named key ("enter", "ctrl+z") or one character."""
    if len(name_or_character) > 1:
        return events.Key(name_or_character, key_to_character(name_or_character))
    character = name_or_character
    name = character if character.isalnum() else (
        unicodedata.name(character, character).lower().replace(" ", "_").replace("-", "_"))
    return events.Key(name, character)


def burst(app: CalmlineApp, *keys: str) -> None:
    """Put every key in the app's queue at once: named keys as they are; any other text,
    one key per character."""
    for item in keys:
        named = item in NAMED or "+" in item
        for one in [item] if named else list(item):
            app.post_message(key(one))


async def settle(pilot: Any, times: int = 6) -> None:
    for _ in range(times):
        await pilot.pause()


def box(screen: TypedCallScreen) -> str:
    return screen.query_one("#typed", Input).value


async def asked(pilot: Any) -> TypedCallScreen:
    """The call with "did you mean" open on the first turn."""
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, TypedCallScreen)
    screen.query_one("#typed", Input).value = UNSURE
    await pilot.press("enter")
    await pilot.pause()
    assert screen.asking and screen.attempt.session.turn == 0
    return screen


def untouched(app: CalmlineApp, screen: TypedCallScreen, attempt: Any) -> None:
    """No shortcut acted: the same call on screen, not restarted, not left, still running."""
    assert app.screen is screen and not isinstance(app.screen, ConfirmScreen)
    assert screen.attempt is attempt and not attempt.closed
    assert app.is_running and app.return_code is None


async def test_letters_while_did_you_mean_is_open_are_ignored() -> None:
    app = _app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await asked(pilot)
        attempt = screen.attempt
        burst(app, LETTERS * 5, "3", "9", "0")
        await settle(pilot)
        untouched(app, screen, attempt)
        assert screen.asking and attempt.session.turn == 0
        assert box(screen) == UNSURE  # nothing went into the box either
        offered = [o.id for o in screen.query_one(ChoiceList).replies]
        await pilot.press("2")  # the question still takes its own keys
        await pilot.pause()
        assert attempt.session.choices_made == [offered[1]]


@pytest.mark.parametrize("close", ["escape", "1", "2"])
async def test_a_burst_as_the_question_closes_never_reaches_a_shortcut(close: str) -> None:
    # "qurq" used to reach the screen's shortcuts between Esc (or the pick) and the box
    # taking the focus again: q asked to leave, r restarted the call.
    app = _app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await asked(pilot)
        attempt = screen.attempt
        burst(app, close, "qurq")
        await settle(pilot)
        untouched(app, screen, attempt)
        assert not screen.asking
        assert attempt.session.turn == (0 if close == "escape" else 1)
        assert screen.focused is screen.query_one("#typed", Input)
        if close == "escape":
            assert box(screen).startswith(UNSURE)
        burst(app, "qurq")  # and from now on letters go into the box
        await settle(pilot)
        assert box(screen).endswith("qurq")
        untouched(app, screen, attempt)


@pytest.mark.parametrize("animation", [False, True])
async def test_keys_right_after_enter_stay_in_the_box_and_are_not_sent(animation: bool) -> None:
    app = _app(animation)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, TypedCallScreen)
        attempt = screen.attempt
        burst(app, CLEAR, "enter", "qurq")  # typed on while the reply is answered
        await settle(pilot)
        untouched(app, screen, attempt)
        assert attempt.session.choices_made == ["own-the-no-show"]
        (turn,) = screen.typed.turns()
        assert turn.text == CLEAR  # Enter sent the box as it was at that key
        assert box(screen) == "qurq"


async def test_two_replies_typed_ahead_are_sent_one_each() -> None:
    scenario = library.resolve("vulgar-caller")
    follow = Session(scenario)
    follow.choose("own-the-no-show")
    second = own_words(scenario, scenario.nodes[follow.state])
    assert not second.asked
    app = _app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, TypedCallScreen)
        attempt = screen.attempt
        burst(app, CLEAR, "enter", second.text, "enter", "qurq")
        await settle(pilot)
        untouched(app, screen, attempt)
        assert [t.text for t in screen.typed.turns()] == [CLEAR, second.text]
        assert attempt.session.choices_made == ["own-the-no-show", second.choice.id]
        assert box(screen) == "qurq"


async def test_digits_right_after_an_unsure_enter_never_answer_the_question() -> None:
    # "sorry", Enter, "2" at once: the 2 was typed before "did you mean" was on screen.
    app = _app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, TypedCallScreen)
        attempt = screen.attempt
        burst(app, UNSURE, "enter", "2", "qurq", "1")
        await settle(pilot)
        untouched(app, screen, attempt)
        assert screen.asking and attempt.session.turn == 0
        await pilot.press("1")
        await pilot.pause()
        assert attempt.session.turn == 1


async def test_undo_and_restart_are_control_keys_and_wait_for_the_question() -> None:
    app = _app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await asked(pilot)
        attempt = screen.attempt
        await pilot.press("1")
        await pilot.pause()
        assert attempt.session.turn == 1 and attempt.can_undo
        burst(app, "u", "r")  # letters: into the box
        await settle(pilot)
        assert attempt.session.turn == 1 and box(screen) == "ur"
        screen.query_one("#typed", Input).value = UNSURE
        await pilot.press("enter")
        await pilot.pause()
        assert screen.asking
        burst(app, "ctrl+z", "ctrl+r")  # not while "did you mean" waits
        await settle(pilot)
        untouched(app, screen, attempt)
        assert attempt.session.turn == 1 and screen.asking
        await pilot.press("escape", "ctrl+z")
        await pilot.pause()
        assert attempt.session.turn == 0
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert screen.attempt is not attempt and screen.attempt.session.turn == 0


async def test_a_burst_after_the_last_reply_does_nothing_on_the_end_screen() -> None:
    scenario = library.resolve("vulgar-caller")
    app = create_app(scenario, animation=False, typed=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, TypedCallScreen)
        attempt = screen.attempt
        while True:
            words = own_words(scenario, scenario.nodes[attempt.session.state])
            if words.asked or attempt.session.turn < 3:
                screen.query_one("#typed", Input).value = words.text
                await pilot.press("enter")
                if words.asked:
                    await pilot.press(str(words.number))
                if attempt.finished:
                    break
                continue
            # a confident reply typed and sent, then "r", "q", "b", Enter in the same burst
            burst(app, words.text, "enter", "rqb", "enter", "qurq")
            await settle(pilot)
            if attempt.finished:
                break
            assert app.screen is screen and box(screen).endswith("qurq")
            screen.query_one("#typed", Input).value = ""
        await settle(pilot)
        end = app.screen
        assert isinstance(end, EndScreen) and end.attempt is attempt
        assert app.is_running and app.return_code is None
        await pilot.press("b")  # once drawn, the end screen takes its keys
        await pilot.pause()
        assert not isinstance(app.screen, EndScreen)


async def test_200_keys_at_once_in_every_state_never_crash_or_leave() -> None:
    app = _app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, TypedCallScreen)
        attempt = screen.attempt
        burst(app, *("qur12?\x00ß" * 25))
        await settle(pilot)
        untouched(app, screen, attempt)
        assert attempt.session.turn == 0
        screen.query_one("#typed", Input).value = UNSURE
        await pilot.press("enter")
        burst(app, *(["q", "u", "r", "1", "2", "?", "tab", "down", "enter"] * 25))
        await settle(pilot)
        untouched(app, screen, attempt)
        assert attempt.session.turn <= 1


async def test_keys_pressed_before_the_end_screen_came_up_do_nothing() -> None:
    scenario = library.resolve("vulgar-caller")
    app = create_app(scenario, animation=False, typed=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, TypedCallScreen)
        attempt = screen.attempt
        while not attempt.finished:
            words = own_words(scenario, scenario.nodes[attempt.session.state])
            screen.query_one("#typed", Input).value = words.text
            await pilot.press("enter", *([str(words.number)] if words.asked else []))
        await settle(pilot)
        assert isinstance(app.screen, EndScreen)
        again = EndScreen(attempt)
        burst(app, "q", "r", "b", "enter")  # pressed before the screen comes up
        app.switch_screen(again)
        await settle(pilot)
        assert app.screen is again and app.is_running and app.return_code is None
        await pilot.press("r")  # once drawn, its keys act: retry, typed again
        await pilot.pause()
        assert isinstance(app.screen, TypedCallScreen) and app.screen.attempt is not attempt
