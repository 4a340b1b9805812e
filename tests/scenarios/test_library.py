"""The shipped library is clean under the linter's strictest setting."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator import library
from simulator.authoring.lint import lint_file
from simulator.cli import main

SHIPPED = library.scenario_files()


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_shipped_scenario_has_no_lint_warnings(path: Path) -> None:
    assert [str(p) for p in lint_file(path)] == []


def test_lint_strict_on_the_library_exits_zero(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lint", "--strict", str(library.library_dir())]) == 0
    assert capsys.readouterr().out == ""
