"""A non-editable install ships the scenario library: ``calmline list`` works from anywhere."""

from __future__ import annotations

import json
import os
import subprocess
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent


@pytest.mark.slow
def test_installed_package_lists_the_library(tmp_path: Path) -> None:
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True, system_site_packages=False).create(env_dir)
    py = env_dir / "bin" / "python"
    subprocess.run([str(py), "-m", "pip", "install", "--quiet", str(ROOT)], check=True,
                   capture_output=True, timeout=600)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH",)}
    out = subprocess.run([str(env_dir / "bin" / "calmline"), "list", "--json"], cwd=elsewhere,
                         capture_output=True, text=True, check=True, env=env, timeout=120)
    ids = {row["id"] for row in json.loads(out.stdout)}
    assert {"vulgar-caller", "lawsuit-bluff", "guarantee-abuser"} <= ids
    for row in json.loads(out.stdout):
        assert str(env_dir) in row["path"]
