"""Fixtures of the engine tests: the small hand-made scenarios, loaded once per module."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator.engine.loader import load
from simulator.engine.model import Scenario

DATA = Path(__file__).parent.parent / "data"


@pytest.fixture(scope="module")
def tiny() -> Scenario:
    """Two nodes, a conditional hang-up: the smallest useful call."""
    return load(DATA / "tiny.yaml")


@pytest.fixture(scope="module")
def loop() -> Scenario:
    """A looping call with a second variable, a critical choice and a short max-turns guard."""
    return load(DATA / "loop.yaml")
