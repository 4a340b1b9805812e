"""The results store: trainees, certifications, attempts and their answers, written as they
happen, sealed when they close.

Every write is its own short transaction (``BEGIN IMMEDIATE`` on SQLite, a row lock on the
seal chain on PostgreSQL), committed before the call returns, so a killed process loses
nothing already answered. An attempt left ``in_progress`` by a process that died is found
on the next open (its pid is gone from this host, or its heartbeat went stale) and closed
as ``abandoned``.
"""

from __future__ import annotations

import json
import os
import socket
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from typing import Any

from scoring.seal import Signer, seal
from scoring.store.dialect import Dialect, StoreError, dialect_for
from scoring.store.liveness import is_dead, proc_token
from scoring.store.rows import AttemptInfo, AttemptResult, clean_trainee, dump
from scoring.store.rules import certification_verdict, first_at_each_position
from scoring.store.schema import migrate
from scoring.store.sealed import attempt_content, certification_content
from simulator.engine.moments import Clock, iso, utc_now
from simulator.engine.session import PROMPTED, UNDERSTOOD, UNMATCHED
from simulator.engine.typedtext import clean

#: How a typed answer may have been taken (anything else is refused, never stored).
TYPED_MATCHES = frozenset({"", UNDERSTOOD, PROMPTED, UNMATCHED})


def _typed_match(step: Mapping[str, Any]) -> str:
    """How a typed answer was taken, checked: "" for an answer picked from a list."""
    match = str(step.get("match") or "")
    if match not in TYPED_MATCHES:
        raise StoreError(f"an answer cannot be recorded as taken by {match[:40]!r}")
    return match if step.get("typed") or match == UNMATCHED else ""


