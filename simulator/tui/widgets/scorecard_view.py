"""ScorecardView: the verdict and one bar per principle of a scored call."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from scoring.scorer import NOTHING_TO_EARN
from simulator.tui.wording import gauge, verdict

if TYPE_CHECKING:
    from scoring.scorer import Scorecard

BAR_WIDTH = 20


class ScorecardView(Widget):
    """Set :attr:`card` to show it."""

    COMPONENT_CLASSES = {"scorecard-view--passed", "scorecard-view--failed",
                         "scorecard-view--bar"}

    card: reactive[Scorecard | None] = reactive(None)

    def __init__(self, card: Scorecard | None = None, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.set_reactive(ScorecardView.card, card)

    def render(self) -> Group | Text:
        card = self.card
        if card is None:
            return Text()
        head = verdict(card.percent, card.total, card.max, card.pass_mark, card.passed,
                       card.finished)
        style = self.get_component_rich_style(
            "scorecard-view--passed" if card.passed else "scorecard-view--failed",
            partial=True)
        bar_style = self.get_component_rich_style("scorecard-view--bar", partial=True)
        table = Table.grid(padding=(0, 1))
        table.add_column(no_wrap=True)
        table.add_column(no_wrap=True)
        table.add_column(justify="right", no_wrap=True)
        table.add_column(justify="right", no_wrap=True)
        for p in card.principles:
            fraction = 0.0 if p.nothing_to_earn else p.percent / 100
            table.add_row(p.name, Text(gauge(fraction, BAR_WIDTH), style=bar_style),
                          f"{p.earned}/{p.best}",
                          NOTHING_TO_EARN if p.nothing_to_earn else f"{p.percent:.0f}%")
        parts: list[Text | Table] = [Text.assemble((head.word, style), "  ", head.detail),
                                     table]
        for c in card.critical:
            parts.append(Text(f"✖ Critical reply on turn {c.turn} ({c.choice}): "
                              "this alone fails the attempt.", style=style))
        return Group(*parts)
