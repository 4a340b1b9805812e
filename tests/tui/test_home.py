"""The catalogue: filtering by typing, starting a call, the mode choice (and typed replies in
practice), best scores, the tree."""

from __future__ import annotations

from textual.widgets import Tree

from scoring.recording import Mode
from simulator import library
from simulator.training import reply_seconds
from simulator.tui.app import CalmlineApp, create_app
from simulator.tui.screens.call import CallScreen
from simulator.tui.screens.help import HelpScreen
from simulator.tui.screens.home import HomeScreen
from simulator.tui.screens.trainee import TraineeScreen
from simulator.tui.screens.tree import TreeScreen
from simulator.tui.screens.typed_call import TypedCallScreen
from simulator.tui.widgets.mode_picker import ModePicker
from simulator.tui.widgets.scenario_list import ScenarioList
from tests.tui.driving import LIBRARY, SIZE, answer, screen_text, settle


def _home(**options: object) -> CalmlineApp:
    return create_app(animation=False, library=LIBRARY, **options)


def _listed(app: CalmlineApp) -> list[str]:
    return [s.id for s in app.screen.query_one(ScenarioList).scenarios]


async def test_the_catalogue_lists_title_difficulty_principles_and_best() -> None:
    app = _home()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert _listed(app) == ["blender", "tiny"]
        text = screen_text(app)
        assert "The blender that stopped  [easy]  not tried yet" in text
        assert "core three + Solve and follow up" in text
        assert "Ravi Mehta, Pulse 600 blender, $79.50." in text  # the summary


async def test_typing_filters_and_enter_starts_the_highlighted_call() -> None:
    app = _home()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press(*"kettle")
        assert _listed(app) == []
        assert "No scenario matches the filter." in screen_text(app)
        await pilot.press("enter")  # nothing to start
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("escape")  # clears the filter
        assert _listed(app) == ["blender", "tiny"]
        await pilot.press(*"tiny", "enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CallScreen) and screen.attempt.scenario.id == "tiny"
        assert screen.attempt.mode == Mode.PRACTICE


async def test_arrows_move_the_highlight_while_typing() -> None:
    app = _home()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("down", "enter")
        await pilot.pause()
        assert isinstance(app.screen, CallScreen) and app.screen.attempt.scenario.id == "tiny"


async def test_the_mode_switch_leads_to_certification_after_the_name() -> None:
    app = _home()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        picker = app.screen.query_one(ModePicker)
        await pilot.press("f2")
        assert picker.mode == Mode.CERTIFICATION
        assert "no feedback until the end" in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, TraineeScreen)
        await pilot.press("escape")  # backing out returns to the catalogue
        assert isinstance(app.screen, HomeScreen)
        await pilot.click(ModePicker)
        assert picker.mode == Mode.PRACTICE


async def test_leaving_a_call_returns_to_the_catalogue_with_the_best_score() -> None:
    app = _home()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await pilot.pause()
        await answer(pilot, "manual", "policy")  # a low score
        await pilot.pause()
        await pilot.press("r")
        await pilot.pause()
        await answer(pilot, "sorry-ask", "swap")  # the best path
        await pilot.pause()
        await pilot.press("b")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert "The blender that stopped  [easy]  best 100%" in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("q", "y")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen) and app.is_running


async def test_the_tree_shows_nodes_choices_targets_and_endings() -> None:
    app = _home()
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await pilot.press("f3")
        assert isinstance(app.screen, TreeScreen)
        tree = app.screen.query_one(Tree)
        nodes, endings = tree.root.children
        assert [str(n.label).split(":")[0] for n in nodes.children] == ["opening (start)", "facts"]
        assert [str(e.label).split(":")[0] for e in endings.children] == [
            "sorted [Resolved]", "walked-out [Customer hung up]"]
        text = screen_text(app)
        assert "The blender that stopped (blender)" in text
        nodes.children[0].expand()
        sorry = nodes.children[0].children[0]
        sorry.expand()
        await pilot.pause()
        tree.move_cursor(sorry.children[0])  # "→ facts"
        await pilot.press("enter")
        await pilot.pause()
        assert tree.cursor_node is nodes.children[1]
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)


async def test_help_from_the_catalogue() -> None:
    app = _home()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        assert "switch between practice and certification" in screen_text(app)


async def test_escape_on_an_empty_filter_quits() -> None:
    app = _home()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("escape")
        await pilot.pause()
    assert not app.is_running


async def test_a_broken_library_file_is_reported_not_fatal(tmp_path: object) -> None:
    from pathlib import Path

    lib = Path(str(tmp_path))
    (lib / "good.yaml").write_text((LIBRARY / "tiny.yaml").read_text())
    (lib / "bad.yaml").write_text("format: 1\nid: bad\n")
    app = create_app(animation=False, library=lib)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert _listed(app) == ["tiny"]
        notes = [n.message for n in app._notifications]
        assert any("bad.yaml:" in n for n in notes)


async def test_the_catalogue_is_read_off_the_ui_thread_and_typing_works_meanwhile(
        monkeypatch: object) -> None:
    import threading

    from simulator import library

    release = threading.Event()
    real = library.catalogue

    def slow(root: object = None) -> object:
        assert release.wait(10)
        return real(root)  # type: ignore[arg-type]

    monkeypatch.setattr(library, "catalogue", slow)  # type: ignore[attr-defined]
    app = _home()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "Loading the scenario library…" in screen_text(app)
        await pilot.press(*"tiny")
        assert app.screen.query_one("#filter").value == "tiny"  # type: ignore[attr-defined]
        release.set()
        await settle(pilot)
        assert _listed(app) == ["tiny"]


