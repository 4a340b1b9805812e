"""Shared fixtures: paths to test data and a fixed clock."""

from __future__ import annotations

from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).parent.parent


@pytest.fixture
def data_dir() -> Path:
    """The folder of test scenario files."""
    return DATA


class FakeClock:
    """A clock that advances one second per reading, from a fixed epoch."""

    def __init__(self, start: float = 1_800_000_000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        self.now += 1.0
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    """A deterministic clock for sessions."""
    return FakeClock()
