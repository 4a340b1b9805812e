"""Property tests: the analysis agrees with brute-force enumeration on small scenarios.

Random scenarios (DAGs and graphs with loops, random scores, critical choices, routes that
depend on anger) are played exhaustively through a Session, every choice at every turn, up
to the max-turns guard. A reply's gains count once per attempt (the Session scores a repeat
by its losses only), so plays round a loop are scored as a trainee's would be. The dynamic
programming must count the same plays and find the same extremes (the shortest of the tied
best plays), the scorecard must give the best path full marks in every principle, its advice
must never name a reply that loses points, and the linter's reachability must match what the
plays actually reach.
"""

from __future__ import annotations

from dataclasses import dataclass

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scoring.scorer import score
from simulator.authoring.lint import lint
from simulator.engine.analysis import analyze
from simulator.engine.loader import loads
from simulator.engine.machine import ScenarioMachine
from simulator.engine.model import Scenario
from simulator.engine.session import Session, Step
from simulator.engine.stategraph import counted

PRINCIPLES = ["stay_calm", "dont_argue", "apologize", "hold_boundaries"]
ENDINGS = {"calm-end": "resolved", "hang-up": "hung_up", "handed-on": "escalated"}


@st.composite
def scenario_text(draw: st.DrawFn) -> str:
    loops = draw(st.booleans())
    n = draw(st.integers(1, 4))
    nodes = [f"n{i}" for i in range(n)]
    endings = list(ENDINGS)
    body: dict[str, object] = {}
    for i, nid in enumerate(nodes):
        forward = nodes[i + 1] if i + 1 < n else draw(st.sampled_from(endings))
        later = nodes[i + 1:] if not loops else nodes
        targets = [*later, *endings]
        choices = []
        for j in range(draw(st.integers(1, 3))):
            scores = {p: draw(st.integers(-3, 3))
                      for p in draw(st.lists(st.sampled_from(PRINCIPLES), max_size=3,
                                             unique=True))}
            effect = draw(st.integers(-40, 40))
            # The first choice's fallback leads on, so every node is reachable and can end.
            fallback = forward if j == 0 else draw(st.sampled_from(targets))
            if draw(st.booleans()):
                threshold = draw(st.integers(0, 100))
                op = draw(st.sampled_from([">=", "<", "=="]))
                nxt: object = [{"when": f"anger {op} {threshold}",
                                "goto": draw(st.sampled_from(targets))},
                               {"goto": fallback}]
            else:
                nxt = fallback
            choice: dict[str, object] = {
                "id": f"c{j}", "say": f"reply {j}", "scores": scores,
                "effects": {"anger": effect}, "feedback": f"why reply {j} helps or hurts",
                "next": nxt}
            if j > 0 and draw(st.integers(0, 4)) == 0:
                choice["critical"] = True
            choices.append(choice)
        body[nid] = {"customer": f"line {i}", "choices": choices}
    used = {str(t) for t in _targets(body)}
    doc = {
        "format": 1, "id": "generated", "title": "Generated", "summary": "A generated call.",
        "difficulty": "easy", "principles": PRINCIPLES, "pass_mark": 60,
        "max_turns": draw(st.integers(1, 5)),
        "persona": {"name": "Pat", "product": "Kettle", "order_value": 20},
        "variables": {"anger": {"min": 0, "max": 100, "start": draw(st.integers(0, 100))}},
        "start": "n0", "nodes": body,
        "endings": {e: {"outcome": kind, "debrief": f"How the {e} call went."}
                    for e, kind in ENDINGS.items() if e in used},
    }
    return yaml.safe_dump(doc, sort_keys=False)


def _targets(body: dict[str, object]) -> list[object]:
    """Every goto of every choice (validation wants each declared ending to be a target)."""
    out: list[object] = []
    for node in body.values():
        for choice in node["choices"]:  # type: ignore[index]
            nxt = choice["next"]
            out.extend([r["goto"] for r in nxt] if isinstance(nxt, list) else [nxt])
    return out


@dataclass(frozen=True)
class Play:
    choices: tuple[str, ...]
    total: int
    ending: str
    critical: bool
    nodes: frozenset[str]
    principles: tuple[int, ...] = ()
    steps: tuple[Step, ...] = ()


