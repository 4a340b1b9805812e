"""FeedbackPanel: after a reply in practice, which principles rose or fell, and why."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from simulator.engine.session import Step
from simulator.tui.wording import change_text, changes, trend


class FeedbackPanel(Widget):
    """Set :attr:`principles` once and :attr:`step` after each reply (None hides it)."""

    COMPONENT_CLASSES = {"feedback-panel--rose", "feedback-panel--fell",
                         "feedback-panel--critical"}

    step: reactive[Step | None] = reactive(None)

    def __init__(self, principles: Sequence[str], step: Step | None = None, *,
                 id: str | None = None) -> None:
        super().__init__(id=id)
        self.principles = tuple(principles)
        self.set_reactive(FeedbackPanel.step, step)
        self.display = step is not None

    def watch_step(self, step: Step | None) -> None:
        self.display = step is not None
        self.scroll_home(animate=False)

    def render(self) -> RenderableType:
        step = self.step
        if step is None:
            return Text()
        rose = self.get_component_rich_style("feedback-panel--rose", partial=True)
        fell = self.get_component_rich_style("feedback-panel--fell", partial=True)
        lines: list[RenderableType] = []
        if step.timed_out:
            lines.append(Text("Time ran out: the customer heard silence.", style="bold"))
        if step.critical:
            lines.append(Text("✖ CRITICAL: a reply that is never acceptable on a call.",
                              style=self.get_component_rich_style("feedback-panel--critical",
                                                                  partial=True)))
        moved = changes(step, self.principles)
        chips = [Text(change_text(name, delta), style=rose if delta > 0 else fell)
                 for name, delta in moved]
        if not moved:
            chips.append(Text("No principle moved.", style="italic"))
        anger_before = step.values_before.get("anger")
        anger_after = step.values.get("anger")
        if anger_before is not None and anger_after is not None:
            chips.append(Text(f"Anger {trend(anger_before, anger_after)}"))
        lines.append(Chips(chips))
        if step.gains_counted_before:
            lines.append(Text("Said before on this call: what it gained counted the first "
                              "time only; what it costs counts every time.", style="italic"))
        lines.append(Text(" ".join(step.feedback.split())))
        return Group(*lines)


class Chips:
    """Short texts in a row, three spaces apart; one that does not fit the line starts the
    next, so a change such as ``Anger ▼ -10`` is never broken in two."""

    GAP = "   "

    def __init__(self, chips: Sequence[Text]) -> None:
        self.chips = list(chips)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = options.max_width
        line = Text()
        for chip in self.chips:
            if line and line.cell_len + len(self.GAP) + chip.cell_len > width:
                yield line
                line = Text()
            if line:
                line.append(self.GAP)
            line.append_text(chip)
        yield line
