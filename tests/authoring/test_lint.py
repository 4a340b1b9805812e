"""Linter details beyond the fixtures, and the authoring guide kept in step with the code."""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

import pytest

from simulator.authoring import plans
from simulator.authoring.conditions import condition_truths
from simulator.authoring.lint import CODES, lint
from simulator.engine import expr
from simulator.engine.loader import load, loads
from simulator.engine.model import Variable

ROOT = Path(__file__).parents[2]
GUIDE = (ROOT / "docs" / "authoring.md").read_text(encoding="utf-8")


def starter_text(scenario_id: str = "starter") -> str:
    text = (resources.files("simulator.templates") / "starter.yaml").read_text("utf-8")
    return text.replace("{{id}}", scenario_id).replace("{{schema}}", "x.json")


def test_the_starter_is_lint_clean() -> None:
    text = starter_text()
    assert lint(loads(text, "starter.yaml"), text) == []


@pytest.mark.parametrize("code", list(CODES))
def test_every_warning_code_is_explained_in_the_guide(code: str) -> None:
    assert re.search(rf"^\| `{re.escape(code)}` \|", GUIDE, re.M), code


def test_the_guide_documents_no_code_that_does_not_exist() -> None:
    documented = set(re.findall(r"^\| `([a-z-]+)` \|", GUIDE, re.M))
    assert documented == set(CODES)


def test_the_plan_example_in_the_guide_replays() -> None:
    block = GUIDE.split("```yaml\n# A playthrough plan")[1].split("```")[0]
    plan = plans.loads("# A playthrough plan" + block,
                       str(ROOT / "tests" / "plans" / "example.plan.yaml"))
    scenario = load(plan.scenario_path() or "")
    outcome = plans.run(plan, scenario)
    assert [str(p) for p in outcome.problems] == []


def cond(text: str) -> expr.Condition:
    return expr.parse(text)


def testcondition_truths_exactly_over_small_ranges() -> None:
    anger = {"anger": Variable("anger", 0, 100, 50)}
    assert condition_truths(cond("anger > 100"), anger) == {False}
    assert condition_truths(cond("anger >= 0"), anger) == {True}
    assert condition_truths(cond("anger == 37"), anger) == {True, False}


def testcondition_truths_over_large_ranges_finds_narrow_windows() -> None:
    big = {n: Variable(n, 0, 10**6, 0) for n in ("x", "y", "z")}
    # Only x = z + 2, y = z + 1 with z = 6 and x = 8 satisfy this chain.
    assert condition_truths(cond("x > y and y > z and z > 5 and x < 9"), big) == {True, False}
    assert condition_truths(cond("x > y and y > x"), big) == {False}
    assert condition_truths(cond("x >= 0 or y < 0"), big) == {True}
