"""What a trainee would type for a reply: the labelled set's texts first, then the examples."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from simulator import library
from simulator.authoring.typed_eval import read_cases
from simulator.engine.matching import Match, Matcher, Verdict
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


@dataclass(frozen=True)
class OwnWords:
    """What a trainee who knows the best reply types at one node, and how it will be taken."""

    choice: Choice
    text: str
    """A labelled text or an example of the reply, never its written wording."""
    match: Match

    @property
    def asked(self) -> bool:
        """True when the text brings "did you mean" (the reply is one of the two offered)."""
        return self.match.verdict is Verdict.UNSURE

    @property
    def number(self) -> int:
        """The key (1 or 2) that picks the reply when "did you mean" offers it."""
        return [c.choice_id for c in self.match.ranking[:2]].index(self.choice.id) + 1


def own_words(scenario: Scenario, node: Node) -> OwnWords:
    """The best reply at ``node`` in a trainee's own words: the first of its labelled texts and
    examples (never its written wording) that the matcher takes as that reply, or offers among
    the two of "did you mean"."""
    choice = preferred(node)[0]
    for text in texts_for(scenario, node, choice):
        if text == choice.say:
            continue
        found = Matcher().match(node, text)
        top = [c.choice_id for c in found.ranking[:2]]
        if (found.verdict is Verdict.CONFIDENT and top[:1] == [choice.id]) or (
                found.verdict is Verdict.UNSURE and choice.id in top):
            return OwnWords(choice, text, found)
    raise AssertionError(f"{scenario.id}/{node.id}: no labelled text or example of "
                         f"{choice.id!r} is matched to it")
