"""Flat exports of recorded attempts: one CSV row per attempt, principle scores as columns.

Text cells that a spreadsheet would read as a formula (beginning with ``= + - @``, a tab or
a carriage return: the OWASP rule for CSV injection) are written with a leading ``'``, so a
trainee named ``=HYPERLINK(...)`` stays text in the trainer's spreadsheet. Numbers that
calmline itself wrote (totals, percentages, seeds) stay numbers.
"""

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


#: What a spreadsheet reads as the start of a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(value: Any) -> Any:
    """``value`` as a CSV cell: empty for None, text that could start a formula made inert."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


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
        writer.writerow([*(cell(r.get(c)) for c in COLUMNS),
                         *(cell(scores.get(pid)) for pid in order),
                         cell(r["seal"]["seal"])])
    return out.getvalue()
