"""TypedCallScreen: a call answered in the trainee's own words instead of from a list.

Letters never act as shortcuts here: the trainee is typing, so a letter goes into the reply
box (or, while "did you mean" waits for 1 or 2, is ignored). The keys that act are Enter,
1 and 2 while asked, Esc, F1 and the control keys shown in the key bar.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
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
QUESTION_KEYS = ("1", "2")


class ReplyBox(Input):
    """The reply box. Enter takes out and sends what the box holds at that key, so keys typed
    right after it (a fast burst) are never sent with it: they start the next reply. A reply
    that is not taken is put back (:meth:`put_back`)."""

    async def _on_key(self, event: events.Key) -> None:
        if event.key == "enter":
            event.stop()
            event.prevent_default()
            sent, self.value = self.value, ""
            self.post_message(self.Submitted(self, sent))
            return
        await super()._on_key(event)

    def put_back(self, sent: str) -> None:
        """Put a reply that was sent but not taken back in front of what was typed since."""
        self.value = sent + self.value
        self.cursor_position = len(self.value)

    def take_out(self, sent: str) -> None:
        """Take a reply that was put back out of the box again (it has now been taken)."""
        if self.value.startswith(sent):
            self.value = self.value[len(sent):]


class TypedCallScreen(CallScreen, inherit_bindings=False):
    """The call screen with an input box for the reply: matched by the training service's
    :class:`TypedReplies`; "did you mean" shows the two closest replies as choices 1 and 2."""

    AUTO_FOCUS = "#typed"
    DEFAULT_CSS = """
    #typed-hint { padding: 0 1; height: auto; }
    #typed { height: 3; }
    """
    BINDINGS = [
        Binding("1", "choose(1)", "Pick", key_display="1 2"),
        Binding("2", "choose(2)", show=False),
        Binding("enter", "reply", show=False),
        Binding("escape", "type_again", "Type again", key_display="esc",
                tooltip="Close \"did you mean\" and type your reply again"),
        Binding("escape", "leave", "Leave", key_display="esc",
                tooltip="Leave this call (asks first)"),
        Binding("f1", "app.help", "Help", tooltip="Keys, modes and how scoring works"),
        Binding("ctrl+z", "undo", "Undo", key_display="^z",
                tooltip="Take back your last reply"),
        Binding("ctrl+r", "restart", "Restart", key_display="^r",
                tooltip="Start this call again"),
    ]

    def __init__(self, attempt: Attempt, matcher: Matcher | None = None,
                 **options: object) -> None:
        super().__init__(attempt, **options)  # type: ignore[arg-type]
        self.typed = TypedReplies(attempt, matcher)
        self._sent = ""
        """The text of the last Enter, as it was in the box."""

    def compose(self) -> ComposeResult:
        for widget in super().compose():
            if isinstance(widget, ChoiceList):  # the list only ever shows "did you mean"
                asking = ChoiceList((), id="choices")
                asking.border_title = "Did you mean ...? Press 1 or 2"
                asking.display = False
                yield asking
                yield Static(HINT, id="typed-hint")
                box = ReplyBox(placeholder="Your reply, in your own words",
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
        # At once, not after the keys already queued: the next key of a burst goes to the box.
        self.set_focus(self.query_one(ReplyBox))
        self.refresh_bindings()

    def show_attempt(self, *, typed: bool = False) -> None:
        if self.typed.attempt is not self.attempt:  # a restart or a reload
            self.typed.use(self.attempt)
        super().show_attempt(typed=typed)

    def _shown(self, prompt: int) -> None:
        if self.asking:
            super()._shown(prompt)

    # -- typing ------------------------------------------------------------------------------
    def on_key(self, event: events.Key) -> None:
        """A printable key that the box did not take (the focus was elsewhere, or "did you
        mean" is open): while asked, only 1 and 2 go on; otherwise it goes into the box."""
        if not event.is_printable or event.character is None:
            return
        if self.asking and event.key in QUESTION_KEYS:
            return
        event.stop()
        event.prevent_default()
        if not self.asking:
            box = self.query_one(ReplyBox)
            box.insert_text_at_cursor(event.character)
            self.set_focus(box)

    @on(Input.Submitted, "#typed")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        box = self.query_one(ReplyBox)
        if (self.attempt.finished or self.attempt.closed or self.has_class("-too-small")
                or self.asking):  # nothing to answer now: the text goes back in the box
            box.put_back(event.value)
            return
        if self.typed.attempt is not self.attempt:
            self.typed.use(self.attempt)
        self._sent = event.value
        reading = self.typed.say(event.value)
        hint = self.query_one("#typed-hint", Static)
        if reading.outcome is Outcome.UNDERSTOOD:
            assert reading.step is not None and reading.understood is not None
            hint.update(Text(f"Understood as: {reading.understood.say}")
                        if self.attempt.shows_feedback else RECORDED)
            self._took(reading.step)
            return
        if reading.outcome is Outcome.UNMATCHED:  # certification: taken as no reply
            assert reading.step is not None
            hint.update(UNMATCHED)
            self._took(reading.step)
            return
        box.put_back(event.value)  # to pick from "did you mean" or to change and send again
        if reading.outcome is Outcome.DID_YOU_MEAN:
            hint.update(DID_YOU_MEAN)
            choices = self.query_one(ChoiceList)
            choices.replies = reading.offered
            choices.display = True
            self.set_focus(choices)
            self.refresh_bindings()
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
        self.query_one(ReplyBox).take_out(self._sent)
        self.query_one("#typed-hint", Static).update(
            Text(f"Understood as (after a prompt): {reading.understood.say}")
            if self.attempt.shows_feedback else RECORDED)
        self._took(reading.step)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("choose", "reply", "type_again"):
            if not self.asking:
                return False
        elif action in ("undo", "restart", "leave") and self.asking:
            return False  # while "did you mean" waits, only its own keys act
        return super().check_action(action, parameters)

    def action_type_again(self) -> None:
        """Close "did you mean" without answering, back to the box to type it again."""
        if self.asking:
            self.typed.rephrase()
            self._close_question()
            self.query_one("#typed-hint", Static).update(HINT)
