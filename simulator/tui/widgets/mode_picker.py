"""ModePicker: practice or certification, shown with what each means; click or key to switch."""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from scoring.recording import Mode
from simulator.tui.wording import MODE_HELP, MODE_LABELS


class ModePicker(Widget):
    """Set :attr:`mode`; clicking switches it and posts :class:`ModePicker.Changed`."""

    mode: reactive[Mode] = reactive(Mode.PRACTICE)

    class Changed(Message):
        """The trainee switched mode."""

        def __init__(self, mode: Mode) -> None:
            super().__init__()
            self.mode = mode

    def switch(self) -> None:
        """Move to the other mode."""
        self.mode = Mode.CERTIFICATION if self.mode == Mode.PRACTICE else Mode.PRACTICE
        self.post_message(self.Changed(self.mode))

    def on_click(self, event: events.Click) -> None:
        self.switch()

    def render(self) -> Text:
        parts: list[str | tuple[str, str]] = [("Mode ", "bold")]
        for mode in MODE_LABELS:
            mark = "(•)" if mode == self.mode else "( )"
            parts.append((f" {mark} {MODE_LABELS[mode]} ", "bold" if mode == self.mode
                          else ""))
        parts.append(("\n" + MODE_HELP[self.mode], "italic"))
        return Text.assemble(*parts)
