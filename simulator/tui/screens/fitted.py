"""Fitted: the mixin every calmline screen uses to show a notice when the terminal is too small."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.widget import Widget

from simulator.tui.widgets.too_small import TooSmall
from simulator.tui.wording import fits

if TYPE_CHECKING:
    from textual.screen import Screen

    _Base = Screen[Any]
else:
    _Base = object


class Fitted(_Base):
    """Mix into a screen (before the screen class) to hide its content behind
    :class:`TooSmall` below the minimum size. A plain mixin, so the screen class's own
    default styles (a modal's dimmed background) still apply."""

    def on_mount(self) -> None:
        self.fit()

    def on_resize(self) -> None:
        self.fit()

    def on_screen_resume(self) -> None:
        self.fit()

    _focus_when_small: Widget | None = None

    def fit(self) -> None:
        """Show the notice or the screen, for the terminal's size now. Hiding the screen's
        content takes the focus away, so it is given back to the same widget when the
        terminal grows again (else the keys the footer shows, such as Enter, do nothing)."""
        width, height = self.app.size
        small = not fits(width, height)
        if small and not self.query(TooSmall):
            self.mount(TooSmall())
        if small != self.has_class("-too-small"):
            if small:
                self._focus_when_small = self.focused
            self.set_class(small, "-too-small")
            if not small:
                self.call_after_refresh(self._refocus)
            self.refresh_bindings()

    def _refocus(self) -> None:
        widget, self._focus_when_small = self._focus_when_small, None
        if self.focused is not None:
            return
        if widget is not None and widget.is_attached and widget.focusable:
            widget.focus()
        else:
            self.focus_next()
