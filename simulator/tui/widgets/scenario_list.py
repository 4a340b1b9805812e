"""ScenarioList: the catalogue as a list: title, difficulty, principles, best score so far."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from textual import on
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import OptionList
from textual.widgets.option_list import Option as Item

from scoring.rubric import CORE
from simulator.engine.model import Scenario
from simulator.tui.wording import best_text, principle_name


def _row(scenario: Scenario, best: Mapping[str, float]) -> Content:
    names = " · ".join(principle_name(p) for p in scenario.principles if p not in CORE)
    names = f"core three + {names}" if names else "the core three principles"
    return Content.assemble(
        (scenario.title, "bold"), f"  [{scenario.difficulty}]  ",
        (best_text(best, scenario.id), "italic"), "\n", (names, "dim"),
    )


class ScenarioList(OptionList):
    """Set :attr:`scenarios` (already filtered) and :attr:`best`; listen for ``Picked``."""

    scenarios: reactive[tuple[Scenario, ...]] = reactive((), init=False, always_update=True)
    best: reactive[Mapping[str, float]] = reactive(dict, init=False, always_update=True)

    class Picked(Message):
        """The trainee chose a scenario to play."""

        def __init__(self, scenario: Scenario) -> None:
            super().__init__()
            self.scenario = scenario

    def _fill(self) -> None:
        keep = self.current
        self.set_options(Item(_row(s, self.best), id=s.id) for s in self.scenarios)
        ids = [s.id for s in self.scenarios]
        self.highlighted = (ids.index(keep.id) if keep and keep.id in ids
                            else (0 if ids else None))

    def watch_scenarios(self, scenarios: Sequence[Scenario]) -> None:
        self._fill()

    def watch_best(self, best: Mapping[str, float]) -> None:
        self._fill()

    @property
    def current(self) -> Scenario | None:
        """The highlighted scenario."""
        if self.highlighted is None or not 0 <= self.highlighted < len(self.scenarios):
            return None
        return self.scenarios[self.highlighted]

    def pick(self) -> bool:
        """Pick the highlighted scenario; False if the list is empty."""
        if self.current is None:
            return False
        self.post_message(self.Picked(self.current))
        return True

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.pick()
