"""The call screen driven by keys and mouse: replies, feedback, undo, restart, leaving."""

from __future__ import annotations

import pytest

from simulator.engine.model import Scenario
from simulator.tui.app import CalmlineApp, create_app
from simulator.tui.screens.call import CallScreen
from simulator.tui.screens.confirm import ConfirmScreen
from simulator.tui.screens.end import EndScreen
from simulator.tui.screens.help import HelpScreen
from simulator.tui.widgets.anger_meter import AngerMeter
from simulator.tui.widgets.choice_list import ChoiceList
from simulator.tui.widgets.feedback_panel import FeedbackPanel
from simulator.tui.widgets.transcript import Said, Transcript
from tests.tui.driving import SIZE, SpyFactory, answer, cli_run, screen_text, settle


def _call(app: CalmlineApp) -> CallScreen:
    screen = app.screen
    assert isinstance(screen, CallScreen)
    return screen


def _lines(app: CalmlineApp) -> list[tuple[str, str]]:
    return [(s.speaker, s.text) for s in _call(app).query_one(Transcript).query(Said)]


async def test_a_reply_updates_transcript_anger_feedback_and_choices(scenario: Scenario) -> None:
    app = create_app(scenario, animation=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = _call(app)
        assert not screen.query_one(FeedbackPanel).display
        # Shown in the order drawn from the attempt's seed (0 here), not as written.
        assert [o.id for o in screen.query_one(ChoiceList).replies] == [
            "sneer", "manual", "sorry-ask"]
        assert screen.attempt.seed == 0
        await answer(pilot, "sorry-ask")
        assert _lines(app) == [
            ("Ravi Mehta", scenario.nodes["opening"].lines[0]),
            ("You", scenario.nodes["opening"].choices[0].say),
            ("Ravi Mehta", scenario.nodes["facts"].lines[0]),
        ]
        meter = screen.query_one(AngerMeter)
        assert (meter.previous, meter.value, meter.word) == (55, 35, "irritated")
        assert meter.has_class("-falling")
        panel = screen.query_one(FeedbackPanel)
        assert panel.display and panel.step is not None and panel.step.choice == "sorry-ask"
        text = screen_text(app)
        assert "▲ Apologize +2" in text and "▲ Solve and follow up +1" in text
        assert "Anger ▼ -20" in text and "An apology and a real question" in text
        assert sorted(o.id for o in screen.query_one(ChoiceList).replies) == ["policy", "swap"]
        assert "Practice · turn 2" in text


async def test_arrows_and_enter_pick_a_reply(scenario: Scenario) -> None:
    app = create_app(scenario, animation=False)
    async with app.run_test(size=SIZE) as pilot:
        second = _call(app).attempt.session.option_ids()[1]
        await pilot.press("down", "enter")
        assert _call(app).attempt.session.choices_made == [second]


async def test_a_mouse_click_picks_a_reply(scenario: Scenario) -> None:
    app = create_app(scenario, animation=False)
    async with app.run_test(size=SIZE) as pilot:
        first = _call(app).query_one(ChoiceList).replies[0].id
        assert await pilot.click(ChoiceList, offset=(4, 1))  # row 0 is the title rule
        await pilot.pause()
        assert _call(app).attempt.session.choices_made == [first]


async def test_a_number_with_no_reply_does_nothing(scenario: Scenario) -> None:
    app = create_app(scenario, animation=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("7")
        assert _call(app).attempt.session.turn == 0


async def test_undo_takes_back_the_last_reply_and_the_score_still_matches_the_cli(
        scenario: Scenario, capsys: pytest.CaptureFixture[str]) -> None:
    app = create_app(scenario, animation=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("u")  # nothing to undo yet
        assert _call(app).attempt.session.turn == 0
        await answer(pilot, "manual")
        assert _call(app).attempt.session.choices_made == ["manual"]
        await pilot.press("u")
        screen = _call(app)
        assert screen.attempt.session.turn == 0
        assert _lines(app) == [("Ravi Mehta", scenario.nodes["opening"].lines[0])]
        assert not screen.query_one(FeedbackPanel).display
        assert screen.query_one(AngerMeter).value == 55
        assert "sorry-ask" in [o.id for o in screen.query_one(ChoiceList).replies]
        await answer(pilot, "sorry-ask", "swap")
        await pilot.pause()
        end = app.screen
        assert isinstance(end, EndScreen) and end.attempt.scorecard is not None
        card = end.attempt.scorecard
    cli = cli_run(capsys, scenario, ["sorry-ask", "swap"])
    assert (card.total, card.percent, card.passed) == (
        cli["score"]["total"], cli["score"]["percent"], cli["score"]["passed"])


async def test_undo_after_two_replies_shows_the_first_replys_feedback(
        scenario: Scenario) -> None:
    app = create_app(scenario, animation=False, start_values={"anger": 20})
    async with app.run_test(size=SIZE) as pilot:
        await answer(pilot, "sorry-ask")
        screen = _call(app)
        await pilot.press("u")
        await answer(pilot, "manual")  #, anger 20 -> 50, on to "facts"
        assert screen.attempt.session.choices_made == ["manual"]
        panel = screen.query_one(FeedbackPanel)
        assert panel.step is not None and panel.step.choice == "manual"
        assert "▼ Don't argue -2" in screen_text(app)


async def test_restart_starts_the_call_over_and_tells_the_recorder(
        scenario: Scenario, spies: SpyFactory) -> None:
    app = create_app(scenario, animation=False, recorder_factory=spies)
    async with app.run_test(size=SIZE) as pilot:
        await answer(pilot, "sorry-ask")
        first = _call(app).attempt
        await pilot.press("r")
        screen = _call(app)
        assert screen.attempt is not first and screen.attempt.session.turn == 0
        assert first.closed and spies.made[0].events == [("step", "sorry-ask"),
                                                         ("abandon", 1)]
        assert _lines(app) == [("Ravi Mehta", scenario.nodes["opening"].lines[0])]
        assert screen.query_one(AngerMeter).previous is None
        await answer(pilot, "sorry-ask", "swap")
        await pilot.pause()
        assert isinstance(app.screen, EndScreen)
        assert spies.made[1].events[-1][0] == "finish"


async def test_leaving_asks_first_and_staying_keeps_the_call(
        scenario: Scenario, spies: SpyFactory) -> None:
    app = create_app(scenario, animation=False, recorder_factory=spies)
    async with app.run_test(size=SIZE) as pilot:
        await answer(pilot, "sorry-ask")
        await pilot.press("q")
        assert isinstance(app.screen, ConfirmScreen)
        assert "Your replies in this call will be lost." in screen_text(app)
        footer = screen_text(app).splitlines()[-1]  # the dialog's keys, not the call's
        assert "y Yes" in footer and "n No" in footer and "Reply" not in footer
        await pilot.press("n")
        assert isinstance(app.screen, CallScreen) and not app.screen.attempt.closed
        await pilot.press("escape")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await pilot.pause()
    assert app.return_code == 0 and not app.is_running
    assert spies.made[0].events == [("step", "sorry-ask"), ("abandon", 1)]


async def test_quitting_the_app_mid_call_abandons_the_attempt(
        scenario: Scenario, spies: SpyFactory) -> None:
    app = create_app(scenario, animation=False, recorder_factory=spies)
    async with app.run_test(size=SIZE) as pilot:
        await answer(pilot, "sorry-ask")
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert spies.made[0].events == [("step", "sorry-ask"), ("abandon", 1)]


async def test_the_end_screen_shows_outcome_scorecard_better_answers_and_debrief(
        scenario: Scenario) -> None:
    app = create_app(scenario, animation=False)
    async with app.run_test(size=(100, 60)) as pilot:
        await answer(pilot, "manual", "policy")
        await pilot.pause()
        text = screen_text(app)
        assert "Call ended: Resolved · The blender that stopped" in text
        assert "Ravi Mehta: Friday works. Thanks." in text
        assert "NOT PASSED" in text
        assert "Apologize" in text and "0/2" in text
        assert "You said “Have you read the manual?" in text
        assert "Better   “I'm sorry, that's a rotten start" in text
        assert "You apologized, found the fault" in text
        assert "Retry (r)" in text and "Back to the catalogue (b)" in text


async def test_retry_plays_the_same_call_again(scenario: Scenario) -> None:
    app = create_app(scenario, animation=False)
    async with app.run_test(size=SIZE) as pilot:
        await answer(pilot, "sorry-ask", "swap")
        await pilot.pause()
        await pilot.press("r")
        screen = _call(app)
        assert screen.attempt.session.turn == 0 and screen.attempt.scenario is scenario


async def test_back_to_the_catalogue_from_a_direct_call(scenario: Scenario) -> None:
    from simulator.tui.screens.home import HomeScreen
    from tests.tui.driving import LIBRARY

    app = create_app(scenario, animation=False, library=LIBRARY)
    async with app.run_test(size=SIZE) as pilot:
        await answer(pilot, "sorry-ask", "swap")
        await pilot.pause()
        await pilot.press("b")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert "best 100%" in screen_text(app)


async def test_typing_never_blocks_a_reply(scenario: Scenario,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("simulator.tui.widgets.transcript.TYPING_CPS", 4.0)
    monkeypatch.setattr("simulator.tui.widgets.transcript.TYPING_MAX_SECONDS", 60.0)
    app = create_app(scenario, animation=True)
    async with app.run_test(size=SIZE) as pilot:
        first = _call(app).query_one(Said)
        assert first.typed and first.typing  # still being typed out, slowly
        await answer(pilot, "sorry-ask")
        assert _call(app).attempt.session.choices_made == ["sorry-ask"]
        assert not first.typing and first.shown == len(first.text)
        you, latest = list(_call(app).query(Said))[-2:]
        assert you.speaker == "You" and not you.typed  # the trainee's words appear at once
        assert latest.speaker == "Ravi Mehta" and latest.typing
        await pilot.press("1")  # answering the half-typed line works too
        await pilot.pause()
        assert isinstance(app.screen, EndScreen)


async def test_a_typed_line_completes_on_its_own(scenario: Scenario) -> None:
    app = create_app(scenario, animation=True)
    async with app.run_test(size=SIZE) as pilot:
        line = _call(app).query_one(Said)
        assert line.typed
        for _ in range(100):
            if not line.typing:
                break
            await pilot.pause(0.05)
        assert line.shown == len(line.text)
        assert "people coming on Saturday." in screen_text(app)  # the end of the line


async def test_help_opens_and_closes(scenario: Scenario) -> None:
    app = create_app(scenario, animation=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        assert "undo your last reply (practice)" in screen_text(app)
        await pilot.press("escape")
        assert isinstance(app.screen, CallScreen)
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)


async def test_the_command_palette_lists_the_calls_actions(scenario: Scenario) -> None:
    app = create_app(scenario, animation=False)
    async with app.run_test(size=SIZE) as pilot:
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert titles[:4] == ["Reply", "Restart", "Leave", "Help"]  # nothing to undo yet
        assert "Theme" in titles
        await pilot.press("1")
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert titles[:5] == ["Reply", "Undo", "Restart", "Leave", "Help"]
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"restart")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        screen = _call(app)
        assert screen.attempt.session.turn == 0


async def test_the_footer_shows_the_bindings(scenario: Scenario) -> None:
    app = create_app(scenario, animation=False)
    async with app.run_test(size=SIZE):
        last = screen_text(app).splitlines()[-1]
        for key in ("1-9 Reply", "r Restart", "q Leave", "? Help"):
            assert key in last


async def test_clicking_a_key_in_the_key_bar_runs_it(scenario: Scenario) -> None:
    from simulator.tui.widgets.key_bar import KeyBar

    app = create_app(scenario, animation=False)
    async with app.run_test(size=SIZE) as pilot:
        bar = app.screen.query_one(KeyBar)
        line = str(bar.render())
        assert await pilot.click(KeyBar, offset=(line.index("? Help") + 1, 0))
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)


async def test_a_call_can_start_mid_scenario(scenario: Scenario) -> None:
    app = create_app(scenario, animation=False, start="facts", start_values={"anger": 80})
    async with app.run_test(size=SIZE) as pilot:
        screen = _call(app)
        assert _lines(app) == [("Ravi Mehta", scenario.nodes["facts"].lines[0])]
        assert screen.query_one(AngerMeter).value == 80
        assert sorted(o.id for o in screen.query_one(ChoiceList).replies) == ["policy", "swap"]
        await pilot.press("1")
        await pilot.pause()
        assert isinstance(app.screen, EndScreen)


async def test_the_screens_report_up_with_messages(scenario: Scenario) -> None:
    from textual.message import Message

    from simulator.tui.screens.home import HomeScreen
    from tests.tui.driving import LIBRARY

    seen: list[Message] = []
    app = create_app(animation=False, library=LIBRARY)
    async with app.run_test(size=SIZE, message_hook=seen.append) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("1", "1")
        await pilot.pause()
        await pilot.press("r")
        await pilot.pause()
        await pilot.press("q", "y")
        await pilot.pause()
        await pilot.press("enter", "1", "1")
        await pilot.pause()
        await pilot.press("b")
        await pilot.pause()
    unique = list({id(m): m for m in seen}.values())  # a message is seen at every hop up
    kinds = [type(m) for m in unique if type(m) in (
        HomeScreen.CallPicked, CallScreen.Ended, CallScreen.Left, EndScreen.RetryPicked,
        EndScreen.CataloguePicked)]
    assert kinds == [HomeScreen.CallPicked, CallScreen.Ended, EndScreen.RetryPicked,
                     CallScreen.Left, HomeScreen.CallPicked, CallScreen.Ended,
                     EndScreen.CataloguePicked]
    picked = next(m for m in seen if isinstance(m, HomeScreen.CallPicked))
    assert picked.scenario.id == "blender" and picked.mode == "practice"


async def test_the_call_header_keeps_the_order_value_when_the_product_is_long() -> None:
    from simulator import library

    scenario = library.resolve("lawsuit-bluff")  # a long product name
    app = create_app(scenario, animation=False)
    async with app.run_test(size=SIZE):
        header = screen_text(app).splitlines()[0]
        assert header.lstrip().startswith("Howard Brennan · Trailhead")
        assert "· $22.50" in header and "…" in header
        assert header.rstrip().endswith("Practice · turn 1")


async def test_reply_from_the_palette_gives_the_highlighted_reply_not_the_first(
        scenario: Scenario) -> None:
    app = create_app(scenario, animation=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = _call(app)
        third = screen.attempt.session.option_ids()[2]
        await pilot.press("down", "down")  # highlight reply 3
        commands = [c for c in app.get_system_commands(screen) if c.title == "Reply"]
        assert len(commands) == 1 and "highlighted" in commands[0].help
        await commands[0].callback()
        await pilot.pause()
        assert screen.attempt.session.log[-1].choice == third


async def test_the_palette_leaves_out_one_keys_variants() -> None:
    from simulator.tui.screens.home import HomeScreen
    from tests.tui.driving import LIBRARY, settle

    app = create_app(animation=False, library=LIBRARY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Move" not in titles and "Mode" in titles


async def test_a_change_in_the_feedback_is_never_broken_across_lines() -> None:
    from simulator import library

    scenario = library.resolve("friend-or-foe")  # four changes, too wide for 60 columns
    app = create_app(scenario, animation=False)
    async with app.run_test(size=(60, 18)) as pilot:
        await answer(pilot, "stop-filming")  # dont_argue -1, apologize +1, listen -2, anger +15
        panel = _call(app).query_one(FeedbackPanel)
        lines = [line.strip() for line in screen_text(app).splitlines()]
        assert "▼ Don't argue -1   ▲ Apologize +1" in lines
        assert "▼ Listen and acknowledge -2   Anger ▲ +15" in lines
        assert panel.region.height >= 4


async def test_t_on_the_end_screen_opens_the_turn_by_turn_replay(scenario: Scenario) -> None:
    from textual.widgets import Collapsible

    app = create_app(scenario, animation=False)
    async with app.run_test(size=SIZE) as pilot:
        await answer(pilot, "manual", "policy")
        await pilot.pause()
        assert isinstance(app.screen, EndScreen)
        assert "t Turn by turn" in screen_text(app).splitlines()[-1]
        review = app.screen.query_one("#review", Collapsible)
        assert review.collapsed
        await pilot.press("t")
        await pilot.pause()
        assert not review.collapsed
        assert "Turn 1" in screen_text(app)  # scrolled into view
        await pilot.press("t")
        assert review.collapsed


async def test_narration_shows_apart_from_the_customer_in_the_transcript() -> None:
    from pathlib import Path

    from simulator.engine.loader import load

    sc = load(Path(__file__).parents[1] / "data" / "narrated.yaml")
    app = create_app(sc, animation=False)
    async with app.run_test(size=SIZE) as pilot:
        said = list(_call(app).query_one(Transcript).query(Said))
        assert [(s.speaker, s.has_class("narration")) for s in said] == [
            ("On screen", True), ("Dana Fitch", False)]
        assert said[0].text.startswith("The order shows a proof approved")
        await answer(pilot, "own-it")
        said = list(_call(app).query_one(Transcript).query(Said))
        assert [s.speaker for s in said] == ["On screen", "Dana Fitch", "You", "On screen",
                                             "Dana Fitch"]
        assert said[3].text == "The print queue shows a slot free this afternoon."
        assert "On screen: The print queue" in screen_text(app)
