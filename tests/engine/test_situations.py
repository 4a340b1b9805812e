"""Seeded situations: a variable whose ``start`` is a list has one value drawn per session
from its seed (saved, replayed), narration and routes follow it, and scoring, lint and
analyze work per situation (the best achievable is that of the situation played)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scoring.scorer import score
from simulator.authoring.lint import lint_file
from simulator.cli import main
from simulator.engine.analysis import analyze
from simulator.engine.loader import load, loads
from simulator.engine.problems import ScenarioError
from simulator.engine.session import Session
from simulator.engine.situations import analysis_for, draw, situations

DATA = Path(__file__).parent.parent / "data"
SITUATIONS = DATA / "situations.yaml"
SCENE_LINE = "  scene: {min: 0, max: 1, start: [0, 1], description: 1 when the booking record " \
             "shows past scenes}"


def seed_for(scene: int) -> int:
    sc = load(SITUATIONS)
    return next(s for s in range(100) if draw(sc, s) == {"scene": scene})


def test_the_start_list_is_read_and_every_situation_listed() -> None:
    sc = load(SITUATIONS)
    assert sc.variables["scene"].starts == (0, 1) and sc.variables["scene"].start == 0
    assert situations(sc) == [{"scene": 0}, {"scene": 1}]
    assert sc.variables["anger"].starts == ()


def test_each_seed_draws_a_situation_that_replays_and_saves() -> None:
    sc = load(SITUATIONS)
    drawn = [Session(sc, seed=s).values["scene"] for s in range(200)]
    assert drawn == [Session(sc, seed=s).values["scene"] for s in range(200)]
    assert 70 < sum(drawn) < 130  # both situations, about evenly
    session = Session(sc, seed=seed_for(1))
    assert session.current().narration.startswith("The booking record notes two earlier")
    session.choose("check-first")
    assert session.state == "threat"
    again = Session.from_dict(sc, session.to_dict())
    assert again.values["scene"] == 1 and again.state == "threat"
    calm = Session(sc, seed=seed_for(0))
    assert calm.current().narration.startswith("The booking record shows six years")
    calm.choose("check-first")
    assert calm.state == "refund"
    # A value set by hand wins over the draw (play --set, --at).
    assert Session(sc, seed=seed_for(1), start_values={"scene": 0}).values["scene"] == 0


def play(scene: int, choices: list[str]) -> Session:
    session = Session(load(SITUATIONS), seed=seed_for(scene))
    for c in choices:
        session.choose(c)
    return session


@pytest.mark.parametrize(("scene", "choices", "total", "best"), [
    (0, ["check-first", "fair-refund"], 4, 4),
    (1, ["check-first", "boundary", "fair-refund"], 7, 7),
    (1, ["check-first", "cave"], 0, 7),
    (0, ["refund-now"], 1, 4),
])
def test_the_best_is_that_of_the_situation_played(scene: int, choices: list[str], total: int,
                                                  best: int) -> None:
    session = play(scene, choices)
    sc = session.scenario
    # Whatever analysis the host hands in, the score is against the situation played.
    for given in (None, analyze(sc), analyze(sc, {"scene": 1 - scene})):
        card = score(sc, session.log, session.ending, given)
        assert (card.total, card.max) == (total, best)
    assert analysis_for(sc, session.start_values or {}).situation == {"scene": scene}


def test_the_best_play_of_each_situation_scores_full_marks_and_passes() -> None:
    for scene, choices in ((0, ["check-first", "fair-refund"]),
                           (1, ["check-first", "boundary", "fair-refund"])):
        session = play(scene, choices)
        card = score(session.scenario, session.log, session.ending)
        assert card.percent == 100.0 and card.passed
        assert all(p.percent == 100.0 for p in card.principles if p.best > 0)


def test_lint_reports_what_never_happens_only_when_it_never_happens_in_any_situation() -> None:
    codes = {p.code for p in lint_file(SITUATIONS)}
    assert not codes & {"unreachable-node", "route-never-taken"}
    text = SITUATIONS.read_text(encoding="utf-8").replace(
        SCENE_LINE, "  scene: {min: 0, max: 1, start: 0}")
    fixed = loads(text, "fixed.yaml")
    from simulator.authoring.lint import lint

    assert {"unreachable-node", "route-never-taken"} <= {p.code for p in lint(fixed, text)}


def test_analyze_shows_every_situation(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["analyze", str(SITUATIONS), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [(s["situation"], s["best"]["total"]) for s in data["situations"]] == [
        ({"scene": 0}, 4), ({"scene": 1}, 7)]
    assert main(["analyze", str(SITUATIONS)]) == 0
    out = capsys.readouterr().out
    assert "situations     2 drawn from the session seed" in out
    assert "situation scene=1" in out and "best path      +7 (100.0%, pass)" in out


@pytest.mark.parametrize(("start", "message"), [
    ("[1]", "variable 'scene': a start list needs at least two values (one drawn per "
            "session); a single start is a plain number"),
    ("[0, 0]", "variable 'scene': the start list repeats a value (each situation once; the "
               "draw is uniform)"),
    ("[0, 2]", "variable 'scene': start 2 is outside 0..1"),
    ("[0, x]", "variable 'scene': start must be a whole number, got 'x'"),
])
def test_start_list_mistakes_are_located(start: str, message: str) -> None:
    text = SITUATIONS.read_text(encoding="utf-8").replace("start: [0, 1]", f"start: {start}")
    with pytest.raises(ScenarioError) as caught:
        loads(text, "bad.yaml")
    assert [(p.line, p.message) for p in caught.value.problems] == [(15, message)]


def test_too_many_situations_is_an_error() -> None:
    extra = "".join(f"  v{i}: {{min: 0, max: 3, start: [0, 1, 2, 3]}}\n" for i in range(3))
    text = SITUATIONS.read_text(encoding="utf-8").replace(SCENE_LINE, SCENE_LINE + "\n" +
                                                          extra.rstrip("\n"))
    with pytest.raises(ScenarioError) as caught:
        loads(text, "many.yaml")
    assert [p.message for p in caught.value.problems] == [
        "the start lists of the variables make 128 situations; at most 64 (each is analysed "
        "on its own)"]
