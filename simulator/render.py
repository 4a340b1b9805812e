"""Rich renderables for the command line: catalogue, transcript and scorecard."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from scoring.rubric import BY_ID
from scoring.scorer import NOTHING_TO_EARN, Scorecard
from simulator.engine.model import Ending, Scenario
from simulator.engine.session import Prompt, Step
from simulator.formats import signed


def catalogue_table(scenarios: Iterable[Scenario]) -> Table:
    """The library as a table: id, title, difficulty, principles."""
    table = Table(title="calmline scenarios", expand=False)
    table.add_column("id", style="bold")
    table.add_column("title")
    table.add_column("difficulty")
    table.add_column("principles")
    for s in scenarios:
        table.add_row(s.id, s.title, s.difficulty, ", ".join(s.principles))
    return table


#: How narration (what the agent sees, not what anyone says) is labelled in every view.
NARRATION_LABEL = "On screen"


def narration_text(text: str, indent: str = "") -> Text:
    """A narration line, labelled and in italics so it never reads as the customer's words."""
    return Text.assemble((f"{indent}{NARRATION_LABEL}: ", "bold italic"), (text, "italic"))


def transcript(scenario: Scenario, steps: Sequence[Step]) -> RenderableType:
    """The call so far, customer and trainee labelled, with each choice's score deltas."""
    parts: list[RenderableType] = []
    name = scenario.persona.display_name
    for step in steps:
        if step.narration:
            parts.append(narration_text(step.narration))
        parts.append(Text.assemble((f"{name}: ", "bold"), step.line))
        said = step.say or "(no reply)"
        deltas = ", ".join(f"{pid} {signed(d)}" for pid, d in step.scores.items() if d)
        flag = "  CRITICAL" if step.critical else ""
        parts.append(Text.assemble(("  You: ", "bold"), said,
                                   (f"   [{step.choice}] {deltas}{flag}", "dim")))
    return Group(*parts)


def prompt_view(scenario: Scenario, prompt: Prompt) -> RenderableType:
    """Where an unfinished call stands: the customer's line and the choice ids."""
    name = scenario.persona.display_name
    lines: list[RenderableType] = [narration_text(prompt.narration)] if prompt.narration else []
    lines.append(Text.assemble((f"{name}: ", "bold"), prompt.line))
    for i, option in enumerate(prompt.options, 1):
        lines.append(Text(f"  {i}. [{option.id}] {option.say}"))
    return Panel(Group(*lines), title=f"Turn {prompt.turn + 1}: node {prompt.node}")


def scorecard(card: Scorecard, ending: Ending | None) -> RenderableType:
    """The scorecard: verdict, per-principle bars, critical choices and missed chances."""
    verdict = Text("PASSED", style="bold green") if card.passed else Text("NOT PASSED",
                                                                           style="bold red")
    head = Text.assemble(verdict, f"  {card.percent:.1f}% of the best achievable "
                         f"({card.total} of {card.max}); pass mark {card.pass_mark}%")
    table = Table(show_header=True, expand=False, box=None)
    table.add_column("principle")
    table.add_column("score", justify="right")
    table.add_column("", no_wrap=True)
    for p in card.principles:
        figures = f"{p.earned}/{p.best}" + (f" (max {p.max})" if p.max > p.best else "")
        if p.nothing_to_earn:
            table.add_row(BY_ID[p.id].name, figures, NOTHING_TO_EARN)
            continue
        filled = int(round(p.percent / 10))
        bar = "#" * filled + "." * (10 - filled)
        table.add_row(BY_ID[p.id].name, figures, f"{bar} {p.percent:.0f}%")
    parts: list[RenderableType] = [head]
    if ending is not None:
        parts.append(Text(f"Ending: {ending.id} ({ending.outcome_label})"))
    else:
        parts.append(Text("The call has not ended yet."))
    parts.append(table)
    for c in card.critical:
        parts.append(Text(f"Critical: turn {c.turn}, {c.choice!r} at {c.node!r}", style="red"))
    for m in card.missed:
        parts.append(Text(f"Turn {m.turn}: '{m.chose}' lost {m.lost}; better: "
                          f"'{m.better}' ({m.better_say})", style="yellow"))
    if ending is not None and ending.debrief:
        parts.append(Panel(ending.debrief, title="Debrief"))
    return Panel(Group(*parts), title="Scorecard")
