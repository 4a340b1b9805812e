"""Countdown: the seconds left for this reply in certification; expires into silence."""

from __future__ import annotations

from rich.text import Text
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from simulator.engine.moments import clock_text
from simulator.tui.wording import gauge

URGENT_SECONDS = 10
#: The longest the countdown of one reply pauses while the replies are hidden (a terminal too
#: small to show them): enough to resize a window, not a way to buy unlimited thinking time.
MAX_PAUSE_SECONDS = 60


class Countdown(Widget):
    """Counts :attr:`remaining` down by :meth:`tick`; posts :class:`Countdown.Expired` at 0."""

    remaining: reactive[int] = reactive(0)
    total: reactive[int] = reactive(0)

    class Expired(Message):
        """The time for the reply to the prompt numbered :attr:`prompt` ran out."""

        def __init__(self, prompt: int | None) -> None:
            super().__init__()
            self.prompt = prompt

    def __init__(self, seconds: int = 0, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.set_reactive(Countdown.total, seconds)
        self.set_reactive(Countdown.remaining, seconds)
        self.set_class(0 < seconds <= URGENT_SECONDS, "-urgent")
        #: The prompt this countdown times (an :attr:`Attempt.prompt_id`).
        self.prompt: int | None = None
        self.paused_seconds = 0

    def reset(self, seconds: int, prompt: int | None = None) -> None:
        """Start counting from ``seconds`` again, for the prompt numbered ``prompt``."""
        self.total = seconds
        self.remaining = seconds
        self.prompt = prompt
        self.paused_seconds = 0

    def tick(self, hidden: bool = False) -> None:
        """One second passed. While the replies are ``hidden`` it does not count, for at most
        :data:`MAX_PAUSE_SECONDS` per reply."""
        if self.remaining <= 0:
            return
        if hidden and self.paused_seconds < MAX_PAUSE_SECONDS:
            self.paused_seconds += 1
            return
        self.remaining -= 1
        if self.remaining == 0:
            self.post_message(self.Expired(self.prompt))

    def watch_remaining(self, remaining: int) -> None:
        self.set_class(0 < remaining <= URGENT_SECONDS, "-urgent")

    def render(self) -> Text:
        label = f"Time to reply {clock_text(self.remaining)} "
        room = max(4, min(30, self.size.width - len(label)))
        fraction = self.remaining / self.total if self.total else 0.0
        return Text.assemble((label, "bold"), gauge(fraction, room))
