"""The condition grammar: what it accepts, how it evaluates, and where it reports mistakes."""

from __future__ import annotations

import pytest

from simulator.engine.expr import ExprError, parse


@pytest.mark.parametrize(
    ("text", "values", "expected"),
    [
        ("anger >= 85", {"anger": 85}, True),
        ("anger >= 85", {"anger": 84}, False),
        ("anger > 10 and trust < 3", {"anger": 11, "trust": 2}, True),
        ("anger > 10 and trust < 3", {"anger": 11, "trust": 3}, False),
        ("anger > 90 or trust == 0", {"anger": 0, "trust": 0}, True),
        ("not (anger < 50)", {"anger": 50}, True),
        ("not not anger != 5", {"anger": 5}, False),
        ("-5 < anger", {"anger": -4}, True),
        ("anger <= trust", {"anger": 3, "trust": 3}, True),
        ("(anger > 1 or trust > 1) and warned == 0", {"anger": 2, "trust": 0, "warned": 1},
         False),
    ],
)
def test_conditions_evaluate(text: str, values: dict[str, int], expected: bool) -> None:
    assert parse(text)(values) is expected


def test_condition_lists_the_variables_it_reads() -> None:
    assert parse("anger > 1 and not trust == 2 or warned < 1").names == {
        "anger", "trust", "warned"}


@pytest.mark.parametrize(
    ("text", "offset", "fragment"),
    [
        ("", 0, "empty condition"),
        ("anger >", 7, "expected a variable or a number, found end of condition"),
        ("anger = 5", 6, "write '==' to compare"),
        # Signs borrowed from spreadsheets and programming say what to write instead.
        ("anger => 80", 6, "'=>' is not a comparison: write '>='"),
        ("anger =< 80", 6, "write '<='"),
        ("anger > 80 && trust < 5", 11, "write 'and' instead of '&&'"),
        ("anger > 80 || trust < 5", 11, "write 'or' instead of '||'"),
        ("anger <> 3", 6, "write '!=' (is not) instead of '<>'"),
        ("anger \u2265 80", 6, "write '>=' instead of"),
        ("!(anger > 5)", 0, "write 'not' instead of '!'"),
        ("anger >= 80%", 11, "without '%'"),
        ("anger > 5 AND trust < 3", 10, "write 'and' in lower case"),
        ("(anger > 1", 10, "expected ')'"),
        ("anger > 1 trust", 10, "unexpected 'trust'"),
        ("__import__('os') > 1", 11, "unexpected character"),
        ("anger", 5, "expected a comparison"),
        ("anger > 1 and", 13, "expected a variable or a number"),
    ],
)
def test_malformed_conditions_report_the_offset(text: str, offset: int, fragment: str) -> None:
    with pytest.raises(ExprError) as info:
        parse(text)
    assert info.value.offset == offset
    assert fragment in info.value.message


def test_no_python_is_evaluated() -> None:
    # Python syntax that eval would accept is rejected by the grammar.
    for text in ("1 if True else 0", "anger.__class__ > 1", "anger + 1 > 2", "[1] > 0"):
        with pytest.raises(ExprError):
            parse(text)
