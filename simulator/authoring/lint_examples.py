"""Lint checks for typed replies: replies with too few example phrasings, and examples the
matcher does not confidently take for their own reply (the confusion check)."""

from __future__ import annotations

from collections.abc import Callable

from simulator.engine.matching import Match, Matcher, Verdict
from simulator.engine.model import Mark, Scenario

#: A reply needs this many example phrasings before typed answers match it reliably.
MIN_EXAMPLES = 3

CODES: dict[str, str] = {
    "few-examples": f"the scenario writes example phrasings, but a reply has fewer than "
                    f"{MIN_EXAMPLES}, so a trainee who types it in other words may not be "
                    "understood",
    "example-confused": "an example phrasing, typed as it is, would be taken for another reply "
                        "of its node without asking, or not recognised at all, or not even "
                        "offered among the two closest replies",
}

Warn = Callable[[Mark, str, str], None]


def check_examples(scenario: Scenario, warn: Warn) -> None:
    """Warn on replies with few examples and on examples that do not match their own reply.

    A scenario with no examples at all is left alone (typed replies then match each reply's
    own words); once it has some, every reply needs :data:`MIN_EXAMPLES`. Each example is
    matched, as a trainee's typed text would be, against its node with every example in
    place: it must be recognised, never taken for another reply without asking, and its own
    reply must be among the two that "did you mean ...?" would offer.
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
                problem = _confusion(matcher.match(node, example), choice.id)
                if problem:
                    warn(choice.mark, "example-confused",
                         f"example {example!r} of reply {choice.id!r} at {node.id!r} "
                         f"{problem}")


def _confusion(found: Match, own: str) -> str:
    """What goes wrong when a trainee types exactly this example of reply ``own``, or ''.

    Being unsure between its own reply and another is fine: "did you mean ...?" offers both.
    """
    ranked = [c.choice_id for c in found.ranking]
    if found.verdict is Verdict.NONE:
        return ("is not recognised at all: its words are shared by every reply of the node "
                "or by none")
    if found.verdict is Verdict.CONFIDENT and ranked[0] != own:
        return (f"is taken for {ranked[0]!r} without asking: give the two replies examples "
                "in words that tell them apart")
    if own not in ranked[:2]:
        return (f"is not even among the two closest replies ({ranked[0]!r}, {ranked[1]!r}): "
                "use words that belong to this reply")
    return ""
