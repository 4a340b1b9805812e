"""What a seal covers: the content of an attempt or certification, read exactly as stored."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from contextlib import suppress
from typing import TYPE_CHECKING, Any

from scoring.store.dialect import StoreError
from scoring.store.rows import (
    ANSWER_FIELDS,
    ATTEMPT_FIELDS,
    CERTIFICATION_FIELDS,
    PRINCIPLE_FIELDS,
    dump,
    row_dict,
)
from scoring.store.rules import first_at_each_position

if TYPE_CHECKING:
    from scoring.store.core import Store


def legacy_digest(store: Store, cur: Any) -> str:
    """The SHA-256 of the list of certifications closed before certifications were
    sealed (schema version 3), which every certification seal covers: adding a row to
    that list, to pass a forged certification off as an old unsealed one, breaks them."""
    store.execute(cur, "SELECT certification_id FROM legacy_certifications "
                       "ORDER BY certification_id")
    ids = [int(r[0]) for r in cur.fetchall()]
    return hashlib.sha256(dump(ids).encode("utf-8")).hexdigest()


def certification_content(store: Store, cur: Any, cert_id: int,
                          legacy: str | None = None) -> dict[str, Any]:
    """The sealed content of a certification, exactly as stored: its row (ordered list
    of scenarios, minimum mean, status, verdict), the trainee's name, every attempt
    made as part of it (id, uid, place in the set, scenario and the SHA-256 of the file
    played) and the ids of those that count (the first at each place)."""
    cols = ", ".join(f"c.{c}" for c in CERTIFICATION_FIELDS)
    store.execute(cur, f"SELECT {cols}, t.name FROM certifications c "
                       "JOIN trainees t ON t.id = c.trainee_id WHERE c.id = ?", (cert_id,))
    row = cur.fetchone()
    if row is None:
        raise StoreError(f"no certification {cert_id} in {store.describe()}")
    data = dict(zip(CERTIFICATION_FIELDS, row, strict=False))
    data["trainee"] = row[-1]
    with suppress(TypeError, ValueError):
        data["scenarios"] = json.loads(data["scenarios"])
    store.execute(cur, "SELECT id, uid, position, scenario_id, scenario_sha256 FROM attempts "
                       "WHERE certification_id = ? ORDER BY position, id", (cert_id,))
    attempts = [{"id": r[0], "uid": r[1], "position": r[2], "scenario": r[3],
                 "sha256": r[4]} for r in cur.fetchall()]
    data["attempts"] = attempts
    data["counted"] = first_at_each_position((a["position"], a["id"]) for a in attempts)
    data["legacy"] = legacy_digest(store, cur) if legacy is None else legacy
    # Schema version 6: covered only when set, so seals made before stay valid.
    store.execute(cur, "SELECT set_id, administered FROM certifications WHERE id = ?",
                  (cert_id,))
    set_id, administered = cur.fetchone()
    if administered is not None:
        data["administered"] = administered
    if set_id is not None:
        data["set"] = set_pins(store, cur, int(set_id))
    return data


def _answer(row: Sequence[Any]) -> dict[str, Any]:
    """One answer row as sealed: the narration shown with it, and what was typed and how it
    was taken, are part of the content only when there are some (answers recorded before
    they existed keep their seals)."""
    data = row_dict(ANSWER_FIELDS, row[:-3])
    for name, value in zip(("narration", "typed", "match"), row[-3:], strict=True):
        if value:
            data[name] = value
    return data


def set_pins(store: Store, cur: Any, set_id: int) -> dict[str, Any]:
    """What an approved certification set pinned: its name, rubric version, minimum mean
    and each scenario's id and SHA-256, in order; ``typed`` only for a typed set (schema
    version 7), so seals made before stay valid."""
    store.execute(cur, "SELECT name, rubric_version, min_mean, typed FROM cert_sets "
                       "WHERE id = ?", (set_id,))
    row = cur.fetchone()
    if row is None:
        return {"id": set_id, "missing": True}
    store.execute(cur, "SELECT scenario_id, sha256 FROM cert_set_scenarios WHERE set_id = ? "
                       "ORDER BY position", (set_id,))
    pins: dict[str, Any] = {"id": set_id, "name": row[0], "rubric": row[1],
                            "min_mean": float(row[2]),
                            "scenarios": [{"id": r[0], "sha256": r[1]} for r in cur.fetchall()]}
    if row[3]:
        pins["typed"] = True
    return pins


def attempt_content(store: Store, cur: Any, attempt_id: int) -> dict[str, Any]:
    """The sealed content of an attempt, exactly as stored."""
    cols = ", ".join(f"a.{c}" for c in ATTEMPT_FIELDS)
    store.execute(cur, f"SELECT {cols}, t.name, c.uid, c.min_mean FROM attempts a "
                       "JOIN trainees t ON t.id = a.trainee_id "
                       "LEFT JOIN certifications c ON c.id = a.certification_id "
                       "WHERE a.id = ?", (attempt_id,))
    row = cur.fetchone()
    if row is None:
        raise StoreError(f"no attempt {attempt_id} in {store.describe()}")
    data = row_dict(ATTEMPT_FIELDS, row)
    data["trainee"], data["certification"], data["min_mean"] = row[-3], row[-2], row[-1]
    store.execute(cur, f"SELECT {', '.join(ANSWER_FIELDS)}, narration, typed, typed_match "
                       "FROM answers "
                       "WHERE attempt_id = ? ORDER BY turn", (attempt_id,))
    data["answers"] = [_answer(r) for r in cur.fetchall()]
    # Schema version 7: covered only when set, so seals made before stay valid.
    store.execute(cur, "SELECT typed FROM attempts WHERE id = ?", (attempt_id,))
    if cur.fetchone()[0]:
        data["typed"] = True
    store.execute(cur, f"SELECT {', '.join(PRINCIPLE_FIELDS)} FROM attempt_principles "
                       "WHERE attempt_id = ? ORDER BY principle", (attempt_id,))
    data["principles"] = [row_dict(PRINCIPLE_FIELDS, r) for r in cur.fetchall()]
    return data
