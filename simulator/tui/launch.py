"""What the terminal UI is opened with: one frozen value shared by the CLI and the tests."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from scoring.recording import Mode, RecorderFactory
from simulator.engine.model import Scenario
from simulator.engine.session import Clock

if TYPE_CHECKING:
    from simulator.engine.matching import Matcher


@dataclass(frozen=True)
class Launch:
    """How to open the app. With a scenario it opens the call screen, else the catalogue."""

    scenario: Scenario | None = None
    mode: Mode = Mode.PRACTICE
    seed: int | None = None
    """Seed for the reply order and line variants in practice (default: a fresh one per
    attempt, recorded); certification always draws its own."""
    start: str | None = None
    start_values: Mapping[str, int] | None = None
    trainee: str | None = None
    recorder_factory: RecorderFactory | None = None
    db: str | None = None
    """The results store the trainer report (F4) reads: the one ``--db`` named, else
    ``$CALMLINE_DB`` or the default (the recorder factory writes to the same)."""
    animation: bool = True
    """Type the customer's lines out with a short delay (never blocks input)."""
    typed: bool = False
    """Practice calls are answered in the trainee's own words (an input box, no list)."""
    matcher: Matcher | None = None
    """What typed replies are matched with: the blended matcher of ``--model`` (the CLI
    loads the model folder before the UI opens), else None for the lexical matcher."""
    watch: bool = False
    """Reload the scenario file when it is saved, keeping the trainee's path."""
    library: Path | None = None
    """The folder the catalogue is read from (default: the shipped library)."""
    tick_seconds: float | None = 1.0
    """Real seconds per countdown second; None leaves the countdown to be ticked by hand."""
    poll_seconds: float = 0.5
    """How often a watched file is checked."""
    clock: Clock = time.time
    exit_after_first_frame: bool = False
    """Exit as soon as the first frame is on screen (for start-up benchmarks)."""
    after_first_frame: Callable[[], None] | None = None
    """Called once the first frame is on screen (the CLI resumes garbage collection)."""
