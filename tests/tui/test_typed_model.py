"""The typed call screen with a model (``play --typed --model``): the matcher the launch
carries is the one the call uses, and a reply in other words is understood by meaning."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input

from simulator.engine.embedding import load_matcher
from simulator.tui.app import create_app
from simulator.tui.screens.typed_call import TypedCallScreen
from tests.tui.driving import SIZE, blender
from tests.typed.toy_model import write_model


@pytest.mark.parametrize("with_model", [True, False])
async def test_the_launch_matcher_answers_a_paraphrase(tmp_path: Path,
                                                       with_model: bool) -> None:
    matcher = load_matcher(write_model(tmp_path / "model"))[0] if with_model else None
    app = create_app(blender(), animation=False, typed=True, matcher=matcher)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = pilot.app.screen
        assert isinstance(screen, TypedCallScreen)
        assert (screen.typed.matcher is matcher) == with_model
        box = screen.query_one("#typed", Input)
        for text in ("I'm sorry, what happens when you switch it on?",
                     "It's broken, I'll post you a replacement before the weekend"):
            box.value = text
            await pilot.press("enter")
            await pilot.pause()
        made = screen.attempt.session.choices_made
        assert made == (["sorry-ask", "swap"] if with_model else ["sorry-ask"])


async def test_certification_in_the_same_app_matches_without_the_model(tmp_path: Path) -> None:
    """A call certified from the catalogue of an app opened with a model is matched as every
    trainee's is: without it."""
    from scoring.recording import Mode

    matcher = load_matcher(write_model(tmp_path / "model"))[0]
    app = create_app(blender(), animation=False, typed=True, matcher=matcher, trainee="Ann")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert pilot.app.screen.typed.matcher is matcher
        pilot.app.start_call(blender(), Mode.CERTIFICATION)
        await pilot.pause()
        screen = pilot.app.screen
        assert isinstance(screen, TypedCallScreen) and screen.attempt.certifying
        assert screen.typed.matcher is not matcher
        assert type(screen.typed.matcher.ranker).__name__ == "LexicalRanker"
