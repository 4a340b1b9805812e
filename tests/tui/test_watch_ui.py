"""``--watch`` in the UI: a saved scenario reloads in place, keeping the trainee's path;
a broken save shows its problems and the call goes on."""

from __future__ import annotations

import os
from pathlib import Path

from simulator.engine.loader import load
from simulator.tui.app import CalmlineApp, create_app
from simulator.tui.screens.call import CallScreen
from simulator.tui.watch import FileWatch
from simulator.tui.widgets.transcript import Said
from tests.tui.driving import CALL, SIZE, answer, screen_text


def _save(path: Path, text: str) -> None:
    before = path.stat().st_mtime_ns
    path.write_text(text)
    os.utime(path, ns=(before + 2_000_000_000, before + 2_000_000_000))


async def _until(pilot: object, check: object, tries: int = 500) -> None:
    for _ in range(tries):
        if check():  # type: ignore[operator]
            return
        await pilot.pause(0.02)  # type: ignore[attr-defined]
    raise AssertionError("the watched file was not picked up")


def _call(app: CalmlineApp) -> CallScreen:
    assert isinstance(app.screen, CallScreen)
    return app.screen


async def test_a_save_reloads_and_replays_the_path(tmp_path: Path) -> None:
    path = tmp_path / "call.yaml"
    path.write_text(CALL.read_text())
    app = create_app(load(path), animation=False, watch=True, poll_seconds=0.02)
    async with app.run_test(size=SIZE) as pilot:
        await answer(pilot, "sorry-ask")
        before = _call(app).attempt
        _save(path, CALL.read_text().replace("Nothing. The light comes on",
                                             "Not a thing. The light comes on"))
        await _until(pilot, lambda: _call(app).attempt is not before)
        attempt = _call(app).attempt
        assert attempt.session.choices_made == ["sorry-ask"]
        assert attempt.prompt().line.startswith("Not a thing.")
        assert list(_call(app).query(Said))[-1].text.startswith("Not a thing.")
        assert before.closed


async def test_a_broken_save_shows_its_problems_and_the_call_goes_on(tmp_path: Path) -> None:
    path = tmp_path / "call.yaml"
    path.write_text(CALL.read_text())
    app = create_app(load(path), animation=False, watch=True, poll_seconds=0.02)
    async with app.run_test(size=SIZE) as pilot:
        await answer(pilot, "sorry-ask")
        problems = _call(app).query_one("#problems")
        _save(path, CALL.read_text().replace("next: sorted", "next: nowhere", 1))
        # Shown, and drawn: the class is set a frame before the text reaches the screen.
        await _until(pilot, lambda: problems.has_class("-shown")
                     and "still playing the last good version" in screen_text(app))
        text = screen_text(app)
        # The full path may wrap anywhere at 80 columns: its name is checked in the panel.
        assert f"{path.name}:" in str(problems.render()) and "nowhere" in text
        assert "still playing the last good version" in text
        await pilot.press("u")  # the call goes on with the last good version
        assert _call(app).attempt.session.turn == 0
        await answer(pilot, "sorry-ask")
        _save(path, CALL.read_text().replace("I'll send a new one by Friday",
                                             "I'll send a new one tomorrow"))
        await _until(pilot, lambda: not problems.has_class("-shown")
                     and "I'll send a new one tomorrow" in screen_text(app))
        attempt = _call(app).attempt
        assert attempt.session.choices_made == ["sorry-ask"]
        assert "I'll send a new one tomorrow" in screen_text(app)


async def test_a_reply_that_no_longer_exists_stops_the_replay(tmp_path: Path) -> None:
    path = tmp_path / "call.yaml"
    path.write_text(CALL.read_text())
    app = create_app(load(path), animation=False, watch=True, poll_seconds=0.02)
    async with app.run_test(size=SIZE) as pilot:
        await answer(pilot, "manual")
        before = _call(app).attempt
        _save(path, CALL.read_text().replace("id: manual", "id: read-the-manual"))
        await _until(pilot, lambda: _call(app).attempt is not before)
        assert _call(app).attempt.session.turn == 0
        await _until(pilot, lambda: any("replayed 0 of 1; 'manual' no longer applies"
                                        in n.message for n in app._notifications))


async def test_a_save_with_many_problems_says_how_many_even_when_the_panel_is_full(
        tmp_path: Path) -> None:
    import re

    path = tmp_path / "call.yaml"
    path.write_text(CALL.read_text())
    app = create_app(load(path), animation=False, watch=True, poll_seconds=0.02)
    async with app.run_test(size=SIZE) as pilot:
        problems = _call(app).query_one("#problems")
        broken = re.sub(r"next: (sorted|facts|opening)\b", r"next: \1-gone", CALL.read_text())
        _save(path, broken)
        await _until(pilot, lambda: problems.has_class("-shown"))
        await pilot.pause()
        count = len(FileWatch(path).reload().problems)
        assert count > 2
        text = " ".join(screen_text(app).split())
        assert f"The saved file has {count} problems" in text  # a cut panel still says


def test_the_problems_text_counts_first_then_lists_a_few() -> None:
    from simulator.engine.problems import Problem
    from simulator.tui.wording import problems_text

    one = [Problem("a.yaml", 3, 5, "no such node")]
    assert problems_text(one, "a.yaml").splitlines() == [
        "The saved file has a problem; still playing the last good version.",
        "a.yaml:3:5: no such node"]
    many = [Problem("a.yaml", n, 1, "bad") for n in range(1, 8)]
    lines = problems_text(many, "a.yaml").splitlines()
    assert lines[0].startswith("The saved file has 7 problems;")
    assert lines[1:3] == ["a.yaml:1:1: bad", "a.yaml:2:1: bad"]
    assert lines[3] == "… and 5 more: calmline lint a.yaml lists all"
