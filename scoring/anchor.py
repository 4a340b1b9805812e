"""Anchors: the chain head written outside the store, so records cut from the end show.

Whoever can write to the store can delete its newest records together with the chain head;
nothing left inside the store then betrays it. An anchor file, kept elsewhere and only ever
appended to, holds one signed line per anchoring: the chain position reached and the seal
of the record there. ``verify --anchor`` checks every line against the store.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from scoring.seal import Checker, Issue, Keyring, SealError, Signer, canonical, check, seal
from scoring.store import Store

KIND = "anchor"
MAX_BYTES = 50_000_000


def head(store: Store) -> tuple[int, str]:
    """The chain head: (position reached, seal of the record there)."""
    with store.read() as cur:
        store.execute(cur, "SELECT seq, seal FROM chain WHERE id = 1")
        row = cur.fetchone() or (0, "")
    return int(row[0]), row[1] or ""


def append(path: Path, store: Store, key: Signer) -> dict[str, Any]:
    """Append the store's chain head, signed, to the anchor file at ``path``; return it."""
    seq, sealed = head(store)
    content = {"seq": seq, "seal": sealed, "at": store.now(), "store": store.describe()}
    line = {**content, "key_id": key.id, "signature": seal(key, KIND, content)}
    data = canonical(line) + b"\n"
    try:
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    except OSError as exc:
        raise SealError(f"{path}: cannot open the anchor file ({exc.strerror})") from None
    try:
        os.write(fd, data)
        os.fsync(fd)
    except OSError as exc:
        raise SealError(f"{path}: cannot write the anchor ({exc.strerror})") from None
    finally:
        os.close(fd)
    return line


def _lines(path: Path) -> list[tuple[int, Any]]:
    try:
        if path.stat().st_size > MAX_BYTES:
            raise SealError(f"{path}: too large to be an anchor file")
        text = path.read_bytes().decode("utf-8")
    except OSError as exc:
        raise SealError(f"{path}: cannot read the anchor file ({exc.strerror})") from None
    except UnicodeDecodeError:
        raise SealError(f"{path}: not an anchor file (not UTF-8 text)") from None
    out = []
    for number, raw in enumerate(text.splitlines(), 1):
        if raw.strip():
            try:
                out.append((number, json.loads(raw)))
            except (ValueError, RecursionError):
                out.append((number, None))
    return out


def check_file(path: Path, store: Store, key: Checker | Keyring) -> list[Issue]:
    """Every anchor the store contradicts: records cut from the end (the store's chain
    stops before a position an anchor saw), a chain position whose seal is not the one
    anchored (rewritten), and anchor lines that are damaged or not genuinely signed."""
    ring = key if isinstance(key, Keyring) else Keyring(key)
    issues: list[Issue] = []
    seals = _chain_seals(store)
    reached = max(seals, default=0)
    cut_from = None
    for number, line in _lines(path):
        where = f"{path.name}:{number}"
        if not isinstance(line, Mapping) or not isinstance(line.get("seq"), int):
            issues.append(Issue("altered", None, f"anchor {where}: damaged line", "anchor",
                                "anchor"))
            continue
        content = {k: line.get(k) for k in ("seq", "seal", "at", "store")}
        checker = ring.find(str(line.get("key_id", "")))
        if checker is None or not check(checker, KIND, content, "", str(line.get("signature"))):
            issues.append(Issue("altered", None, f"anchor {where}: not signed by a trusted key",
                                "anchor", "anchor"))
            continue
        seq = int(line["seq"])
        if seq > reached:
            cut_from = reached + 1 if cut_from is None else cut_from
            last = seq
            issues.append(Issue("missing", None, f"chain records {reached + 1}-{last} cut from "
                                f"the end: anchor {where} ({line.get('at')}) saw the chain "
                                f"reach position {last}, the store stops at {reached}",
                                "", "head"))
        elif seq and seals.get(seq) != line.get("seal"):
            issues.append(Issue("altered", None, f"chain position {seq} is not the record "
                                f"anchor {where} ({line.get('at')}) saw there (rewritten)",
                                "", "anchor"))
    if cut_from is not None:  # one line for the cut is enough; keep the widest
        missing = [i for i in issues if i.kind == "missing"]
        issues = [i for i in issues if i.kind != "missing"] + missing[-1:]
    return issues


def _chain_seals(store: Store) -> dict[int, str]:
    """The seal at every chain position the store holds."""
    with store.read() as cur:
        store.execute(cur, "SELECT seq, seal FROM attempts WHERE seq IS NOT NULL UNION ALL "
                           "SELECT seq, seal FROM certifications WHERE seq IS NOT NULL")
        return {int(r[0]): r[1] or "" for r in cur.fetchall()}
