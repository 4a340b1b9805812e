"""Every broken fixture fails with exactly its expected problems; every lint fixture warns
with exactly its expected warnings (``NAME.expected`` beside each ``NAME.yaml``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator.authoring.lint import CODES, lint_file
from simulator.engine.loader import load
from simulator.engine.problems import ScenarioError

DATA = Path(__file__).parent.parent / "data"
BROKEN = sorted((DATA / "broken").glob("*.yaml"))
LINT = sorted((DATA / "lint").glob("*.yaml"))

#: The validation problem classes the broken fixtures must cover, one file each.
BROKEN_CLASSES = {
    "missing-field", "unknown-field", "wrong-type", "unknown-principle", "missing-target",
    "duplicate-node-id", "duplicate-choice-id", "malformed-condition", "undeclared-variable",
    "unreachable-node", "no-way-out", "empty", "not-a-mapping", "binary", "alias-bomb",
    "deeply-nested", "not-utf8",
}


def expected(path: Path) -> list[str]:
    return path.with_suffix(".expected").read_text(encoding="utf-8").splitlines()


def test_every_validation_class_has_a_broken_fixture() -> None:
    assert {p.stem for p in BROKEN} == BROKEN_CLASSES


@pytest.mark.parametrize("path", BROKEN, ids=lambda p: p.stem)
def test_broken_fixture_fails_with_its_expected_problems(path: Path) -> None:
    with pytest.raises(ScenarioError) as caught:
        load(path)
    found = [f"{p.line}:{p.col}: {p.message}" for p in caught.value.problems]
    assert found == expected(path)
    # Printed, each problem names the file first (whole-file problems have no line).
    assert all(str(p).startswith(f"{path}:") for p in caught.value.problems)


def test_alias_bomb_is_refused_without_expanding() -> None:
    # Nine to the ninth strings if a loader expanded it; calmline composes, never constructs.
    with pytest.raises(ScenarioError) as caught:
        load(DATA / "broken" / "alias-bomb.yaml")
    assert caught.value.problems


def test_every_warning_code_has_a_lint_fixture() -> None:
    assert {p.stem for p in LINT} == set(CODES)


@pytest.mark.parametrize("path", LINT, ids=lambda p: p.stem)
def test_lint_fixture_warns_with_its_expected_warnings(path: Path) -> None:
    problems = lint_file(path)
    assert all(p.severity == "warning" for p in problems)
    assert path.stem in {p.code for p in problems}, "the fixture must trigger its own class"
    found = [str(p).removeprefix(f"{path}:") for p in problems]
    assert found == expected(path)


@pytest.mark.parametrize("path", LINT, ids=lambda p: p.stem)
def test_lint_fixtures_are_valid_scenarios(path: Path) -> None:
    load(path)  # warnings are advice about valid files, never errors
