"""Fixtures of the terminal UI tests."""

from __future__ import annotations

import pytest

from simulator.engine.model import Scenario
from tests.tui.driving import SpyFactory, blender


@pytest.fixture
def scenario() -> Scenario:
    """The small timed fixture scenario."""
    return blender()


@pytest.fixture
def spies() -> SpyFactory:
    """A recorder factory that keeps its recorders for inspection."""
    return SpyFactory()


@pytest.fixture(autouse=True)
def fixed_attempt_seed(monkeypatch: pytest.MonkeyPatch) -> int:
    """Practice draws a fresh seed per attempt (it sets the reply order); the UI tests pin it
    to 0 so the order on screen is known. A test may pin another."""
    monkeypatch.setattr("simulator.training.modes.certification_seed", lambda: 0)
    return 0
