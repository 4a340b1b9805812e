"""ClassroomScreen: what a signed-in trainee sees first in the classroom (the trainer's
approved certification sets and free practice); PracticeScreen: the catalogue, practice only."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from simulator.tui.screens.home import HomeScreen
from simulator.tui.widgets.key_bar import KeyBar
from simulator.tui.widgets.mode_picker import ModePicker

if TYPE_CHECKING:
    from scoring.sets import ApprovedSet

PRACTICE = "practice"


def set_label(approved: ApprovedSet) -> str:
    """One line naming a set: its name, its calls and its pass rule."""
    n = len(approved.scenarios)
    rule = f", mean of at least {approved.min_mean:g}%" if approved.min_mean else ""
    titles = ", ".join(p.title for p in approved.scenarios)
    return (f"Certify: {approved.name} ({n} call{'s' if n != 1 else ''}: every call "
            f"passed{rule})\n  {titles}")


class ClassroomScreen(Screen[None]):
    """Pick an approved certification set, or practise freely."""

    BINDINGS = [Binding("f1", "app.help", "Help"),
                Binding("q", "app.quit", "Leave", tooltip="End this classroom session")]

    DEFAULT_CSS = """
    ClassroomScreen { padding: 1 2; }
    ClassroomScreen #who { text-style: bold; margin-bottom: 1; }
    ClassroomScreen #how { color: $text-muted; margin-bottom: 1; }
    ClassroomScreen OptionList { height: auto; max-height: 1fr; }
    """

    class SetPicked(Message):
        """The trainee chose to certify on an approved set."""

        def __init__(self, approved: ApprovedSet) -> None:
            super().__init__()
            self.approved = approved

    class PracticePicked(Message):
        """The trainee chose free practice."""

    def __init__(self, trainee: str, sets: Sequence[ApprovedSet], problem: str = "") -> None:
        super().__init__()
        self.trainee = trainee
        self.sets = list(sets)
        self.problem = problem

    def compose(self) -> ComposeResult:
        yield Static(f"calmline classroom · signed in as {self.trainee}", id="who")
        how = ("Certification is recorded under your name, timed, with no feedback until "
               "each call ends. Practice is not recorded.")
        if self.problem:
            how = f"{self.problem}\n{how}"
        elif not self.sets:
            how = f"Your trainer has not approved a certification set yet.\n{how}"
        yield Static(how, id="how")
        options = [Option(set_label(s), id=f"set-{s.id}") for s in self.sets]
        options.append(Option("Free practice: any call in the library, with feedback after "
                              "every reply", id=PRACTICE))
        yield OptionList(*options, id="choices")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected, "#choices")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        if event.option.id == PRACTICE:
            self.post_message(self.PracticePicked())
            return
        for s in self.sets:
            if event.option.id == f"set-{s.id}":
                self.post_message(self.SetPicked(s))


class PracticeScreen(HomeScreen):
    """The catalogue in the classroom: practice only (certification is from approved sets),
    and leaving it goes back to the classroom screen."""

    def on_mount(self) -> None:
        # HomeScreen's own on_mount runs too (Textual calls every class's handler).
        self.query_one(ModePicker).display = False

    def action_switch_mode(self) -> None:
        self.notify("In the classroom, certification is from your trainer's approved sets.",
                    timeout=4)

    def action_clear_or_quit(self) -> None:
        field = self.query_one("#filter")
        if getattr(field, "value", ""):
            field.value = ""  # type: ignore[attr-defined]
        else:
            self.app.pop_screen()
