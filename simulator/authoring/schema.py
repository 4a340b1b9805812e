"""The JSON Schema of scenario format 1, shipped in the package for editors and tools."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

SCHEMA_FILE = "scenario.schema.json"


def schema_path() -> Path:
    """Where the schema file is installed (for a ``yaml-language-server`` comment)."""
    return Path(str(resources.files("simulator.engine") / SCHEMA_FILE))


def schema_text() -> str:
    """The schema as JSON text."""
    return (resources.files("simulator.engine") / SCHEMA_FILE).read_text(encoding="utf-8")


def schema() -> dict[str, Any]:
    """The schema as data."""
    data: dict[str, Any] = json.loads(schema_text())
    return data
