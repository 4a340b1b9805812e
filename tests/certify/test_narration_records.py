"""Narration in recorded attempts: kept with each answer, sealed, shown by ``transcript``
apart from the customer's words; answers without narration seal exactly as before."""

from __future__ import annotations

from pathlib import Path

import pytest

from scoring.seal import SealKey
from scoring.store import open_store, queries
from simulator.cli import main
from simulator.engine.loader import load
from tests.store.helpers import GOOD, certify, scenario

NARRATED = Path(__file__).parents[1] / "data" / "narrated.yaml"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    capsys.readouterr()
    code = main(list(argv))
    return code, capsys.readouterr().out


def test_a_recorded_transcript_shows_the_narration_and_the_seal_holds(
        store_url: str, seal_key: SealKey, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "160")
    with open_store(store_url) as store:
        certify(store, seal_key, "Ann", [(load(NARRATED), ["blame-proof", "vague"])])
        certify(store, seal_key, "Bob", [(scenario(), GOOD)])
        narrated = queries.attempt_detail(store, 1)
        plain = queries.attempt_detail(store, 2)
    assert [a["narration"] for a in narrated["answers"]] == [
        load(NARRATED).nodes["opening"].narration[0].text,
        "The account notes a complaint flag added after the customer's last call."]
    assert all("narration" not in a for a in plain["answers"])
    code, out = run(capsys, "transcript", "1", "--db", store_url)
    assert code == 0
    lines = [" ".join(line.split()) for line in out.splitlines()]
    at = next(i for i, line in enumerate(lines) if line.startswith("1. On screen: The order"))
    assert lines[at + 1].startswith("Customer: My banner says")
    assert any(line.startswith("2. On screen: The account notes a complaint flag")
               for line in lines)
    code, out = run(capsys, "verify", "--db", store_url)
    assert code == 0, out


def test_a_certified_attempt_is_scored_against_the_situation_it_drew(
        store_url: str, seal_key: SealKey, capsys: pytest.CaptureFixture[str]) -> None:
    from simulator.engine.situations import draw

    sc = load(Path(__file__).parents[1] / "data" / "situations.yaml")
    seeds = {scene: next(s for s in range(100) if draw(sc, s) == {"scene": scene})
             for scene in (0, 1)}
    with open_store(store_url) as store:
        certify(store, seal_key, "Ann", [(sc, ["check-first", "boundary", "fair-refund"])],
                seed=seeds[1])
        certify(store, seal_key, "Bob", [(sc, ["check-first", "fair-refund"])],
                seed=seeds[0])
        rows = [queries.attempt_detail(store, i) for i in (1, 2)]
    assert [(r["seed"], r["max_score"], r["total"], r["percent"], r["passed"]) for r in rows] == [
        (seeds[1], 7, 7, 100.0, True), (seeds[0], 4, 4, 100.0, True)]
    assert rows[0]["answers"][0]["values_before"]["scene"] == 1
    code, out = run(capsys, "verify", "--db", store_url)
    assert code == 0, out
