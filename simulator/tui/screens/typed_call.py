"""TypedCallScreen: a call answered in the trainee's own words instead of from a list."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.widgets import Input, Static

from simulator.training.typed import Outcome, TypedError, TypedReplies
from simulator.tui.screens.call import CallScreen
from simulator.tui.widgets.choice_list import ChoiceList

if TYPE_CHECKING:
    from simulator.engine.matching import Matcher
    from simulator.training.attempt import Attempt

HINT = "Type what you would say, then Enter."
REPHRASE = "Not sure what you meant. Say it another way: what would you do or say for them?"
DID_YOU_MEAN = "Did you mean one of these? Press 1 or 2 (Esc to type it again)."
RECORDED = "Reply recorded. Type your next reply, then Enter."
UNMATCHED = ("Not recognised as any reply: recorded as no reply (certification gives no second "
             "try). Type your next reply, then Enter.")


class TypedCallScreen(CallScreen):
    """The call screen with an input box for the reply: matched by the training service's
    :class:`TypedReplies`; "did you mean" shows the two closest replies as choices 1 and 2."""

    AUTO_FOCUS = "#typed"
    DEFAULT_CSS = """
    #typed-hint { padding: 0 1; height: auto; }
    #typed { height: 3; }
    """

    def __init__(self, attempt: Attempt, matcher: Matcher | None = None,
                 **options: object) -> None:
        super().__init__(attempt, **options)  # type: ignore[arg-type]
        self.typed = TypedReplies(attempt, matcher)

    def compose(self) -> ComposeResult:
        for widget in super().compose():
            if isinstance(widget, ChoiceList):  # the list only ever shows "did you mean"
                asking = ChoiceList((), id="choices")
                asking.border_title = "Did you mean ...? Press 1 or 2"
                asking.display = False
                yield asking
                yield Static(HINT, id="typed-hint")
                box = Input(placeholder="Your reply, in your own words",
                            max_length=600, id="typed")
                box.border_title = "Your reply: type it, then Enter"
                yield box
            else:
                yield widget

    @property
    def asking(self) -> bool:
        """True while "did you mean" waits for 1 or 2."""
        return bool(self.typed.offered) and self.typed.attempt is self.attempt

    def _next_prompt(self) -> None:
        super()._next_prompt()
        self._close_question()

    def _close_question(self) -> None:
        choices = self.query_one(ChoiceList)
        choices.prompt = None
        choices.replies = ()
        choices.display = False
        self.query_one("#typed", Input).focus()

    def show_attempt(self, *, typed: bool = False) -> None:
        if self.typed.attempt is not self.attempt:  # a restart or a reload
            self.typed.use(self.attempt)
        super().show_attempt(typed=typed)

    def _shown(self, prompt: int) -> None:
        if self.asking:
            super()._shown(prompt)

    # -- typing ------------------------------------------------------------------------------
    @on(Input.Submitted, "#typed")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self.attempt.finished or self.attempt.closed or self.has_class("-too-small"):
            return
        if self.typed.attempt is not self.attempt:
            self.typed.use(self.attempt)
        reading = self.typed.say(event.value)
        hint = self.query_one("#typed-hint", Static)
        if reading.outcome is Outcome.UNDERSTOOD:
            assert reading.step is not None and reading.understood is not None
            event.input.value = ""
            hint.update(Text(f"Understood as: {reading.understood.say}")
                        if self.attempt.shows_feedback else RECORDED)
            self._took(reading.step)
        elif reading.outcome is Outcome.UNMATCHED:
            assert reading.step is not None
            event.input.value = ""
            hint.update(UNMATCHED)
            self._took(reading.step)
        elif reading.outcome is Outcome.DID_YOU_MEAN:
            hint.update(DID_YOU_MEAN)
            choices = self.query_one(ChoiceList)
            choices.replies = reading.offered
            choices.display = True
            choices.focus()
            self.call_after_refresh(super()._shown, self.attempt.prompt_id)
        else:
            hint.update(REPHRASE)

    def _answer(self, prompt: int, answer: str | None) -> None:
        """A reply picked from "did you mean" (1 or 2): only one of those two is taken. The
        reply time running out (None) answers silence, whatever is on screen."""
        if answer is None:
            super()._answer(prompt, None)
            return
        if not self.asking or prompt != self.attempt.prompt_id:
            return
        try:
            reading = self.typed.confirm(answer)
        except TypedError:
            return
        assert reading.step is not None and reading.understood is not None
        self.query_one("#typed", Input).value = ""
        self.query_one("#typed-hint", Static).update(
            Text(f"Understood as (after a prompt): {reading.understood.say}")
            if self.attempt.shows_feedback else RECORDED)
        self._took(reading.step)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("choose", "reply") and not self.asking:
            return False
        if action in ("undo", "restart") and self.asking:
            return False  # a letter typed while "did you mean" waits must not undo
        return super().check_action(action, parameters)

    def action_leave(self) -> None:
        """Esc while "did you mean" is open goes back to typing; otherwise leave the call."""
        if self.asking:
            self.typed.rephrase()
            self._close_question()
            self.query_one("#typed-hint", Static).update(HINT)
            return
        super().action_leave()
