"""Countdown: the seconds left for this reply in certification; expires into silence."""

from __future__ import annotations

from rich.text import Text
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from simulator.tui.wording import clock_text, gauge

URGENT_SECONDS = 10


class Countdown(Widget):
    """Counts :attr:`remaining` down by :meth:`tick`; posts :class:`Countdown.Expired` at 0."""

    remaining: reactive[int] = reactive(0)
    total: reactive[int] = reactive(0)

    class Expired(Message):
        """The time for this reply ran out."""

    def __init__(self, seconds: int = 0, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.set_reactive(Countdown.total, seconds)
        self.set_reactive(Countdown.remaining, seconds)
        self.set_class(0 < seconds <= URGENT_SECONDS, "-urgent")

    def reset(self, seconds: int) -> None:
        """Start counting from ``seconds`` again."""
        self.total = seconds
        self.remaining = seconds

    def tick(self) -> None:
        """One second passed."""
        if self.remaining <= 0:
            return
        self.remaining -= 1
        if self.remaining == 0:
            self.post_message(self.Expired())

    def watch_remaining(self, remaining: int) -> None:
        self.set_class(0 < remaining <= URGENT_SECONDS, "-urgent")

    def render(self) -> Text:
        label = f"Time to reply {clock_text(self.remaining)} "
        room = max(4, min(30, self.size.width - len(label)))
        fraction = self.remaining / self.total if self.total else 0.0
        return Text.assemble((label, "bold"), gauge(fraction, room))
