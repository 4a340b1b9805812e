"""Conditions a hostile author writes: 2 MB long, nested 10,000 deep, numbers 5,000 digits."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator.engine import expr
from simulator.engine.loader import MAX_BYTES, load, loads
from simulator.engine.problems import ScenarioError

DATA = Path(__file__).parent.parent / "data"
ROUTE = "          - when: anger >= 85"
ANGER = "  anger: {min: 0, max: 100, start: 50}"


def with_condition(condition: str) -> str:
    """tiny.yaml with its one condition replaced (it starts at line 33, column 19) and a
    second variable, ``x``, declared after ``anger``."""
    text = (DATA / "tiny.yaml").read_text(encoding="utf-8")
    assert ROUTE in text and ANGER in text
    return text.replace(ROUTE, f"          - when: {condition}").replace(
        ANGER, ANGER + "\n  x: {min: 0, max: 9, start: 0}")


def test_a_condition_of_250000_terms_loads_and_evaluates() -> None:
    condition = " or ".join(["x<1"] * 125_000) + " or " + " and ".join(["x>=8"] * 125_000)
    text = with_condition(condition)
    assert len(text.encode()) <= MAX_BYTES
    route = loads(text).nodes["opening"].choices[1].routes[0]
    assert route.when is not None and route.when.names == {"x"}
    assert route.when({"x": 0}) and route.when({"x": 9})
    assert not route.when({"x": 5})


def test_a_malformed_term_deep_in_a_long_condition_is_located() -> None:
    terms = [f"anger != {n}" for n in range(100_000)]
    terms[99_000] = "anger => 3"
    condition = " and ".join(terms)
    with pytest.raises(ScenarioError) as info:
        loads(with_condition(condition), "long.yaml")
    (problem,) = info.value.problems
    assert (problem.line, problem.col) == (33, 19 + condition.index("=>"))
    assert "'=>' is not a comparison" in problem.message
    # The message quotes the start of the condition, not all of its 1.3 MB.
    assert len(problem.message) < 200


@pytest.mark.parametrize(("opening", "deepest"), [("(", 50), ("not ", 200), ("not (", 125)])
def test_a_condition_nested_10000_deep_is_reported_at_the_condition_with_the_limit(
        opening: str, deepest: int) -> None:
    # ``deepest`` is the offset of the bracket or 'not' that opens level 51.
    condition = opening * 10_000 + "anger > 1" + ")" * opening.count("(") * 10_000
    with pytest.raises(ScenarioError) as info:
        loads(with_condition(condition), "deep.yaml")
    (problem,) = info.value.problems
    assert (problem.line, problem.col) == (33, 19 + deepest)
    assert f"the limit is {expr.MAX_NESTING} levels" in problem.message
    assert "YAML" not in problem.message


def test_nesting_up_to_the_limit_is_accepted() -> None:
    condition = "(" * expr.MAX_NESTING + "anger > 1" + ")" * expr.MAX_NESTING
    assert expr.parse(condition)({"anger": 2})
    with pytest.raises(expr.ExprError) as info:
        expr.parse("not " + condition)
    assert info.value.offset == 4 + expr.MAX_NESTING - 1


@pytest.mark.parametrize("number", ["9" * 5000, "-" + "9" * 4301, "1000001", "-1000001",
                                    "0" * 30 + "1"])
def test_a_number_in_a_condition_beyond_the_variable_range_is_located(number: str) -> None:
    with pytest.raises(ScenarioError) as info:
        loads(with_condition(f"anger >= {number}"), "huge.yaml")
    (problem,) = info.value.problems
    assert (problem.line, problem.col) == (33, 28)
    assert "numbers in conditions must be between -1,000,000 and 1,000,000" in problem.message


@pytest.mark.parametrize("text", ["anger >= 1000000", "-1000000 < anger", "0001 == anger"])
def test_numbers_at_the_edge_of_the_range_are_accepted(text: str) -> None:
    assert expr.parse(text).names == {"anger"}


def test_a_2mb_condition_file_is_read_from_disk(tmp_path: Path) -> None:
    condition = " and ".join(f"anger != {n % 1000}" for n in range(122_000))
    path = tmp_path / "long.yaml"
    path.write_text(with_condition(condition), encoding="utf-8")
    assert path.stat().st_size > 2_000_000
    scenario = load(path)
    assert scenario.nodes["opening"].choices[1].routes[0].when is not None