def enumerate_plays(scenario: Scenario) -> list[Play]:
    """Every play, by depth-first search with undo over a real Session."""
    session = Session(scenario, clock=lambda: 0.0, machine=ScenarioMachine(scenario))
    out: list[Play] = []

    def walk() -> None:
        if session.finished:
            assert session.ending is not None
            log = session.log
            out.append(Play(tuple(s.choice for s in log),
                            sum(sum(s.scores.values()) for s in log), session.ending.id,
                            any(s.critical for s in log), frozenset(s.node for s in log),
                            tuple(sum(s.scores.get(p, 0) for s in log) for p in PRINCIPLES),
                            log))
            return
        for option in session.option_ids():
            session.choose(option)
            walk()
            session.undo()

    walk()
    return out


LIMITS = settings(max_examples=120, deadline=None,
                  suppress_health_check=[HealthCheck.too_slow])


@LIMITS
@given(scenario_text())
def test_path_counts_equal_brute_force(text: str) -> None:
    scenario = loads(text, "generated.yaml")
    plays = enumerate_plays(scenario)
    a = analyze(scenario)
    assert a.path_count_within_guard() == len(plays)
    if not a.acyclic:
        assert a.path_count() is None
    elif (a.depth or 0) <= scenario.max_turns:
        assert a.path_count() == len(plays)
        assert all(p.ending != "max-turns" for p in plays)


@LIMITS
@given(scenario_text())
def test_best_and_worst_equal_brute_force_extremes(text: str) -> None:
    scenario = loads(text, "generated.yaml")
    plays = enumerate_plays(scenario)
    a = analyze(scenario)
    assert a.worst.total == min(p.total for p in plays)
    passing = [p for p in plays if not p.critical and p.ending in scenario.endings]
    if passing:
        assert a.best.total == max(p.total for p in passing)
        tied = [p for p in passing if p.total == a.best.total]
        assert a.best.choices in {p.choices for p in tied}
        assert len(a.best.choices) == min(len(p.choices) for p in tied)  # ties: the shortest
        assert a.principle_max() == {
            pid: max(p.principles[i] for p in passing) for i, pid in enumerate(PRINCIPLES)}
    else:
        assert a.best.choices == ()
    worst = [p for p in plays if p.choices == a.worst.choices]
    assert len(worst) == 1 and worst[0].total == a.worst.total


@LIMITS
@given(scenario_text())
def test_best_score_into_each_ending_equals_brute_force(text: str) -> None:
    scenario = loads(text, "generated.yaml")
    plays = enumerate_plays(scenario)
    a = analyze(scenario)
    for ending in scenario.endings:
        clean = [p.total for p in plays if p.ending == ending and not p.critical]
        assert a.best_into(ending, False) == (max(clean) if clean else None)
        any_play = [p.total for p in plays if p.ending == ending]
        assert a.best_into(ending, True) == (max(any_play) if any_play else None)


@LIMITS
@given(scenario_text())
def test_lint_reachability_equals_what_plays_reach(text: str) -> None:
    scenario = loads(text, "generated.yaml")
    plays = enumerate_plays(scenario)
    warnings = lint(scenario)
    visited = set().union(*(p.nodes for p in plays))
    # A node counts as reached when some play is shown it: answered there, or cut off by
    # the guard while it was on screen (its prompt was shown without an answer).
    shown = visited | {scenario.start}
    warned_nodes = {p.message.split("'")[1] for p in warnings if p.code == "unreachable-node"}
    assert warned_nodes == set(scenario.nodes) - shown
    ending_marks = {(e.mark.line, e.mark.col): e.id for e in scenario.endings.values()}
    warned_endings = {ending_marks[(p.line, p.col)] for p in warnings
                      if p.code in ("unreachable-ending", "outcome-never-reached")}
    assert warned_endings == set(scenario.endings) - {p.ending for p in plays}


@LIMITS
@given(scenario_text())
def test_best_path_scores_full_marks_and_advice_never_names_a_losing_reply(text: str) -> None:
    scenario = loads(text, "generated.yaml")
    plays = enumerate_plays(scenario)
    a = analyze(scenario)
    for play in plays:
        card = score(scenario, play.steps, scenario.endings.get(play.ending), a)
        assert card.total == play.total
        for missed in card.missed:
            before = play.steps[:missed.turn - 1]
            repeat = any(s.node == missed.node and s.choice == missed.better for s in before)
            better = scenario.nodes[missed.node].choice(missed.better)
            assert better is not None and not better.critical
            assert sum(counted(better, repeat).values()) >= 0, (play.choices, missed)
        if play.choices == a.best.choices and a.winnable:
            assert card.percent == 100.0 and card.missed == ()
            assert all(p.percent == 100.0 for p in card.principles), card.principles
