"""The linter's never/always-holds check of a condition is bounded: a condition of thousands
of comparisons over wide variables is given up undecided instead of keeping lint busy."""

from __future__ import annotations

from simulator.authoring import conditions
from simulator.authoring.conditions import WORK_BUDGET, condition_truths
from simulator.engine import expr
from simulator.engine.expr import Condition
from simulator.engine.model import Variable

WIDE = {f"v{i}": Variable(f"v{i}", -1_000_000, 1_000_000, 0) for i in range(4)}


def counting(text: str) -> tuple[Condition, list[int]]:
    parsed = expr.parse(text)
    calls = [0]

    def evaluate(values: object) -> bool:
        calls[0] += 1
        return parsed(values)  # type: ignore[arg-type]

    return Condition(parsed.source, parsed.names, evaluate), calls


def test_a_condition_of_12000_comparisons_over_wide_variables_is_given_up_undecided() -> None:
    # Never true (v0 cannot equal 1 and 2), but deciding it means walking a product of
    # millions of points per variable: the hostile review's lint never finished.
    text = " and ".join(f"v{i} == {j}" for i in range(4) for j in range(1, 3000))
    cond, calls = counting(text)
    assert condition_truths(cond, WIDE) == {True, False}
    assert calls[0] * 11_996 <= WORK_BUDGET


def test_a_long_condition_with_few_points_is_still_decided() -> None:
    text = " and ".join(["v0 == 1", "v0 == 2"] * 500)
    cond, calls = counting(text)
    assert condition_truths(cond, WIDE) == {False}
    assert calls[0] * 1000 <= WORK_BUDGET


def test_a_small_condition_is_checked_exactly_as_before() -> None:
    anger = {"anger": Variable("anger", 0, 100, 50)}
    assert condition_truths(expr.parse("anger > 100"), anger) == {False}
    assert condition_truths(expr.parse("anger >= 0"), anger) == {True}
    assert condition_truths(expr.parse("anger > 50"), anger) == {True, False}
    assert conditions.EXACT_COMBINATIONS <= WORK_BUDGET
