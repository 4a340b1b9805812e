"""The roster: who may sign in to the classroom, with a personal sign-in code each, and the
browser sessions they open. Only SHA-256 hashes of codes and session tokens are stored, in
the results store, so several server processes sharing one PostgreSQL store share them."""

from __future__ import annotations

import csv
import hashlib
import io
import secrets
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from scoring.store import Store, StoreError, clean_trainee, iso, parse_iso

ROLES = ("trainee", "trainer")
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
"""Sign-in code letters: no 0/o, 1/l/i to misread when a code is read out or typed."""
CODE_LENGTH = 12
MAX_IMPORT_BYTES = 1_000_000


@dataclass(frozen=True, slots=True)
class Member:
    """A roster entry: who, in which role, since when, revoked or not."""

    id: int
    name: str
    role: str
    created_at: str
    revoked_at: str | None = None


def new_code() -> str:
    """A fresh sign-in code, e.g. ``k7qm-x2fd-9hwa`` (about 59 bits of entropy)."""
    raw = "".join(secrets.choice(_ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(raw[i:i + 4] for i in range(0, CODE_LENGTH, 4))


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def normal_code(text: str) -> str | None:
    """A code as typed (any case, spaces or dashes anywhere), normalised; None if it cannot
    be one."""
    raw = "".join(ch for ch in str(text)[:64].lower() if ch not in "- ")
    if len(raw) != CODE_LENGTH or any(ch not in _ALPHABET for ch in raw):
        return None
    return "-".join(raw[i:i + 4] for i in range(0, CODE_LENGTH, 4))


def add(store: Store, name: str, role: str = "trainee") -> tuple[Member, str]:
    """Put ``name`` on the roster with a new code; return the entry and the code (shown
    once: only its hash is kept). A name already on the roster is refused (revoke first)."""
    if role not in ROLES:
        raise StoreError(f"unknown role {role!r} (trainee or trainer)")
    name = clean_trainee(name)
    code = new_code()
    with store.write() as cur:
        store.execute(cur, "INSERT INTO trainees (name, created_at) VALUES (?, ?) "
                           "ON CONFLICT (name) DO NOTHING", (name, store.now()))
        store.execute(cur, "SELECT id FROM trainees WHERE name = ?", (name,))
        trainee_id = int(cur.fetchone()[0])
        store.execute(cur, "SELECT role FROM roster WHERE trainee_id = ? AND revoked_at IS NULL",
                      (trainee_id,))
        if cur.fetchone() is not None:
            raise StoreError(f"{name} is already on the roster (revoke the code first to "
                             "issue a new one)")
        now = store.now()
        store.execute(cur, "INSERT INTO roster (trainee_id, role, code_hash, created_at) "
                           "VALUES (?, ?, ?, ?) RETURNING id",
                      (trainee_id, role, _digest(code), now))
        return Member(int(cur.fetchone()[0]), name, role, now), code


def read_csv(path: Path) -> list[tuple[str, str]]:
    """(name, role) rows from a CSV file: a ``name`` column (or the first column) and an
    optional ``role`` column; StoreError naming the line of anything unusable."""
    try:
        if path.stat().st_size > MAX_IMPORT_BYTES:
            raise StoreError(f"{path}: too large for a roster (1 MB at most)")
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise StoreError(f"{path}: cannot read ({exc.strerror})") from None
    except UnicodeDecodeError:
        raise StoreError(f"{path}: not UTF-8 text") from None
    rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        raise StoreError(f"{path}: no names in the file")
    header = [c.strip().lower() for c in rows[0]]
    name_col = header.index("name") if "name" in header else None
    role_col = header.index("role") if "role" in header else None
    start = 1 if name_col is not None else 0
    out: list[tuple[str, str]] = []
    for line, row in enumerate(rows[start:], start + 1):
        if not any(c.strip() for c in row):
            continue
        cell = row[name_col or 0] if len(row) > (name_col or 0) else ""
        role = (row[role_col].strip().lower() if role_col is not None and len(row) > role_col
                else "") or "trainee"
        try:
            name = clean_trainee(cell)
        except StoreError as exc:
            raise StoreError(f"{path}:{line}: {exc}") from None
        if role not in ROLES:
            raise StoreError(f"{path}:{line}: unknown role {role[:20]!r} (trainee or trainer)")
        out.append((name, role))
    names = [n for n, _ in out]
    if len(set(names)) != len(names):
        twice = next(n for n in names if names.count(n) > 1)
        raise StoreError(f"{path}: {twice} is listed twice")
    return out


def members(store: Store, include_revoked: bool = False) -> list[Member]:
    """The roster, in the order names were added."""
    where = "" if include_revoked else " WHERE r.revoked_at IS NULL"
    with store.read() as cur:
        store.execute(cur, "SELECT r.id, t.name, r.role, r.created_at, r.revoked_at FROM roster r "
                           f"JOIN trainees t ON t.id = r.trainee_id{where} ORDER BY r.id")
        return [Member(int(r[0]), r[1], r[2], r[3], r[4]) for r in cur.fetchall()]


def revoke(store: Store, name: str) -> Member:
    """Revoke ``name``'s code: it and every session opened with it stop working at once."""
    name = clean_trainee(name)
    with store.write() as cur:
        store.execute(cur, "SELECT r.id, r.role, r.created_at FROM roster r JOIN trainees t "
                           "ON t.id = r.trainee_id WHERE t.name = ? AND r.revoked_at IS NULL",
                      (name,))
        row = cur.fetchone()
        if row is None:
            raise StoreError(f"{name} has no code to revoke (see 'calmline roster list')")
        now = store.now()
        store.execute(cur, "UPDATE roster SET revoked_at = ? WHERE id = ?", (now, row[0]))
        store.execute(cur, "DELETE FROM classroom_sessions WHERE roster_id = ?", (row[0],))
        return Member(int(row[0]), name, row[1], row[2], now)


def sign_in(store: Store, code: str, lifetime: timedelta) -> tuple[Member, str] | None:
    """Open a browser session with a sign-in code: (member, session token), or None when
    the code is unknown or revoked."""
    normal = normal_code(code)
    if normal is None:
        return None
    token = secrets.token_urlsafe(32)
    with store.write() as cur:
        store.execute(cur, "SELECT r.id, t.name, r.role, r.created_at FROM roster r JOIN "
                           "trainees t ON t.id = r.trainee_id WHERE r.code_hash = ? AND "
                           "r.revoked_at IS NULL", (_digest(normal),))
        row = cur.fetchone()
        if row is None:
            return None
        now = store.clock()
        store.execute(cur, "DELETE FROM classroom_sessions WHERE expires_at < ?", (iso(now),))
        store.execute(cur, "INSERT INTO classroom_sessions (token_hash, roster_id, created_at, "
                           "expires_at) VALUES (?, ?, ?, ?)",
                      (_digest(token), row[0], iso(now), iso(now + lifetime)))
    return Member(int(row[0]), row[1], row[2], row[3]), token


def session_member(store: Store, token: str) -> Member | None:
    """Who a session token belongs to, while it is unexpired and its code unrevoked."""
    if not token or len(token) > 100:
        return None
    with store.read() as cur:
        store.execute(cur, "SELECT r.id, t.name, r.role, r.created_at, s.expires_at FROM "
                           "classroom_sessions s JOIN roster r ON r.id = s.roster_id JOIN "
                           "trainees t ON t.id = r.trainee_id WHERE s.token_hash = ? AND "
                           "r.revoked_at IS NULL", (_digest(token),))
        row = cur.fetchone()
    if row is None or parse_iso(row[4]) <= store.clock():
        return None
    return Member(int(row[0]), row[1], row[2], row[3])


def sign_out(store: Store, token: str) -> None:
    """End a browser session."""
    with store.write() as cur:
        store.execute(cur, "DELETE FROM classroom_sessions WHERE token_hash = ?",
                      (_digest(token),))
