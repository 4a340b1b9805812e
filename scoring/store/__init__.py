"""The durable results store (SQLite by default, PostgreSQL by URL) over plain DB-API.

Import cost matters: the TUI loads this package only after its first frame.
"""

from __future__ import annotations

from scoring.store.core import (
    Store,
    open_store,
)
from scoring.store.dialect import StoreError, default_path, dialect_for
from scoring.store.rows import AttemptInfo, AttemptResult, clean_trainee
from scoring.store.rules import certification_verdict
from scoring.store.schema import SCHEMA_VERSION
from simulator.engine.moments import iso, parse_iso, utc_now

__all__ = [
    "SCHEMA_VERSION",
    "AttemptInfo",
    "AttemptResult",
    "Store",
    "StoreError",
    "certification_verdict",
    "clean_trainee",
    "default_path",
    "dialect_for",
    "iso",
    "open_store",
    "parse_iso",
    "utc_now",
]
