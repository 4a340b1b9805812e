"""The cue-resistance audit: how strategies that ignore what replies mean score on a scenario.

A test-wise trainee does not read for meaning: they press the same key every time, pick the
longest reply, or the one that says sorry. Each such *surface strategy* is a policy (a
probability for each reply at each state of the analysis state graph), and its score is
computed exactly over that graph, never sampled: the distribution of a play's total is carried
backwards through the graph, so the expected percentage and the probability of passing are
exact. The text cues at each decision point (is the best reply the longest, the only warm one,
the only one worth anything?) are counted alongside.
"""

from __future__ import annotations

import statistics
from dataclasses import asdict, dataclass

from scoring.scorer import percent_of_best
from simulator.authoring.strategies import (
    POLICIES,
    STRATEGIES,
    Dist,
    choice_of,
    distribution,
    is_warm,
    length,
)
from simulator.engine.analysis import UNREACHABLE, Analysis, analyze
from simulator.engine.graphs import distances
from simulator.engine.model import Mark, Scenario

#: A surface strategy scoring within this many points of the pass mark is too close.
NEAR_PASS_POINTS = 15
#: The best reply may be the longest at no more than this share of decision points.
LONGEST_LIMIT = 0.35
#: Warm words may appear only in the best reply at no more than this share.
WARM_LIMIT = 0.15
#: At least this share of decision points should have a near miss.
NEAR_MISS_MIN = 0.30
#: A best reply this many times the median length of the others stands out.
LENGTH_RATIO = 1.25
#: A random strategy "passes" when it passes at least this often.
PASS_PROBABILITY = 0.5


@dataclass(frozen=True, slots=True)
class StrategyResult:
    """How one surface strategy fares: its expected percentage and chance of passing."""

    id: str
    label: str
    score: float  # expected percent of the best score
    pass_probability: float
    passes: bool  # passes at least half the time (always, for a strategy that never varies)
    near: bool  # does not pass, but scores within NEAR_PASS_POINTS of the pass mark
    helped_at: tuple[str, ...]  # decision points where it mostly picks a best reply


@dataclass(frozen=True, slots=True)
class DecisionPoint:
    """The text cues at one node where the replies differ in value."""

    node: str
    best: tuple[str, ...]  # the reply (or replies, if tied) worth the most from here
    longest: bool  # a best reply is strictly longer than every other reply
    ratio: float  # the longest best reply's length over the median of the others
    warm_only_best: bool  # apology or empathy words appear, but only in a best reply
    positive: int  # replies with a positive score of their own
    best_first: bool  # a best reply is written first in the file
    mark: Mark

    @property
    def long_ratio(self) -> bool:
        """The best reply is more than :data:`LENGTH_RATIO` times the others' median."""
        return self.ratio > LENGTH_RATIO

    @property
    def near_miss(self) -> bool:
        """Two or more replies score positively, so choosing takes judgement."""
        return self.positive >= 2


@dataclass(frozen=True, slots=True)
class ScenarioAudit:
    """The audit of one scenario."""

    scenario: str
    title: str
    path: str
    pass_mark: int
    strategies: tuple[StrategyResult, ...]
    points: tuple[DecisionPoint, ...]
    situations: int = 1
    """How many seeded situations were audited (and merged, see :func:`audit`)."""

    def share(self, cue: str) -> float:
        """The share of decision points (0..1) showing ``cue`` (a DecisionPoint flag)."""
        if not self.points:
            return 0.0
        return sum(1 for p in self.points if getattr(p, cue)) / len(self.points)

    def findings(self) -> list[str]:
        """What fails the audit, in words (empty when the scenario resists surface cues)."""
        out = []
        for s in self.strategies:
            if s.passes or s.near:
                verdict = "passes" if s.passes else f"comes within {NEAR_PASS_POINTS} points of"
                out.append(f"{s.label}: {s.score}% ({s.pass_probability:.0%} chance to pass) "
                           f"{verdict} the pass mark of {self.pass_mark}%")
        n = len(self.points)
        checks = (("longest", LONGEST_LIMIT, "the best reply is the longest"),
                  ("warm_only_best", WARM_LIMIT, "warm words appear only in the best reply"))
        for cue, limit, what in checks:
            count = sum(1 for p in self.points if getattr(p, cue))
            if n and count / n > limit:
                out.append(f"{what} at {count} of {n} decision points (more than {limit:.0%})")
        near = sum(1 for p in self.points if p.near_miss)
        if n and near / n < NEAR_MISS_MIN:
            out.append(f"a near miss (two replies worth points) at only {near} of {n} decision "
                       f"points (fewer than {NEAR_MISS_MIN:.0%})")
        return out

    @property
    def failed(self) -> bool:
        """True when a surface strategy passes or comes close, or a cue is too common."""
        return bool(self.findings())

    def to_dict(self) -> dict[str, object]:
        """A dict for ``json.dumps`` (tuples become lists)."""
        data = asdict(self)
        for point in data["points"]:
            point.pop("mark")
        for point, src in zip(data["points"], self.points, strict=True):
            point["long_ratio"] = src.long_ratio
            point["near_miss"] = src.near_miss
        data["shares"] = {cue: round(self.share(cue), 3) for cue in CUES}
        data["findings"] = self.findings()
        data["failed"] = self.failed
        return data