async def test_a_fast_filter_and_enter_starts_the_filtered_call() -> None:
    """Regression: Enter typed right after the filter once started the call highlighted
    before the filter had taken effect."""
    from textual import events

    app = _home()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for key in [*"tiny", "enter"]:  # all at once, as a fast typist or a paste sends them
            app._driver.send_message(events.Key(key, key if len(key) == 1 else None))  # type: ignore[union-attr]
        await pilot.pause()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CallScreen) and screen.attempt.scenario.id == "tiny"


async def test_every_library_summary_shows_whole_at_80x24() -> None:
    app = create_app(animation=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        listing = app.screen.query_one(ScenarioList)
        assert len(listing.scenarios) == len(library.scenario_files())  # every shipped one
        for index, scenario in enumerate(listing.scenarios):
            listing.highlighted = index
            await pilot.pause()
            text = " ".join(screen_text(app).split())
            last_words = " ".join(scenario.summary.split()[-4:])
            assert last_words in text, scenario.id


async def test_the_mode_explanation_shows_whole_at_60_columns() -> None:
    app = _home()
    async with app.run_test(size=(60, 18)) as pilot:
        await settle(pilot)
        text = " ".join(screen_text(app).split())
        assert "undo and restart as often as you like." in text


async def test_a_dialog_footer_shows_the_dialogs_keys_not_the_screen_below() -> None:
    app = _home()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f2", "enter")
        await pilot.pause()
        assert isinstance(app.screen, TraineeScreen)
        footer = screen_text(app).splitlines()[-1]
        assert "esc Cancel" in footer and "Start" not in footer and "Mode" not in footer
        await pilot.press("escape")
        await pilot.press("f1")
        await pilot.pause()
        footer = screen_text(app).splitlines()[-1]
        assert "esc Close" in footer and "Start" not in footer


async def test_typed_replies_are_chosen_in_the_catalogue_for_practice() -> None:
    app = _home()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        home = app.screen
        picker = home.query_one(ModePicker)
        text = screen_text(app)
        assert "Replies  (•) From a list  ( ) Typed, in your own words" in text
        assert "f5 Typed" in text.splitlines()[-1]
        await pilot.press("f5")
        assert picker.typed and home.typed  # type: ignore[attr-defined]
        text = " ".join(screen_text(app).split())
        assert "( ) From a list (•) Typed, in your own words" in text
        assert "You type each reply in your own words" in text
        await pilot.press("enter")
        await pilot.pause()
        call = app.screen
        assert isinstance(call, TypedCallScreen) and call.attempt.mode == Mode.PRACTICE
        await pilot.press("escape", "y")  # leave: back to the catalogue, still typed
        await pilot.pause()
        assert app.screen is home and picker.typed
        await pilot.press("f5", "enter")  # typed off: the reply list again
        await pilot.pause()
        call = app.screen
        assert isinstance(call, CallScreen) and not isinstance(call, TypedCallScreen)


async def test_typed_certification_from_the_catalogue() -> None:
    app = _home()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        picker = app.screen.query_one(ModePicker)
        await pilot.press("f2")  # certification from the list...
        assert "a reply not recognised counts as no reply" not in screen_text(app)
        await pilot.press("f5")  # ...then typed, in certification too
        text = " ".join(screen_text(app).split())
        assert "twice the time per reply, and a reply not recognised counts as no reply" in text
        assert app.screen.active_bindings["f5"].enabled
        assert picker.typed and picker.mode == Mode.CERTIFICATION
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, TraineeScreen)
        await pilot.press(*"Bo Diaz", "enter")
        await pilot.pause()
        call = app.screen
        assert isinstance(call, TypedCallScreen)
        assert call.attempt.mode == Mode.CERTIFICATION and call.attempt.typed
        assert call.attempt.reply_seconds == 2 * reply_seconds(call.attempt.scenario)


async def test_clicking_the_picker_lines_switches_mode_and_typed() -> None:
    app = _home()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        picker = app.screen.query_one(ModePicker)
        await pilot.click(ModePicker, offset=(20, 1))
        assert picker.typed and picker.mode == Mode.PRACTICE
        await pilot.click(ModePicker, offset=(20, 1))
        assert not picker.typed
        await pilot.click(ModePicker, offset=(20, 0))
        assert picker.mode == Mode.CERTIFICATION
        await pilot.click(ModePicker, offset=(20, 1))  # typed certification too
        assert picker.typed and picker.mode == Mode.CERTIFICATION


async def test_play_typed_then_the_catalogue_keeps_typed_on() -> None:
    app = create_app(library.resolve("vulgar-caller"), animation=False, typed=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, TypedCallScreen)
        app.screen.post_message(CallScreen.Ended(app.screen.attempt))
        await pilot.pause()
        await pilot.press("b")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert app.screen.query_one(ModePicker).typing


async def test_the_help_lists_the_typed_keys() -> None:
    app = _home()
    async with app.run_test(size=(80, 60)) as pilot:
        await settle(pilot)
        await pilot.press("f1")
        text = " ".join(screen_text(app).split())
        assert "F5 typed replies on or off: answer in your own words" in text
        assert "During a call with typed replies" in text
        assert "ctrl+z undo your last reply" in text and "ctrl+r restart the call" in text
        assert "Typed replies: You type each reply in your own words" in text


async def test_the_typed_and_certification_explanations_show_whole_at_60_columns() -> None:
    app = _home()
    async with app.run_test(size=(60, 18)) as pilot:
        await settle(pilot)
        await pilot.press("f5")
        text = " ".join(screen_text(app).split())
        assert "as often as you like. You type each reply in your own words." in text
        await pilot.press("f2")
        text = " ".join(screen_text(app).split())
        assert "twice the time per reply, and a reply not recognised counts as no reply." in text
        assert "no feedback until the end." in text
