"""CallScreen: one call in progress: who is calling, their anger, the transcript, the replies."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Static

from simulator.training.attempt import Attempt
from simulator.tui.screens.fitted import Fitted
from simulator.tui.widgets.anger_meter import AngerMeter
from simulator.tui.widgets.call_header import CallHeader
from simulator.tui.widgets.choice_list import ChoiceList
from simulator.tui.widgets.countdown import Countdown
from simulator.tui.widgets.feedback_panel import FeedbackPanel
from simulator.tui.widgets.key_bar import KeyBar
from simulator.tui.widgets.transcript import Transcript
from simulator.tui.wording import (
    MODE_LABELS,
    anger_variable,
    persona_line,
    problems_text,
)

if TYPE_CHECKING:
    from simulator.engine.session import Step
    from simulator.tui.watch import FileWatch


class CallScreen(Fitted, Screen[None]):
    """Plays an :class:`Attempt`. Tells the app when the call ends or the trainee leaves."""

    AUTO_FOCUS = "ChoiceList"

    BINDINGS = [
        Binding("1", "choose(1)", "Reply", key_display="1-9"),
        *(Binding(str(n), f"choose({n})", show=False) for n in range(2, 10)),
        Binding("enter", "reply", "Reply", show=False,
                tooltip="Give the highlighted reply (or press its number, 1-9)"),
        Binding("u", "undo", "Undo", tooltip="Take back your last reply"),
        Binding("r", "restart", "Restart", tooltip="Start this call again"),
        Binding("q,escape", "leave", "Leave", key_display="q",
                tooltip="Leave this call (asks first)"),
        Binding("question_mark", "app.help", "Help", key_display="?",
                tooltip="Keys, modes and how scoring works"),
    ]

    class Ended(Message):
        """The call reached an ending and has been scored."""

        def __init__(self, attempt: Attempt) -> None:
            super().__init__()
            self.attempt = attempt

    class Left(Message):
        """The trainee confirmed leaving the call before its end (it has been abandoned)."""

        def __init__(self, attempt: Attempt) -> None:
            super().__init__()
            self.attempt = attempt

    def __init__(self, attempt: Attempt, *, typing: bool = True,
                 tick_seconds: float | None = 1.0, watch: FileWatch | None = None,
                 poll_seconds: float = 0.5) -> None:
        super().__init__()
        self.attempt = attempt
        self.typing = typing
        self.tick_seconds = tick_seconds
        self.file_watch = watch
        self.poll_seconds = poll_seconds
        self._could_undo = False
        self._told_recording = False

    # -- layout ------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        attempt = self.attempt
        scenario = attempt.scenario
        log = attempt.session.log
        prompt = attempt.prompt()
        anger = anger_variable(scenario)
        yield CallHeader(persona_line(scenario.persona), self._progress(), id="call-header")
        yield AngerMeter(anger.low if anger else 0, anger.high if anger else 100,
                         prompt.values.get("anger", 0),
                         log[-1].values_before.get("anger") if log else None, id="anger")
        if attempt.reply_seconds is not None:
            yield Countdown(attempt.reply_seconds, id="countdown")
        if self.file_watch is not None:
            yield Static(id="problems")
        yield Transcript(scenario.persona.display_name, log, prompt.line, typing=self.typing,
                         narration=prompt.narration, id="transcript")
        if attempt.shows_feedback:
            panel = FeedbackPanel(scenario.principles, log[-1] if log else None, id="feedback")
            panel.border_title = "Feedback on your reply"
            yield panel
        choices = ChoiceList(prompt.options, id="choices")
        choices.border_title = "Your reply: 1-9, or arrows and Enter"
        yield choices
        yield KeyBar()

    def on_mount(self) -> None:
        self._could_undo = self.attempt.can_undo
        if self.attempt.reply_seconds is not None:
            self.query_one(Countdown).prompt = self.attempt.prompt_id
            if self.tick_seconds:
                self.set_interval(self.tick_seconds, self._tick)
        self.call_after_refresh(self._shown, self.attempt.prompt_id)
        if self.file_watch is not None:
            self.set_interval(self.poll_seconds, self.poll_file)

    def _progress(self) -> str:
        return f"{MODE_LABELS[self.attempt.mode]} · turn {self.attempt.session.turn + 1}"

    # -- showing -----------------------------------------------------------------------------
    def show_attempt(self, *, typed: bool = False) -> None:
        """Show the attempt as it stands now (after undo, restart or reload)."""
        attempt = self.attempt
        scenario = attempt.scenario
        log = attempt.session.log
        prompt = attempt.prompt()
        self.query_one(CallHeader).persona = persona_line(scenario.persona)
        transcript = self.query_one(Transcript)
        transcript.customer_name = scenario.persona.display_name
        transcript.show(log, prompt.line, typed=typed and not log, narration=prompt.narration)
        meter = self.query_one(AngerMeter)
        anger = anger_variable(scenario)
        if anger is not None:
            meter.low, meter.high = anger.low, anger.high
        meter.previous = log[-1].values_before.get("anger") if log else None
        meter.value = prompt.values.get("anger", 0)
        if attempt.shows_feedback:
            panel = self.query_one(FeedbackPanel)
            panel.principles = scenario.principles
            panel.step = log[-1] if log else None
        self._next_prompt()

    def _next_prompt(self) -> None:
        attempt = self.attempt
        choices = self.query_one(ChoiceList)
        choices.prompt = None  # no key answers these replies before they are on screen
        choices.replies = attempt.prompt().options
        self.call_after_refresh(self._shown, attempt.prompt_id)
        self.query_one(CallHeader).progress = self._progress()
        if attempt.reply_seconds is not None:
            self.query_one(Countdown).reset(attempt.reply_seconds, attempt.prompt_id)
        if self._could_undo != attempt.can_undo:  # only then does the footer change
            self._could_undo = attempt.can_undo
            self.refresh_bindings()

    def _shown(self, prompt: int) -> None:
        """The replies of ``prompt`` have been drawn: from now on a key answers them."""
        if prompt == self.attempt.prompt_id:
            self.query_one(ChoiceList).prompt = prompt

    def _tick(self) -> None:
        # The replies are hidden behind the too-small notice: the countdown waits for them.
        self.query_one(Countdown).tick(hidden=self.has_class("-too-small"))

    # -- answering ---------------------------------------------------------------------------
    def action_choose(self, number: int) -> None:
        """Pick the reply numbered ``number``."""
        self.query_one(ChoiceList).pick(number)

    def action_reply(self) -> None:
        """Give the highlighted reply (what the palette's "Reply" does)."""
        choices = self.query_one(ChoiceList)
        if choices.highlighted is not None:
            choices.pick(choices.highlighted + 1)

    @on(ChoiceList.Selected)
    def _chosen(self, event: ChoiceList.Selected) -> None:
        self._answer(event.prompt, event.choice_id)

    @on(Countdown.Expired)
    def _expired(self, event: Countdown.Expired) -> None:
        if event.prompt is not None:
            self._answer(event.prompt, None)

    def _answer(self, prompt: int, answer: str | None) -> None:
        """Answer ``prompt`` (None: silence). A reply meant for a prompt that is no longer
        the one on offer (a second fast key, an expiry crossing a reply) is dropped."""
        step = self.attempt.answer_prompt(prompt, answer)
        if step is not None:
            self._took(step)

    def _took(self, step: Step) -> None:
        """Show the turn just answered, then the next prompt or the end of the call."""
        if self.attempt.recording_error is not None and not self._told_recording:
            self._told_recording = True
            self.notify(f"This attempt is no longer being recorded: "
                        f"{self.attempt.recording_error}. Tell your trainer.",
                        title="Recording failed", severity="error", timeout=30)
        transcript = self.query_one(Transcript)
        transcript.trainee(step)
        meter = self.query_one(AngerMeter)
        meter.previous = step.values_before.get("anger")
        meter.value = step.values.get("anger", 0)
        if self.attempt.shows_feedback:
            self.query_one(FeedbackPanel).step = step
        if self.attempt.finished:
            self.post_message(self.Ended(self.attempt))
            return
        now = self.attempt.prompt()
        transcript.customer(now.line, narration=now.narration)
        self._next_prompt()

    # -- practice tools ----------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.has_class("-too-small") and action in ("choose", "reply", "undo", "restart"):
            return False  # the trainee cannot see what they would be answering
        if action == "undo":
            if not self.attempt.rules.undo:
                return False
            return True if self.attempt.can_undo else None
        if action == "restart":
            return self.attempt.can_restart or False
        return True

    def action_undo(self) -> None:
        """Take back the last reply (practice)."""
        if not self.attempt.can_undo:
            return
        step = self.attempt.undo()
        self.show_attempt()
        if step is not None:
            self.notify(f"Took back turn {step.turn}. Try another reply.", timeout=3)

    def action_restart(self) -> None:
        """Start this call again from its beginning (practice)."""
        if not self.attempt.can_restart:
            return
        self.attempt = self.attempt.restart()
        self.show_attempt(typed=self.typing)

    def action_leave(self) -> None:
        """Leave the call, after the trainee confirms."""
        from simulator.tui.screens.confirm import ConfirmScreen

        detail = ("This certification attempt will be recorded as abandoned."
                  if self.attempt.certifying else "Your replies in this call will be lost.")

        def answered(yes: bool | None) -> None:
            if yes and not self.attempt.finished:
                self.attempt.abandon()
                self.post_message(self.Left(self.attempt))

        self.app.push_screen(ConfirmScreen("Leave this call?", detail, "Leave", "Stay"),
                             answered)

    def on_unmount(self) -> None:
        self.attempt.abandon()

    # -- watching ----------------------------------------------------------------------------
    def poll_file(self) -> None:
        """Reload the scenario if its file was saved; show its problems if it has any."""
        if self.file_watch is None or not self.file_watch.changed():
            return
        problems = self.query_one("#problems", Static)
        result = self.file_watch.reload()
        if result.scenario is None:
            problems.update(problems_text(result.problems, self.file_watch.path))
            problems.add_class("-shown")
            return
        problems.remove_class("-shown")
        self.attempt, replay = self.attempt.reload(result.scenario)
        if self.attempt.finished:
            self.post_message(self.Ended(self.attempt))
            return
        self.show_attempt()
        note = f"Reloaded {result.scenario.title}: replayed {replay.replayed} of {replay.made}"
        if replay.stopped_at:
            note += f"; '{replay.stopped_at}' no longer applies"
        if replay.restarted:
            note += "; the start node is gone, so the call begins at the start"
        self.notify(note, timeout=4)

