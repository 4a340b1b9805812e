"""Flat exports of recorded attempts: one CSV row per attempt, principle scores as columns."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from typing import Any

from scoring.rubric import PRINCIPLES

COLUMNS = (
    "id", "uid", "trainee", "certification", "scenario_id", "scenario_title",
    "scenario_sha256", "rubric_version", "calmline_version", "mode", "seed", "status",
    "started_at", "finished_at", "answered", "ending", "outcome", "total", "min_score",
    "max_score", "percent", "pass_mark", "passed", "critical",
)


def to_csv(rows: Sequence[Mapping[str, Any]]) -> str:
    """CSV text: the attempt columns, ``principle:<id>`` percent columns (empty where a
    scenario does not score that principle), then the seal."""
    used = {p["principle"] for r in rows for p in r["principles"]}
    order = [p.id for p in PRINCIPLES if p.id in used] + sorted(
        used - {p.id for p in PRINCIPLES})
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([*COLUMNS, *(f"principle:{pid}" for pid in order), "seal"])
    for r in rows:
        scores = {p["principle"]: p["percent"] for p in r["principles"]}
        writer.writerow([*("" if r.get(c) is None else r[c] for c in COLUMNS),
                         *("" if scores.get(pid) is None else scores[pid] for pid in order),
                         r["seal"]["seal"] or ""])
    return out.getvalue()
