"""CallHeader: one line naming the caller, what they bought and its value; mode and turn."""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget


class CallHeader(Widget):
    """Set :attr:`persona` (left) and :attr:`progress` (right). When the line is too narrow
    the persona's middle parts (between its first and last ``" · "``: the product) are cut
    with an ellipsis first, so the caller's name and the order value stay whole."""

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
        left = Text(_fit(self.persona, room), style="bold", no_wrap=True)
        left.truncate(room, overflow="ellipsis")
        gap = max(1, width - left.cell_len - len(right))
        return Text.assemble(left, " " * gap, (right, self.get_component_rich_style(
            "call-header--progress", partial=True)), no_wrap=True, overflow="crop")


def _fit(persona: str, room: int) -> str:
    """``persona`` in ``room`` cells if it can be done by shortening its middle parts."""
    if cell_len(persona) <= room:
        return persona
    first, sep, rest = persona.partition(" · ")
    middle, sep2, last = rest.rpartition(" · ")
    if not sep or not sep2:
        return persona
    spare = room - cell_len(first) - cell_len(last) - 2 * len(sep)
    if spare < 4:
        return persona
    cut = Text(middle)
    cut.truncate(spare, overflow="ellipsis")
    return f"{first}{sep}{cut.plain}{sep2}{last}"
