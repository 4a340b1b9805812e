"""AngerMeter: the customer's anger as a gauge, a number, a word, and its last change."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from simulator.tui.wording import ANGER_WORDS, anger_word, gauge, share, trend

LABEL = "Anger "


class AngerMeter(Widget):
    """Set :attr:`value` (and :attr:`previous`, the value before the last reply)."""

    COMPONENT_CLASSES = {"anger-meter--bar", "anger-meter--word", "anger-meter--trend"}

    value: reactive[int] = reactive(0)
    previous: reactive[int | None] = reactive(None)

    def __init__(self, low: int = 0, high: int = 100, value: int = 0,
                 previous: int | None = None, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.low = low
        self.high = high
        self.set_reactive(AngerMeter.value, value)
        self.set_reactive(AngerMeter.previous, previous)
        self._classes_now()

    @property
    def word(self) -> str:
        """The anger in one word."""
        return anger_word(self.value, self.low, self.high)

    def _classes_now(self) -> None:
        for _, word in ANGER_WORDS:
            self.set_class(word == self.word, f"-{word}")
        moved = self.previous is not None and self.previous != self.value
        self.set_class(moved and self.value > (self.previous or 0), "-rising")
        self.set_class(moved and self.value < (self.previous or 0), "-falling")

    def watch_value(self) -> None:
        self._classes_now()

    def watch_previous(self) -> None:
        self._classes_now()

    def render(self) -> Text:
        number = f" {self.value:>3} {self.word:<9}"
        moved = (trend(self.previous, self.value) if self.previous is not None
                 else "")
        room = self.size.width - len(LABEL) - len(number) - len(moved) - 1
        bar = gauge(share(self.value, self.low, self.high), max(4, min(30, room)))
        return Text.assemble(
            (LABEL, "bold"),
            (bar, self.get_component_rich_style("anger-meter--bar", partial=True)),
            (number, self.get_component_rich_style("anger-meter--word", partial=True)),
            " ",
            (moved, self.get_component_rich_style("anger-meter--trend", partial=True)),
        )
