"""Fair best-achievable scores: a reply's gains count once per attempt, ties go to the
shortest play, and advice never names a reply that loses points (tests/data/recovery-loop.yaml:
a recovery loop worth +3 a round if replies could earn twice, and two plays that tie)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scoring.scorer import NOTHING_TO_EARN, score
from simulator.cli import main
from simulator.engine.analysis import analyze
from simulator.engine.loader import load
from simulator.engine.model import Scenario
from simulator.engine.stategraph import loops
from tests.authoring.test_properties import enumerate_plays
from tests.engine.helpers import fresh, play

DATA = Path(__file__).parent.parent / "data"
DIRECT = ["own-it", "refund-today"]
RECOVERY = ["blame-courier", "apologise-again", "fix-now"]
LOOPED = ["blame-courier", "apologise-again", "promise-escalation", "apologise-again",
          "promise-escalation", "apologise-again", "fix-now"]


@pytest.fixture(scope="module")
def cake() -> Scenario:
    return load(DATA / "recovery-loop.yaml")


def test_a_repeated_reply_counts_only_its_losses(cake: Scenario) -> None:
    s = play(fresh(cake), LOOPED)
    said = [(st.choice, dict(st.scores)) for st in s.log]
    assert said[1] == ("apologise-again", {"apologize": 2, "stay_calm": 1})
    assert said[3] == ("apologise-again", {"apologize": 0, "stay_calm": 0})
    assert said[4] == ("promise-escalation", {"stay_calm": 0, "solve_follow_up": 0})
    assert sum(sum(st.scores.values()) for st in s.log) == -4 + 3 + 3 + 2
    # The step says so, for the feedback to explain the missing gains.
    assert [st.gains_counted_before for st in s.log][:5] == [False, False, False, True, True]


def test_undo_gives_a_reply_its_gains_back(cake: Scenario) -> None:
    s = play(fresh(cake), LOOPED[:4], roundtrip=False)
    s.undo()
    s.undo()
    s.choose("promise-escalation")
    assert dict(s.log[-1].scores) == {"stay_calm": 1, "solve_follow_up": 2}


def test_only_replies_that_can_come_round_again_are_tracked(cake: Scenario) -> None:
    found = loops(cake)
    assert found.repeatable == {("review-threat", "apologise-again"),
                                ("cooling", "promise-escalation")}


def test_direct_best_play_scores_full_marks_and_the_recovery_plays_score_less(
        cake: Scenario) -> None:
    a = analyze(cake)
    assert a.best.choices == tuple(DIRECT) and a.best.total == 6
    direct = play(fresh(cake), DIRECT)
    card = score(cake, direct.log, direct.ending, a)
    assert (card.percent, card.passed, card.missed) == (100.0, True, ())
    assert all(p.percent == 100.0 or p.nothing_to_earn for p in card.principles)
    for choices in (RECOVERY, LOOPED):
        s = play(fresh(cake), choices)
        other = score(cake, s.log, s.ending, a)
        assert other.total < card.total and other.percent < 100.0


def test_ties_go_to_the_shortest_play_not_the_written_order(cake: Scenario) -> None:
    # check-details, refund-after-check also totals +6 and is written first; it is longer.
    s = play(fresh(cake), ["own-it", "check-details", "refund-after-check"])
    assert sum(sum(st.scores.values()) for st in s.log) == 6
    assert analyze(cake).best.choices == ("own-it", "refund-today")


def test_no_advice_on_any_play_names_a_reply_that_loses_points(cake: Scenario) -> None:
    a = analyze(cake)
    plays = enumerate_plays(cake)
    assert len(plays) == a.path_count_within_guard()
    advised = set()
    for p in plays:
        card = score(cake, p.steps, cake.endings.get(p.ending), a)
        for m in card.missed:
            choice = cake.nodes[m.node].choice(m.better)
            assert choice is not None and choice.total >= 0
            advised.add(m.better)
    assert "blame-courier" not in advised and "own-it" in advised


def test_principles_are_measured_against_the_best_path_with_the_maximum_beside(
        cake: Scenario) -> None:
    s = play(fresh(cake), LOOPED)
    card = score(cake, s.log, s.ending)
    calm = next(p for p in card.principles if p.id == "stay_calm")
    # The best path earns 1 in stay_calm; the loop earned 2 (capped at 100%), the most is 2.
    assert (calm.earned, calm.best, calm.max, calm.percent) == (2, 1, 2, 100.0)


def test_nothing_to_earn_reads_the_same_in_run_text_and_json(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    text = (DATA / "recovery-loop.yaml").read_text(encoding="utf-8")
    # Without dont_argue on the best path, the principle has nothing to earn there.
    text = text.replace("scores: {solve_follow_up: 2, dont_argue: 1}",
                        "scores: {solve_follow_up: 3}")
    path = tmp_path / "cake.yaml"
    path.write_text(text, encoding="utf-8")
    assert main(["run", str(path), "--choices", ",".join(DIRECT), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    argue = data["score"]["principles"]["dont_argue"]
    assert argue["nothing_to_earn"] is True and argue["best"] == 0
    assert main(["run", str(path), "--choices", ",".join(DIRECT)]) == 0
    out = capsys.readouterr().out
    assert any("Don't argue" in line and NOTHING_TO_EARN in line for line in out.splitlines())


def test_analyze_prints_the_shortest_best_path(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["analyze", str(DATA / "recovery-loop.yaml")]) == 0
    lines = capsys.readouterr().out.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("best path"))
    assert lines[at].startswith("best path      +6 (100.0%, pass) -> settled [resolved], 2 turns")
    assert lines[at + 1].split() == ["opening", "own-it", "+3"]
    assert lines[at + 2].split() == ["plan", "refund-today", "+3"]
