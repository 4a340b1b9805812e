"""What a trainee would type for a reply: the labelled set's texts first, then the examples."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from simulator import library
from simulator.authoring.typed_eval import read_cases
from simulator.engine.model import Choice, Node, Scenario

LABELS = Path(__file__).resolve().parent.parent / "data" / "typed"


@cache
def _labelled() -> dict[tuple[str, str, str], tuple[str, ...]]:
    scenarios = dict(library.catalogue().scenarios)
    out: dict[tuple[str, str, str], list[str]] = {}
    for path in sorted(LABELS.glob("*.yaml")):
        for case in read_cases(path, scenarios):
            out.setdefault((case.scenario, case.node, case.reply), []).append(case.text)
    return {k: tuple(v) for k, v in out.items()}


def texts_for(scenario: Scenario, node: Node, choice: Choice) -> list[str]:
    """Ways a trainee might type ``choice``: labelled texts, its examples, then its wording."""
    return [*_labelled().get((scenario.id, node.id, choice.id), ()), *choice.examples,
            choice.say]


def preferred(node: Node) -> list[Choice]:
    """The node's replies, the best-scoring first (a trainee who knows what to say)."""
    return sorted((c for c in node.choices if not c.critical), key=lambda c: -c.total) \
        or list(node.choices)
