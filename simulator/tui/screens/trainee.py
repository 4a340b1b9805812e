"""TraineeScreen: asks for the trainee's name before a certification attempt."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from scoring.names import TraineeNameError, trainee_name
from simulator.tui.screens.fitted import Fitted
from simulator.tui.widgets.key_bar import KeyBar


class TraineeScreen(Fitted, ModalScreen[str | None]):
    """Dismissed with the name typed, or None when the trainee backs out."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", key_display="esc")]

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static("Certification: who is taking this attempt?", id="question")
            yield Static("Your name goes on the result. Enter to begin; the countdown "
                         "starts with the first line.", id="detail")
            yield Input(placeholder="Your name", id="name", max_length=80)
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted, "#name")
    def _submitted(self, event: Input.Submitted) -> None:
        if not event.value.strip():
            self.notify("Please type your name first.", severity="warning", timeout=3)
            return
        try:
            self.dismiss(trainee_name(event.value))
        except TraineeNameError as exc:
            self.notify(f"{str(exc)[0].upper()}{str(exc)[1:]}.", severity="warning", timeout=5)

    def action_cancel(self) -> None:
        """Back out without starting."""
        self.dismiss(None)
