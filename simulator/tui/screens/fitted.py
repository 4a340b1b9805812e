"""Fitted: the mixin every calmline screen uses to show a notice when the terminal is too small."""

from __future__ import annotations

from textual.screen import Screen

from simulator.tui.widgets.too_small import TooSmall
from simulator.tui.wording import fits


class Fitted(Screen):  # type: ignore[type-arg]
    """A screen that hides its content behind :class:`TooSmall` below the minimum size."""

    def on_mount(self) -> None:
        self.mount(TooSmall())
        self.fit()

    def on_resize(self) -> None:
        self.fit()

    def on_screen_resume(self) -> None:
        self.fit()

    def fit(self) -> None:
        """Show the notice or the screen, for the terminal's size now."""
        width, height = self.app.size
        small = not fits(width, height)
        if small != self.has_class("-too-small"):
            self.set_class(small, "-too-small")
            self.refresh_bindings()
