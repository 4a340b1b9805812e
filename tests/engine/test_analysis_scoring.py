"""Best and worst paths from the graph, and scorecards computed against them."""

from __future__ import annotations

from pathlib import Path

import pytest

from scoring.scorer import score
from simulator.engine.analysis import analyze
from simulator.engine.loader import load
from simulator.engine.model import Scenario
from tests.engine.helpers import fresh, play

DATA = Path(__file__).parent.parent / "data"


def brute_force(scenario: Scenario) -> list[tuple[list[str], int, str, bool]]:
    """Every play as (choices, total, ending id, has critical), by exhaustive search."""
    out = []

    def walk(prefix: list[str]) -> None:
        s = play(fresh(scenario), prefix, roundtrip=False)
        if s.finished:
            assert s.ending is not None
            total = sum(sum(st.scores.values()) for st in s.log)
            out.append((prefix, total, s.ending.id, any(st.critical for st in s.log)))
            return
        for option in s.option_ids():
            walk([*prefix, option])

    walk([])
    return out


@pytest.mark.parametrize("name", ["tiny", "loop"])
def test_analysis_matches_brute_force(name: str) -> None:
    scenario = load(DATA / f"{name}.yaml")
    plays = brute_force(scenario)
    a = analyze(scenario)
    passing = [p for p in plays if not p[3] and p[2] != "max-turns"]
    assert a.best.total == max(p[1] for p in passing)
    assert a.worst.total == min(p[1] for p in plays)
    assert a.path_count_within_guard() == len(plays)
    if a.acyclic:
        assert a.path_count() == len(plays)
    else:
        assert a.path_count() is None
    for ending, best in a.reachable_endings().items():
        assert best == max(p[1] for p in plays if p[2] == ending and not p[3]) or not any(
            p[2] == ending and not p[3] for p in plays)
    # Replaying the reported best path gives the reported total.
    s = play(fresh(scenario), list(a.best.choices), roundtrip=False)
    assert s.ending is not None and s.ending.id == a.best.ending
    assert sum(sum(st.scores.values()) for st in s.log) == a.best.total


def test_best_and_worst_paths_of_tiny(tiny: Scenario) -> None:
    a = analyze(tiny)
    assert a.best.choices == ("sorry", "replace") and a.best.total == 5
    assert a.worst.choices == ("argue",) and a.worst.total == -2
    assert a.principle_max() == {"stay_calm": 2, "dont_argue": 1, "apologize": 2}
    assert a.path_count() == 3


def test_best_path_must_reach_an_authored_ending(loop: Scenario) -> None:
    a = analyze(loop)
    # Warning round the loop earns its points once; 'ended' ties at +6 but takes longer.
    assert a.best.ending == "resolved" and a.best.choices == ("explain", "warn")
    assert "swear" not in a.best.choices
    assert a.worst.choices[-1] == "swear"


def test_scorecard_of_the_best_path_is_full_marks(tiny: Scenario) -> None:
    s = play(fresh(tiny), ["sorry", "replace"])
    card = score(tiny, s.log, s.ending)
    assert (card.total, card.max, card.percent, card.passed) == (5, 5, 100.0, True)
    assert card.missed == () and card.critical == ()
    assert {p.id: (p.earned, p.best) for p in card.principles} == {
        "stay_calm": (2, 2), "dont_argue": (1, 1), "apologize": (2, 2)}


def test_scorecard_names_the_better_answer(tiny: Scenario) -> None:
    s = play(fresh(tiny), ["sorry", "shrug"])
    card = score(tiny, s.log, s.ending)
    assert card.percent == 40.0 and not card.passed
    (missed,) = card.missed
    assert (missed.turn, missed.chose, missed.better, missed.lost) == (2, "shrug", "replace", 3)


def test_critical_choice_fails_whatever_the_score(loop: Scenario) -> None:
    s = play(fresh(loop), ["swear"])
    card = score(loop, s.log, s.ending)
    assert not card.passed and [c.choice for c in card.critical] == ["swear"]


def test_unfinished_and_guarded_calls_do_not_pass(loop: Scenario) -> None:
    s = play(fresh(loop), ["explain"])
    assert not score(loop, s.log, s.ending).passed
    s = play(fresh(loop), ["explain"] + ["take-it"] * 5)
    card = score(loop, s.log, s.ending)
    assert card.ending == "max-turns" and not card.passed


def test_negative_totals_floor_at_zero_percent(tiny: Scenario) -> None:
    s = play(fresh(tiny), ["argue"])
    card = score(tiny, s.log, s.ending)
    assert card.total == -2 and card.percent == 0.0


def test_a_scenario_no_play_can_win_scores_zero_percent() -> None:
    from simulator.engine.loader import loads

    # Every way to the ending goes through a critical choice.
    text = (DATA / "tiny.yaml").read_text().replace(
        "        feedback: A concrete fix.\n", "        feedback: A concrete fix.\n"
        "        critical: true\n").replace(
        "        feedback: No next step.\n", "        feedback: No next step.\n"
        "        critical: true\n").replace(
        "        feedback: Arguing makes it worse.\n", "        feedback: Arguing makes it worse.\n"
        "        critical: true\n")
    scenario = loads(text)
    a = analyze(scenario)
    assert not a.winnable
    assert a.principle_max() == {"stay_calm": 0, "dont_argue": 0, "apologize": 0}
    s = play(fresh(scenario), ["sorry", "replace"], roundtrip=False)
    card = score(scenario, s.log, s.ending)
    assert card.percent == 0.0 and not card.passed


def test_a_choices_route_for_values_is_the_first_whose_condition_holds() -> None:
    from simulator.engine.expr import parse
    from simulator.engine.model import Choice, Route

    choice = Choice("c", "say", {}, {}, "feedback", (
        Route("high", parse("anger >= 80")), Route("mid", parse("anger >= 40")),
        Route("low", None)))
    assert [choice.route_for({"anger": a}) for a in (90, 80, 50, 0)] == [0, 0, 1, 2]
    assert Choice("s", "", {}, {}, "", ()).route_for({}) is None
