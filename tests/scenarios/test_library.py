"""The shipped library is clean under the linter's strictest setting, validity codes included.

Scenarios written before the cue-resistance audit existed fail it (and have no example
phrasings for typed replies): they are listed in
:data:`AWAITING_REWRITE` until their rewrite lands. For those, the test asserts the opposite
(the audit still catches them, and every other check is clean), so a rewritten scenario must
leave the list, and from then on it is held to ``calmline lint --strict`` like any new one.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator import library
from simulator.authoring.audit import audit
from simulator.authoring.lint import lint_file
from simulator.authoring.lint_examples import CODES as EXAMPLE_CODES
from simulator.authoring.validity import CODES as VALIDITY_CODES
from simulator.cli import main
from simulator.engine.loader import load

SHIPPED = library.scenario_files()

#: Codes a scenario written before the audit and typed replies may still raise.
REWRITE_CODES = VALIDITY_CODES.keys() | EXAMPLE_CODES.keys()

#: Library scenarios that still fail the audit (remove an id when its rewrite lands).
AWAITING_REWRITE: frozenset[str] = frozenset()


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_shipped_scenario_has_no_lint_warnings(path: Path) -> None:
    problems = [str(p) for p in lint_file(path)
                if p.code not in REWRITE_CODES or path.stem not in AWAITING_REWRITE]
    assert problems == []


@pytest.mark.parametrize("path", [p for p in SHIPPED if p.stem in AWAITING_REWRITE],
                         ids=lambda p: p.stem)
def test_scenario_awaiting_its_rewrite_still_fails_the_audit(path: Path) -> None:
    assert audit(load(path)).failed, f"{path.stem} passes the audit now: remove it from " \
                                     "AWAITING_REWRITE so lint --strict holds it"


def test_lint_strict_on_the_rewritten_library_exits_zero(
        capsys: pytest.CaptureFixture[str]) -> None:
    done = [str(p) for p in SHIPPED if p.stem not in AWAITING_REWRITE]
    if not done:
        pytest.skip("no library scenario has been rewritten for the audit yet")
    assert main(["lint", "--strict", *done]) == 0
    assert capsys.readouterr().out == ""


def test_audit_of_todays_library_reports_the_surface_cues(
        capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["audit", str(library.library_dir())])
    out = capsys.readouterr().out
    failing = len([p for p in SHIPPED if p.stem in AWAITING_REWRITE])
    assert code == (1 if failing else 0)
    assert f"library        {len(SHIPPED)} scenarios, {failing} fail the audit" in out
    assert out.count("audit          FAILS") == failing


@pytest.mark.parametrize("path", [p for p in SHIPPED if p.stem not in AWAITING_REWRITE],
                         ids=lambda p: p.stem)
def test_every_reply_of_a_rewritten_scenario_has_examples_for_typed_replies(
        path: Path) -> None:
    from simulator.authoring.lint_examples import MIN_EXAMPLES

    scenario = load(path)
    short = [f"{n.id}/{c.id}" for n in scenario.nodes.values() for c in n.choices
             if len(c.examples) < MIN_EXAMPLES]
    assert short == []
