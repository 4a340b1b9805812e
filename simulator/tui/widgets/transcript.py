"""Transcript: the call so far, scrolling like a chat; customer left, trainee right, labelled."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.reactive import reactive
from textual.timer import Timer
from textual.widget import Widget

from simulator.engine.session import Step
from simulator.tui.wording import reply_text

#: Typing pace of the customer's lines: characters per second, and the longest a line takes.
TYPING_CPS = 220.0
TYPING_MAX_SECONDS = 1.0
TYPING_FRAME = 1 / 30


#: The label of narration: what the agent sees on screen or in the account, said by nobody.
NARRATION = "On screen"


class Said(Widget):
    """One line of the call: who said it, and what (shown in full, or typed out). A line of
    ``narration`` is what the agent sees, said by nobody: labelled, italic, never typed out."""

    shown: reactive[int] = reactive(0, layout=True)

    def __init__(self, speaker: str, text: str, *, customer: bool, typed: bool = False,
                 narration: bool = False) -> None:
        super().__init__(classes="narration" if narration else
                         "customer" if customer else "trainee")
        typed = typed and not narration
        self.speaker = speaker
        self.text = text
        self.typed = typed and bool(text)
        """True when the line was typed out rather than shown at once."""
        self.set_reactive(Said.shown, 0 if self.typed else len(text))
        self._timer: Timer | None = None
        self._step = 1

    @property
    def typing(self) -> bool:
        """True while the line is still being typed out."""
        return self.shown < len(self.text)

    def on_mount(self) -> None:
        if self.typing:
            seconds = min(TYPING_MAX_SECONDS, len(self.text) / TYPING_CPS)
            frames = max(1, int(seconds / TYPING_FRAME))
            self._step = max(1, -(-len(self.text) // frames))
            self._timer = self.set_interval(TYPING_FRAME, self._type)

    def _type(self) -> None:
        self.shown = min(len(self.text), self.shown + self._step)
        if not self.typing:
            self.finish()

    def finish(self) -> None:
        """Show the whole line now."""
        self.shown = len(self.text)
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def render(self) -> Text:
        if self.has_class("narration"):
            return Text.assemble((f"{self.speaker}: ", "bold italic"),
                                 (self.text[: self.shown], "italic"))
        return Text.assemble((f"{self.speaker}: ", "bold"), self.text[: self.shown])


class Transcript(VerticalScroll, can_focus=False):
    """Append lines with :meth:`customer` and :meth:`trainee`, or rebuild with :meth:`show`.

    New lines (and a line growing as it is typed) keep the newest words in view.
    """

    def __init__(self, customer_name: str, steps: Sequence[Step] = (), line: str = "", *,
                 typing: bool = True, narration: str = "", id: str | None = None) -> None:
        super().__init__(id=id)
        self.customer_name = customer_name
        self.typing = typing
        self._initial = (tuple(steps), line, narration)

    def compose(self) -> ComposeResult:
        steps, line, narration = self._initial
        yield from self._lines(steps, line, typed=self.typing and not steps, narration=narration)

    def _lines(self, steps: Sequence[Step], line: str, typed: bool = False,
               narration: str = "") -> list[Said]:
        lines: list[Said] = []
        for step in steps:
            if step.narration:
                lines.append(Said(NARRATION, step.narration, customer=False, narration=True))
            if step.line:
                lines.append(Said(self.customer_name, step.line, customer=True))
            lines.append(Said("You", reply_text(step), customer=False))
        if narration:
            lines.append(Said(NARRATION, narration, customer=False, narration=True))
        if line:
            lines.append(Said(self.customer_name, line, customer=True, typed=typed))
        return lines

    def on_mount(self) -> None:
        self.anchor()

    def customer(self, line: str, *, typed: bool | None = None, narration: str = "") -> None:
        """The customer says ``line`` (typed out when :attr:`typing` is on), after what the
        agent sees on screen (``narration``), if anything."""
        if narration:
            self.mount(Said(NARRATION, narration, customer=False, narration=True))
            self.anchor()
        if line:
            typed = self.typing if typed is None else typed
            self.mount(Said(self.customer_name, line, customer=True, typed=typed))
            self.anchor()

    def trainee(self, step: Step) -> None:
        """The trainee's reply of ``step`` (or the silence of a timed-out turn)."""
        self.finish_typing()
        self.mount(Said("You", reply_text(step), customer=False))
        self.anchor()

    def finish_typing(self) -> None:
        """Show every line in full at once."""
        for said in self.query(Said):
            said.finish()

    def show(self, steps: Sequence[Step], line: str, *, typed: bool = False,
             narration: str = "") -> None:
        """Rebuild the call from its steps, the current narration and customer's line."""
        self.remove_children()
        self.mount_all(self._lines(steps, line, typed=typed and self.typing,
                                   narration=narration))
        self.anchor()
