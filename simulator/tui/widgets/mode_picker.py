"""ModePicker: practice or certification, and (in practice) replies picked from a list or
typed in the trainee's own words; shown with what each means; click or key to switch."""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from scoring.recording import Mode
from simulator.tui.wording import MODE_HELP, MODE_LABELS, TYPED_HELP, TYPED_IN_CERTIFICATION


class ModePicker(Widget):
    """Set :attr:`mode` and :attr:`typed`; clicking the mode line switches the mode, clicking
    the replies line turns typed replies on or off; each posts :class:`ModePicker.Changed`."""

    mode: reactive[Mode] = reactive(Mode.PRACTICE, layout=True)
    typed: reactive[bool] = reactive(False, layout=True)
    """Typed replies chosen (they apply to practice only; the choice is kept meanwhile)."""

    class Changed(Message):
        """The trainee switched the mode, or turned typed replies on or off."""

        def __init__(self, mode: Mode, typed: bool = False) -> None:
            super().__init__()
            self.mode = mode
            self.typed = typed

    @property
    def typing(self) -> bool:
        """True when the call started now is answered in typed words."""
        return self.typed

    def switch(self) -> None:
        """Move to the other mode."""
        self.mode = Mode.CERTIFICATION if self.mode == Mode.PRACTICE else Mode.PRACTICE
        self.post_message(self.Changed(self.mode, self.typed))

    def toggle_typed(self) -> bool:
        """Turn typed replies on or off (in either mode); True (it always can)."""
        self.typed = not self.typed
        self.post_message(self.Changed(self.mode, self.typed))
        return True

    def on_click(self, event: events.Click) -> None:
        if event.y == 1:
            self.toggle_typed()
        else:
            self.switch()

    def render(self) -> Text:
        parts: list[str | tuple[str, str]] = [("Mode    ", "bold")]
        for mode in MODE_LABELS:
            mark = "(•)" if mode == self.mode else "( )"
            parts.append((f" {mark} {MODE_LABELS[mode]} ", "bold" if mode == self.mode
                          else ""))
        parts.append(("\nReplies ", "bold"))
        for typed, label in ((False, "From a list"), (True, "Typed, in your own words")):
            mark = "(•)" if typed == self.typed else "( )"
            parts.append((f" {mark} {label} ", "bold" if typed == self.typed else ""))
        typed_help = TYPED_IN_CERTIFICATION if self.mode == Mode.CERTIFICATION else TYPED_HELP
        help_line = MODE_HELP[self.mode] + (f" {typed_help}" if self.typing else "")
        parts.append(("\n" + help_line, "italic"))
        return Text.assemble(*parts)
