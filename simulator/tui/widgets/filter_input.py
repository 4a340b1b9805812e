"""FilterInput: the catalogue's filter box, where Enter starts the highlighted call."""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets import Input


class FilterInput(Input):
    """An input whose Enter (shown in the key bar as "Start") submits after every key typed
    before it, so a fast "law⏎" filters first and starts second."""

    BINDINGS = [Binding("enter", "submit", "Start", key_display="⏎",
                        tooltip="Start the highlighted call")]
