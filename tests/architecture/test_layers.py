"""The layering contract in pyproject.toml holds, and an upward import breaks it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    """Run ``lint-imports`` on the packages under ``root`` with its pyproject.toml."""
    env = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.run([str(LINT_IMPORTS), "--no-cache", "--no-logo", "pyproject.toml"],
                          cwd=root, env=env, capture_output=True, text=True, timeout=120)


def _copy(tmp_path: Path) -> Path:
    """A copy of the Python packages and the contract, to plant imports in."""
    for package in ("simulator", "scoring"):
        shutil.copytree(ROOT / package, tmp_path / package,
                        ignore=shutil.ignore_patterns("__pycache__", "*.yaml", "*.tcss"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_the_code_keeps_the_layering_contract() -> None:
    done = _lint_imports(ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 kept, 0 broken" in done.stdout


@pytest.mark.parametrize(("module", "planted", "says"), [
    ("simulator/engine/model.py", "import scoring.rubric", "simulator.engine.model -> scoring"),
    ("scoring/scorer.py", "from simulator.authoring import lint", "scoring.scorer -> "),
    ("simulator/authoring/graph.py", "import simulator.tui.wording", "simulator.authoring.graph"),
    ("simulator/tui/wording.py", "import simulator.cli.play", "simulator.tui.wording -> "),
])
def test_an_upward_import_breaks_the_contract(tmp_path: Path, module: str, planted: str,
                                              says: str) -> None:
    root = _copy(tmp_path)
    target = root / module
    text = target.read_text(encoding="utf-8")
    head, sep, tail = text.partition("from __future__ import annotations\n")
    target.write_text(head + sep + planted + "\n" + tail, encoding="utf-8")
    done = _lint_imports(root)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "0 kept, 1 broken" in done.stdout
    assert says in done.stdout, done.stdout


def test_the_copy_used_above_keeps_the_contract_when_nothing_is_planted(tmp_path: Path) -> None:
    done = _lint_imports(_copy(tmp_path))
    assert done.returncode == 0, done.stdout + done.stderr
