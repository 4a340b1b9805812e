"""Tamper evidence: the trainer's seal key, HMAC-SHA256 seals over canonical JSON, and the
check of a chain of sealed records (altered, reordered and missing records).

A record's seal is ``HMAC(key, canonical({"kind", "content", "prev"}))`` where ``prev`` is
the seal of the record before it in the chain, so removing or moving a record breaks the
links around it even though every remaining seal is still genuine.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import stat
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from scoring.secretfile import write_once

KEY_FILE = "seal.key"


class SealError(Exception):
    """The seal key is missing, unreadable or unsafe: printed as one line."""


def config_dir() -> Path:
    """The trainer's calmline config folder (``$CALMLINE_CONFIG_DIR`` overrides it)."""
    override = os.environ.get("CALMLINE_CONFIG_DIR")
    if override:
        return Path(override).expanduser()
    from platformdirs import user_config_dir

    return Path(user_config_dir("calmline", appauthor=False))


def key_path() -> Path:
    """Where the seal key lives."""
    return config_dir() / KEY_FILE


@dataclass(frozen=True, slots=True)
class SealKey:
    """The secret that seals records, and a short public id that names it."""

    secret: bytes
    id: str
    path: Path

    def sign_message(self, message: bytes) -> str:
        """The HMAC-SHA256 seal (hex) of ``message``."""
        return hmac.new(self.secret, message, hashlib.sha256).hexdigest()

    def check_message(self, message: bytes, sealed: str) -> bool:
        """True when ``sealed`` is this key's seal of ``message``."""
        return hmac.compare_digest(self.sign_message(message), sealed)


class Signer(Protocol):
    """What seals records: the HMAC key of older stores, or an Ed25519 signing key
    (:mod:`scoring.signing`)."""

    @property
    def id(self) -> str: ...

    def sign_message(self, message: bytes) -> str: ...


class Checker(Protocol):
    """What checks seals: an HMAC key, an Ed25519 signing key or public key."""

    @property
    def id(self) -> str: ...

    def check_message(self, message: bytes, sealed: str) -> bool: ...


def is_signature(sealed: str) -> bool:
    """True for an Ed25519 signature, False for an HMAC seal of older stores."""
    return isinstance(sealed, str) and sealed.startswith("ed25519:")


class Keyring:
    """The keys a check trusts, by id: ``find`` gives the one that made a record."""

    def __init__(self, *keys: Checker) -> None:
        self.keys = {k.id: k for k in keys}

    @property
    def id(self) -> str:
        return ", ".join(self.keys) or "none"

    def find(self, key_id: str) -> Checker | None:
        return self.keys.get(key_id)


def _key_id(secret: bytes) -> str:
    return hashlib.sha256(b"calmline seal key id:" + secret).hexdigest()[:16]


def _create(path: Path) -> None:
    """Write a fresh key atomically with 0600 permissions; keep an existing one."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SealError(f"{path.parent}: cannot create the config folder ({exc.strerror})"
                        ) from None
    write_once(path, (secrets.token_hex(32) + "\n").encode("ascii"))


def load_key(create: bool = True, path: Path | None = None) -> SealKey:
    """The seal key; created on first use (0600) when ``create``, else SealError if absent."""
    path = path or key_path()
    if not path.exists():
        if not create:
            raise SealError(f"{path}: no seal key here; verifying needs the key that sealed "
                            "the records (set CALMLINE_CONFIG_DIR to the trainer's config "
                            "folder)")
        try:
            _create(path)
        except OSError as exc:
            raise SealError(f"{path}: cannot create the seal key ({exc.strerror})") from None
    try:
        mode = path.stat().st_mode
        text = path.read_text("ascii").strip()
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "not a key file"
        raise SealError(f"{path}: cannot read the seal key ({reason})") from None
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise SealError(f"{path}: the seal key is readable by others (mode "
                        f"{stat.S_IMODE(mode):o}); run 'chmod 600 {path}'")
    try:
        secret = bytes.fromhex(text)
    except ValueError:
        secret = b""
    if len(secret) < 32:
        raise SealError(f"{path}: not a calmline seal key (expected 64 hex digits)")
    return SealKey(secret, _key_id(secret), path)


def canonical(obj: Any) -> bytes:
    """The canonical JSON bytes of ``obj``: sorted keys, no spaces, UTF-8."""
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False).encode("utf-8")


def message_of(kind: str, content: Mapping[str, Any], prev: str = "") -> bytes:
    """The bytes a seal or signature covers: ``content`` of ``kind``, chained to ``prev``."""
    return canonical({"kind": kind, "content": content, "prev": prev})


def seal(key: Signer, kind: str, content: Mapping[str, Any], prev: str = "") -> str:
    """The seal of ``content`` of ``kind``, chained to ``prev``: an Ed25519 signature
    (``ed25519:...``) with a signing key, HMAC-SHA256 hex with the seal key of older stores."""
    return key.sign_message(message_of(kind, content, prev))


def check(key: Checker, kind: str, content: Mapping[str, Any], prev: str, sealed: str) -> bool:
    """True when ``sealed`` is the genuine seal of this content and link (False, never an
    exception, for a seal or content that could not have been sealed)."""
    if not isinstance(sealed, str) or not sealed.isascii() or not isinstance(prev, str):
        return False
    if is_signature(sealed) == isinstance(key, SealKey):
        return False
    try:
        return key.check_message(message_of(kind, content, prev), sealed)
    except (TypeError, ValueError, RecursionError):
        return False


@dataclass(frozen=True, slots=True)
class Sealed:
    """One sealed record as read back from the store."""

    record: int
    seq: int
    prev: str
    seal: str
    key_id: str
    content: Mapping[str, Any]
    kind: str = ""
    """The record's kind (``attempt``, ``certification``); empty: the chain's default."""


@dataclass(frozen=True, slots=True)
class Issue:
    """One problem found in the chain: ``kind`` is altered, reordered, missing or unsealed.

    ``subject`` and ``record`` say which record it is about (``attempt`` or
    ``certification`` and its id; empty and None for the chain itself), and ``check`` which
    check failed: ``content`` (the record does not match its seal), ``key``, ``link``,
    ``order``, ``start``, ``verdict`` (a certification's verdict is not the one its sealed
    attempts give), ``unsealed``, ``gap`` or ``head``. Code ranks issues by these fields,
    never by the message's wording."""

    kind: str
    record: int | None
    message: str
    subject: str = ""
    check: str = ""


