"""Every shipped scenario finished in typed words in the call screen (Pilot, 80x24): at each
turn the best reply typed as a trainee would put it (a labelled text or an example, never the
written wording), "did you mean" answered with the number of the reply meant, a first reply
that is not recognised said another way; the end screen shows what was typed, turn by turn."""

from __future__ import annotations

from typing import Any

import pytest
from textual.widgets import Input

from simulator import library
from simulator.engine.session import PROMPTED, UNDERSTOOD
from simulator.tui.app import create_app
from simulator.tui.screens.end import EndScreen
from simulator.tui.screens.typed_call import DID_YOU_MEAN, REPHRASE, TypedCallScreen
from simulator.tui.widgets.choice_list import ChoiceList
from tests.training.typed_play import own_words
from tests.tui.driving import SIZE, screen_text

SHIPPED = sorted(library.catalogue().scenarios)
NOT_RECOGNISED = "banana helicopter"


async def send(pilot: Any, text: str) -> None:
    """Put ``text`` in the reply box and press Enter."""
    pilot.app.screen.query_one("#typed", Input).value = text
    await pilot.press("enter")  # waits until the screen has handled it


def hint(screen: TypedCallScreen) -> str:
    return str(screen.query_one("#typed-hint").render())


def test_the_library_is_all_here() -> None:
    assert len(SHIPPED) >= 15 and "vulgar-caller" in SHIPPED


@pytest.mark.parametrize("scenario_id", SHIPPED)
async def test_every_shipped_scenario_is_finished_by_typing(scenario_id: str) -> None:
    scenario = library.resolve(scenario_id)
    app = create_app(scenario, animation=False, typed=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, TypedCallScreen)
        session = screen.attempt.session
        await send(pilot, NOT_RECOGNISED)
        assert hint(screen) == REPHRASE and session.turn == 0
        asked, sent = [], []
        while not screen.attempt.finished:
            words = own_words(scenario, scenario.nodes[session.state])
            turn = session.turn
            await send(pilot, words.text)
            if words.asked:
                assert hint(screen) == DID_YOU_MEAN and session.turn == turn
                offered = [o.id for o in screen.query_one(ChoiceList).replies]
                assert offered[words.number - 1] == words.choice.id
                await pilot.press(str(words.number))
            asked.append(words.asked)
            sent.append(words.text)
            assert session.turn == turn + 1
            assert session.choices_made[-1] == words.choice.id
        await pilot.pause()
        end = app.screen
        assert isinstance(end, EndScreen) and end.attempt.typed
        assert [s.match for s in session.log] == [PROMPTED if a else UNDERSTOOD for a in asked]
        assert [s.typed for s in session.log] == [" ".join(t.split()) for t in sent]
        assert "Call ended:" in screen_text(app)
        assert end.attempt.scorecard is not None and end.attempt.scorecard.finished
