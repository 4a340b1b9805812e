"""The shipped library is clean under the linter's strictest setting (the audit's validity
codes and the typed-reply checks included), passes the audit, and meets the library's own
bar: fifteen scenarios or more, every principle trained in at least three, and at least three
example phrasings on every reply."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from scoring.rubric import PRINCIPLES
from simulator import library
from simulator.authoring.lint import lint_file
from simulator.authoring.lint_examples import MIN_EXAMPLES
from simulator.cli import main
from simulator.engine.loader import load

SHIPPED = library.scenario_files()


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_shipped_scenario_has_no_lint_warnings(path: Path) -> None:
    assert [str(p) for p in lint_file(path)] == []


def test_lint_strict_on_the_library_exits_zero(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lint", "--strict", str(library.library_dir())]) == 0
    assert capsys.readouterr().out == ""


def test_no_scenario_of_the_library_fails_the_audit(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["audit", str(library.library_dir())])
    out = capsys.readouterr().out
    assert f"library        {len(SHIPPED)} scenarios, 0 fail the audit" in out
    assert "audit          FAILS" not in out
    assert code == 0


def test_the_library_trains_every_principle_in_three_scenarios_or_more() -> None:
    assert len(SHIPPED) >= 15
    trained: Counter[str] = Counter()
    for path in SHIPPED:
        scenario = load(path)
        trained.update({p for n in scenario.nodes.values() for c in n.choices
                        for p, v in c.scores.items() if v})
    assert {p.id: trained[p.id] for p in PRINCIPLES if trained[p.id] < 3} == {}


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_every_reply_has_examples_for_typed_replies(path: Path) -> None:
    scenario = load(path)
    short = [f"{n.id}/{c.id}" for n in scenario.nodes.values() for c in n.choices
             if len(c.examples) < MIN_EXAMPLES]
    assert short == []
