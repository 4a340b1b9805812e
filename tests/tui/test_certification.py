"""Certification in the UI: no feedback until the end, a countdown that expires into silence,
no undo or restart, the trainee's name, and the recorder hook."""

from __future__ import annotations

import pytest

from scoring.recording import Mode
from simulator.engine.model import Scenario
from simulator.tui.app import CalmlineApp, create_app
from simulator.tui.screens.call import CallScreen
from simulator.tui.screens.end import EndScreen
from simulator.tui.screens.trainee import TraineeScreen
from simulator.tui.widgets.countdown import Countdown
from simulator.tui.widgets.feedback_panel import FeedbackPanel
from tests.tui.driving import SIZE, SpyFactory, key_for, screen_text


def _certify(scenario: Scenario, **options: object) -> CalmlineApp:
    options.setdefault("trainee", "Ann Lee")
    options.setdefault("tick_seconds", None)  # the tests tick the countdown by hand
    return create_app(scenario, mode=Mode.CERTIFICATION, animation=False, **options)


def _call(app: CalmlineApp) -> CallScreen:
    assert isinstance(app.screen, CallScreen)
    return app.screen


async def test_no_feedback_is_shown_during_the_call(scenario: Scenario) -> None:
    app = _certify(scenario)
    async with app.run_test(size=SIZE) as pilot:
        screen = _call(app)
        assert not screen.query(FeedbackPanel)
        await pilot.press(key_for(screen.attempt.session, "sorry-ask"))
        text = screen_text(app)
        assert "Certification · turn 2" in text
        assert "An apology and a real question" not in text  # the choice's feedback
        assert "▲" not in text.split("Time to reply")[1]  # no principle changes shown


async def test_replies_are_shuffled_by_the_recorded_seed(scenario: Scenario) -> None:
    app = _certify(scenario)
    async with app.run_test(size=SIZE):
        attempt = _call(app).attempt
        shown = [o.id for o in attempt.prompt().options]
        assert attempt.session.shuffle and attempt.session.seed == attempt.seed
        assert sorted(shown) == ["manual", "sneer", "sorry-ask"]


async def test_undo_and_restart_are_unavailable(scenario: Scenario) -> None:
    app = _certify(scenario)
    async with app.run_test(size=SIZE) as pilot:
        screen = _call(app)
        await pilot.press(key_for(screen.attempt.session, "sorry-ask"))
        attempt = screen.attempt
        await pilot.press("u", "r")
        assert screen.attempt is attempt and attempt.session.turn == 1
        footer = screen_text(app).splitlines()[-1]
        assert "Undo" not in footer and "Restart" not in footer
        titles = [c.title for c in app.get_system_commands(screen)]
        assert "Undo" not in titles and "Restart" not in titles


async def test_the_countdown_expiring_answers_with_silence(scenario: Scenario,
                                                           spies: SpyFactory) -> None:
    app = _certify(scenario, recorder_factory=spies)
    async with app.run_test(size=SIZE) as pilot:
        screen = _call(app)
        countdown = screen.query_one(Countdown)
        assert (countdown.remaining, countdown.total) == (5, 5)
        assert "Time to reply 0:05" in screen_text(app)
        for _ in range(4):
            countdown.tick()
        await pilot.pause()
        assert screen.attempt.session.turn == 0 and countdown.has_class("-urgent")
        countdown.tick()
        await pilot.pause()
        step = screen.attempt.session.log[-1]
        assert step.timed_out and step.choice == "silence"
        assert countdown.remaining == 5  # reset for the next reply
        assert "(no reply: the time ran out)" in screen_text(app)
        assert spies.made[0].events == [("step", "silence")]


async def test_a_real_timer_runs_the_countdown(scenario: Scenario) -> None:
    app = _certify(scenario, tick_seconds=0.01)
    async with app.run_test(size=SIZE) as pilot:
        screen = _call(app)
        for _ in range(200):
            if screen.attempt.session.turn:
                break
            await pilot.pause(0.01)
        assert screen.attempt.session.choices_made[:1] == ["silence"]


async def test_a_critical_reply_ends_the_attempt_and_the_recorder_gets_the_scorecard(
        scenario: Scenario, spies: SpyFactory) -> None:
    app = _certify(scenario, recorder_factory=spies)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(key_for(_call(app).attempt.session, "sneer"))
        await pilot.pause()
        end = app.screen
        assert isinstance(end, EndScreen)
        assert end.attempt.session.ending is not None
        assert end.attempt.session.ending.outcome == "critical_failure"
        text = screen_text(app)
        assert "Call ended: Critical failure" in text and "NOT PASSED" in text
        assert f"attempt seed {end.attempt.seed}" in text and "trainee Ann Lee" in text
        (spy,) = spies.made
        assert (spy.mode, spy.trainee) == (Mode.CERTIFICATION, "Ann Lee")
        assert spy.events[0] == ("step", "sneer")
        assert spy.events[1] == ("finish", end.attempt.scorecard)


async def test_leaving_a_certification_is_recorded_as_abandoned(
        scenario: Scenario, spies: SpyFactory) -> None:
    app = _certify(scenario, recorder_factory=spies)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("q")
        assert "This certification attempt will be recorded as" in screen_text(app)
        await pilot.press("y")
        await pilot.pause()
    assert spies.made[0].events == [("abandon", 0)]


async def test_the_trainees_name_is_asked_for_when_missing(scenario: Scenario,
                                                          spies: SpyFactory) -> None:
    app = _certify(scenario, trainee=None, recorder_factory=spies)
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, TraineeScreen)
        assert not spies.made  # nothing starts before the name
        await pilot.press("enter")
        assert isinstance(app.screen, TraineeScreen)  # an empty name is refused
        await pilot.press(*"Bo Diaz", "enter")
        await pilot.pause()
        screen = _call(app)
        assert screen.attempt.trainee == "Bo Diaz" and app.trainee == "Bo Diaz"
        assert spies.made[0].trainee == "Bo Diaz"


async def test_a_name_with_a_direction_mark_is_refused_at_the_prompt(
        scenario: Scenario, spies: SpyFactory) -> None:
    from textual.widgets import Input

    app = _certify(scenario, trainee=None, recorder_factory=spies)
    async with app.run_test(size=SIZE) as pilot:
        app.screen.query_one("#name", Input).value = "Ann\u202eeeL"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, TraineeScreen) and not spies.made
        notes = [n.message for n in app._notifications]
        assert any("U+202E RIGHT-TO-LEFT OVERRIDE" in note for note in notes), notes


async def test_retry_after_certification_draws_a_new_seed(
        scenario: Scenario, monkeypatch: pytest.MonkeyPatch) -> None:
    seeds = iter([11, 22])
    monkeypatch.setattr("simulator.training.modes.certification_seed", lambda: next(seeds))
    app = _certify(scenario)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(key_for(_call(app).attempt.session, "sneer"))
        await pilot.pause()
        await pilot.press("r")
        assert _call(app).attempt.seed == 22
