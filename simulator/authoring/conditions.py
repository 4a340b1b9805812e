"""The truth values a condition can take over its variables' declared ranges."""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence

from simulator.engine.expr import Condition
from simulator.engine.model import Variable

#: Exact checking of a condition walks every combination of its variables up to this many.
EXACT_COMBINATIONS = 100_000


def condition_truths(cond: Condition, variables: dict[str, Variable]) -> set[bool]:
    """The truth values ``cond`` takes over its variables' ranges (exactly when there are few
    combinations; otherwise over the points where a comparison can change its value)."""
    names = sorted(cond.names)
    ranges = [variables[n] for n in names]
    combos = 1
    for v in ranges:
        combos *= v.high - v.low + 1
    if combos <= EXACT_COMBINATIONS:
        axes: list[Sequence[int]] = [range(v.low, v.high + 1) for v in ranges]
    else:
        # Truth can only change where a variable crosses a number written in the condition
        # or another variable's bound; a chain of k comparisons needs steps of up to k.
        k = len(names)
        pivots = {int(n) for n in re.findall(r"-?\d+", cond.source)}
        pivots |= {b for v in ranges for b in (v.low, v.high)}
        points = {p + d for p in pivots for d in range(-k, k + 1)}
        axes = [sorted(p for p in points if v.low <= p <= v.high) for v in ranges]
    seen: set[bool] = set()
    for values in itertools.product(*axes):
        seen.add(bool(cond(dict(zip(names, values, strict=True)))))
        if len(seen) == 2:
            break
    return seen
