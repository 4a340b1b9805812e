"""The cue-resistance audit: surface strategies scored exactly, text cues counted, and the
``calmline audit`` command. Exactness is checked against every play enumerated through a real
Session, each weighted by its probability under the strategy."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given

from scoring.scorer import score
from simulator.authoring.audit import LibraryAudit, audit
from simulator.authoring.strategies import POLICIES, STRATEGIES, is_warm, length
from simulator.cli import main
from simulator.engine.analysis import analyze
from simulator.engine.loader import load, loads
from simulator.engine.machine import ScenarioMachine
from simulator.engine.model import Scenario
from simulator.engine.session import Session
from tests.authoring.test_properties import LIMITS, scenario_text

DATA = Path(__file__).parent.parent / "data"
CUED = DATA / "audit" / "cued.yaml"
BALANCED = DATA / "audit" / "balanced.yaml"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def weighted_plays(scenario: Scenario, sid: str) -> list[tuple[float, float, bool]]:
    """(probability, percent, passed) of every play under strategy ``sid``, by brute force:
    every reply the strategy may pick is played through a Session, with undo."""
    session = Session(scenario, clock=lambda: 0.0, machine=ScenarioMachine(scenario))
    a = analyze(scenario)
    out: list[tuple[float, float, bool]] = []

    def walk(p: float) -> None:
        if session.finished:
            card = score(scenario, session.log, session.ending, a)
            out.append((p, card.percent, card.passed))
            return
        node = scenario.nodes[session.state]
        s = a.state_index(node.id, session.values, [(t.node, t.choice) for t in session.log])
        assert s is not None
        weights = POLICIES[sid](node, a.edges[s])
        for edge, w in zip(a.edges[s], weights, strict=True):
            if w > 0:
                session.choose(edge.choice)
                walk(p * w)
                session.undo()

    walk(1.0)
    return out


@LIMITS
@given(scenario_text())
def test_strategy_scores_equal_brute_force_over_sessions(text: str) -> None:
    scenario = loads(text, "generated.yaml")
    result = {r.id: r for r in audit(scenario).strategies}
    for sid in STRATEGIES:
        plays = weighted_plays(scenario, sid)
        assert sum(p for p, _, _ in plays) == pytest.approx(1.0)
        mean = sum(p * pct for p, pct, _ in plays)
        passing = sum(p for p, _, ok in plays if ok)
        assert result[sid].score == pytest.approx(mean, abs=0.051)
        assert result[sid].pass_probability == pytest.approx(passing, abs=1e-6)


def test_best_first_longest_best_fixture_fails_and_balanced_one_passes() -> None:
    cued = audit(load(CUED))
    assert cued.failed
    longest = {r.id: r for r in cued.strategies}["longest"]
    assert longest.passes and longest.score == 100.0 and longest.pass_probability == 1.0
    assert cued.share("longest") == 1.0 and cued.share("best_first") == 1.0
    assert any("always the longest" in f for f in cued.findings())
    balanced = audit(load(BALANCED))
    assert not balanced.failed, balanced.findings()
    assert all(not r.passes and not r.near for r in balanced.strategies)
    assert balanced.share("near_miss") >= 0.3


def test_shuffle_makes_every_position_a_random_guess() -> None:
    result = {r.id: r for r in audit(load(CUED)).strategies}
    for sid in ("first", "second", "last"):
        assert result[sid].score == result["random"].score
        assert result[sid].pass_probability == result["random"].pass_probability


def test_a_pinned_order_is_played_as_written(tmp_path: Path) -> None:
    text = CUED.read_text(encoding="utf-8")
    pinned = text.replace("  opening:\n", "  opening:\n    order: fixed\n", 1)
    pinned = pinned.replace("  check:\n", "  check:\n    order: fixed\n", 1)
    pinned = pinned.replace("  still-upset:\n", "  still-upset:\n    order: fixed\n", 1)
    path = tmp_path / "pinned.yaml"
    path.write_text(pinned, encoding="utf-8")
    result = {r.id: r for r in audit(load(path)).strategies}
    # Every keyed reply is written first: pressing 1 passes once the shuffle is switched off.
    assert result["first"].passes and result["first"].score == 100.0
    assert not result["last"].passes


def test_warm_words_cover_apology_and_empathy_but_not_plain_facts() -> None:
    assert is_warm("I'm sorry you feel that way")
    assert is_warm("I completely understand how frustrating that is.")
    assert is_warm("We apologise for the delay")
    assert not is_warm("I can see two charges on the third.")
    assert not is_warm("It's refunded; the email is on its way.")
    assert length("a   b\n c") == len("a b c")


def test_library_figures_add_up_over_scenarios() -> None:
    lib = LibraryAudit((audit(load(CUED)), audit(load(BALANCED))))
    assert lib.points == 6 and lib.failed == 1
    assert lib.strategy_counts("longest") == (1, 0, 50.0)
    data = lib.to_dict()["library"]
    assert data["cues"]["longest"] == 3 and data["decision_points"] == 6


# -- the command ------------------------------------------------------------------------------

def test_audit_command_fails_the_cued_fixture_and_passes_the_balanced_one(
        capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "audit", str(CUED))
    assert code == 1
    assert "FAILS" in out and "always the longest" in out and "PASSES" in out
    assert "TOO MANY: at opening, check, still-upset" in out
    code, out, _ = run(capsys, "audit", str(BALANCED))
    assert code == 0 and "audit          passes" in out and "PASSES" not in out


def test_audit_command_on_a_folder_adds_library_figures(
        capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "audit", str(DATA / "audit"))
    assert code == 1
    assert "library        2 scenarios, 1 fail the audit; 6 decision points" in out
    code, out, _ = run(capsys, "audit", str(DATA / "audit"), "--json")
    data = json.loads(out)
    assert [s["scenario"] for s in data["scenarios"]] == ["balanced", "cued"]
    assert data["library"]["failed"] == 1 and data["problems"] == []
    cued = data["scenarios"][1]
    assert cued["failed"] and cued["shares"]["longest"] == 1.0
    assert {s["id"] for s in cued["strategies"]} == set(STRATEGIES)


def test_audit_command_reports_unknown_ids_and_broken_files_in_one_line_each(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("format: 1\nid: [\n", encoding="utf-8")
    code, out, err = run(capsys, "audit", "no-such-call", str(bad))
    assert code == 1 and out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 2 and "Traceback" not in err
    assert "no scenario with id 'no-such-call'" in err and f"{bad}:" in err


def test_analyze_prints_the_audit_and_puts_it_in_json(
        capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "analyze", str(CUED))
    assert code == 0 and "audit          FAILS" in out and "always the longest" in out
    code, out, _ = run(capsys, "analyze", str(CUED), "--json")
    data = json.loads(out)
    assert data["audit"]["failed"] and data["best"]["choices"]


def test_a_scenario_with_situations_is_audited_in_every_one() -> None:
    from simulator.authoring.audit import _audit_one, _merged
    from simulator.engine.loader import load

    sc = load(Path(__file__).parents[1] / "data" / "situations.yaml")
    each = [_audit_one(sc, analyze(sc, {"scene": n})) for n in (0, 1)]
    merged = audit(sc)
    # The threat is met only when the record shows earlier scenes (scene 1): audited too.
    assert "threat" not in [p.node for p in each[0].points]
    assert "threat" in [p.node for p in merged.points]
    assert (merged.situations, each[0].situations) == (2, 1)
    for row, a, b in zip(merged.strategies, each[0].strategies, each[1].strategies,
                         strict=True):
        assert row.score == round((a.score + b.score) / 2, 1)
        assert row.pass_probability == round((a.pass_probability + b.pass_probability) / 2, 6)
    # A strategy that passes in one situation of three is flagged, though its mean is low.
    fake = [replace(each[0], strategies=tuple(
        replace(r, score=s, pass_probability=p, passes=p >= 0.5, near=False)
        for r in each[0].strategies)) for s, p in ((95.0, 1.0), (10.0, 0.0), (10.0, 0.0))]
    row = _merged(sc, fake).strategies[0]
    assert (row.score, row.passes, row.near) == (38.3, False, True)
    assert _merged(sc, fake).failed
