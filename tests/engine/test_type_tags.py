"""YAML type tags are refused by name: ``!!python/name:os.system`` used to read as "summary
must not be empty" (the tag made the value empty), which sends an author looking in the
wrong place. Scenario files are plain data: only the tags YAML gives plain values pass."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator.engine.loader import loads
from simulator.engine.problems import ScenarioError

TINY = (Path(__file__).parent.parent / "data" / "tiny.yaml").read_text(encoding="utf-8")
SUMMARY = "summary: A minimal scenario for engine tests."


@pytest.mark.parametrize(("written", "named"), [
    ("!!python/name:os.system", "!!python/name:os.system"),
    ("!!python/object/apply:os.system [echo]", "!!python/object/apply:os.system"),
    ("!!python/object/new:os.system {}", "!!python/object/new:os.system"),
    ("!!binary aGVsbG8=", "!!binary"),
    ("!!set {a, b}", "!!set"),
    ("!<tag:example.com,2000:app/foo> bar", "tag:example.com,2000:app/foo"),
])
def test_a_python_tag_is_reported_as_a_type_tag_not_as_an_empty_summary(
        written: str, named: str) -> None:
    assert SUMMARY in TINY
    with pytest.raises(ScenarioError) as info:
        loads(TINY.replace(SUMMARY, f"summary: {written}"), "tagged.yaml")
    (problem,) = info.value.problems
    assert (problem.line, problem.col) == (4, 10)
    assert problem.message == (f"{named!r} is a YAML type tag: scenario files are plain data "
                               "and take none (remove it, or put the whole text in quotes)")
    assert "must not be empty" not in problem.message


def test_the_tags_of_plain_values_still_pass() -> None:
    text = TINY.replace(SUMMARY, "summary: !!str 0123").replace("pass_mark: 60",
                                                                 "pass_mark: !!int 60")
    scenario = loads(text)
    assert scenario.summary == "0123" and scenario.pass_mark == 60
