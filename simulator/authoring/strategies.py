"""Surface strategies as policies over the state graph, and the exact distribution of a
play's total under a policy (carried backwards through the graph, never sampled)."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Sequence

from simulator.engine.analysis import Analysis, Edge
from simulator.engine.graphs import topological
from simulator.engine.model import Choice, Node

#: Apology and empathy words: what a trainee who picks "the nice-sounding one" looks for.
WARM_WORDS = re.compile(
    r"\b(sorry|apolog\w*|regret\w*|understand(?:able|ably)?|i hear you|hear what you"
    r"|i can (?:imagine|hear how)|that must be|that sounds|frustrat\w*|i appreciate"
    r"|upsetting|my fault|our fault|you'?re (?:right|upset)|i get it|i'?d feel the same)\b",
    re.IGNORECASE,
)

#: The strategies, in the order they are reported: id -> what it does.
STRATEGIES: dict[str, str] = {
    "first": "always the first shown",
    "second": "always the second shown",
    "last": "always the last shown",
    "longest": "always the longest",
    "shortest": "always the shortest",
    "warm": "always a warm one (else the longest)",
    "not-longest": "never the longest (any other at random)",
    "not-warm": "never a warm one (any other at random)",
    "random": "uniform random",
}


def is_warm(text: str) -> bool:
    """True when ``text`` contains apology or empathy words."""
    return WARM_WORDS.search(text) is not None


def length(text: str) -> int:
    """A reply's length as a reader sees it: characters, runs of spaces counted once."""
    return len(" ".join(text.split()))


Policy = Callable[[Node, Sequence[Edge]], list[float]]


def _uniform_over(flags: Sequence[bool]) -> list[float]:
    n = sum(flags)
    return [(1.0 / n if f else 0.0) for f in flags]


def _by_length(node: Node, edges: Sequence[Edge], pick: Callable[..., int]) -> list[float]:
    sizes = [length(choice_of(node, e).say) for e in edges]
    target = pick(sizes)
    return _uniform_over([s == target for s in sizes])


def _position(index: int) -> Policy:
    def policy(node: Node, edges: Sequence[Edge]) -> list[float]:
        if not node.fixed_order:  # the shuffle makes every position equally likely
            return [1.0 / len(edges)] * len(edges)
        i = index if -len(edges) <= index < len(edges) else len(edges) - 1
        return _uniform_over([j == i % len(edges) for j in range(len(edges))])
    return policy


def _warm(node: Node, edges: Sequence[Edge]) -> list[float]:
    warm = [is_warm(choice_of(node, e).say) for e in edges]
    if not any(warm):
        return _by_length(node, edges, max)
    sizes = [length(choice_of(node, e).say) if w else -1 for e, w in zip(edges, warm, strict=True)]
    top = max(sizes)
    return _uniform_over([s == top for s in sizes])


def _avoiding(node: Node, edges: Sequence[Edge],
              marked: Callable[[list[str]], list[bool]]) -> list[float]:
    """Uniform over the replies not marked (the inverse cue: a trainee who has learnt that
    the longest, or the warmest, is the trap); uniform over all when every reply or none is
    marked."""
    flags = marked([choice_of(node, e).say for e in edges])
    if all(flags) or not any(flags):
        return [1.0 / len(edges)] * len(edges)
    return _uniform_over([not f for f in flags])


POLICIES: dict[str, Policy] = {
    "first": _position(0),
    "second": _position(1),
    "last": _position(-1),
    "longest": lambda node, edges: _by_length(node, edges, max),
    "shortest": lambda node, edges: _by_length(node, edges, min),
    "warm": _warm,
    "not-longest": lambda node, edges: _avoiding(
        node, edges, lambda texts: [length(t) == max(map(length, texts)) for t in texts]),
    "not-warm": lambda node, edges: _avoiding(
        node, edges, lambda texts: [is_warm(t) for t in texts]),
    "random": lambda node, edges: [1.0 / len(edges)] * len(edges),
}


def choice_of(node: Node, edge: Edge) -> Choice:
    """The choice an edge of the state graph stands for."""
    choice = node.choice(edge.choice)
    assert choice is not None
    return choice


Dist = dict[int, float]


def _mix(into: defaultdict[int, float], dist: Dist, shift: int, p: float) -> None:
    for total, q in dist.items():
        into[total + shift] += p * q


def distribution(a: Analysis, probs: list[list[float]]) -> tuple[Dist, Dist]:
    """The exact distribution of a play's total when each reply at state ``s`` is taken with
    probability ``probs[s][i]``: (every play, plays that can pass: no critical choice and an
    authored ending). Carried backwards through the state graph, one pass per turn left when
    loops or the max-turns guard shape the plays."""
    n = len(a.states)

    def step(s: int, nxt_all: Sequence[Dist], nxt_clean: Sequence[Dist]) -> tuple[Dist, Dist]:
        every: defaultdict[int, float] = defaultdict(float)
        clean: defaultdict[int, float] = defaultdict(float)
        for e, p in zip(a.edges[s], probs[s], strict=True):
            if p == 0.0:
                continue
            if e.next < 0:
                every[e.total] += p
                if not e.critical:
                    clean[e.total] += p
                continue
            _mix(every, nxt_all[e.next], e.total, p)
            if not e.critical:
                _mix(clean, nxt_clean[e.next], e.total, p)
        return dict(every), dict(clean)

    if not a.layered:
        every: list[Dist] = [{} for _ in range(n)]
        clean: list[Dist] = [{} for _ in range(n)]
        for s in reversed(topological(a.successors)):
            every[s], clean[s] = step(s, every, clean)
        return every[0], clean[0]
    # With no turns left the guard ends the call: total 0 from there, and it cannot pass.
    prev_all: list[Dist] = [{0: 1.0} for _ in range(n)]
    prev_clean: list[Dist] = [{} for _ in range(n)]
    for _k in range(a.scenario.max_turns):
        pairs = [step(s, prev_all, prev_clean) for s in range(n)]
        prev_all = [p[0] for p in pairs]
        prev_clean = [p[1] for p in pairs]
    return prev_all[0], prev_clean[0]