#: The per-point cues summed over a scenario or a library: flag -> what it means.
CUES: dict[str, str] = {
    "longest": "best reply the longest",
    "long_ratio": f"best reply > {LENGTH_RATIO}x others' median length",
    "warm_only_best": "warm words only in the best reply",
    "near_miss": "near miss (2+ replies worth points)",
    "best_first": "best reply written first",
}


def _strategy(a: Analysis, sid: str, best_total: int, points: dict[str, DecisionPoint],
              first: dict[str, int], seen: list[tuple[list[list[float]], Dist, Dist]],
              ) -> StrategyResult:
    s = a.scenario
    policy = POLICIES[sid]
    probs = [policy(s.nodes[node], a.edges[i]) for i, (node, _v) in enumerate(a.states)]
    # Without pinned orders the position strategies are the random one: compute it once.
    every, clean = next(((e, c) for p, e, c in seen if p == probs), ({}, {}))
    if not every:
        every, clean = distribution(a, probs)
        seen.append((probs, every, clean))
    winnable = best_total != UNREACHABLE

    def pct(total: int) -> float:
        return percent_of_best(total, best_total) if winnable else 0.0

    score = round(sum(pct(t) * p for t, p in every.items()), 1)
    p_pass = sum(p for t, p in clean.items() if pct(t) >= s.pass_mark)
    p_pass = min(1.0, round(p_pass, 6))
    passes = p_pass >= PASS_PROBABILITY
    near = not passes and score >= s.pass_mark - NEAR_PASS_POINTS
    helped = []
    for node_id, point in points.items():
        edges = a.edges[first[node_id]]
        weights = policy(s.nodes[node_id], edges)
        if sum(w for e, w in zip(edges, weights, strict=True) if e.choice in point.best) > 0.5:
            helped.append(node_id)
    return StrategyResult(sid, STRATEGIES[sid], score, p_pass, passes, near, tuple(helped))


def first_states(a: Analysis) -> dict[str, int]:
    """For each node shown within the max-turns guard, its earliest state (fewest turns in)."""
    dist = distances(a.successors)
    first: dict[str, int] = {}
    for i, (node_id, _v) in enumerate(a.states):
        if 0 <= dist[i] < a.scenario.max_turns and (
                node_id not in first or dist[i] < dist[first[node_id]]):
            first[node_id] = i
    return first


def decision_points(a: Analysis, first: dict[str, int] | None = None) -> dict[str, DecisionPoint]:
    """The text cues at every node reachable within the guard whose replies differ in value.

    A reply's value is what it leads to on the best play from the node's earliest state (its
    own score plus the best that can follow), so a reply worth nothing itself but leading to
    the good branch counts as the better one."""
    s = a.scenario
    dist = distances(a.successors)
    first = first if first is not None else first_states(a)
    out: dict[str, DecisionPoint] = {}
    for node_id, state in first.items():
        node = s.nodes[node_id]
        edges = a.edges[state]
        if len(edges) < 2:
            continue
        k = s.max_turns - dist[state]
        values = [UNREACHABLE if e.critical else a.edge_value(e, k) for e in edges]
        if max(values) == UNREACHABLE:
            values = [UNREACHABLE if e.critical else e.total for e in edges]
        top = max(values)
        if len(set(values)) == 1:
            continue
        best = [e.choice for e, v in zip(edges, values, strict=True) if v == top]
        texts = {e.choice: choice_of(node, e).say for e in edges}
        best_len = max(length(texts[c]) for c in best)
        others = [length(t) for c, t in texts.items() if c not in best]
        warm = {c for c, t in texts.items() if is_warm(t)}
        median = statistics.median(others)
        out[node_id] = DecisionPoint(
            node=node_id, best=tuple(best), longest=best_len > max(others),
            ratio=round(best_len / median, 2),
            warm_only_best=bool(warm) and warm <= set(best),
            positive=sum(1 for c in node.choices if c.total > 0),
            best_first=node.choices[0].id in best, mark=node.mark,
        )
    return out


