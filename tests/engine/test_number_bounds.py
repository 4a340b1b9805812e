"""Every number in the format has a documented range; anything else is a located error.

Huge numbers (past Python's 4,300-digit conversion limit), 20-digit ones (past a SQLite
integer) and negative ones are fed to every numeric field: ``validate`` reports each out of
range at its ``path:line:col`` and never raises anything else; a file that loads is analysed,
linted, reported on and scored without an exception.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scoring.scorer import score
from simulator.authoring.lint import lint
from simulator.authoring.stats import report
from simulator.engine import bounds
from simulator.engine.analysis import analyze
from simulator.engine.loader import loads
from simulator.engine.model import Scenario
from simulator.engine.problems import ScenarioError
from tests.engine.helpers import fresh

DATA = Path(__file__).parent.parent / "data"

#: Each numeric field: the text of tiny.yaml it replaces (with ``@`` where the number goes),
#: and its documented range.
FIELDS: dict[str, tuple[str, str, tuple[int, int]]] = {
    "format": ("format: 1", "format: @", bounds.FORMAT_RANGE),
    "pass_mark": ("pass_mark: 60", "pass_mark: @", bounds.PASS_MARK_RANGE),
    "max_turns": ("max_turns: 10", "max_turns: @\nresponse_seconds: 30", bounds.MAX_TURNS_RANGE),
    "response_seconds": ("max_turns: 10", "max_turns: 10\nresponse_seconds: @",
                         bounds.RESPONSE_SECONDS_RANGE),
    "order_value": ("order_value: 25", "order_value: @", bounds.ORDER_VALUE_RANGE),
    "min": ("anger: {min: 0,", "anger: {min: @,", bounds.VARIABLE_RANGE),
    "max": ("max: 100, start: 50}", "max: @, start: 50}", bounds.VARIABLE_RANGE),
    "start": ("max: 100, start: 50}", "max: 100, start: @}", bounds.VARIABLE_RANGE),
    "scores": ("scores: {apologize: 2,", "scores: {apologize: @,", bounds.SCORE_RANGE),
    "effects": ("effects: {anger: -20}", "effects: {anger: @}", bounds.SCORE_RANGE),
    "condition": ("when: anger >= 85", "when: anger >= @", bounds.VARIABLE_RANGE),
}


def template(field: str) -> tuple[str, int, int]:
    """tiny.yaml with ``@`` where ``field``'s number goes, and the line and column of ``@``."""
    text = (DATA / "tiny.yaml").read_text(encoding="utf-8")
    old, new, _ = FIELDS[field]
    assert text.count(old) == 1
    text = text.replace(old, new)
    at = text.index("@")
    line = text.count("\n", 0, at) + 1
    return text, line, at - text.rfind("\n", 0, at)


def in_range(number: str, bounds_: tuple[int, int]) -> bool:
    digits = number.lstrip("+-")
    if len(digits) > 30:
        return False
    return bounds_[0] <= float(number) <= bounds_[1]


def load_with(field: str, number: str) -> tuple[Scenario | None, list, int, int]:
    text, line, col = template(field)
    try:
        return loads(text.replace("@", number), "bounds.yaml"), [], line, col
    except ScenarioError as exc:
        return None, exc.problems, line, col


def downstream(scenario: Scenario) -> None:
    """Everything a valid scenario goes through after loading: none may raise."""
    analysis = analyze(scenario)
    lint(scenario, analysis=analysis)
    report(scenario, analysis)
    for path in (analysis.best, analysis.worst):
        session = fresh(scenario)
        for choice in path.choices:
            session.choose(choice)
        card = score(scenario, session.log, session.ending, analysis)
        assert 0.0 <= card.percent <= 100.0


NUMBERS = st.one_of(
    st.integers(-10**25, 10**25).map(str),
    st.integers(-3000, 3000).map(str),
    st.integers(4295, 6000).map(lambda n: "9" * n),
    st.integers(4295, 6000).map(lambda n: "-" + "1" * n),
    st.integers(19, 25).map(lambda n: "1" + "0" * n),
)


