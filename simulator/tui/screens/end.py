"""EndScreen: how the call ended, the scorecard, better answers, the debrief; retry or leave."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, Collapsible, Static

from simulator.training.attempt import Attempt
from simulator.tui.screens.fitted import Fitted
from simulator.tui.widgets.key_bar import KeyBar
from simulator.tui.widgets.scorecard_view import ScorecardView
from simulator.tui.wording import (
    MODE_LABELS,
    better_answers,
    change_text,
    changes,
    reply_text,
    taken_as,
    typed_note,
)


def better_text(attempt: Attempt) -> Group | Text:
    """Each turn that lost points: what the trainee said (or typed, and the reply it was
    taken as), and the better reply."""
    card = attempt.scorecard
    log = attempt.session.log
    rows = better_answers(card.missed if card else (), log)
    if not rows:
        return Text("You gave the best reply available at every turn.")
    steps = {s.turn: s for s in log}
    table = Table.grid(padding=(0, 1))
    table.add_column(no_wrap=True)
    table.add_column()
    for row in rows:
        table.add_row(Text(f"Turn {row.turn}", style="bold"), Text(f"lost {row.lost}",
                                                                   style="bold"))
        step = steps.get(row.turn)
        if step is not None and step.typed:
            table.add_row("  You typed", Text(f"“{step.typed}”"))
            table.add_row("  Taken as", _quoted(taken_as(step)))
        else:
            table.add_row("  You said", f"“{row.said}”")
        table.add_row("  Better", f"“{row.better}”")
    return Group(table)


def _quoted(reply: str) -> str:
    """A reply's written words in quotes; a note such as "(no reply: ...)" as it is."""
    return reply if reply.startswith("(") else f"“{reply}”"


def typed_text(attempt: Attempt) -> Group | Text:
    """A typed call, turn by turn: what the trainee typed and the reply it was taken as."""
    log = attempt.session.log
    if not log:
        return Text("No reply was given.")
    table = Table.grid(padding=(0, 1))
    table.add_column(no_wrap=True)
    table.add_column()
    for step in log:
        table.add_row(Text(f"Turn {step.turn}", style="bold"), Text(typed_note(step),
                                                                    style="italic"))
        table.add_row("  You typed", Text(f"“{step.typed}”") if step.typed else "(nothing)")
        table.add_row("  Taken as", _quoted(taken_as(step)))
    return Group(table)


def review_text(attempt: Attempt) -> Text:
    """The whole call, turn by turn, with each reply's principle changes and feedback."""
    name = attempt.scenario.persona.display_name
    principles = attempt.scenario.principles
    parts: list[str | tuple[str, str]] = []
    for step in attempt.session.log:
        moved = "   ".join(change_text(n, d) for n, d in changes(step, principles))
        parts.append((f"Turn {step.turn}\n", "bold"))
        if step.narration:
            parts.append((f"On screen: {step.narration}\n", "italic"))
        parts.append(f"{name}: {step.line}\n")
        if step.typed:
            parts += [f"You typed: “{step.typed}”\n",
                      f"Taken as: {taken_as(step)} ({typed_note(step)})\n"]
        else:
            parts.append(f"You: {reply_text(step)}\n")
        parts += [(f"{moved or 'No principle moved.'}\n", "italic"),
                  f"{' '.join(step.feedback.split())}\n\n"]
    return Text.assemble(*parts)


class EndScreen(Fitted, Screen[None]):
    """Shows a finished, scored attempt."""

    BINDINGS = [
        Binding("r", "retry", "Retry", tooltip="Play this call again"),
        Binding("b,escape", "back", "Catalogue", key_display="b",
                tooltip="Back to the scenario catalogue"),
        Binding("t", "review", "Turn by turn",
                tooltip="Open or close your call replayed turn by turn"),
        Binding("q", "app.quit", "Quit", tooltip="Quit calmline"),
        Binding("question_mark", "app.help", "Help", key_display="?"),
    ]

    class RetryPicked(Message):
        """The trainee wants to play the same call again (``attempt`` is the one ended)."""

        def __init__(self, attempt: Attempt) -> None:
            super().__init__()
            self.attempt = attempt

    class CataloguePicked(Message):
        """The trainee wants to go back to the catalogue."""

    def __init__(self, attempt: Attempt) -> None:
        super().__init__()
        self.attempt = attempt
        self._shown_at: float | None = None
        """When the screen was mounted (a message's time): keys from before it are ignored."""

    @on(events.Mount)
    def _came_up(self, event: events.Mount) -> None:
        self._shown_at = event.time

    def on_key(self, event: events.Key) -> None:
        """A key pressed before this screen came up (the tail of a burst typed into the call)
        does nothing here: it cannot retry, leave or quit."""
        if self._shown_at is None or event.time < self._shown_at:
            event.stop()
            event.prevent_default()

    def compose(self) -> ComposeResult:
        attempt = self.attempt
        ending = attempt.session.ending
        scenario = attempt.scenario
        outcome = ending.outcome_label if ending else "Unfinished"
        yield Static(f"Call ended: {outcome} · {scenario.title}", id="end-title")
        with VerticalScroll(id="end-body"):
            if ending is not None and ending.line:
                name = scenario.persona.display_name
                yield Static(f"{name}: {ending.line}", id="ending-line")
            yield ScorecardView(attempt.scorecard, id="scorecard")
            better = Static(better_text(attempt), id="better")
            better.border_title = "Where a better answer was available"
            yield better
            if ending is not None and ending.debrief:
                debrief = Static(" ".join(ending.debrief.split()), id="debrief")
                debrief.border_title = "Debrief"
                yield debrief
            if attempt.typed:
                words = Static(typed_text(attempt), id="typed-turns")
                words.border_title = "What you typed, and how it was taken"
                yield words
            facts = [MODE_LABELS[attempt.mode]]
            if attempt.typed:
                facts.append("typed replies")
            if attempt.trainee:
                facts.append(f"trainee {attempt.trainee}")
            facts.append(f"attempt seed {attempt.seed}")  # the reply order: run --seed replays it
            yield Static(" · ".join(facts), id="attempt-facts")
            with Collapsible(title="Your call, turn by turn", id="review"):
                yield Static(review_text(attempt))
        with Horizontal(id="end-actions"):
            yield Button("Retry (r)", id="retry", compact=True)
            yield Button("Back to the catalogue (b)", id="back", compact=True)
        yield KeyBar()

    @on(Button.Pressed, "#retry")
    def action_retry(self) -> None:
        """Play the same call again."""
        self.post_message(self.RetryPicked(self.attempt))

    def action_review(self) -> None:
        """Open (and show) or close the turn-by-turn replay of the call."""
        review = self.query_one("#review", Collapsible)
        review.collapsed = not review.collapsed
        if not review.collapsed:
            self.call_after_refresh(self.query_one("#end-body", VerticalScroll).scroll_to_widget,
                                    review, top=True, animate=False)

    @on(Button.Pressed, "#back")
    def action_back(self) -> None:
        """Back to the catalogue."""
        self.post_message(self.CataloguePicked())
