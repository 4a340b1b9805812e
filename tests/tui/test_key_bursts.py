"""Fast keys never crash or abandon a call: a reply is taken only for the prompt on screen.

Typing "22" or "12" quickly used to check the second key against the next question's replies
(``SessionError: unknown choice ... at 'vent'``, a traceback, and the certification recorded
as abandoned). Keys that arrive before the next prompt is shown are now ignored.
"""

from __future__ import annotations

import pytest
from textual import events

from scoring.recording import Mode
from simulator.engine.model import Scenario
from simulator.tui.app import CalmlineApp, create_app
from simulator.tui.screens.call import CallScreen
from tests.tui.driving import SIZE, SpyFactory, key_for


def _app(scenario: Scenario, mode: Mode, spies: SpyFactory) -> CalmlineApp:
    return create_app(scenario, mode=mode, trainee="Ann Lee", animation=False,
                      recorder_factory=spies, tick_seconds=None)


def _call(app: CalmlineApp) -> CallScreen:
    screen = app.screen
    assert isinstance(screen, CallScreen)
    return screen


def _burst(app: CalmlineApp, keys: str) -> None:
    """Put every key in the app's queue at once, as a terminal delivers a fast burst."""
    for key in keys:
        app.post_message(events.Key(key, key))


@pytest.mark.parametrize("mode", [Mode.PRACTICE, Mode.CERTIFICATION])
@pytest.mark.parametrize("first", ["sorry-ask", "manual"])
@pytest.mark.parametrize("second", ["1", "2", "3"])
async def test_two_fast_keys_answer_only_the_prompt_on_screen(
        scenario: Scenario, spies: SpyFactory, mode: Mode, first: str, second: str) -> None:
    # "22" and "12" of the hostile review: the first key answers the question on screen,
    # the second arrives before the next question is drawn (both replies lead to 'facts').
    app = _app(scenario, mode, spies)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        _burst(app, key_for(_call(app).attempt.session, first) + second)
        await pilot.pause()
        await pilot.pause()
        attempt = _call(app).attempt
        steps = [e for e in spies.made[0].events if e[0] == "step"]
        assert steps == [("step", first)]  # the second key was not taken for 'facts'
        assert attempt.session.turn == 1 and not attempt.closed
        assert ("abandon", 1) not in spies.made[0].events
        # The next prompt, once shown, takes a key as usual.
        await pilot.press("1")
        await pilot.pause()
        assert len([e for e in spies.made[0].events if e[0] == "step"]) == 2


@pytest.mark.parametrize("mode", [Mode.PRACTICE, Mode.CERTIFICATION])
async def test_200_keys_at_once_never_crash_or_abandon(
        scenario: Scenario, spies: SpyFactory, mode: Mode) -> None:
    app = _app(scenario, mode, spies)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        _burst(app, "1234567892" * 20)
        for _ in range(5):
            await pilot.pause()
        events_ = spies.made[0].events
        assert not any(e[0] == "abandon" for e in events_)
        assert len([e for e in events_ if e[0] == "step"]) == 1
        assert app.return_code is None  # still running: nothing raised
