"""Domain modules never import the UI: each is imported in a fresh process to prove it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent.parent
DOMAIN = sorted(
    ".".join(p.relative_to(ROOT).with_suffix("").parts)
    for base in ("simulator/engine", "scoring")
    for p in (ROOT / base).rglob("*.py")
    if p.name != "__init__.py"
)


@pytest.mark.parametrize("module", DOMAIN)
def test_domain_module_does_not_load_textual(module: str) -> None:
    # The engine renders nothing at all; scoring and storage may format with rich for the
    # command line, but never load the terminal UI.
    banned = ("textual", "rich") if module.startswith("simulator.engine") else ("textual",)
    code = (f"import sys, {module}; "
            f"bad = [m for m in {banned!r} if m in sys.modules]; "
            "print(','.join(bad))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=ROOT, check=True)
    assert out.stdout.strip() == "", f"{module} loads {out.stdout.strip()}"


def test_no_full_yaml_loader_or_eval_in_the_code() -> None:
    for base in ("simulator", "scoring"):
        for path in (ROOT / base).rglob("*.py"):
            text = path.read_text()
            assert "yaml.load(" not in text or "SafeLoader" in text, path
            assert "yaml.unsafe_load" not in text and "FullLoader" not in text, path
            assert "eval(" not in text.replace("evaluate(", ""), path
