"""What a forger with write access to the store (but not the trainer's key) can do: rewrite
records and re-seal the whole chain with a key of their own."""

from __future__ import annotations

from typing import Any

from scoring.seal import seal
from scoring.store import Store
from scoring.store.sealed import attempt_content, certification_content


def reseal(store: Store, key: Any) -> None:
    """Re-seal every sealed record, in chain order, with ``key``."""
    with store.write() as cur:
        store.execute(cur, "SELECT seq, 'attempts', id FROM attempts WHERE seq IS NOT NULL "
                           "UNION ALL SELECT seq, 'certifications', id FROM certifications "
                           "WHERE seq IS NOT NULL ORDER BY 1")
        rows = cur.fetchall()
        prev = ""
        for _seq, table, row_id in rows:
            if table == "attempts":
                kind, content = "attempt", attempt_content(store, cur, row_id)
            else:
                kind, content = "certification", certification_content(store, cur, row_id)
            sealed = seal(key, kind, content, prev)
            store.execute(cur, f"UPDATE {table} SET prev_seal = ?, seal = ?, key_id = ? "
                               "WHERE id = ?", (prev, sealed, key.id, row_id))
            prev = sealed
        store.execute(cur, "UPDATE chain SET seal = ?, key_id = ? WHERE id = 1", (prev, key.id))
