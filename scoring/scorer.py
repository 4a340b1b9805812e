"""Turns a played call (its steps and ending) into a scorecard against the rubric.

Scoring works from *which choice* was taken at each step, whatever picked it, and compares
the result with the best achievable path computed by :mod:`simulator.engine.analysis`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass

from scoring.rubric import BY_ID, RUBRIC_VERSION
from simulator.engine.analysis import UNREACHABLE, Analysis, analyze
from simulator.engine.model import MAX_TURNS_ENDING, Ending, Scenario
from simulator.engine.session import Step


@dataclass(frozen=True, slots=True)
class PrincipleScore:
    """One principle's line on the scorecard."""

    id: str
    name: str
    earned: int
    best: int
    percent: float


@dataclass(frozen=True, slots=True)
class Missed:
    """A step where a better answer was available, and what it would have been."""

    turn: int
    node: str
    chose: str
    better: str
    better_say: str
    lost: int


@dataclass(frozen=True, slots=True)
class Critical:
    """A critical choice made during the call."""

    turn: int
    node: str
    choice: str


@dataclass(frozen=True, slots=True)
class Scorecard:
    """The result of one call."""

    scenario: str
    finished: bool
    ending: str | None
    outcome: str | None
    total: int
    max: int
    percent: float
    pass_mark: int
    passed: bool
    principles: tuple[PrincipleScore, ...]
    critical: tuple[Critical, ...]
    missed: tuple[Missed, ...]
    rubric_version: str = RUBRIC_VERSION

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready dict; ``principles`` is keyed by principle id."""
        data = asdict(self)
        data["principles"] = {p.id: {k: v for k, v in asdict(p).items() if k != "id"}
                              for p in self.principles}
        return data


def percent_of_best(earned: int, best: int) -> float:
    """The scoring rule: ``earned`` as a percentage of ``best``, negative totals floored at 0
    (with nothing to earn, any total that loses nothing counts as full marks)."""
    if best <= 0:
        return 100.0 if earned >= best else 0.0
    return round(100.0 * max(earned, 0) / best, 1)


def _missed(analysis: Analysis, steps: Sequence[Step]) -> list[Missed]:
    """Steps whose answer lost points against the best answer from the same state."""
    out = []
    scenario = analysis.scenario
    for step in steps:
        s = analysis.state_index(step.node, step.values_before)
        if s is None:
            continue
        k = scenario.max_turns - (step.turn - 1)
        best_edge, best_val = None, UNREACHABLE
        for e in analysis.edges[s]:
            val = analysis.edge_value(e, k)
            if not e.critical and val > best_val:
                best_edge, best_val = e, val
        if best_edge is None or best_edge.choice == step.choice:
            continue
        if step.target in scenario.endings:
            after = 0
        else:
            nxt = analysis.state_index(step.target, step.values)
            after = UNREACHABLE if nxt is None else analysis.value(nxt, k - 1)
        # From a state with no passing way on, the rest of the best path is lost too.
        lost = best_val - sum(step.scores.values()) - (0 if after == UNREACHABLE else after)
        if lost > 0:
            better = scenario.nodes[step.node].choice(best_edge.choice)
            out.append(Missed(step.turn, step.node, step.choice, best_edge.choice,
                              better.say if better else "", lost))
    return out


def score(
    scenario: Scenario,
    steps: Sequence[Step],
    ending: Ending | None,
    analysis: Analysis | None = None,
) -> Scorecard:
    """Score a call: per-principle sums, percent of the best path, pass/fail, advice."""
    analysis = analysis or analyze(scenario)
    best_total = analysis.best.total
    maxima = analysis.principle_max()
    earned = dict.fromkeys(scenario.principles, 0)
    for step in steps:
        for pid, delta in step.scores.items():
            if pid in earned:
                earned[pid] += delta
    total = sum(earned.values())
    principles = tuple(
        PrincipleScore(pid, BY_ID[pid].name, earned[pid], maxima[pid],
                       percent_of_best(earned[pid], maxima[pid]))
        for pid in scenario.principles
    )
    critical = tuple(Critical(s.turn, s.node, s.choice) for s in steps if s.critical)
    # A scenario no play can win gives no meaningful percentage: 0, never "100% of nothing".
    percent = percent_of_best(total, best_total) if analysis.winnable else 0.0
    finished = ending is not None
    passed = (finished and ending is not None and ending.id != MAX_TURNS_ENDING
              and not critical and percent >= scenario.pass_mark)
    return Scorecard(
        scenario=scenario.id,
        finished=finished,
        ending=ending.id if ending else None,
        outcome=ending.outcome if ending else None,
        total=total,
        max=best_total,
        percent=percent,
        pass_mark=scenario.pass_mark,
        passed=passed,
        principles=principles,
        critical=critical,
        missed=tuple(_missed(analysis, steps)),
    )