@pytest.mark.parametrize("field", sorted(FIELDS))
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(number=NUMBERS)
def test_every_numeric_field_refuses_huge_and_negative_numbers_at_their_place(
        field: str, number: str) -> None:
    scenario, problems, line, col = load_with(field, number)
    _, _, allowed = FIELDS[field]
    for p in problems:
        assert p.line >= 1 and p.col >= 1, p
        assert len(p.message) < 300, p
    if not in_range(number, allowed):
        assert scenario is None
        here = [p for p in problems if (p.line, p.col) == (line, col)
                or (field == "condition" and p.line == line)]
        assert here, problems
        assert bounds.between(allowed) in here[0].message
    elif scenario is not None:
        downstream(scenario)


@pytest.mark.parametrize("field", sorted(FIELDS))
def test_the_edges_of_each_range_are_accepted_and_one_past_is_refused(field: str) -> None:
    _, _, (low, high) = FIELDS[field]
    for number, ok in ((low, True), (high, True), (low - 1, False), (high + 1, False)):
        scenario, problems, line, col = load_with(field, str(number))
        located = [p for p in problems if (p.line, p.col) == (line, col)
                   or field == "condition" and p.line == line]
        if ok:
            assert not any(bounds.between((low, high)) in p.message for p in problems), problems
        else:
            assert located and bounds.between((low, high)) in located[0].message, problems
            if field in ("min", "max", "start"):  # nothing else is blamed on the variable
                assert len(problems) == 1, problems


def test_a_number_of_5000_digits_is_described_not_echoed() -> None:
    _, problems, line, col = load_with("max_turns", "9" * 5000)
    (p,) = problems
    assert (p.line, p.col) == (line, col)
    assert p.message == ("max_turns must be between 1 and 1,000, got a number 5,000 "
                         "characters long")


def test_a_20_digit_score_is_refused_by_validate() -> None:
    # It used to pass validate and lint, then crash certify when written to SQLite.
    _, problems, line, col = load_with("scores", "99999999999999999999")
    assert [(p.line, p.col) for p in problems] == [(line, col)]
    assert "scores for 'apologize' must be between -1,000 and 1,000" in problems[0].message


def test_an_infinite_order_value_is_refused() -> None:
    for number in ("1e400", "-1e400", "1" * 400 + ".5"):
        _, problems, line, col = load_with("order_value", number)
        assert [(p.line, p.col) for p in problems] == [(line, col)], number


def test_the_schema_states_the_same_ranges() -> None:
    from simulator.authoring.schema import schema

    data = schema()
    props, defs = data["properties"], data["$defs"]
    pairs = {
        "pass_mark": props["pass_mark"], "max_turns": props["max_turns"],
        "response_seconds": props["response_seconds"],
        "order_value": props["persona"]["properties"]["order_value"],
        "min": defs["variable"]["properties"]["min"],
        "max": defs["variable"]["properties"]["max"],
        "start": defs["variable"]["properties"]["start"],
        "scores": defs["scores"]["additionalProperties"],
        "effects": defs["effects"]["additionalProperties"],
    }
    for field, node in pairs.items():
        # A start may be one number or a list of them (a drawn situation): both bounded.
        for one in (node["oneOf"][0], node["oneOf"][1]["items"]) if "oneOf" in node else (node,):
            assert (one["minimum"], one["maximum"]) == FIELDS[field][2], field


def test_the_format_guide_states_the_same_ranges() -> None:
    guide = (DATA.parent.parent / "scenarios" / "README.md").read_text(encoding="utf-8")
    rows = dict(re.findall(r"^\| (.+?) \| (-?[\d,]+ \| -?[\d,]+) \|$", guide, re.M))
    stated = {
        "pass_mark": "`pass_mark`", "max_turns": "`max_turns`",
        "response_seconds": "`response_seconds`",
        "order_value": "`order_value` (decimals allowed)",
        "min": "a variable's `min`, `max` and `start`",
        "max": "a variable's `min`, `max` and `start`",
        "start": "a variable's `min`, `max` and `start`",
        "condition": "a number in a condition",
        "scores": "each value in `scores`", "effects": "each value in `effects`",
    }
    for field, row in stated.items():
        low, high = FIELDS[field][2]
        assert rows[row] == f"{low:,} | {high:,}", field
