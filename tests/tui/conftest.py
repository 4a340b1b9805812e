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
