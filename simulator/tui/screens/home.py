"""HomeScreen: the scenario catalogue, filtered by typing, and the choice of mode."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Input, OptionList, Static

from scoring.recording import Mode
from simulator.engine.model import Scenario
from simulator.engine.problems import Problem
from simulator.tui.screens.fitted import Fitted
from simulator.tui.widgets.filter_input import FilterInput
from simulator.tui.widgets.key_bar import KeyBar
from simulator.tui.widgets.mode_picker import ModePicker
from simulator.tui.widgets.scenario_list import ScenarioList
from simulator.tui.wording import filter_scenarios, money, sort_catalogue

if TYPE_CHECKING:
    from simulator.library import Catalogue


class HomeScreen(Fitted, Screen[None]):
    """Lists the library; starting a scenario is left to the app."""

    VERTICAL_BREAKPOINTS = [(0, "-short"), (24, "-tall")]
    """Below 24 rows the summary gives up lines to the list (it scrolls when longer)."""

    BINDINGS = [
        Binding("up", "move(-1)", "Move", show=False),
        Binding("down", "move(1)", "Move", show=False),
        Binding("f2", "switch_mode", "Mode", tooltip="Switch between practice and certification"),
        Binding("f5", "toggle_typed", "Typed",
                tooltip="Typed replies on or off: answer in your own words"),
        Binding("f3", "tree", "Tree", tooltip="Show the highlighted scenario as a tree"),
        Binding("f1", "app.help", "Help", tooltip="Keys, modes and how scoring works"),
        Binding("escape", "clear_or_quit", "Quit", key_display="esc",
                tooltip="Clear the filter, or quit when it is empty"),
    ]

    class CallPicked(Message):
        """The trainee chose a scenario to play, in a mode (``typed``: answered in their own
        words; practice only)."""

        def __init__(self, scenario: Scenario, mode: Mode, typed: bool = False) -> None:
            super().__init__()
            self.scenario = scenario
            self.mode = mode
            self.typed = typed

    def __init__(self, mode: Mode = Mode.PRACTICE, library: Path | None = None,
                 best: Mapping[str, float] | None = None, *, typed: bool = False) -> None:
        super().__init__()
        self.mode = mode
        self.typed = typed
        """Typed replies chosen; they apply to practice calls only."""
        self.library = library
        self.best: Mapping[str, float] = best if best is not None else {}
        """The best percentage per scenario id so far (the app's, read on every return)."""
        self.scenarios: list[Scenario] = []
        self.problems: list[Problem] = []
        self.loaded = False
        """True once the library has been read."""

    def compose(self) -> ComposeResult:
        yield Static("calmline · practise the hardest calls before they are real", id="title")
        yield ModePicker(id="mode")
        yield FilterInput(placeholder="Type to filter: a title, a principle, a difficulty…",
                          id="filter", compact=True)
        listing = ScenarioList(id="catalogue")
        listing.border_title = "Scenarios"
        yield listing
        with VerticalScroll(id="summary-box", can_focus=False):
            yield Static(id="summary")
        yield KeyBar()

    def on_mount(self) -> None:
        picker = self.query_one(ModePicker)
        picker.mode, picker.typed = self.mode, self.typed
        self.query_one("#summary", Static).update("Loading the scenario library…")
        self.query_one(Input).focus()
        self._load()

    @work(thread=True, exclusive=True, group="catalogue")
    def _load(self) -> None:
        """Read and validate the library off the UI thread; the screen is usable meanwhile."""
        from simulator import library

        found = library.catalogue(self.library)
        self.app.call_from_thread(self._loaded, found)

    def _loaded(self, found: Catalogue) -> None:
        self.scenarios = sort_catalogue(found.scenarios.values())
        self.problems = list(found.problems)
        self.loaded = True
        self._refilter()
        if self.problems:
            first = self.problems[0]
            more = f" (and {len(self.problems) - 1} more)" if len(self.problems) > 1 else ""
            self.notify(f"{first}{more}", title="A scenario file could not be loaded",
                        severity="warning", timeout=8)

    def on_screen_resume(self) -> None:
        self.query_one(ScenarioList).best = dict(self.best)

    def _refilter(self) -> None:
        listing = self.query_one(ScenarioList)
        listing.best = dict(self.best)
        listing.scenarios = tuple(filter_scenarios(self.scenarios,
                                                   self.query_one(Input).value))
        self._describe()

    def _describe(self) -> None:
        current = self.query_one(ScenarioList).current
        summary = self.query_one("#summary", Static)
        if current is None:
            summary.update("No scenario matches the filter." if self.scenarios
                           else "The library is empty." if self.loaded
                           else "Loading the scenario library…")
            return
        p = current.persona
        summary.update(Text.assemble(
            (f"{p.name}, {p.product}, {money(p.order_value, p.currency)}. ", "bold"),
            " ".join(current.summary.split())))

    @on(Input.Changed, "#filter")
    def _filter_changed(self) -> None:
        self._refilter()

    @on(OptionList.OptionHighlighted, "#catalogue")
    def _highlighted(self) -> None:
        self._describe()

    @on(Input.Submitted, "#filter")
    def action_start(self) -> None:
        """Start the highlighted scenario (of the filter as typed so far)."""
        self._refilter()
        self.query_one(ScenarioList).pick()

    @on(ScenarioList.Picked)
    def _picked(self, event: ScenarioList.Picked) -> None:
        self.post_message(self.CallPicked(event.scenario, self.mode, self.typed))

    def action_move(self, delta: int) -> None:
        """Move the highlight in the list."""
        listing = self.query_one(ScenarioList)
        if delta < 0:
            listing.action_cursor_up()
        else:
            listing.action_cursor_down()

    @on(ModePicker.Changed)
    def _mode_changed(self, event: ModePicker.Changed) -> None:
        self.mode, self.typed = event.mode, event.typed
        self.refresh_bindings()

    def action_switch_mode(self) -> None:
        """Switch between practice and certification."""
        self.query_one(ModePicker).switch()

    def action_toggle_typed(self) -> None:
        """Typed replies on or off: answer in your own words, not from a list."""
        self.query_one(ModePicker).toggle_typed()

    def action_tree(self) -> None:
        """Show the highlighted scenario as a tree."""
        current = self.query_one(ScenarioList).current
        if current is not None:
            from simulator.tui.screens.tree import TreeScreen

            self.app.push_screen(TreeScreen(current))

    def action_clear_or_quit(self) -> None:
        """Clear the filter; with no filter, quit."""
        field = self.query_one(Input)
        if field.value:
            field.value = ""
        else:
            self.app.exit()
