"""The three named scenarios played through the UI by number keys score exactly as
``calmline run --json`` does for the same choices."""

from __future__ import annotations

import json
from typing import Any

import pytest

from simulator.engine.analysis import analyze
from simulator.library import resolve
from simulator.tui.app import create_app
from simulator.tui.screens.call import CallScreen
from simulator.tui.screens.end import EndScreen
from tests.tui.driving import NAMED, SIZE, key_for, path_by, screen_text


def _paths(name: str) -> list[tuple[str, list[str]]]:
    scenario = resolve(name)
    return [("best", list(analyze(scenario).best.choices)),
            ("always-first", path_by(scenario, 0)),
            ("always-last", path_by(scenario, 99))]


CASES = [pytest.param(name, label, choices, id=f"{name}-{label}")
         for name in NAMED for label, choices in _paths(name)]


@pytest.mark.parametrize(("name", "label", "choices"), CASES)
async def test_ui_score_equals_cli_json(name: str, label: str, choices: list[str],
                                        capsys: pytest.CaptureFixture[str]) -> None:
    from tests.tui.driving import cli_run

    scenario = resolve(name)
    app = create_app(scenario, animation=False)
    async with app.run_test(size=SIZE) as pilot:
        for choice in choices:
            screen = app.screen
            assert isinstance(screen, CallScreen), f"the call ended before {choice!r}"
            await pilot.press(key_for(screen.attempt.session, choice))
        await pilot.pause()
        end = app.screen
        assert isinstance(end, EndScreen)
        card = end.attempt.scorecard
        assert card is not None
        shown = screen_text(app)
        assert f"{card.percent:.0f}% of the best achievable" in shown
        assert ("NOT PASSED" in shown) is not card.passed
        assert app.best[scenario.id] == card.percent

    cli: dict[str, Any] = cli_run(capsys, scenario, choices)
    assert cli["finished"] and cli["ending"]["id"] == card.ending
    assert [s["choice"] for s in cli["steps"]] == choices
    expected = cli["score"]
    got = json.loads(json.dumps(card.to_dict()))
    for key in ("total", "max", "percent", "pass_mark", "passed", "principles", "missed"):
        assert got[key] == expected[key], key
    assert [c.choice for c in card.critical] == expected["critical"]
