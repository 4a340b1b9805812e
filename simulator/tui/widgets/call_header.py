"""CallHeader: one line naming the caller, what they bought and its value; mode and turn."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget


class CallHeader(Widget):
    """Set :attr:`persona` (left, cut with an ellipsis when narrow) and :attr:`progress`."""

    COMPONENT_CLASSES = {"call-header--progress"}

    persona: reactive[str] = reactive("")
    progress: reactive[str] = reactive("")

    def __init__(self, persona: str = "", progress: str = "", *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.set_reactive(CallHeader.persona, persona)
        self.set_reactive(CallHeader.progress, progress)

    def render(self) -> Table:
        grid = Table.grid(expand=True, padding=(0, 0, 0, 2))
        grid.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
        grid.add_column(justify="right", no_wrap=True)
        grid.add_row(Text(self.persona, style="bold"),
                     Text(self.progress, style=self.get_component_rich_style(
                         "call-header--progress", partial=True)))
        return grid
