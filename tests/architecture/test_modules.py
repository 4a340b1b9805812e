"""House rules every Python module keeps: under 400 lines, no other module's private names."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).parents[2]
MODULES = sorted(p for base in ("simulator", "scoring") for p in (ROOT / base).rglob("*.py"))
MAX_LINES = 400


def test_every_module_is_under_the_house_limit() -> None:
    long = {str(p.relative_to(ROOT)): n for p in MODULES
            if (n := len(p.read_text(encoding="utf-8").splitlines())) >= MAX_LINES}
    assert long == {}


def test_no_module_imports_another_modules_private_names() -> None:
    found = []
    for path in MODULES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                private = [a.name for a in node.names if a.name.startswith("_")
                           and not a.name.startswith("__")]
                if private and node.module.split(".")[0] in ("simulator", "scoring"):
                    found.append(f"{path.relative_to(ROOT)}: {node.module} {private}")
    assert found == []
