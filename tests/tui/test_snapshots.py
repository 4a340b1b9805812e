"""Snapshots of the screens at 80x24, by feature. Regenerate with ``pytest --snapshot-update``
(and look at them); never edit one by hand."""

from __future__ import annotations

from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from scoring.recording import Mode
from simulator.engine.session import Session
from simulator.tui.app import create_app
from tests.tui.driving import LIBRARY, SIZE, blender, key_for, settle


async def _steady(pilot: Pilot[Any]) -> None:
    """The library read, and no blinking cursor in the picture."""
    await settle(pilot)
    for field in pilot.app.screen.query(Input):
        field.cursor_blink = False
    await pilot.pause()


def test_home(snap_compare: Any) -> None:
    app = create_app(animation=False, library=LIBRARY)
    assert snap_compare(app, terminal_size=SIZE, run_before=_steady)


def keys(*choices: str, seed: int = 0) -> list[str]:
    """The number keys that give ``choices`` in turn, in the order drawn from ``seed``."""
    session = Session(blender(), seed=seed, shuffle=True)
    out = []
    for choice in choices:
        out.append(key_for(session, choice))
        session.choose(choice)
    return out


def test_call_with_feedback(snap_compare: Any) -> None:
    app = create_app(blender(), animation=False, seed=0)
    assert snap_compare(app, terminal_size=SIZE, press=keys("sorry-ask"))


def test_end(snap_compare: Any) -> None:
    app = create_app(blender(), animation=False, seed=0)
    assert snap_compare(app, terminal_size=SIZE, press=keys("manual", "policy"))


def test_certification_call(snap_compare: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    # seed 9 offers sorry-ask first: the snapshot shows the call going on, without feedback
    monkeypatch.setattr("simulator.training.modes.certification_seed", lambda: 9)
    app = create_app(blender(), mode=Mode.CERTIFICATION, trainee="Ann Lee", animation=False,
                     tick_seconds=None)
    assert snap_compare(app, terminal_size=SIZE, press=["1"])


def test_leave_dialog(snap_compare: Any) -> None:
    app = create_app(blender(), animation=False, seed=0)
    assert snap_compare(app, terminal_size=SIZE, press=[*keys("sorry-ask"), "q"])


def test_tree(snap_compare: Any) -> None:
    app = create_app(animation=False, library=LIBRARY)

    async def tree(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("f3")

    assert snap_compare(app, terminal_size=SIZE, run_before=tree)


def test_too_small(snap_compare: Any) -> None:
    app = create_app(blender(), animation=False)
    assert snap_compare(app, terminal_size=(40, 10))


def test_typed_did_you_mean(snap_compare: Any) -> None:
    from simulator import library

    app = create_app(library.resolve("vulgar-caller"), animation=False, typed=True)

    async def asked(pilot: Pilot[Any]) -> None:
        await _steady(pilot)
        pilot.app.screen.query_one("#typed", Input).value = "sorry"
        await pilot.press("enter")
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=asked)


def test_home_typed(snap_compare: Any) -> None:
    """The catalogue with typed replies chosen for practice (F5)."""
    app = create_app(animation=False, library=LIBRARY)

    async def typed(pilot: Pilot[Any]) -> None:
        await _steady(pilot)
        await pilot.press("f5")

    assert snap_compare(app, terminal_size=SIZE, run_before=typed)
