"""The thin database layer: one class per backend over DB-API (sqlite3 and psycopg 3).

Everything above this module writes SQL once, with ``?`` placeholders and ``{pk}``-style type
slots; a dialect connects, fills the slots, converts placeholders and knows how to open a
write transaction and which exceptions are its own.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit


class StoreError(Exception):
    """A results-store failure, worded for people: printed as one line."""


#: How long a writer waits for another writer's lock before giving up (seconds).
BUSY_TIMEOUT = 30.0


class Dialect:
    """What differs between backends. Connections run in autocommit mode; transactions are
    opened and closed explicitly with :meth:`begin_write`, :meth:`begin_read`, ``COMMIT``."""

    name = ""
    types: dict[str, str] = {}
    for_update = ""
    errors: tuple[type[BaseException], ...] = ()

    def __init__(self, url: str) -> None:
        self.url = url

    def connect(self) -> Any:
        """A new DB-API connection in autocommit mode, tuned for this backend."""
        raise NotImplementedError

    def sql(self, text: str) -> str:
        """``text`` with its type slots filled and placeholders in this driver's style."""
        return text.format(**self.types)

    def begin_write(self, cur: Any) -> None:
        """Open a transaction that holds the write lock from its first statement."""
        cur.execute("BEGIN")

    def begin_read(self, cur: Any) -> None:
        """Open a transaction that sees one consistent snapshot."""
        cur.execute("BEGIN")

    def lock_schema(self, cur: Any) -> None:
        """Inside a write transaction: make concurrent migrations wait for each other."""

    def tables(self, cur: Any) -> set[str]:
        """The names of the tables that exist where this store lives."""
        raise NotImplementedError

    def describe(self) -> str:
        """Where the store is, for messages (no password)."""
        return self.url


class SQLite(Dialect):
    """SQLite: WAL, ``synchronous=FULL``, ``BEGIN IMMEDIATE`` for writes, a busy timeout."""

    name = "sqlite"
    types = {"pk": "INTEGER PRIMARY KEY AUTOINCREMENT", "bigint": "INTEGER", "real": "REAL"}

    def __init__(self, url: str, path: Path) -> None:
        super().__init__(url)
        self.path = path
        import sqlite3

        self.errors = (sqlite3.Error,)

    def connect(self) -> Any:
        import sqlite3

        if self.path.is_dir():
            raise StoreError(f"{self.path}: is a directory, not a results store")
        if not self.path.parent.is_dir():
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(f"{self.path.parent}: cannot create the folder for the "
                                 f"results store ({exc.strerror})") from None
        try:
            conn = sqlite3.connect(str(self.path), timeout=BUSY_TIMEOUT, isolation_level=None,
                                   check_same_thread=False)
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: cannot open the results store ({exc})") from None
        try:
            conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT * 1000)}")
            tables = self.tables(conn.cursor())
            if tables and "schema_version" not in tables:
                conn.close()
                names = ", ".join(sorted(tables)[:4])
                raise StoreError(f"{self.path}: not a calmline results store (it holds other "
                                 f"tables: {names}); nothing was changed")
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()
            conn.execute("PRAGMA synchronous = FULL")
            conn.execute("PRAGMA foreign_keys = ON")
        except sqlite3.Error as exc:
            conn.close()
            raise StoreError(f"{self.path}: not a usable results store ({exc}); the file "
                             "was left untouched") from None
        if not mode or str(mode[0]).lower() != "wal":
            conn.close()
            raise StoreError(f"{self.path}: cannot switch the results store to WAL mode "
                             f"(journal mode is {mode[0] if mode else 'unknown'})")
        return conn

    def begin_write(self, cur: Any) -> None:
        cur.execute("BEGIN IMMEDIATE")

    def begin_read(self, cur: Any) -> None:
        cur.execute("BEGIN")

    def tables(self, cur: Any) -> set[str]:
        cur.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                    "AND name NOT LIKE 'sqlite_%'")
        return {row[0] for row in cur.fetchall()}

    def describe(self) -> str:
        return str(self.path)


_PLACEHOLDER = re.compile(r"\?")


class PostgreSQL(Dialect):
    """PostgreSQL through psycopg 3: row locks (``FOR UPDATE``) serialise the seal chain."""

    name = "postgresql"
    types = {"pk": "BIGSERIAL PRIMARY KEY", "bigint": "BIGINT", "real": "DOUBLE PRECISION"}
    for_update = " FOR UPDATE"

    def __init__(self, url: str) -> None:
        super().__init__(url)
        try:
            import psycopg
        except ImportError:
            raise StoreError("a postgresql:// store needs psycopg: install calmline with "
                             "the 'postgres' extra (pip install 'calmline[postgres]')") from None
        self.errors = (psycopg.Error,)

    def connect(self) -> Any:
        import psycopg

        try:
            return psycopg.connect(self.url, autocommit=True, connect_timeout=10)
        except psycopg.Error as exc:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise StoreError(f"{self.describe()}: cannot connect to the results store "
                             f"({first})") from None

    def sql(self, text: str) -> str:
        return _PLACEHOLDER.sub("%s", text.format(**self.types).replace("%", "%%"))

    def begin_read(self, cur: Any) -> None:
        cur.execute("BEGIN ISOLATION LEVEL REPEATABLE READ")

    def lock_schema(self, cur: Any) -> None:
        cur.execute("SELECT pg_advisory_xact_lock(7305011)")

    def tables(self, cur: Any) -> set[str]:
        cur.execute("SELECT table_name FROM information_schema.tables "
                    "WHERE table_schema = current_schema()")
        return {row[0] for row in cur.fetchall()}

    def describe(self) -> str:
        parts = urlsplit(self.url)
        host = parts.hostname or "localhost"
        port = f":{parts.port}" if parts.port else ""
        user = f"{unquote(parts.username)}@" if parts.username else ""
        return f"postgresql://{user}{host}{port}{parts.path}"


def default_path() -> Path:
    """The default SQLite store: ``results.sqlite3`` in the user data directory."""
    from platformdirs import user_data_dir

    return Path(user_data_dir("calmline", appauthor=False)) / "results.sqlite3"


def dialect_for(url: str | None) -> Dialect:
    """The dialect for a store URL or path; None means ``$CALMLINE_DB`` or the default."""
    ref = url or os.environ.get("CALMLINE_DB") or ""
    if not ref:
        path = default_path()
        return SQLite(str(path), path)
    if ref.startswith(("postgresql://", "postgres://")):
        return PostgreSQL(ref)
    if ref.startswith("sqlite:///") and len(ref) > len("sqlite:///"):
        return SQLite(ref, Path(unquote(ref[len("sqlite:///"):])).expanduser())
    if "://" in ref:
        scheme = ref.split("://", 1)[0]
        raise StoreError(f"unsupported store URL {scheme}://...: use a file path, "
                         "sqlite:///path or postgresql://...")
    return SQLite(ref, Path(ref).expanduser())
