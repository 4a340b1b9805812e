"""Lint checks for typed replies: replies with too few example phrasings, and examples the
matcher does not confidently take for their own reply (the confusion check)."""

from __future__ import annotations

from collections.abc import Callable

from simulator.engine.matching import Matcher, Verdict
from simulator.engine.model import Mark, Scenario

#: A reply needs this many example phrasings before typed answers match it reliably.
MIN_EXAMPLES = 3

CODES: dict[str, str] = {
    "few-examples": f"the scenario writes example phrasings, but a reply has fewer than "
                    f"{MIN_EXAMPLES}, so a trainee who types it in other words may not be "
                    "understood",
    "example-confused": "an example phrasing is taken for another reply of its node, or not "
                        "confidently for its own, so a trainee who types just that would be "
                        "misunderstood or asked 'did you mean ...?'",
}

Warn = Callable[[Mark, str, str], None]


def check_examples(scenario: Scenario, warn: Warn) -> None:
    """Warn on replies with few examples and on examples that do not match their own reply.

    A scenario with no examples at all is left alone (typed replies then match each reply's
    own words); once it has some, every reply needs :data:`MIN_EXAMPLES`. Each example is
    matched, as a trainee's typed text would be, against its node with every example in
    place: it must be taken for its own reply, confidently.
    """
    matcher = Matcher()
    uses_examples = any(c.examples for n in scenario.nodes.values() for c in n.choices)
    for node in scenario.nodes.values():
        for choice in node.choices:
            if uses_examples and len(choice.examples) < MIN_EXAMPLES:
                have = len(choice.examples)
                warn(choice.mark, "few-examples",
                     f"reply {choice.id!r} at {node.id!r} has {have} example phrasing"
                     f"{'' if have == 1 else 's'}; give it at least {MIN_EXAMPLES}, in the "
                     "plain words a trainee might type")
            for example in choice.examples:
                found = matcher.match(node, example)
                top = found.best
                if found.verdict is Verdict.NONE:
                    warn(choice.mark, "example-confused",
                         f"example {example!r} of reply {choice.id!r} at {node.id!r} is not "
                         "recognised at all: its words are shared by every reply of the node "
                         "or by none")
                elif top is not None and top.choice_id != choice.id:
                    warn(choice.mark, "example-confused",
                         f"example {example!r} of reply {choice.id!r} at {node.id!r} is taken "
                         f"for {top.choice_id!r}: give the two replies examples in words "
                         "that tell them apart")
                elif found.verdict is not Verdict.CONFIDENT:
                    warn(choice.mark, "example-confused",
                         f"example {example!r} of reply {choice.id!r} at {node.id!r} is not "
                         f"recognised with confidence ({found.reason}): use words that belong "
                         "to this reply rather than to its neighbours")
