"""ClassroomScreen: what a signed-in trainee sees first in the classroom (the trainer's
approved certification sets and free practice); PracticeScreen: the catalogue, practice only,
with replies picked from a list or typed in the trainee's own words (F5)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.reactive import reactive
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from scoring.recording import Mode
from simulator.tui.screens.home import HomeScreen
from simulator.tui.widgets.key_bar import KeyBar
from simulator.tui.widgets.mode_picker import ModePicker

if TYPE_CHECKING:
    from pathlib import Path

    from scoring.sets import ApprovedSet

PRACTICE = "practice"
TYPED_HELP = "You type each reply in your own words; it is matched to the reply you meant."
LIST_HELP = "You pick each reply from a list."


def set_label(approved: ApprovedSet) -> str:
    """One line naming a set: its name, its calls, how they are answered and its pass rule."""
    n = len(approved.scenarios)
    rule = f", mean of at least {approved.min_mean:g}%" if approved.min_mean else ""
    typed = ", typed in your own words" if approved.typed else ""
    titles = ", ".join(p.title for p in approved.scenarios)
    return (f"Certify: {approved.name} ({n} call{'s' if n != 1 else ''}{typed}: every call "
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


class RepliesPicker(Widget):
    """How practice calls are answered: from a list, or typed in the trainee's own words.
    Clicking switches it (as F5 does on the practice screen)."""

    typed: reactive[bool] = reactive(False)

    DEFAULT_CSS = "RepliesPicker { height: auto; padding: 0 1; margin-top: 1; }"

    def on_click(self, event: events.Click) -> None:
        screen = self.screen
        if isinstance(screen, PracticeScreen):
            screen.action_toggle_typed()

    def render(self) -> Text:
        parts: list[str | tuple[str, str]] = [("Replies ", "bold")]
        for typed, label in ((False, "From a list"), (True, "Typed, in your own words")):
            mark = "(•)" if typed == self.typed else "( )"
            parts.append((f" {mark} {label} ", "bold" if typed == self.typed else ""))
        parts.append(("  F5 switches", "dim"))
        parts.append(("\n" + (TYPED_HELP if self.typed else LIST_HELP), "italic"))
        return Text.assemble(*parts)


class PracticeScreen(HomeScreen):
    """The catalogue in the classroom: practice only (certification is from approved sets),
    answered from a list or typed in the trainee's own words (F5 switches), and leaving it
    goes back to the classroom screen."""

    BINDINGS = [Binding("f5", "toggle_typed", "Typed",
                        tooltip="Typed replies on or off: answer in your own words")]

    class TypedChanged(Message):
        """The trainee turned typed replies on or off."""

        def __init__(self, typed: bool) -> None:
            super().__init__()
            self.typed = typed

    def __init__(self, library: Path | None = None, best: Mapping[str, float] | None = None,
                 typed: bool = False) -> None:
        super().__init__(Mode.PRACTICE, library, best)
        self.typed = typed
        """Practice calls started here are answered in typed words."""

    def compose(self) -> ComposeResult:
        for widget in super().compose():
            yield widget
            if isinstance(widget, ModePicker):
                yield RepliesPicker(id="replies")

    def on_mount(self) -> None:
        # HomeScreen's own on_mount runs too (Textual calls every class's handler).
        self.query_one(ModePicker).display = False
        self.query_one(RepliesPicker).typed = self.typed

    def action_toggle_typed(self) -> None:
        """Typed replies on or off for the practice calls started from here."""
        self.typed = not self.typed
        self.query_one(RepliesPicker).typed = self.typed
        self.post_message(self.TypedChanged(self.typed))

    def action_switch_mode(self) -> None:
        self.notify("In the classroom, certification is from your trainer's approved sets.",
                    timeout=4)

    def action_clear_or_quit(self) -> None:
        field = self.query_one("#filter")
        if getattr(field, "value", ""):
            field.value = ""  # type: ignore[attr-defined]
        else:
            self.app.pop_screen()
