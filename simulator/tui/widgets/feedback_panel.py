"""FeedbackPanel: after a reply in practice, which principles rose or fell, and why."""

from __future__ import annotations

from collections.abc import Sequence

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

    def render(self) -> Text:
        step = self.step
        if step is None:
            return Text()
        rose = self.get_component_rich_style("feedback-panel--rose", partial=True)
        fell = self.get_component_rich_style("feedback-panel--fell", partial=True)
        parts: list[str | tuple[str, object]] = []
        if step.timed_out:
            parts.append(("Time ran out: the customer heard silence.\n", "bold"))
        if step.critical:
            parts.append(("✖ CRITICAL: a reply that is never acceptable on a call.\n",
                          self.get_component_rich_style("feedback-panel--critical",
                                                        partial=True)))
        moved = changes(step, self.principles)
        for i, (name, delta) in enumerate(moved):
            parts.append(("   " if i else "", ""))
            parts.append((change_text(name, delta), rose if delta > 0 else fell))
        if not moved:
            parts.append(("No principle moved.", "italic"))
        anger_before = step.values_before.get("anger")
        anger_after = step.values.get("anger")
        if anger_before is not None and anger_after is not None:
            parts.append((f"   Anger {trend(anger_before, anger_after)}", ""))
        parts.append(("\n" + " ".join(step.feedback.split()), ""))
        return Text.assemble(*parts)  # type: ignore[arg-type]
