"""How well typed replies are understood: a labelled set of typed replies scored by the matcher.

A labelled file names a scenario and, per node and reply id, texts a trainee might type meaning
that reply (written in other words than the reply's examples). Evaluation reports top-1 and
top-2 accuracy, the share the matcher was unsure of ("did you mean"), the share it recognised
nothing in, confusions per scenario, and the time each match took.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

import yaml

from simulator.engine.matching import Matcher, Verdict
from simulator.engine.model import SILENCE, Node, Scenario

#: What a confusion names as the reply taken when the matcher recognised nothing.
NOT_RECOGNISED = "(not recognised)"


class LabelError(ValueError):
    """A labelled file that names a node or reply its scenario does not have."""


@dataclass(frozen=True, slots=True)
class Case:
    """One typed reply and the reply it means."""

    scenario: str
    node: str
    reply: str
    text: str


@dataclass(slots=True)
class Outcome:
    """The figures of one evaluation."""

    cases: int = 0
    top1: int = 0
    top2: int = 0
    unsure: int = 0
    unmatched: int = 0
    confident_right: int = 0
    """Confident matches that took the meant reply (the rest of the confident ones took
    another reply without asking)."""
    unsure_offered: int = 0
    """Unsure matches whose "did you mean" offered the meant reply among its two."""
    seconds: list[float] = field(default_factory=list)
    confusions: Counter[tuple[str, str, str]] = field(default_factory=Counter)
    """(scenario, expected reply, reply taken instead) -> count, for top-1 misses."""
    per_scenario: dict[str, list[int]] = field(default_factory=dict)
    """scenario -> [cases, top-1 hits]."""

    def share(self, count: int) -> float:
        return count / self.cases if self.cases else 0.0

    @property
    def confident(self) -> int:
        """Matches taken without asking."""
        return self.cases - self.unsure - self.unmatched

    def percentile(self, q: float) -> float:
        """The ``q`` quantile (0-1) of the match times, in seconds."""
        if not self.seconds:
            return 0.0
        ordered = sorted(self.seconds)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def read_cases(path: Path, scenarios: dict[str, Scenario]) -> list[Case]:
    """The cases of one labelled file, checked against the scenario it names."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not isinstance(data.get("cases"), dict):
        raise LabelError(f"{path}: expected 'scenario:' and 'cases:' mappings")
    sid = str(data.get("scenario"))
    scenario = scenarios.get(sid)
    if scenario is None:
        raise LabelError(f"{path}: unknown scenario {sid!r}")
    cases = []
    for node_id, replies in data["cases"].items():
        node = scenario.nodes.get(str(node_id))
        if node is None or not isinstance(replies, dict):
            raise LabelError(f"{path}: {sid} has no node {node_id!r}")
        for reply_id, texts in replies.items():
            if node.choice(str(reply_id)) is None or str(reply_id) == SILENCE:
                raise LabelError(f"{path}: {sid}/{node_id} has no reply {reply_id!r}")
            cases += [Case(sid, node.id, str(reply_id), str(t)) for t in texts]
    return cases


def without_example(node: Node, choice_id: str, example: str) -> Node:
    """``node`` with one example of one reply left out (the reply keeps its say)."""
    choices = tuple(
        replace(c, examples=tuple(e for e in c.examples if e != example))
        if c.id == choice_id else c for c in node.choices)
    return replace(node, choices=choices)


def left_out_cases(scenarios: Iterable[Scenario]) -> list[tuple[Node, Case]]:
    """Every example of every reply as a case, paired with its node minus that example:
    how a trainee who typed exactly that would fare if the author had not written it."""
    out = []
    for s in scenarios:
        for node in s.nodes.values():
            for c in node.choices:
                out += [(without_example(node, c.id, e), Case(s.id, node.id, c.id, e))
                        for e in c.examples]
    return out


def evaluate(cases: Iterable[Case | tuple[Node, Case]], scenarios: dict[str, Scenario],
             matcher: Matcher | None = None) -> Outcome:
    """Match every case (against its scenario's node, or the node paired with it) and count
    how often the meant reply came first, or second."""
    matcher = matcher or Matcher()
    out = Outcome()
    for item in cases:
        if isinstance(item, tuple):
            node, case = item
        else:
            case = item
            node = scenarios[case.scenario].nodes[case.node]
        start = time.perf_counter()
        found = matcher.match(node, case.text)
        out.seconds.append(time.perf_counter() - start)
        ranked = [c.choice_id for c in found.ranking]
        tally = out.per_scenario.setdefault(case.scenario, [0, 0])
        out.cases += 1
        tally[0] += 1
        hit = found.verdict is not Verdict.NONE and ranked[:1] == [case.reply]
        if hit:
            out.top1 += 1
            tally[1] += 1
        elif found.verdict is Verdict.NONE:
            out.confusions[(case.scenario, case.reply, NOT_RECOGNISED)] += 1
        elif ranked:
            out.confusions[(case.scenario, case.reply, ranked[0])] += 1
        if found.verdict is not Verdict.NONE and case.reply in ranked[:2]:
            out.top2 += 1
        out.unsure += found.verdict is Verdict.UNSURE
        out.unmatched += found.verdict is Verdict.NONE
        out.confident_right += found.verdict is Verdict.CONFIDENT and hit
        out.unsure_offered += found.verdict is Verdict.UNSURE and case.reply in ranked[:2]
    return out
