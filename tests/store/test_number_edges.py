"""A scenario with every number at the edge of its range certifies into either store and
exports: the ranges are chosen so that no total, percentage or seed overflows a column."""

from __future__ import annotations

import csv
import io
import json

from scoring import xapi
from scoring.export import to_csv
from scoring.seal import SealKey
from scoring.store import open_store, queries
from simulator.authoring.lint import lint
from simulator.authoring.stats import report
from simulator.engine.analysis import analyze
from tests.store.helpers import ROOT, certify, scenario

EDGES = ROOT / "tests" / "data" / "edges.yaml"


def test_numbers_at_their_limits_certify_and_export_without_overflow(
        store_url: str, seal_key: SealKey) -> None:
    edges = scenario(EDGES)
    analysis = analyze(edges)
    assert analysis.best.total == 5000
    lint(edges, analysis=analysis)
    report(edges, analysis)
    with open_store(store_url) as store:
        best = certify(store, seal_key, "Edge Case", [(edges, ["sorry", "replace"])],
                       seed=2**63 - 1)
        worst = certify(store, seal_key, "Edge Case", [(edges, ["argue"])], seed=0)
        rows = queries.export_rows(store)
    assert best.passed and not worst.passed
    assert [r["total"] for r in rows] == [5000, -3000]
    assert rows[0]["seed"] == 2**63 - 1
    table = list(csv.DictReader(io.StringIO(to_csv(rows))))
    assert [t["total"] for t in table] == ["5000", "-3000"]
    statements = xapi.all_statements(rows)
    assert json.loads(json.dumps(statements))[0]["context"]["extensions"][
        xapi.EXT + "seed"] == 2**63 - 1