def verify_chain(key: Checker | Keyring, kind: str, records: Sequence[Sealed], head_seq: int,
                 head_seal: str, unsealed: Sequence[int] = ()) -> list[Issue]:
    """Every altered, reordered, missing or unsealed record in a chain ordered by ``seq``.

    One chain may hold records of several kinds (attempts and certifications): each record
    is checked as its own ``kind``, ``kind`` being the default and the kind of ``unsealed``.
    """
    issues: list[Issue] = []
    by_seal = {r.seal: r for r in records}
    prev_seal, prev_seq = "", 0
    default = kind
    ring = key if isinstance(key, Keyring) else Keyring(key)
    for r in records:
        kind = r.kind or default
        checker = ring.find(r.key_id) if r.key_id else next(iter(ring.keys.values()), None)
        if checker is None:
            issues.append(Issue("altered", r.record, f"{kind} {r.record}: sealed with another "
                                f"key ({r.key_id}, not {ring.id})", kind, "key"))
        elif not check(checker, kind, r.content, r.prev, r.seal):
            issues.append(Issue("altered", r.record, f"{kind} {r.record}: its content does "
                                "not match its seal (altered after it was sealed)", kind,
                                "content"))
        gap = r.seq > prev_seq + 1
        if gap:
            first, last = prev_seq + 1, r.seq - 1
            span = f"record {first}" if first == last else f"records {first}-{last}"
            issues.append(Issue("missing", None, f"chain {span} missing (deleted) before "
                                f"{kind} {r.record}", "", "gap"))
        elif r.prev != prev_seal:
            before = by_seal.get(r.prev)
            if before is not None:
                issues.append(Issue("reordered", r.record, f"{kind} {r.record}: out of order "
                                    f"(sealed after {before.kind or default} {before.record}, "
                                    f"stored at chain position {r.seq})", kind, "order"))
            elif r.prev and not any(i.record == r.record and i.subject == kind
                                   for i in issues):
                issues.append(Issue("altered", r.record, f"{kind} {r.record}: its link to the "
                                    "record before it was altered", kind, "link"))
            elif not r.prev:
                issues.append(Issue("reordered", r.record, f"{kind} {r.record}: claims to "
                                    f"start the chain but is stored at position {r.seq}", kind,
                                    "start"))
        prev_seal, prev_seq = r.seal, r.seq
    if head_seq > prev_seq:
        first = prev_seq + 1
        span = f"record {first}" if first == head_seq else f"records {first}-{head_seq}"
        issues.append(Issue("missing", None, f"chain {span} missing (deleted) at the end", "",
                            "gap"))
    elif head_seq < prev_seq or head_seal != prev_seal:
        issues.append(Issue("altered", None, f"the chain head (position {head_seq}) does not "
                            "match the last sealed record", "", "head"))
    for record in unsealed:
        issues.append(Issue("unsealed", record, f"{default} {record}: closed but carries no seal "
                            "(its seal was removed)", default, "unsealed"))
    return issues
