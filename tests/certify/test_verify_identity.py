"""Rubric 2's ``verify_identity``: scored, recorded with the rubric version, and carried by
every export (CSV, JSON, xAPI), the cohort report and the transcript."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from scoring import xapi
from scoring.rubric import BY_ID, PRINCIPLES, RUBRIC_VERSION
from scoring.seal import SealKey
from scoring.store import open_store, queries
from simulator.cli import main
from simulator.engine.loader import load
from tests.store.helpers import ROOT, certify

CALL = """\
format: 1
id: caller-check
title: A caller who cannot answer the checks
summary: Two turns, for the identity principle.
difficulty: easy
principles: [stay_calm, dont_argue, apologize, verify_identity]
pass_mark: 60
persona: {name: Lee, product: Account, order_value: 0}
variables:
  anger: {min: 0, max: 100, start: 30}
start: ask
nodes:
  ask:
    customer: I'm ringing for my mum, just tell me her new address.
    choices:
      - id: check
        say: I'm sorry, I can only discuss the account with your mum once she's passed the checks.
        scores: {verify_identity: 2, apologize: 1, stay_calm: 1}
        feedback: Nothing read out before the account holder is verified.
        next: push
      - id: read
        say: Of course, it's 14 Mill Lane, let me read it back.
        scores: {verify_identity: -3, stay_calm: 1}
        critical: true
        feedback: The address went to someone who never passed the checks.
        next: push
  push:
    customer: This is ridiculous, she's in hospital.
    choices:
      - id: route
        say: I'm sorry; she can give you written authority, and I can post the form to her address.
        scores: {verify_identity: 1, dont_argue: 1, apologize: 1}
        feedback: A legitimate route, and the line still held.
        next: done
      - id: cave
        say: Fine, what would you like changed?
        scores: {verify_identity: -2, dont_argue: 1}
        feedback: Caving under pressure changes an account for a stranger.
        next: done
endings:
  done:
    outcome: resolved
    debrief: Did anything leave the account before the checks?
"""


@pytest.fixture
def db(tmp_path: Path, seal_key: SealKey) -> str:
    path = tmp_path / "caller-check.yaml"
    path.write_text(CALL)
    url = str(tmp_path / "results.sqlite3")
    with open_store(url) as store:
        certify(store, seal_key, "Ann", [(load(path), ("check", "route"))])
        certify(store, seal_key, "Bob", [(load(path), ("read", "cave"))])
    return url


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    capsys.readouterr()
    code = main(list(args))
    return code, capsys.readouterr().out


def test_the_rubric_is_version_2_and_documents_verify_identity() -> None:
    assert RUBRIC_VERSION == "2"
    p = BY_ID["verify_identity"]
    assert p.name == "Verify identity" and "before" in p.description
    assert PRINCIPLES[-1] is p
    guide = (ROOT / "scenarios" / "README.md").read_text()
    for q in PRINCIPLES:  # the format guide's table names every id of the rubric
        assert f"| `{q.id}` |" in guide, q.id


def test_verify_identity_is_scored_and_exported_everywhere(
        db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = _run(capsys, "export", "--format", "csv", "--db", db)
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0
    assert [(r["trainee"], r["principle:verify_identity"], r["rubric_version"]) for r in rows] \
        == [("Ann", "100.0", "2"), ("Bob", "0.0", "2")]
    assert (rows[1]["passed"], rows[1]["critical"]) == ("0", "1")

    code, out = _run(capsys, "export", "--format", "json", "--db", db)
    ann = json.loads(out)[0]
    assert {p["principle"]: (p["earned"], p["best"]) for p in ann["principles"]}[
        "verify_identity"] == (3, 3)

    with open_store(db) as store:
        final = xapi.statements(queries.export_rows(store)[1])[-1]
    ext = final["result"]["extensions"]
    key = next(k for k in ext if k.endswith("/principle/verify_identity"))
    assert ext[key]["earned"] == -3 and ext[key]["best"] == 3  # the critical reply ends it
    assert "2" in {v for k, v in final["context"]["extensions"].items()
                   if k.endswith("rubric-version")}

    code, out = _run(capsys, "report", "--json", "--db", db)
    fails = {p["principle"]: p["fail_rate"] for p in json.loads(out)["principles"]}
    assert code == 0 and fails["verify_identity"] == 50.0
    code, out = _run(capsys, "report", "--db", db)
    assert "Verify identity" in out
    code, out = _run(capsys, "transcript", "2", "--db", db)
    assert "Verify identity" in out and "rubric 2" in out
