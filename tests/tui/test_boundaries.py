"""Import boundaries: the engine and the UI's pure modules never load Textual."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.tui.driving import DATA

PURE = [
    "scoring.recording",
    "simulator.tui",
    "simulator.training.attempt",
    "simulator.tui.wording",
    "simulator.tui.outline",
    "simulator.tui.watch",
    "simulator.tui.launch",
    "simulator.cli.play",
]


@pytest.mark.parametrize("module", PURE)
def test_module_does_not_import_textual(module: str) -> None:
    code = (f"import sys, {module}; "
            "bad = [m for m in sys.modules if m == 'textual' or m.startswith('textual.')]; "
            "print(bad); raise SystemExit(1 if bad else 0)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=DATA.parent.parent.parent)
    assert done.returncode == 0, done.stdout + done.stderr


def test_ui_modules_never_print() -> None:
    from pathlib import Path

    import simulator.tui as tui

    root = Path(tui.__file__).parent
    offenders = [str(p) for p in root.rglob("*.py") if "print(" in p.read_text()]
    assert offenders == []
