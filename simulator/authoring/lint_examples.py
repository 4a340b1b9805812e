"""Lint checks for typed replies: replies with too few example phrasings, and examples that
the matcher takes for another reply of the same node (the confusion check)."""

from __future__ import annotations

from collections.abc import Callable

from simulator.authoring.typed_eval import without_example
from simulator.engine.matching import Matcher
from simulator.engine.model import Mark, Scenario

#: A reply needs this many example phrasings before typed answers match it reliably.
MIN_EXAMPLES = 3

CODES: dict[str, str] = {
    "few-examples": f"a reply has fewer than {MIN_EXAMPLES} example phrasings, so a trainee "
                    "who types it in other words may not be understood",
    "example-confused": "an example phrasing matches another reply of its node better than "
                        "its own, so a trainee who types it would be taken for the other reply",
}

Warn = Callable[[Mark, str, str], None]


def check_examples(scenario: Scenario, warn: Warn) -> None:
    """Warn on replies with few examples and on examples confused with another reply.

    Each example is matched against the node with that example left out, as a trainee's
    typed text would be: if another reply ranks first, the example is confused.
    """
    matcher = Matcher()
    for node in scenario.nodes.values():
        for choice in node.choices:
            if len(choice.examples) < MIN_EXAMPLES:
                have = len(choice.examples)
                warn(choice.mark, "few-examples",
                     f"reply {choice.id!r} at {node.id!r} has {have} example phrasing"
                     f"{'' if have == 1 else 's'}; give it at least {MIN_EXAMPLES}, in the "
                     "plain words a trainee might type")
            for example in choice.examples:
                found = matcher.match(without_example(node, choice.id, example), example)
                top = found.best
                if top is not None and top.choice_id != choice.id and top.score > 0:
                    warn(choice.mark, "example-confused",
                         f"example {example!r} of reply {choice.id!r} at {node.id!r} is "
                         f"taken for {top.choice_id!r}: reword it with words of its own reply, "
                         "or give the two replies more distinct examples")