def audit(scenario: Scenario, analysis: Analysis | None = None) -> ScenarioAudit:
    """Play every surface strategy against ``scenario`` and count its text cues.

    A scenario whose start is drawn (seeded situations) is audited in every situation, as a
    certification may draw any of them: see :func:`_merged`."""
    from simulator.engine.situations import situations

    drawn = situations(scenario)
    if len(drawn) > 1:
        return _merged(scenario, [_audit_one(scenario, analysis if analysis is not None
                                             and analysis.situation == sit
                                             else analyze(scenario, sit)) for sit in drawn])
    return _audit_one(scenario, analysis or analyze(scenario))


def _merged(scenario: Scenario, each: list[ScenarioAudit]) -> ScenarioAudit:
    """One audit from the audits of every situation (each drawn equally often): a
    strategy's expected score and chance to pass are their means over the situations, and
    it is near the pass mark when it passes or comes near in any one of them; a decision
    point shows a cue when it shows it in any situation, and is a near miss only when it is
    one in every situation (the cautious reading of each)."""
    strategies = []
    for rows in zip(*(a.strategies for a in each), strict=True):
        score = round(sum(r.score for r in rows) / len(rows), 1)
        p_pass = round(sum(r.pass_probability for r in rows) / len(rows), 6)
        passes = p_pass >= PASS_PROBABILITY
        near = not passes and (score >= scenario.pass_mark - NEAR_PASS_POINTS
                               or any(r.passes or r.near for r in rows))
        helped = tuple(dict.fromkeys(n for r in rows for n in r.helped_at))
        strategies.append(StrategyResult(rows[0].id, rows[0].label, score, p_pass, passes,
                                         near, helped))
    points: dict[str, DecisionPoint] = {}
    for a in each:
        for p in a.points:
            q = points.get(p.node)
            points[p.node] = p if q is None else DecisionPoint(
                p.node, tuple(dict.fromkeys(q.best + p.best)), q.longest or p.longest,
                max(q.ratio, p.ratio), q.warm_only_best or p.warm_only_best,
                min(q.positive, p.positive), q.best_first or p.best_first, q.mark)
    return ScenarioAudit(scenario.id, scenario.title, scenario.path, scenario.pass_mark,
                         tuple(strategies), tuple(points.values()), len(each))


def _audit_one(scenario: Scenario, a: Analysis) -> ScenarioAudit:
    """The audit of one situation's analysis."""
    best_total = a.value(0, scenario.max_turns) if a.winnable else UNREACHABLE
    first = first_states(a)
    points = decision_points(a, first)
    seen: list[tuple[list[list[float]], Dist, Dist]] = []
    strategies = tuple(_strategy(a, sid, best_total, points, first, seen)
                       for sid in STRATEGIES)
    return ScenarioAudit(scenario.id, scenario.title, scenario.path, scenario.pass_mark,
                         strategies, tuple(points.values()))


@dataclass(frozen=True, slots=True)
class LibraryAudit:
    """Figures over several scenarios: how often each cue and each strategy gets through."""

    scenarios: tuple[ScenarioAudit, ...]

    @property
    def points(self) -> int:
        """Decision points over every scenario."""
        return sum(len(s.points) for s in self.scenarios)

    def cue_count(self, cue: str) -> int:
        """Decision points showing ``cue`` over every scenario."""
        return sum(1 for s in self.scenarios for p in s.points if getattr(p, cue))

    def strategy_counts(self, sid: str) -> tuple[int, int, float]:
        """(scenarios it passes, scenarios it comes close on, its mean score)."""
        rows = [r for s in self.scenarios for r in s.strategies if r.id == sid]
        mean = round(sum(r.score for r in rows) / len(rows), 1) if rows else 0.0
        return sum(r.passes for r in rows), sum(r.near for r in rows), mean

    @property
    def failed(self) -> int:
        """How many scenarios fail the audit."""
        return sum(1 for s in self.scenarios if s.failed)

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready dict: per-scenario audits and the library figures."""
        strategies = {}
        for sid in STRATEGIES:
            passes, near, mean = self.strategy_counts(sid)
            strategies[sid] = {"passes": passes, "near": near, "mean_score": mean}
        return {
            "scenarios": [s.to_dict() for s in self.scenarios],
            "library": {
                "scenarios": len(self.scenarios), "failed": self.failed,
                "decision_points": self.points,
                "cues": {cue: self.cue_count(cue) for cue in CUES},
                "strategies": strategies,
            },
        }
