"""A scenario as an outline for the tree view: nodes, their choices, where each choice leads.

Pure data built from the model; the tree screen only turns it into Textual ``Tree`` nodes.
Targets are leaves that name a node rather than nesting it, so a scenario with loops has a
finite outline.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from simulator.engine.model import Choice, Ending, Node, Scenario
from simulator.formats import signed
from simulator.tui.wording import principle_name

LINE_CHARS = 60


@dataclass(frozen=True, slots=True)
class Entry:
    """One line of the outline and the lines under it."""

    label: str
    kind: str
    """``scenario``, ``nodes``, ``node``, ``choice``, ``target``, ``endings`` or ``ending``."""
    ref: str = ""
    """The node or ending id this line is about (for targets: the id they lead to)."""
    children: tuple[Entry, ...] = field(default=())


def clip(text: str, limit: int = LINE_CHARS) -> str:
    """``text`` on one line, cut to ``limit`` characters with an ellipsis."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def _target(scenario: Scenario, target: str, when: str | None) -> Entry:
    ending = scenario.endings.get(target)
    where = (f"ending {target} [{ending.outcome_label}]" if ending is not None
             else f"{target}")
    label = f"→ {where}" if when is None else f"if {when} → {where}"
    return Entry(label, "target", target)


def _choice(scenario: Scenario, choice: Choice, node: Node) -> Entry:
    scores = ", ".join(f"{principle_name(p)} {signed(d)}" for p, d in choice.scores.items()
                       if d)
    flags = " CRITICAL" if choice.critical else ""
    label = f"{choice.id}: " + (f"“{clip(choice.say, 40)}”" if choice.say else "(no reply)")
    if scores or flags:
        label += f"  ({scores}){flags}" if scores else flags
    if choice.routes:
        targets = tuple(_target(scenario, r.target, r.when.source if r.when else None)
                        for r in choice.routes)
    else:
        targets = (Entry(f"→ stays at {node.id}", "target", node.id),)
    return Entry(label, "choice", node.id, targets)


def _node(scenario: Scenario, node: Node) -> Entry:
    start = " (start)" if node.id == scenario.start else ""
    line = f": “{clip(node.lines[0])}”" if node.lines else ""
    shown = " [on screen]" if node.narration else ""
    choices = list(node.answers)
    return Entry(f"{node.id}{start}{shown}{line}", "node", node.id,
                 tuple(_choice(scenario, c, node) for c in choices))


def _ending(ending: Ending) -> Entry:
    return Entry(f"{ending.id} [{ending.outcome_label}]: {clip(ending.debrief)}", "ending",
                 ending.id)


def outline(scenario: Scenario) -> Entry:
    """The whole scenario: its nodes (start first) and its endings marked by outcome."""
    nodes = sorted(scenario.nodes.values(), key=lambda n: n.id != scenario.start)
    return Entry(
        f"{scenario.title} ({scenario.id})", "scenario", scenario.id,
        (
            Entry(f"Nodes ({len(nodes)})", "nodes", "",
                  tuple(_node(scenario, n) for n in nodes)),
            Entry(f"Endings ({len(scenario.endings)})", "endings", "",
                  tuple(_ending(e) for e in scenario.endings.values())),
        ),
    )
