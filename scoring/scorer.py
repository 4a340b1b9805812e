"""Turns a played call (its steps and ending) into a scorecard against the rubric.

Scoring works from *which choice* was taken at each step, whatever picked it, and compares
the result with the best achievable path computed by :mod:`simulator.engine.analysis`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass

from scoring.rubric import BY_ID, RUBRIC_VERSION
from simulator.engine.analysis import UNREACHABLE, Analysis
from simulator.engine.model import MAX_TURNS_ENDING, Ending, Scenario
from simulator.engine.session import Step
from simulator.engine.situations import analysis_for


@dataclass(frozen=True, slots=True)
class PrincipleScore:
    """One principle's line on the scorecard."""

    id: str
    name: str
    earned: int
    best: int  # what the best path earns in this principle: the 100% mark
    percent: float
    max: int = 0  # the most this principle alone can earn on a clean play

    @property
    def nothing_to_earn(self) -> bool:
        """True when the best path earns nothing in this principle (its figure is only
        whether points were lost)."""
        return self.best <= 0


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
        data["principles"] = {p.id: {**{k: v for k, v in asdict(p).items() if k != "id"},
                                     "nothing_to_earn": p.nothing_to_earn}
                              for p in self.principles}
        return data


#: What a principle's figure reads when the best path earns nothing in it (every view says so
#: in these words instead of a percentage).
NOTHING_TO_EARN = "nothing to earn"


def percent_of_best(earned: int, best: int) -> float:
    """The scoring rule: ``earned`` as a percentage of ``best``, negative totals floored at 0
    (with nothing to earn, any total that loses nothing counts as full marks)."""
    if best <= 0:
        return 100.0 if earned >= best else 0.0
    return round(100.0 * max(earned, 0) / best, 1)


def _missed(analysis: Analysis, steps: Sequence[Step]) -> list[Missed]:
    """Steps whose answer lost points against the best answer from the same state. The
    better answer is never a reply that itself loses points, and among answers worth the
    same it is the one with the shortest way to the end."""
    out = []
    scenario = analysis.scenario
    taken: list[tuple[str, str]] = []
    for step in steps:
        s = analysis.state_index(step.node, step.values_before, taken)
        taken.append((step.node, step.choice))
        if s is None:
            continue
        k = scenario.max_turns - (step.turn - 1)
        candidates = [(analysis.edge_value(e, k), e) for e in analysis.edges[s]
                      if not e.critical and e.total >= 0]
        best_val = max((v for v, _e in candidates), default=UNREACHABLE)
        if best_val == UNREACHABLE:
            continue
        best_edge = min((e for v, e in candidates if v == best_val),
                        key=lambda e: analysis.edge_tie(e, k))
        if best_edge.choice == step.choice:
            continue
        if step.target in scenario.endings:
            after = 0
        else:
            nxt = analysis.state_index(step.target, step.values, taken)
            after = UNREACHABLE if nxt is None else analysis.value(nxt, k - 1)
        # From a state with no passing way on, the rest of the best path is lost too.
        lost = best_val - sum(step.scores.values()) - (0 if after == UNREACHABLE else after)
        if lost > 0:
            better = scenario.nodes[step.node].choice(best_edge.choice)
            out.append(Missed(step.turn, step.node, step.choice, best_edge.choice,
                              better.say if better else "", lost))
    return out


def earned_scores(principles: Sequence[str], steps: Sequence[Step]) -> dict[str, int]:
    """Each principle's sum over ``steps``, a reply's gains counted once per attempt (a
    repeat at the same node counts only its losses; steps from a session already are)."""
    earned = dict.fromkeys(principles, 0)
    seen: set[tuple[str, str]] = set()
    for step in steps:
        repeat = (step.node, step.choice) in seen
        seen.add((step.node, step.choice))
        for pid, delta in step.scores.items():
            if pid in earned:
                earned[pid] += min(delta, 0) if repeat else delta
    return earned


def score(
    scenario: Scenario,
    steps: Sequence[Step],
    ending: Ending | None,
    analysis: Analysis | None = None,
) -> Scorecard:
    """Score a call: per-principle sums, percent of the best path, pass/fail, advice. The
    best is that of the situation the call started in (``analysis`` is used when it is
    the analysis of that situation)."""
    analysis = analysis_for(scenario, steps[0].values_before if steps else {}, analysis)
    best = analysis.best
    best_total = best.total
    maxima = analysis.principle_max()
    earned = earned_scores(scenario.principles, steps)
    total = sum(earned.values())
    # Each principle is measured against what the best path earns in it, so following the
    # best path shows every principle at 100%; the principle's own maximum comes second.
    principles = tuple(
        PrincipleScore(pid, BY_ID[pid].name, earned[pid], best.principles.get(pid, 0),
                       min(100.0, percent_of_best(earned[pid], best.principles.get(pid, 0))),
                       maxima[pid])
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
