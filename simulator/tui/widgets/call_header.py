"""CallHeader: one line naming the caller, what they bought and its value; mode and turn."""

from __future__ import annotations

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

    def render(self) -> Text:
        width = self.content_size.width
        right = self.progress
        room = max(0, width - len(right) - 2)
        left = Text(self.persona, style="bold", no_wrap=True)
        left.truncate(room, overflow="ellipsis")
        gap = max(1, width - left.cell_len - len(right))
        return Text.assemble(left, " " * gap, (right, self.get_component_rich_style(
            "call-header--progress", partial=True)), no_wrap=True, overflow="crop")
