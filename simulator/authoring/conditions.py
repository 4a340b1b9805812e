"""The truth values a condition can take over its variables' declared ranges, and the lint
check for conditions that never or always hold."""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Callable, Sequence

from simulator.engine.expr import Condition
from simulator.engine.model import Mark, Scenario, Variable
from simulator.engine.problems import excerpt

#: Exact checking of a condition walks every combination of its variables up to this many.
EXACT_COMBINATIONS = 100_000
#: Comparisons evaluated (evaluations times the condition's comparisons) before the check
#: of one condition gives up undecided: a 2 MB condition over many wide variables would
#: otherwise keep the linter busy for ever.
WORK_BUDGET = 2_000_000
_COMPARISON = re.compile(r"[<>]=?|[=!]=")


def condition_truths(cond: Condition, variables: dict[str, Variable]) -> set[bool]:
    """The truth values ``cond`` takes over its variables' ranges (exactly when there are few
    combinations; otherwise over the points where a comparison can change its value).

    When deciding would take more than :data:`WORK_BUDGET` comparisons, both values are
    returned: the check is undecided and nothing is reported about the condition.
    """
    undecided = {True, False}
    names = sorted(cond.names)
    ranges = [variables[n] for n in names]
    evaluations = WORK_BUDGET // max(1, len(_COMPARISON.findall(cond.source)))
    combos = math.prod(v.high - v.low + 1 for v in ranges)
    if combos <= min(EXACT_COMBINATIONS, evaluations):
        axes: list[Sequence[int]] = [range(v.low, v.high + 1) for v in ranges]
    else:
        # Truth can only change where a variable crosses a number written in the condition
        # or another variable's bound; a chain of k comparisons needs steps of up to k.
        k = len(names)
        pivots = {int(n) for n in re.findall(r"-?\d+", cond.source)}
        pivots |= {b for v in ranges for b in (v.low, v.high)}
        if len(pivots) * (2 * k + 1) > evaluations:
            return undecided
        points = {p + d for p in pivots for d in range(-k, k + 1)}
        axes = [sorted(p for p in points if v.low <= p <= v.high) for v in ranges]
        combos = math.prod(len(axis) for axis in axes)
    seen: set[bool] = set()
    for values in itertools.islice(itertools.product(*axes), evaluations):
        seen.add(bool(cond(dict(zip(names, values, strict=True)))))
        if len(seen) == 2:
            break
    return seen if combos <= evaluations else seen | undecided


def check_conditions(scenario: Scenario,
                     warn: Callable[[Mark, str, str], None]) -> set[tuple[str, str, int]]:
    """Warn on conditions that never or always hold; return the routes so reported
    (node id, choice id, route index)."""
    variables = dict(scenario.variables)
    reported: set[tuple[str, str, int]] = set()
    for node in scenario.nodes.values():
        for choice in node.answers:
            for k, route in enumerate(choice.routes):
                if route.when is None or not route.when.names <= variables.keys():
                    continue
                truths = condition_truths(route.when, variables)
                ranges = ", ".join(f"{n} {variables[n].low}..{variables[n].high}"
                                   for n in sorted(route.when.names))
                if truths == {False}:
                    reported.add((node.id, choice.id, k))
                    warn(route.mark, "condition-never-holds",
                         f"condition {excerpt(route.when.source)!r} of choice {choice.id!r} "
                         f"can never hold ({ranges}), so it never goes to {route.target!r}")
                elif truths == {True}:
                    reported.update((node.id, choice.id, j)
                                    for j in range(k + 1, len(choice.routes)))
                    warn(route.mark, "condition-always-holds",
                         f"condition {excerpt(route.when.source)!r} of choice {choice.id!r} "
                         f"always holds ({ranges}), so the routes after it are never taken")
    return reported