class Store:
    """A connection to one results store (SQLite file or PostgreSQL database)."""

    def __init__(self, dialect: Dialect, conn: Any, clock: Clock = utc_now) -> None:
        self.dialect = dialect
        self.conn = conn
        self.clock = clock
        self.host = socket.gethostname()
        self.pid = os.getpid()
        self.proc = proc_token(self.pid)
        self._batch: Any = None

    # -- plumbing ------------------------------------------------------------------------
    def close(self) -> None:
        """Close the connection."""
        with suppress(Exception):
            self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def describe(self) -> str:
        """Where the store is, for messages."""
        return self.dialect.describe()

    def now(self) -> str:
        """The store's current time as text."""
        return iso(self.clock())

    def _fail(self, exc: BaseException) -> StoreError:
        text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return StoreError(f"{self.describe()}: {text}")

    def execute(self, cur: Any, sql: str, params: Sequence[Any] = ()) -> Any:
        """Run one statement written with ``?`` placeholders and type slots."""
        cur.execute(self.dialect.sql(sql), tuple(params))
        return cur

    @contextmanager
    def write(self) -> Iterator[Any]:
        """A write transaction, committed on success and rolled back on any error. Inside
        :meth:`batch`, the batch's transaction is used instead."""
        if self._batch is not None:
            yield self._batch
            return
        cur = self.conn.cursor()
        try:
            self.dialect.begin_write(cur)
        except self.dialect.errors as exc:
            raise self._fail(exc) from None
        try:
            yield cur
            cur.execute("COMMIT")
        except BaseException as exc:
            with suppress(Exception):
                cur.execute("ROLLBACK")
            if isinstance(exc, self.dialect.errors):
                raise self._fail(exc) from None
            raise

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Group many writes into one transaction (for bulk imports and benchmarks): every
        :meth:`write` inside it joins it, and all of it commits, or none, at the end."""
        if self._batch is not None:
            raise StoreError("batches do not nest")
        with self.write() as cur:
            self._batch = cur
            try:
                yield
            finally:
                self._batch = None

    @contextmanager
    def read(self) -> Iterator[Any]:
        """A read transaction over one consistent snapshot."""
        if self._batch is not None:
            yield self._batch
            return
        cur = self.conn.cursor()
        try:
            self.dialect.begin_read(cur)
            yield cur
        except self.dialect.errors as exc:
            raise self._fail(exc) from None
        finally:
            with suppress(Exception):
                cur.execute("COMMIT")

    # -- trainees and certifications -----------------------------------------------------
    def _trainee_id(self, cur: Any, name: str) -> int:
        name = clean_trainee(name)
        self.execute(cur, "INSERT INTO trainees (name, created_at) VALUES (?, ?) "
                          "ON CONFLICT (name) DO NOTHING", (name, self.now()))
        self.execute(cur, "SELECT id FROM trainees WHERE name = ?", (name,))
        return int(cur.fetchone()[0])

    def start_certification(self, trainee: str, scenarios: Sequence[str],
                            min_mean: float, started_at: str | None = None,
                            set_id: int | None = None, administered: str | None = None
                            ) -> tuple[int, str]:
        """Open a certification of ``trainee`` on ``scenarios`` (from the approved set
        ``set_id``, if any; ``administered`` says where, e.g. ``classroom``); return
        (id, uid)."""
        uid = str(uuid.uuid4())
        now = self.now()
        started_at = started_at or now
        with self.write() as cur:
            tid = self._trainee_id(cur, trainee)
            self.execute(cur, "INSERT INTO certifications (uid, trainee_id, scenarios, "
                              "min_mean, status, started_at, host, pid, proc, heartbeat_at) "
                              "VALUES (?, ?, ?, ?, 'in_progress', ?, ?, ?, ?, ?) RETURNING id",
                         (uid, tid, dump(list(scenarios)), float(min_mean), started_at,
                          self.host, self.pid, self.proc, now))
            cert_id = int(cur.fetchone()[0])
            if set_id is not None or administered is not None:  # schema version 6
                self.execute(cur, "UPDATE certifications SET set_id = ?, administered = ? "
                                  "WHERE id = ?", (set_id, administered, cert_id))
            return cert_id, uid

    def finish_certification(self, cert_id: int, key: Signer) -> tuple[bool, float]:
        """Close a certification: passed when every scenario passed and the mean reaches
        the minimum; seal it in the same transaction. Return (passed, mean)."""
        with self.write() as cur:
            self.execute(cur, "SELECT scenarios, min_mean, status FROM certifications "
                              "WHERE id = ?", (cert_id,))
            row = cur.fetchone()
            if row is None:
                raise StoreError(f"no certification {cert_id}")
            if row[2] != "in_progress":
                raise StoreError(f"certification {cert_id} is already {row[2]}")
            wanted, min_mean = len(json.loads(row[0])), float(row[1])
            passed, mean = certification_verdict(self.counted_attempts(cur, cert_id), wanted,
                                                 min_mean)
            self.execute(cur, "UPDATE certifications SET status = 'finished', "
                              "finished_at = ?, passed = ?, mean = ? WHERE id = ?",
                         (self.now(), int(passed), mean, cert_id))
            self._seal_certification(cur, cert_id, key)
        return passed, mean

    def counted_attempts(self, cur: Any, cert_id: int) -> list[tuple[str, int, float]]:
        """The first attempt at each place of the set (later ones do not count)."""
        self.execute(cur, "SELECT position, status, passed, percent FROM attempts "
                          "WHERE certification_id = ? ORDER BY position, id", (cert_id,))
        return first_at_each_position((int(r[0]), (r[1], int(r[2] or 0), float(r[3] or 0.0)))
                                      for r in cur.fetchall())

    # -- attempts ------------------------------------------------------------------------
    def start_attempt(self, info: AttemptInfo) -> tuple[int, str]:
        """Record the start of an attempt; return (id, uid)."""
        uid = str(uuid.uuid4())
        now = self.now()
        with self.write() as cur:
            tid = self._trainee_id(cur, info.trainee)
            self.execute(
                cur,
                "INSERT INTO attempts (uid, trainee_id, certification_id, position, mode, "
                "scenario_id, scenario_title, scenario_path, scenario_sha256, rubric_version, "
                "calmline_version, seed, shuffle, stop_on_critical, response_seconds, "
                "pass_mark, max_score, min_score, status, started_at, host, pid, proc, "
                "heartbeat_at, typed) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                "?, ?, 'in_progress', ?, ?, ?, ?, ?, ?) RETURNING id",
                (uid, tid, info.certification_id, info.position, info.mode, info.scenario_id,
                 info.scenario_title, info.scenario_path, info.scenario_sha256,
                 info.rubric_version, info.calmline_version, info.seed, int(info.shuffle),
                 int(info.stop_on_critical), info.response_seconds, info.pass_mark,
                 info.max_score, info.min_score, info.started_at or now, self.host, self.pid,
                 self.proc, now, int(info.typed)))
            return int(cur.fetchone()[0]), uid

    def add_answer(self, attempt_id: int, step: Mapping[str, Any]) -> None:
        """Record one answered turn (a :meth:`Step.to_dict`), committed before returning."""
        now = self.now()
        scores = {k: int(v) for k, v in dict(step["scores"]).items()}
        with self.write() as cur:
            self.execute(cur, "UPDATE attempts SET answered = answered + 1, heartbeat_at = ? "
                              "WHERE id = ? AND status = 'in_progress'", (now, attempt_id))
            if cur.rowcount != 1:
                raise StoreError(self._closed_reason(cur, attempt_id))
            self.execute(
                cur,
                "INSERT INTO answers (attempt_id, turn, node, line, choice, say, scores, total, "
                "effects, values_before, values_after, target, feedback, critical, timed_out, "
                "at, recorded_at, narration, typed, typed_match) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (attempt_id, int(step["turn"]), step["node"], step["line"], step["choice"],
                 step["say"], dump(scores), sum(scores.values()), dump(dict(step["effects"])),
                 dump(dict(step["values_before"])), dump(dict(step["values"])),
                 step["target"], step["feedback"], int(bool(step["critical"])),
                 int(bool(step["timed_out"])), step["at"] or now, now,
                 str(step.get("narration") or ""), clean(str(step.get("typed") or "")),
                 _typed_match(step)))

    def _closed_reason(self, cur: Any, attempt_id: int) -> str:
        self.execute(cur, "SELECT status FROM attempts WHERE id = ?", (attempt_id,))
        row = cur.fetchone()
        if row is None:
            return f"no attempt {attempt_id} in {self.describe()}"
        return f"attempt {attempt_id} is already {row[0]}; nothing more can be recorded"

    def heartbeat(self, attempt_id: int) -> None:
        """Note that the attempt is still being played (keeps it from being reaped)."""
        with self.write() as cur:
            self.execute(cur, "UPDATE attempts SET heartbeat_at = ? WHERE id = ? AND "
                              "status = 'in_progress'", (self.now(), attempt_id))

    def finish_attempt(self, attempt_id: int, result: AttemptResult, key: Signer) -> str:
        """Record how the attempt ended and seal it; return the seal."""
        with self.write() as cur:
            self.execute(cur, "UPDATE attempts SET status = 'finished', finished_at = ?, "
                              "ending = ?, outcome = ?, total = ?, percent = ?, passed = ?, "
                              "critical = ?, missed = ? WHERE id = ? AND status = 'in_progress'",
                         (self.now(), result.ending, result.outcome, int(result.total),
                          float(result.percent), int(result.passed), int(result.critical),
                          dump([dict(m) for m in result.missed]), attempt_id))
            if cur.rowcount != 1:
                raise StoreError(self._closed_reason(cur, attempt_id))
            for pid, earned, best, percent in result.principles:
                self.execute(cur, "INSERT INTO attempt_principles (attempt_id, principle, "
                                  "earned, best, percent) VALUES (?, ?, ?, ?, ?)",
                             (attempt_id, pid, int(earned), int(best), float(percent)))
            return self._seal(cur, attempt_id, key)

    def abandon_attempt(self, attempt_id: int, key: Signer) -> str | None:
        """Close an unfinished attempt as abandoned and seal what it holds."""
        with self.write() as cur:
            self.execute(cur, "UPDATE attempts SET status = 'abandoned', finished_at = ? "
                              "WHERE id = ? AND status = 'in_progress'", (self.now(), attempt_id))
            if cur.rowcount != 1:
                return None
            return self._seal(cur, attempt_id, key)

    def abandon_certification(self, cert_id: int, key: Signer) -> str | None:
        """Close an unfinished certification as abandoned (not passed) and seal it; return
        the seal (None when it was already closed)."""
        with self.write() as cur:
            self.execute(cur, "UPDATE certifications SET status = 'abandoned', finished_at = ?, "
                              "passed = 0 WHERE id = ? AND status = 'in_progress'",
                         (self.now(), cert_id))
            if cur.rowcount != 1:
                return None
            return self._seal_certification(cur, cert_id, key)

    def _link(self, cur: Any, table: str, kind: str, row_id: int,
              content_of: Callable[[], Mapping[str, Any]], key: Signer) -> str:
        """Seal the content of row ``row_id`` of ``table`` as the next record of the one
        chain (attempts and certifications alike). The chain row is locked before the
        content is read, so concurrent closes take turns."""
        self.execute(cur, "SELECT seq, seal FROM chain WHERE id = 1" + self.dialect.for_update)
        seq, prev = cur.fetchone()
        sealed = seal(key, kind, content_of(), prev)
        self.execute(cur, f"UPDATE {table} SET seq = ?, prev_seal = ?, seal = ?, key_id = ?, "
                          "sealed_at = ? WHERE id = ?",
                     (int(seq) + 1, prev, sealed, key.id, self.now(), row_id))
        self.execute(cur, "UPDATE chain SET seq = ?, seal = ?, key_id = ? WHERE id = 1",
                     (int(seq) + 1, sealed, key.id))
        return sealed

    def _seal(self, cur: Any, attempt_id: int, key: Signer) -> str:
        return self._link(cur, "attempts", "attempt", attempt_id,
                          lambda: attempt_content(self, cur, attempt_id), key)

    def _seal_certification(self, cur: Any, cert_id: int, key: Signer) -> str:
        return self._link(cur, "certifications", "certification", cert_id,
                          lambda: certification_content(self, cur, cert_id), key)

    # -- abandoned attempts --------------------------------------------------------------
    def reap(self, key: Signer) -> list[int]:
        """Close as abandoned every in-progress attempt whose process is gone; return ids."""
        now = self.clock()
        with self.read() as cur:
            self.execute(cur, "SELECT id, host, pid, proc, heartbeat_at FROM attempts "
                              "WHERE status = 'in_progress'")
            attempts = [r[0] for r in cur.fetchall()
                        if is_dead(self.host, r[1], int(r[2]), r[3], r[4], now)]
            self.execute(cur, "SELECT id, host, pid, proc, heartbeat_at FROM certifications "
                              "WHERE status = 'in_progress'")
            certs = [r[0] for r in cur.fetchall()
                     if is_dead(self.host, r[1], int(r[2]), r[3], r[4], now)]
        done = [a for a in attempts if self.abandon_attempt(int(a), key)]
        for cert in certs:
            self.abandon_certification(int(cert), key)
        return done


def open_store(url: str | None = None, clock: Clock = utc_now) -> Store:
    """Open (creating and migrating when needed) the store at ``url``, a path or
    ``postgresql://`` URL; None means ``$CALMLINE_DB`` or the default SQLite file."""
    dialect = dialect_for(url)
    conn = dialect.connect()
    try:
        migrate(dialect, conn)
    except StoreError:
        conn.close()
        raise
    except dialect.errors as exc:
        conn.close()
        text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise StoreError(f"{dialect.describe()}: not a usable results store ({text}); "
                         "nothing was changed") from None
    return Store(dialect, conn, clock)
