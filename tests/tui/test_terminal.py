"""Terminal realities: a too-small notice instead of a crash, resizing, NO_COLOR, themes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from scoring.recording import Mode
from simulator.engine.model import Scenario
from simulator.tui.app import create_app
from simulator.tui.screens.call import CallScreen
from simulator.tui.widgets.choice_list import ChoiceList
from simulator.tui.widgets.too_small import TooSmall
from simulator.tui.wording import MIN_HEIGHT, MIN_WIDTH
from tests.tui.driving import LIBRARY, SIZE, answer, screen_text, sent_colours


async def test_a_tiny_terminal_shows_the_notice_and_growing_brings_the_call_back(
        scenario: Scenario) -> None:
    app = create_app(scenario, animation=False)
    async with app.run_test(size=(30, 8)) as pilot:
        screen = app.screen
        assert isinstance(screen, CallScreen) and screen.has_class("-too-small")
        assert "The terminal is too small" in screen_text(app)
        assert not screen.query_one(ChoiceList).display
        await pilot.press("1")  # nothing is answered blind
        assert screen.attempt.session.turn == 0
        await pilot.resize_terminal(*SIZE)
        await pilot.pause()
        assert not screen.has_class("-too-small")
        assert "too small" not in screen_text(app)
        await pilot.press("1")
        assert screen.attempt.session.turn == 1
        await pilot.resize_terminal(MIN_WIDTH - 1, MIN_HEIGHT)
        await pilot.pause()
        assert screen.has_class("-too-small")
        await pilot.resize_terminal(MIN_WIDTH, MIN_HEIGHT)
        await pilot.pause()
        assert not screen.has_class("-too-small")
        assert "Ravi Mehta" in screen_text(app)


async def test_focus_comes_back_after_the_too_small_notice_on_the_catalogue() -> None:
    from simulator.tui.screens.home import HomeScreen
    from simulator.tui.widgets.filter_input import FilterInput

    app = create_app(animation=False, library=LIBRARY)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.focused, FilterInput)
        await pilot.resize_terminal(MIN_WIDTH - 10, MIN_HEIGHT - 3)
        await pilot.pause()
        await pilot.resize_terminal(*SIZE)
        await pilot.pause()
        assert isinstance(app.focused, FilterInput)
        assert "⏎ Start" in screen_text(app).splitlines()[-1]
        await pilot.press("enter")  # the footer's Enter still starts the call
        await pilot.pause()
        assert not isinstance(app.screen, HomeScreen)


async def test_focus_comes_back_after_the_too_small_notice_during_a_call(
        scenario: Scenario) -> None:
    app = create_app(scenario, animation=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert isinstance(app.focused, ChoiceList)
        await pilot.resize_terminal(30, 8)
        await pilot.resize_terminal(*SIZE)
        await pilot.pause()
        assert isinstance(app.focused, ChoiceList)
        await pilot.press("down", "enter")
        assert screen.attempt.session.turn == 1


async def test_a_screen_opened_while_too_small_gets_its_focus_when_the_terminal_grows() -> None:
    from simulator.tui.widgets.filter_input import FilterInput

    app = create_app(animation=False, library=LIBRARY)
    async with app.run_test(size=(30, 8)) as pilot:
        await pilot.pause()
        await pilot.resize_terminal(*SIZE)
        await pilot.pause()
        assert isinstance(app.focused, FilterInput)


async def test_every_screen_has_the_notice() -> None:
    app = create_app(animation=False, library=LIBRARY)
    async with app.run_test(size=(20, 5)) as pilot:
        assert app.screen.query_one(TooSmall).display
        await pilot.press("f1")
        assert app.screen.has_class("-too-small")


@pytest.mark.parametrize("size", [(80, 24), (120, 40), (200, 60), (60, 18)])
async def test_the_call_lays_out_at_many_sizes(scenario: Scenario, size: tuple[int, int]) -> None:
    app = create_app(scenario, animation=False)
    async with app.run_test(size=size) as pilot:
        await pilot.press("1")
        text = screen_text(app)
        lines = text.splitlines()
        assert len(lines) == size[1]
        assert "Ravi Mehta · Pulse 600 blender" in lines[0]
        assert "1-9 Reply" in lines[-1]
        choices = app.screen.query_one(ChoiceList)
        assert choices.region.height >= 3 and choices.region.width > 0


def _svg_colours(svg: str) -> set[str]:
    return {c.lower() for c in re.findall(r"fill:\s*(#[0-9a-fA-F]{6})", svg)}


def _grey(rgb: tuple[int, int, int]) -> bool:
    return max(rgb) - min(rgb) <= 2


async def test_no_color_sends_greys_only(scenario: Scenario,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    app = create_app(scenario, animation=False)
    async with app.run_test(size=SIZE) as pilot:
        await answer(pilot, "sorry-ask")
        coloured = sent_colours(app)
    assert not all(_grey(c) for c in coloured)  # the check can tell colour from grey

    monkeypatch.setenv("NO_COLOR", "1")
    app = create_app(scenario, animation=False)
    async with app.run_test(size=SIZE) as pilot:
        assert app.no_color
        await answer(pilot, "sorry-ask")
        text = screen_text(app)
        plain = sent_colours(app)
    assert plain and all(_grey(c) for c in plain)
    # Without colour the meaning is still there: labels, arrows and signs.
    assert "You: " in text and "▲ Apologize +2" in text and "Anger ▼ -20" in text


@pytest.mark.parametrize("theme", ["textual-light", "nord", "gruvbox", "monokai"])
async def test_themes_apply(scenario: Scenario, theme: str) -> None:
    app = create_app(scenario, animation=False)
    async with app.run_test(size=SIZE) as pilot:
        await answer(pilot, "sorry-ask")
        before = _svg_colours(app.export_screenshot())
        app.theme = theme
        await pilot.pause()
        after = _svg_colours(app.export_screenshot())
        assert before != after
        assert "▲ Apologize +2" in screen_text(app)


def test_the_stylesheet_uses_only_theme_colours() -> None:
    import simulator.tui as tui

    css = (Path(tui.__file__).parent / "app.tcss").read_text()
    values = re.findall(r"^\s*(?:color|background|border[a-z-]*):\s*([^;]+);", css, re.M)
    assert values
    for value in values:
        for word in value.split():
            assert (word.startswith("$") or word in {"none", "solid", "outer", "thick",
                                                       "tall", "round"}), value


@pytest.mark.parametrize("no_color", [False, True])
async def test_no_color_marks_the_highlighted_reply_by_more_than_a_shade(
        scenario: Scenario, monkeypatch: pytest.MonkeyPatch, no_color: bool) -> None:
    if no_color:
        monkeypatch.setenv("NO_COLOR", "1")
    else:
        monkeypatch.delenv("NO_COLOR", raising=False)
    app = create_app(scenario, animation=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("down")
        choices = app.screen.query_one(ChoiceList)
        underlined = [any(seg.style is not None and seg.style.underline
                          for seg in choices.render_line(y)) for y in range(4)]
        # Reply 1 is not underlined; the highlighted reply 2 is, without colour only.
        assert not underlined[0] and any(underlined) == no_color


@pytest.mark.parametrize("term", ["dumb", "unknown"])
async def test_a_dumb_terminal_gets_plain_output(scenario: Scenario, term: str,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", term)
    app = create_app(scenario, animation=False)
    async with app.run_test(size=SIZE) as pilot:
        assert app.no_color
        await answer(pilot, "sorry-ask")
        assert sent_colours(app) == set()  # not even greys: no colour codes at all
        assert "Anger ▼ -20" in screen_text(app)


async def test_the_reply_countdown_pauses_while_the_replies_are_hidden(
        scenario: Scenario) -> None:
    from simulator.tui.widgets.countdown import MAX_PAUSE_SECONDS, Countdown

    app = create_app(scenario, mode=Mode.CERTIFICATION, trainee="Ann Lee", animation=False,
                     tick_seconds=None)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, CallScreen)
        countdown = screen.query_one(Countdown)
        start = countdown.remaining
        screen._tick()
        assert countdown.remaining == start - 1
        await pilot.resize_terminal(MIN_WIDTH - 1, MIN_HEIGHT)
        await pilot.pause()
        assert screen.has_class("-too-small")
        for _ in range(3):
            screen._tick()
        assert countdown.remaining == start - 1  # the trainee cannot see the replies
        await pilot.resize_terminal(*SIZE)
        await pilot.pause()
        screen._tick()
        assert countdown.remaining == start - 2
        # Hidden for more than a minute in all, the countdown goes on: shrinking the terminal
        # cannot buy unlimited time to think (3 seconds of the pause are spent above).
        await pilot.resize_terminal(MIN_WIDTH - 1, MIN_HEIGHT)
        await pilot.pause()
        for _ in range(MAX_PAUSE_SECONDS - 3):
            screen._tick()
        assert countdown.remaining == start - 2
        screen._tick()
        assert countdown.remaining == start - 3
