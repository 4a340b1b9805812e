"""Fixtures shared by the store and certification suites: a results store on each backend
(SQLite in a temporary folder; PostgreSQL in a fresh schema of $CALMLINE_TEST_PG), and a
seal key in a temporary config folder."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

from scoring.seal import SealKey, load_key

BACKENDS = ("sqlite", "postgresql")
PG_ENV = "CALMLINE_TEST_PG"


def in_ci() -> bool:
    """True when running under CI (where PostgreSQL tests must not skip)."""
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def pg_base() -> str:
    """The test server URL, or skip (fail under CI) when none is configured."""
    url = os.environ.get(PG_ENV, "")
    if not url:
        if in_ci():
            pytest.fail(f"{PG_ENV} is not set: CI must run the store suite against PostgreSQL")
        pytest.skip(f"{PG_ENV} not set (start a server as .ci/run does)")
    return url


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A PostgreSQL store URL whose search_path is a fresh, empty schema."""
    import psycopg

    base = pg_base()
    schema = f"t_{secrets.token_hex(6)}"
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    sep = "&" if "?" in base else "?"
    yield f"{base}{sep}options={quote(f'-csearch_path={schema}', safe='')}"
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture(params=BACKENDS)
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The URL of an empty results store, once per backend."""
    if request.param == "sqlite":
        return str(tmp_path / "results.sqlite3")
    return str(request.getfixturevalue("pg_url"))


@pytest.fixture
def config_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private config folder (where the seal key lives), set for this process and its
    children."""
    folder = tmp_path / "config"
    monkeypatch.setenv("CALMLINE_CONFIG_DIR", str(folder))
    return folder


@pytest.fixture
def seal_key(config_dir: Path) -> SealKey:
    """The seal key of the private config folder."""
    return load_key(create=True)
