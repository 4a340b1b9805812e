"""The results-store schema as numbered migrations, and the code that applies them.

Each migration is a list of SQL statements written once for both backends (type slots are
filled by the dialect). ``schema_version`` holds one row per applied migration. Migrations
run inside one write transaction, so concurrent first opens wait for each other and a
failed upgrade leaves the store as it was.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import suppress
from typing import Any

from scoring.store.dialect import Dialect, StoreError
from simulator.engine.moments import iso, utc_now

#: Every table this module creates (to recognise a foreign database).
TABLES = frozenset({"schema_version", "trainees", "certifications", "attempts", "answers",
                    "attempt_principles", "chain", "legacy_certifications", "cert_sets",
                    "cert_set_scenarios", "roster", "classroom_sessions"})

_V1 = [
    """CREATE TABLE trainees (
        id {pk},
        name TEXT NOT NULL UNIQUE,
        created_at TEXT NOT NULL)""",
    """CREATE TABLE certifications (
        id {pk},
        uid TEXT NOT NULL UNIQUE,
        trainee_id {bigint} NOT NULL REFERENCES trainees(id),
        scenarios TEXT NOT NULL,
        min_mean {real} NOT NULL,
        status TEXT NOT NULL,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        passed INTEGER,
        mean {real},
        host TEXT NOT NULL,
        pid INTEGER NOT NULL,
        proc TEXT NOT NULL,
        heartbeat_at TEXT NOT NULL)""",
    """CREATE TABLE attempts (
        id {pk},
        uid TEXT NOT NULL UNIQUE,
        trainee_id {bigint} NOT NULL REFERENCES trainees(id),
        certification_id {bigint} REFERENCES certifications(id),
        position INTEGER NOT NULL,
        mode TEXT NOT NULL,
        scenario_id TEXT NOT NULL,
        scenario_title TEXT NOT NULL,
        scenario_path TEXT NOT NULL,
        scenario_sha256 TEXT NOT NULL,
        rubric_version TEXT NOT NULL,
        calmline_version TEXT NOT NULL,
        seed {bigint} NOT NULL,
        shuffle INTEGER NOT NULL,
        stop_on_critical INTEGER NOT NULL,
        response_seconds INTEGER NOT NULL,
        pass_mark INTEGER NOT NULL,
        max_score INTEGER NOT NULL,
        min_score INTEGER NOT NULL,
        status TEXT NOT NULL,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        host TEXT NOT NULL,
        pid INTEGER NOT NULL,
        proc TEXT NOT NULL,
        heartbeat_at TEXT NOT NULL,
        answered INTEGER NOT NULL DEFAULT 0,
        ending TEXT,
        outcome TEXT,
        total INTEGER,
        percent {real},
        passed INTEGER,
        critical INTEGER,
        missed TEXT,
        seq {bigint} UNIQUE,
        prev_seal TEXT,
        seal TEXT,
        key_id TEXT,
        sealed_at TEXT)""",
    """CREATE TABLE answers (
        attempt_id {bigint} NOT NULL REFERENCES attempts(id),
        turn INTEGER NOT NULL,
        node TEXT NOT NULL,
        line TEXT NOT NULL,
        choice TEXT NOT NULL,
        say TEXT NOT NULL,
        scores TEXT NOT NULL,
        total INTEGER NOT NULL,
        effects TEXT NOT NULL,
        values_before TEXT NOT NULL,
        values_after TEXT NOT NULL,
        target TEXT NOT NULL,
        feedback TEXT NOT NULL,
        critical INTEGER NOT NULL,
        timed_out INTEGER NOT NULL,
        at TEXT NOT NULL,
        recorded_at TEXT NOT NULL,
        PRIMARY KEY (attempt_id, turn))""",
    """CREATE TABLE attempt_principles (
        attempt_id {bigint} NOT NULL REFERENCES attempts(id),
        principle TEXT NOT NULL,
        earned INTEGER NOT NULL,
        best INTEGER NOT NULL,
        percent {real} NOT NULL,
        PRIMARY KEY (attempt_id, principle))""",
    """CREATE TABLE chain (
        id INTEGER PRIMARY KEY,
        seq {bigint} NOT NULL,
        seal TEXT NOT NULL,
        key_id TEXT)""",
    "INSERT INTO chain (id, seq, seal, key_id) VALUES (1, 0, '', NULL)",
]

_V2 = [
    "CREATE INDEX attempts_trainee ON attempts (trainee_id, started_at)",
    "CREATE INDEX attempts_scenario ON attempts (scenario_id, started_at)",
    "CREATE INDEX attempts_status ON attempts (status)",
    "CREATE INDEX attempts_certification ON attempts (certification_id)",
    "CREATE INDEX certifications_status ON certifications (status)",
]

#: Version 3: certifications are sealed in the same chain as attempts when they close.
#: Those already closed cannot be sealed now (the seal key is not at hand, and sealing them
#: would vouch for rows nobody checked); they are listed as legacy rows that ``verify``
#: reports as unsealed, and that no certificate is issued for.
_V3 = [
    "ALTER TABLE certifications ADD COLUMN seq {bigint}",
    "ALTER TABLE certifications ADD COLUMN prev_seal TEXT",
    "ALTER TABLE certifications ADD COLUMN seal TEXT",
    "ALTER TABLE certifications ADD COLUMN key_id TEXT",
    "ALTER TABLE certifications ADD COLUMN sealed_at TEXT",
    "CREATE UNIQUE INDEX certifications_seq ON certifications (seq)",
    """CREATE TABLE legacy_certifications (
        certification_id {bigint} PRIMARY KEY)""",
    "INSERT INTO legacy_certifications (certification_id) "
    "SELECT id FROM certifications WHERE status <> 'in_progress'",
]

#: Version 4: item analysis reads each attempt's answers by node (first visits) with the
#: reply and its points from this index alone, never the wide answer rows.
_V4 = [
    "CREATE INDEX answers_items ON answers (attempt_id, node, turn, choice, timed_out, total)",
]

#: Version 5: each answer keeps the narration shown with it (what the agent saw on screen).
#: Sealed content carries it only when there is some, so earlier seals stay valid.
_V5 = [
    "ALTER TABLE answers ADD COLUMN narration TEXT NOT NULL DEFAULT ''",
]

#: Version 6 (the classroom): approved certification sets pin each scenario's exact file
#: (its bytes and SHA-256) and the rubric version, signed; a certification names its set and
#: how it was administered; the roster's personal sign-in codes and browser sessions (only
#: hashes of both are stored).
_V6 = [
    """CREATE TABLE cert_sets (
        id {pk},
        name TEXT NOT NULL UNIQUE,
        min_mean {real} NOT NULL,
        rubric_version TEXT NOT NULL,
        created_at TEXT NOT NULL,
        retired_at TEXT,
        key_id TEXT NOT NULL,
        signature TEXT NOT NULL)""",
    """CREATE TABLE cert_set_scenarios (
        set_id {bigint} NOT NULL REFERENCES cert_sets(id),
        position INTEGER NOT NULL,
        scenario_id TEXT NOT NULL,
        title TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        source TEXT NOT NULL,
        PRIMARY KEY (set_id, position))""",
    "ALTER TABLE certifications ADD COLUMN set_id {bigint} REFERENCES cert_sets(id)",
    "ALTER TABLE certifications ADD COLUMN administered TEXT",
    """CREATE TABLE roster (
        id {pk},
        trainee_id {bigint} NOT NULL REFERENCES trainees(id),
        role TEXT NOT NULL,
        code_hash TEXT NOT NULL UNIQUE,
        created_at TEXT NOT NULL,
        revoked_at TEXT)""",
    "CREATE INDEX roster_trainee ON roster (trainee_id)",
    """CREATE TABLE classroom_sessions (
        token_hash TEXT PRIMARY KEY,
        roster_id {bigint} NOT NULL REFERENCES roster(id),
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL)""",
]

#: Version 7 (typed replies): an attempt notes that the trainee typed their replies; each
#: answer keeps what was typed (cleaned and capped) and how it was taken (understood,
#: prompted by "did you mean", or unmatched and scored as silence); an approved set may be
#: typed (every call of it answered in the trainee's own words). Sealed and signed content
#: carries them only when set, so earlier seals and set signatures stay valid.
_V7 = [
    "ALTER TABLE attempts ADD COLUMN typed INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE answers ADD COLUMN typed TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE answers ADD COLUMN typed_match TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE cert_sets ADD COLUMN typed INTEGER NOT NULL DEFAULT 0",
]

#: The migrations, in order: version ``i + 1`` is ``MIGRATIONS[i]``.
MIGRATIONS: tuple[Sequence[str], ...] = (_V1, _V2, _V3, _V4, _V5, _V6, _V7)

SCHEMA_VERSION = len(MIGRATIONS)


def _now() -> str:
    return iso(utc_now())


def current_version(dialect: Dialect, cur: Any) -> int | None:
    """The schema version of the store, or None when it has no calmline tables yet."""
    tables = dialect.tables(cur)
    if "schema_version" not in tables:
        foreign = tables if dialect.name == "sqlite" else tables & TABLES
        if foreign:
            names = ", ".join(sorted(foreign)[:4])
            raise StoreError(f"{dialect.describe()}: not a calmline results store (it holds "
                             f"other tables: {names}); nothing was changed")
        return None
    cur.execute("SELECT MAX(version) FROM schema_version")
    row = cur.fetchone()
    return int(row[0]) if row and row[0] is not None else 0


def migrate(dialect: Dialect, conn: Any,
            migrations: Sequence[Sequence[str]] = MIGRATIONS) -> tuple[int, int]:
    """Bring the store up to the latest schema; return (version before, version after)."""
    latest = len(migrations)
    cur = conn.cursor()
    before = current_version(dialect, cur)
    if before is not None and before == latest:
        return before, latest
    if before is not None and before > latest:
        raise StoreError(f"{dialect.describe()}: the results store has schema version "
                         f"{before}, newer than this calmline understands ({latest}); "
                         "upgrade calmline")
    dialect.begin_write(cur)
    try:
        dialect.lock_schema(cur)
        found = current_version(dialect, cur)
        if found is None:
            cur.execute(dialect.sql("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, "
                                    "applied_at TEXT NOT NULL)"))
            found = 0
        for version in range(found + 1, latest + 1):
            for statement in migrations[version - 1]:
                cur.execute(dialect.sql(statement))
            cur.execute(dialect.sql("INSERT INTO schema_version (version, applied_at) "
                                    "VALUES (?, ?)"), (version, _now()))
        cur.execute("COMMIT")
    except BaseException:
        with suppress(*dialect.errors):
            cur.execute("ROLLBACK")
        raise
    return before or 0, latest
