"""The feedback panel explains a reply said again round a loop: its gains counted once."""

from __future__ import annotations

from pathlib import Path

from simulator.engine.loader import load
from simulator.tui.app import create_app
from tests.engine.test_fair_scoring import LOOPED
from tests.tui.driving import SIZE, key_for, screen_text

LOOP = Path(__file__).parents[1] / "data" / "recovery-loop.yaml"
NOTE = "Said before on this call"


async def test_a_reply_said_again_says_why_it_gained_nothing() -> None:
    app = create_app(load(LOOP), animation=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        for n, choice in enumerate(LOOPED[:4], 1):
            await pilot.press(key_for(screen.attempt.session, choice))  # type: ignore[attr-defined]
            await pilot.pause()
            shown = NOTE in " ".join(screen_text(app).split())
            assert shown == (n == 4), (n, choice)  # only the second apology gained nothing
