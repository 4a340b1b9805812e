"""The loader: types decided by the schema, all problems at once, with line and column."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from simulator.engine.loader import load, loads
from simulator.engine.problems import ScenarioError

TINY = (Path(__file__).parent.parent / "data" / "tiny.yaml").read_text()


def problems_of(text: str) -> list[str]:
    with pytest.raises(ScenarioError) as info:
        loads(text, "s.yaml")
    return [str(p) for p in info.value.problems]


def test_tiny_loads_with_marks(data_dir: Path) -> None:
    s = load(data_dir / "tiny.yaml")
    assert s.id == "tiny"
    assert s.nodes["opening"].mark.line == 17
    assert s.nodes["opening"].lines == ("My kettle broke!", "This kettle is useless!")
    assert len(s.sha256) == 64


def test_yaml_11_traps_stay_text() -> None:
    text = TINY.replace("say: I'm sorry about that.", "say: No").replace(
        "title: Tiny test call", "title: 0123")
    s = loads(text)
    assert s.nodes["opening"].choices[0].say == "No"
    assert s.title == "0123"


def test_all_problems_of_a_file_are_reported_at_once() -> None:
    text = TINY.replace("difficulty: easy", "difficulty: extreme").replace(
        "scores: {dont_argue: -2}", "scores: {dont_argu: -2}").replace(
        "next: done", "next: donee")
    found = problems_of(text)
    assert found == [
        "s.yaml:5:13: difficulty must be one of easy, medium, hard",
        "s.yaml:28:18: unknown principle 'dont_argu' (did you mean 'dont_argue'?)",
        "s.yaml:42:15: choice 'replace' goes to 'donee', which is neither a node nor an ending"
        " (did you mean 'done'?)",
    ]


def test_problem_lines_point_into_the_file() -> None:
    text = TINY.replace("        feedback: A concrete fix.\n", "        feedbak: A concrete fix.\n")
    assert problems_of(text) == [
        "s.yaml:38:9: missing field 'feedback' in a choice in 'fix'",
        "s.yaml:41:9: unknown field 'feedbak' in a choice in 'fix' (did you mean 'feedback'?)",
    ]


def test_wrong_types_are_reported() -> None:
    text = TINY.replace("pass_mark: 60", "pass_mark: high").replace(
        "order_value: 25", "order_value: [1]")
    assert problems_of(text) == [
        "s.yaml:7:12: pass_mark must be a whole number, got 'high'",
        "s.yaml:12:16: order_value must be a single value, not a list",
    ]


def test_condition_error_points_at_the_column_of_the_mistake() -> None:
    text = TINY.replace("when: anger >= 85", "when: anger => 85")
    assert problems_of(text) == [
        "s.yaml:32:25: malformed condition 'anger => 85': '=>' is not a comparison: "
        "write '>=' (at least)",
    ]


def test_quoted_condition_columns_account_for_the_quote() -> None:
    text = TINY.replace("when: anger >= 85", "when: 'anger >= 85 &'")
    assert problems_of(text)[0].startswith("s.yaml:32:32: malformed condition")


def test_last_route_must_be_the_fallback() -> None:
    text = TINY.replace("          - goto: fix\n", "          - when: anger < 85\n"
                                                  "            goto: fix\n")
    assert problems_of(text) == [
        "s.yaml:34:13: the last route needs no 'when': it is the fallback taken when no "
        "condition holds",
    ]


def test_unreachable_and_dead_end_nodes() -> None:
    extra = textwrap.indent(textwrap.dedent("""\
        island:
          customer: Nobody comes here.
          choices:
            - {id: stay, say: ok, scores: {}, feedback: f, next: island}
        """), "  ")
    text = TINY.replace("endings:\n", extra + "endings:\n")
    assert problems_of(text) == ["s.yaml:49:3: node 'island' is unreachable from the start "
                                 "'opening'"]
    # Reachable but with no way out.
    text = text.replace("next: done", "next: island")
    found = problems_of(text)
    assert "s.yaml:49:3: node 'island' has no way out: no choice from it ever reaches an " \
           "ending" in found


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "s.yaml:1:1: the file is empty"),
        ("# only a comment\n", "s.yaml:1:1: the file is empty"),
        ("- a\n- b\n", "s.yaml:1:1: a scenario must be a YAML mapping of fields, starting "
                       "with 'format: 1'"),
        ("a: [1\n", "s.yaml:1:4: the '[' here is never closed: end it with ']' on the same "
                    "line"),
    ],
)
def test_file_level_problems(text: str, message: str | None) -> None:
    found = problems_of(text)
    if message:
        assert found[0] == message
    else:
        assert any("aliases are not allowed" in p for p in found)


def test_aliases_are_refused() -> None:
    text = TINY.replace("title: Tiny test call", "title: &t Tiny test call").replace(
        "summary: A minimal scenario for engine tests.", "summary: *t")
    assert problems_of(text) == ["s.yaml:3:8: this value is reused through an alias "
                                 "(&anchor / *alias); aliases are not allowed in scenario files"]


def test_alias_bomb_fails_fast() -> None:
    lines = ['a0: &a0 ["x","x","x","x","x","x","x","x","x"]']
    for i in range(1, 12):
        prev = f"*a{i - 1}"
        lines.append(f"a{i}: &a{i} [{', '.join([prev] * 9)}]")
    # Nine to the twelfth strings if expanded; refused as soon as an alias is met.
    found = problems_of("\n".join(lines) + "\n" + TINY.replace("max_turns: 10",
                                                                "max_turns: 10\ntags: *a11"))
    assert "s.yaml:11:6: tags must be a single value, not a list" in found


def test_deep_nesting_is_an_error_not_a_crash() -> None:
    found = problems_of("a: " + "[" * 5000 + "]" * 5000 + "\n")
    assert found


def test_binary_missing_and_directory_files(tmp_path: Path) -> None:
    binary = tmp_path / "b.yaml"
    binary.write_bytes(b"\x00\x01\x02format: 1")
    latin = tmp_path / "l.yaml"
    latin.write_bytes("title: caf\xe9\n".encode("latin-1"))
    for path, message in [
        (binary, "is a binary file, not a YAML scenario"),
        (latin, "is not UTF-8 text"),
        (tmp_path / "missing.yaml", "no such file"),
        (tmp_path, "is a directory, not a scenario file"),
        (Path("/dev/zero"), "is not a regular file"),
    ]:
        with pytest.raises(ScenarioError) as info:
            load(path)
        assert message in str(info.value)
        assert "Traceback" not in str(info.value)


def test_principles_and_variables_are_checked() -> None:
    text = TINY.replace("principles: [stay_calm, dont_argue, apologize]",
                        "principles: [stay_calm, apologize, resist_bluffs]").replace(
        "effects: {anger: -20}", "effects: {angry: -20}")
    assert problems_of(text) == [
        "s.yaml:6:13: principles must include the core principle 'dont_argue'",
        "s.yaml:23:19: effect on undeclared variable 'angry' (did you mean 'anger'?)",
        "s.yaml:28:18: scores 'dont_argue', which is not in this scenario's principles list",
        "s.yaml:40:18: scores 'dont_argue', which is not in this scenario's principles list",
    ]


def test_condition_on_undeclared_variable() -> None:
    text = TINY.replace("when: anger >= 85", "when: trust >= 85")
    assert problems_of(text) == ["s.yaml:32:19: condition uses undeclared variable 'trust'"]


def test_duplicate_ids() -> None:
    text = TINY.replace("- id: argue", "- id: sorry").replace("  hangup:\n", "  done:\n")
    found = problems_of(text)
    assert "s.yaml:26:9: duplicate choice id 'sorry' in node 'opening'" in found
    assert "s.yaml:54:3: duplicate id 'done' in endings" in found


def test_format_version_is_checked() -> None:
    assert problems_of(TINY.replace("format: 1", "format: 2")) == [
        "s.yaml:1:9: format 2 is not supported (this calmline reads 1)"]
