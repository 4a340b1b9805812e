"""Parts of the UI checked without starting it: the app factory, the stylesheet, the help,
the end screen's texts, the recorder protocol and the attempt controller on the named
scenarios."""

from __future__ import annotations

from pathlib import Path

import pytest

from scoring.recording import Mode
from simulator.training.attempt import Attempt
from simulator.tui.launch import Launch
from tests.tui.driving import CALL, blender


def test_create_app_carries_its_options_without_global_state() -> None:
    from simulator.tui.app import CalmlineApp, create_app

    sc = blender()
    a = create_app(sc, mode=Mode.CERTIFICATION, trainee="Ann", seed=None, tick_seconds=None)
    b = create_app()
    assert isinstance(a, CalmlineApp) and isinstance(b, CalmlineApp)
    assert (a.launch.scenario, a.launch.mode, a.trainee) == (sc, Mode.CERTIFICATION, "Ann")
    assert b.launch == Launch() and b.trainee is None
    a.best["x"] = 50.0
    assert b.best == {}  # no state shared between apps (a classroom serves many)


def test_create_app_rejects_unknown_options() -> None:
    from simulator.tui.app import create_app

    with pytest.raises(TypeError):
        create_app(blender(), colour="red")


def test_watching_follows_the_scenario_file(tmp_path: Path) -> None:
    from simulator.engine.loader import load
    from simulator.tui.app import create_app

    path = tmp_path / "call.yaml"
    path.write_text(CALL.read_text())
    app = create_app(load(path), watch=True)
    assert app.file_watch is not None and app.file_watch.path == path
    assert create_app(load(path)).file_watch is None


def test_the_stylesheet_parses_with_the_theme_variables() -> None:
    from textual.app import App
    from textual.css.stylesheet import Stylesheet

    import simulator.tui as tui

    css = (Path(tui.__file__).parent / "app.tcss").read_text()
    sheet = Stylesheet(variables=App().get_css_variables())
    sheet.add_source(css, read_from=("app.tcss", ""))
    sheet.parse()
    selectors = {rule.selector_names.__iter__().__next__() for rule in sheet.rules
                 if rule.selector_names}
    assert sheet.rules and selectors


def test_the_help_covers_every_screens_keys_and_both_modes() -> None:
    from simulator.tui.screens.help import help_text

    text = help_text().plain
    for section in ("Catalogue", "During a call", "After a call", "Everywhere", "Modes",
                    "Scoring"):
        assert section in text
    assert "Practice: Feedback after every reply" in text
    assert "Certification: Timed replies in shuffled order" in text


def test_the_end_screen_texts_pair_answers_and_replay_the_call() -> None:
    from simulator.tui.screens.end import better_text, review_text

    a = Attempt(blender())
    a.choose("manual")
    a.choose("policy")
    review = review_text(a).plain
    assert "Turn 1\nRavi Mehta: Two days." in review
    assert "You: Have you read the manual?" in review
    assert "▼ Stay calm -1   ▼ Don't argue -2" in review
    better = better_text(a)
    assert "You gave the best reply" not in str(better)
    best = Attempt(blender())
    best.choose("sorry-ask")
    best.choose("swap")
    assert better_text(best).plain == "You gave the best reply available at every turn."


def test_the_help_lists_the_apps_own_keys() -> None:
    from textual.binding import Binding

    from simulator.tui.app import CalmlineApp
    from simulator.tui.screens.help import help_text

    keys = {word for line in help_text().plain.splitlines() for word in line[:12].split()}
    for binding in Binding.make_bindings(CalmlineApp.BINDINGS):
        assert binding.key.upper() in keys, binding.key
