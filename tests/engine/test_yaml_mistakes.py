"""A trainer's YAML slips in the starter scenario: each is explained in plain words, at the
line (and column) where the slip is, never as the YAML parser's jargon."""

from __future__ import annotations

from importlib import resources

import pytest

from simulator.engine.loader import loads
from simulator.engine.problems import ScenarioError

STARTER = (resources.files("simulator.templates") / "starter.yaml").read_text(
    encoding="utf-8").replace("{{id}}", "refund-rage").replace("{{file}}", "r.yaml").replace(
    "{{schema}}", "scenario.schema.json")
SAY = 'say: "Can I take your account number, please?"'
SCORES = "scores: {stay_calm: 1, apologize: -1}"


def problems(old: str, new: str) -> list[str]:
    assert old in STARTER
    with pytest.raises(ScenarioError) as info:
        loads(STARTER.replace(old, new, 1), "r.yaml")
    return [str(p) for p in info.value.problems]


def line_of(text: str) -> int:
    return next(i for i, line in enumerate(STARTER.splitlines(), 1) if text in line)


def test_the_starter_loads() -> None:
    assert loads(STARTER, "r.yaml").id == "refund-rage"


@pytest.mark.parametrize(
    ("old", "new", "at", "message"),
    [
        pytest.param('    customer: "So?', '\tcustomer: "So?', (0, 1),
                     "a tab character: indent with spaces, never tabs", id="tab-indent"),
        pytest.param("  check:\n", "  check\n", (0, 3),
                     "this line needs a ':' after the field name", id="missing-colon-node"),
        pytest.param("title: Charged", "title Charged", (0, 1),
                     "this line needs a ':' after the field name", id="missing-colon-field"),
        pytest.param('    customer: "So?', '    customer "So?', (0, 5),
                     "this line needs a ':' after the field name",
                     id="missing-colon-before-a-field"),
        pytest.param("pass_mark: 70 ", "pass_mark:70 ", (0, 1),
                     "put a space after the ':' (write 'pass_mark: 70')", id="glued-colon"),
        pytest.param(SAY, 'say: "Can I take your "account" number?"', (0, 32),
                     "there is more text after the closing quote", id="quote-in-quotes"),
        pytest.param(SAY, "say: 'I can't take your number'", (0, 21),
                     "inside single quotes write an apostrophe as two", id="apostrophe"),
        pytest.param(SAY, 'say: "Can I take your account number?', (0, 14),
                     "the quote \" that opens this text is not closed on its line",
                     id="unclosed-quote"),
        pytest.param(SAY, "say: Note: can I take your number?", (0, 18),
                     "': ' (a colon and a space) inside text: put the whole text in quotes",
                     id="colon-in-text"),
        pytest.param(SAY, "say: [pause] can I take it?", (0, 14),
                     "text that starts with '[' or '{' is read as a list", id="bracket-text"),
        pytest.param(SAY, "say: *sigh* fine", (0, 14),
                     "text cannot start with '*'", id="star-text"),
        pytest.param(SAY, "say: @Sam hello", (0, 14),
                     "text cannot start with '@'", id="at-text"),
        pytest.param(SAY, "say: !important", (0, 14),
                     "say starts with '!important', which YAML reads as a type tag",
                     id="bang-text"),
        pytest.param(SAY, "say: | hello", (0, 14),
                     "after '|' or '>' the text starts on the next line", id="pipe-text"),
        pytest.param(SCORES, "scores: {stay_calm: 1 apologize: -1}", (0, 40),
                     "inside { } separate the entries with commas", id="flow-no-comma"),
        pytest.param(SCORES, "scores: {stay_calm: 1, apologize: -1", (0, 17),
                     "the '{' here is never closed", id="flow-unclosed"),
        pytest.param(SCORES, "scores: {stay_calm: 1, apologize: -1}}", (0, 46),
                     "an extra '}' with nothing to close", id="flow-extra-brace"),
        pytest.param("      - id: ask-account", "      -id: ask-account", (0, 7),
                     "a list item starts with '- ' (a dash and a space)", id="dash-no-space"),
        pytest.param("        effects: {anger: 5}", "         effects: {anger: 5}", (0, 10),
                     "this line is not lined up with the lines around it", id="indentation"),
    ],
)
def test_yaml_slip_is_explained_where_it_is(old: str, new: str, at: tuple[int, int],
                                            message: str) -> None:
    found = problems(old, new)
    assert len(found) == 1
    line = line_of(old.splitlines()[0].strip() or old) + at[0]
    assert found[0].startswith(f"r.yaml:{line}:{at[1]}: ")
    assert message in found[0]
    assert "invalid YAML" not in found[0] and "expected" not in found[0]


def test_flow_keys_without_a_space_say_so_once() -> None:
    found = problems(SCORES, "scores: {stay_calm:1, apologize:-1}")
    line = line_of(SCORES)
    assert found == [f"r.yaml:{line}:18: put a space after the ':' (write 'stay_calm: 1')",
                     f"r.yaml:{line}:31: put a space after the ':' (write 'apologize: -1')"]


def test_customer_written_as_fields_asks_for_a_line_or_a_list() -> None:
    old = '    customer: "So? Did you take it twice or not?"'
    found = problems(old, '    customer:\n      name: Sam\n      line: "So?"')
    assert found == [f"r.yaml:{line_of(old) + 1}:7: customer must be a line of text, or a "
                     "list of lines (each starting with '- '), not fields"]


def test_unknown_principle_without_a_close_match_lists_the_principles() -> None:
    found = problems(SCORES, "scores: {stay_calm: 1, apologize: -1, empathy: 2}")
    assert found[0].startswith(f"r.yaml:{line_of(SCORES)}:47: unknown principle 'empathy' "
                               "(the principles are: stay_calm, dont_argue, apologize,")


def test_libyaml_depth_limit_is_reported_in_calmlines_words() -> None:
    """PyYAML 6.0.4's libyaml has a nesting limit of its own ('exceeded maximum nesting
    depth'); whichever limit fires first, the trainer reads the same message, located."""
    import yaml

    from simulator.engine import yamlerrors

    mark = yaml.Mark("r.yaml", 0, 6, 1005, None, None)
    exc = yaml.scanner.ScannerError("while increasing flow level", mark,
                                    "exceeded maximum nesting depth", mark)
    assert yamlerrors.explain(exc, "x\n" * 7) == (7, 1006, "the YAML is nested too deeply")
