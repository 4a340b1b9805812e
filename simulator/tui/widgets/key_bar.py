"""KeyBar: the footer line of the keys that work now, and the command palette key.

Textual's own ``Footer`` rebuilds one child widget per key each time the bindings change,
which tripled the time calmline took to draw its first frame; this draws the same line as a
single widget, in the theme's footer colours, and redraws (never rebuilds) on a change.
"""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.widget import Widget


class KeyBar(Widget):
    """Shows the screen's shown bindings; clicking one presses its key."""

    COMPONENT_CLASSES = {"key-bar--key", "key-bar--description", "key-bar--disabled"}

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._spans: list[tuple[int, int, str]] = []

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: object) -> None:
        self.refresh()

    def _entries(self) -> tuple[list[tuple[str, str, str, bool]], tuple[str, str, str] | None]:
        """(key, shown key, description, enabled) per action, and the palette's key."""
        app = self.app
        seen: set[str] = set()
        keys = []
        palette = None
        for key, (_, binding, enabled, _) in self.screen.active_bindings.items():
            if key == app.COMMAND_PALETTE_BINDING and app.ENABLE_COMMAND_PALETTE:
                palette = (key, app.get_key_display(binding), binding.description)
                continue
            if not binding.show or binding.action in seen:
                continue
            seen.add(binding.action)
            keys.append((key, app.get_key_display(binding), binding.description, enabled))
        return keys, palette

    def render(self) -> Text:
        key_style = self.get_component_rich_style("key-bar--key", partial=True)
        text_style = self.get_component_rich_style("key-bar--description", partial=True)
        disabled = self.get_component_rich_style("key-bar--disabled", partial=True)
        keys, palette = self._entries()
        line = Text(no_wrap=True, overflow="crop")
        self._spans = []
        for key, shown, description, enabled in keys:
            start = line.cell_len
            line.append(f" {shown} ", key_style if enabled else disabled)
            line.append(f"{description} ", text_style if enabled else disabled)
            self._spans.append((start, line.cell_len, key))
        if palette is not None:
            key, shown, description = palette
            tail = Text.assemble((f" {shown} ", key_style), (f"{description} ", text_style))
            gap = self.size.width - line.cell_len - tail.cell_len
            if gap >= 1:
                line.append(" " * gap)
                self._spans.append((line.cell_len, line.cell_len + tail.cell_len, key))
                line.append_text(tail)
        return line

    def on_click(self, event: events.Click) -> None:
        for start, end, key in self._spans:
            if start <= event.x < end:
                self.app.simulate_key(key)
                return
