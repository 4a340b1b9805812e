"""TooSmall: the notice shown instead of a screen when the terminal is below the minimum."""

from __future__ import annotations

from textual.widgets import Static

from simulator.tui.wording import MIN_HEIGHT, MIN_WIDTH


class TooSmall(Static):
    """Says how large the terminal needs to be; shown by the screens' ``-too-small`` class."""

    def __init__(self) -> None:
        super().__init__(f"The terminal is too small for calmline.\n"
                         f"Please make it at least {MIN_WIDTH}×{MIN_HEIGHT}.")
