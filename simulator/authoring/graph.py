"""A scenario as a drawable graph: Mermaid flowcharts and Graphviz DOT.

Nodes are the customer's turns, endings are marked by outcome kind, and every edge is one
route of one choice, labelled with the choice id and, for a conditional route, its condition.
All labels are quoted and escaped for their format, so any text an author writes is safe.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from simulator.engine.model import OUTCOMES, Scenario

#: Fill colours per outcome kind, shared by both formats.
OUTCOME_COLOURS: dict[str, str] = {
    "resolved": "#c8e6c9",
    "follow_up": "#dcedc8",
    "escalated": "#fff3c4",
    "unresolved": "#ffe0b2",
    "hung_up": "#ffcdd2",
    "ended_for_abuse": "#e1bee7",
    "critical_failure": "#ef9a9a",
}
FORMATS = ("mermaid", "dot")


@dataclass(frozen=True, slots=True)
class GraphEdge:
    """One route of one choice: from a node to a node or ending."""

    source: str
    target: str
    choice: str
    condition: str  # empty for an unconditional route
    critical: bool
    silence: bool

    @property
    def label(self) -> str:
        """The choice id, with its condition in brackets when it has one."""
        return f"{self.choice} [{self.condition}]" if self.condition else self.choice


def edges(scenario: Scenario) -> Iterator[GraphEdge]:
    """Every route of every choice (silence responses included), in file order."""
    for node in scenario.nodes.values():
        answers = list(node.answers)
        for choice in answers:
            for route in choice.routes:
                yield GraphEdge(node.id, route.target, choice.id,
                                route.when.source if route.when is not None else "",
                                choice.critical, choice is node.silence)


# -- Mermaid ----------------------------------------------------------------------------------

def _mermaid_text(text: str) -> str:
    """Text for a double-quoted Mermaid label: entity codes for the characters that matter."""
    out = []
    for ch in " ".join(text.split()):
        if ch in '"#<>&`|':
            out.append(f"#{ord(ch)};")
        else:
            out.append(ch)
    return "".join(out)


def to_mermaid(scenario: Scenario) -> str:
    """The scenario as a Mermaid ``flowchart`` (node names are generated, labels quoted)."""
    names = {sid: f"s{i}" for i, sid in enumerate(scenario.step_ids())}
    lines = [f"%% {_mermaid_text(scenario.title)} ({scenario.id})", "flowchart TD"]
    for nid in scenario.nodes:
        first = " (start)" if nid == scenario.start else ""
        lines.append(f'    {names[nid]}["{_mermaid_text(nid + first)}"]')
    for eid, ending in scenario.endings.items():
        label = f"{eid}: {OUTCOMES.get(ending.outcome, ending.outcome)}"
        lines.append(f'    {names[eid]}(["{_mermaid_text(label)}"]):::{ending.outcome}')
    for e in edges(scenario):
        arrow = "-.->" if e.silence else ("==>" if e.critical else "-->")
        label = e.label + (" (critical)" if e.critical else "")
        lines.append(f'    {names[e.source]} {arrow}|"{_mermaid_text(label)}"| {names[e.target]}')
    for outcome in sorted({e.outcome for e in scenario.endings.values()}):
        colour = OUTCOME_COLOURS.get(outcome, "#eeeeee")
        lines.append(f"    classDef {outcome} fill:{colour},stroke:#555")
    return "\n".join(lines) + "\n"


# -- Graphviz DOT -----------------------------------------------------------------------------

def _dot_quote(*lines: str) -> str:
    """A DOT double-quoted string of ``lines`` (shown one under the other): backslashes and
    quotes escaped, the author's own line breaks folded into spaces."""
    parts = [" ".join(t.split()).replace("\\", "\\\\").replace('"', '\\"') for t in lines]
    return '"' + "\\n".join(parts) + '"'


def to_dot(scenario: Scenario) -> str:
    """The scenario as a Graphviz ``digraph``."""
    lines = [
        f"digraph {_dot_quote(scenario.id)} {{",
        f"  label={_dot_quote(scenario.title)};",
        '  labelloc="t";',
        '  node [fontname="Helvetica", shape=box, style="rounded"];',
        '  edge [fontname="Helvetica", fontsize=10];',
    ]
    for nid in scenario.nodes:
        extra = ", penwidth=2" if nid == scenario.start else ""
        label = f"{nid} (start)" if nid == scenario.start else nid
        lines.append(f"  {_dot_quote(nid)} [label={_dot_quote(label)}{extra}];")
    for eid, ending in scenario.endings.items():
        colour = OUTCOME_COLOURS.get(ending.outcome, "#eeeeee")
        label = _dot_quote(eid, OUTCOMES.get(ending.outcome, ending.outcome))
        lines.append(f"  {_dot_quote(eid)} [label={label}, shape=ellipse, style=filled, "
                     f'fillcolor="{colour}", class={_dot_quote("outcome-" + ending.outcome)}];')
    for e in edges(scenario):
        attrs = [f"label={_dot_quote(e.label)}"]
        if e.silence:
            attrs.append("style=dashed")
        if e.critical:
            attrs.append('color="#c62828", fontcolor="#c62828", penwidth=2')
        lines.append(f"  {_dot_quote(e.source)} -> {_dot_quote(e.target)} "
                     f"[{', '.join(attrs)}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


def render(scenario: Scenario, fmt: str) -> str:
    """The scenario in ``fmt`` (one of :data:`FORMATS`)."""
    if fmt == "mermaid":
        return to_mermaid(scenario)
    if fmt == "dot":
        return to_dot(scenario)
    raise ValueError(f"unknown graph format {fmt!r}; use one of {', '.join(FORMATS)}")
