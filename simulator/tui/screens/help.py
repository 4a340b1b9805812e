"""HelpScreen: the keys of every screen, the two modes, and how a call is scored."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from simulator.tui.screens.fitted import Fitted
from simulator.tui.widgets.key_bar import KeyBar
from simulator.tui.wording import MODE_HELP, MODE_LABELS, TYPED_HELP

SECTIONS: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    ("Catalogue", (
        ("type", "filter the scenarios by title, principle or difficulty"),
        ("↑ ↓  ⏎", "move and start the highlighted call (or click it)"),
        ("F2", "switch between practice and certification"),
        ("F5", "typed replies on or off: answer in your own words"),
        ("F3", "show the highlighted scenario as a tree"),
        ("esc", "clear the filter, or quit"),
    )),
    ("During a call", (
        ("1-9", "give the reply with that number"),
        ("↑ ↓  ⏎", "move through the replies and give one (or click it)"),
        ("u", "undo your last reply (practice)"),
        ("r", "restart the call (practice)"),
        ("q  esc", "leave the call (asks first)"),
    )),
    ("During a call with typed replies", (
        ("type  ⏎", "write your reply in your own words and send it"),
        ("1 2", "pick one when asked \"did you mean\" (other letters are ignored)"),
        ("esc", "type it again when asked \"did you mean\"; else leave the call"),
        ("ctrl+z", "undo your last reply"),
        ("ctrl+r", "restart the call"),
        ("F1", "this help (letters, ? too, go into your reply)"),
    )),
    ("After a call", (
        ("r", "retry the same call"),
        ("t", "your call replayed turn by turn, with the feedback"),
        ("b  esc", "back to the catalogue"),
        ("q", "quit calmline"),
    )),
    ("Everywhere", (
        ("? / F1", "this help"),
        ("F4", "the trainer's report of recorded certification attempts"),
        ("ctrl+p", "the command palette: every action, and the colour theme"),
        ("ctrl+q", "quit calmline"),
    )),
)

SCORING = ("Every reply moves some of the principles up or down. Your score is the total "
           "against the best total the call allows; you pass when the call reaches an "
           "ending, you stayed clear of any never-acceptable (critical) reply, and you "
           "reached the scenario's pass mark.")


def help_text() -> Text:
    """The whole help as one text."""
    parts: list[str | tuple[str, str]] = []
    for title, keys in SECTIONS:
        parts.append((f"{title}\n", "bold underline"))
        for key, what in keys:
            parts += [(f"  {key:<10}", "bold"), f"{what}\n"]
        parts.append("\n")
    parts.append(("Modes\n", "bold underline"))
    for mode, label in MODE_LABELS.items():
        parts += [(f"  {label}: ", "bold"), f"{MODE_HELP[mode]}\n"]
    parts += [("  Typed replies: ", "bold"), f"{TYPED_HELP} F5 in the catalogue (practice or "
              "certification), calmline play ID --typed, or calmline certify --typed.\n"]
    parts += [("\nScoring\n", "bold underline"), f"  {SCORING}\n"]
    return Text.assemble(*parts)


class HelpScreen(Fitted, ModalScreen[None]):
    """A scrollable help panel over the current screen."""

    BINDINGS = [Binding("escape,q,question_mark,f1", "app.pop_screen", "Close",
                        key_display="esc")]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-body") as body:
            body.border_title = "calmline help"
            body.border_subtitle = "esc to close"
            yield Static(help_text())
        yield KeyBar()
