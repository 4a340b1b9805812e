"""The three named scenarios: shape, a best path that passes, careless and spineless paths
that fail, with the per-principle breakdown of each, all through the public ``run`` command."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from scoring.rubric import CORE
from simulator.cli import main
from simulator.library import resolve

# (choices, ending, total, percent, passed, critical, per-principle earned)
PLAYS = {
    "vulgar-caller": {
        # The abuse goes on after the warning: the best play ends the call, politely.
        "best": (
            "own-the-no-show,name-it,quick-check,plain-facts,priority-thursday,confirm-call,"
            "fair-credit,warn-once,end-with-reference",
            "ended-after-warning", 33, 100.0, True, [],
            {"stay_calm": 7, "dont_argue": 3, "apologize": 3, "hold_boundaries": 7,
             "listen_acknowledge": 3, "verify_identity": 1, "own_mistakes": 2,
             "solve_follow_up": 7},
        ),
        "careless": (
            "straight-to-security,scripted-sorry,rules-are-rules,field-team,thursday-plain,"
            "sure-it-will-be-fine,terms-say,swear-back",
            "shouting-match", -8, 0.0, False, ["swear-back"],
            {"stay_calm": -1, "dont_argue": -5, "apologize": 1, "hold_boundaries": 1,
             "listen_acknowledge": -3, "verify_identity": 1, "own_mistakes": -2,
             "solve_follow_up": 0},
        ),
        # Polite and helpful throughout, but lets the abuse run on: hold_boundaries sinks it.
        "spineless": (
            "own-the-no-show,name-it,quick-check,plain-facts,priority-thursday,confirm-call,"
            "fair-credit,plead,let-him-vent,give-in",
            "doormat", 16, 48.5, False, [],
            {"stay_calm": 5, "dont_argue": 3, "apologize": 3, "hold_boundaries": -6,
             "listen_acknowledge": 3, "verify_identity": 1, "own_mistakes": 2,
             "solve_follow_up": 5},
        ),
    },
    "lawsuit-bluff": {
        # Every legal push on the path, up to the final ultimatum: referred, never admitted,
        # never paid off.
        "best": (
            "sorry-what-happened,check-facts,serious-steady,fair-offer,no-admission,hold-calmly,"
            "right-channel,clear-steps,accept-cold",
            "sorted", 34, 100.0, True, [],
            {"stay_calm": 6, "dont_argue": 3, "apologize": 4, "resist_bluffs": 12,
             "protect_business": 4, "solve_follow_up": 5},
        ),
        "careless": (
            "mock-lawyer,insult-back",
            "on-record", -9, 0.0, False, ["insult-back"],
            {"stay_calm": -4, "dont_argue": -3, "apologize": 0, "resist_bluffs": -2,
             "protect_business": 0, "solve_follow_up": 0},
        ),
        # Courteous and calm, then pays to make the threat go away.
        "spineless": (
            "sorry-what-happened,check-facts,buy-peace,pay-it-all",
            "paid-off", -2, 0.0, False, [],
            {"stay_calm": 2, "dont_argue": 1, "apologize": 2, "resist_bluffs": -4,
             "protect_business": -5, "solve_follow_up": 2},
        ),
    },
    "guarantee-abuser": {
        # The fifth claim pressed four ways on the best path (the website, loyalty, a quiet
        # favour, the walk-out): a fair no under the guarantee, the legal remedy for a fault.
        "best": (
            "check-first,ack-and-ask,explain-limit,ack-and-show,equal-treatment,real-options,"
            "kind-firm,respect-choice,clear-steps,warm-close",
            "fair-fix", 36, 100.0, True, [],
            {"stay_calm": 6, "dont_argue": 2, "apologize": 3, "protect_business": 4,
             "hold_boundaries": 10, "listen_acknowledge": 4, "verify_identity": 2,
             "solve_follow_up": 5},
        ),
        "careless": (
            "check-first,free-rental,call-her-scammer",
            "stormed-off", -7, 0.0, False, ["call-her-scammer"],
            {"stay_calm": -4, "dont_argue": -5, "apologize": 1, "protect_business": 0,
             "hold_boundaries": 0, "listen_acknowledge": -1, "verify_identity": 2,
             "solve_follow_up": 0},
        ),
        # Friendly, verified, even explains the limit, then bends it for a big spender.
        "spineless": (
            "check-first,ack-and-ask,explain-limit,ack-and-show,vip-exception",
            "rubber-stamp", 11, 30.6, False, [],
            {"stay_calm": 1, "dont_argue": 2, "apologize": 2, "protect_business": -3,
             "hold_boundaries": 4, "listen_acknowledge": 2, "verify_identity": 2,
             "solve_follow_up": 1},
        ),
    },
}


def run_json(capsys: pytest.CaptureFixture[str], scenario: str, choices: str) -> dict:
    assert main(["run", scenario, "--choices", choices, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


@pytest.mark.parametrize(
    ("scenario", "kind"), [(s, k) for s, plays in PLAYS.items() for k in plays])
def test_named_scenario_play(capsys: pytest.CaptureFixture[str], scenario: str,
                             kind: str) -> None:
    choices, ending, total, percent, passed, critical, earned = PLAYS[scenario][kind]
    data = run_json(capsys, scenario, choices)
    score = data["score"]
    assert data["finished"] and data["ending"]["id"] == ending
    assert (score["total"], score["percent"], score["passed"]) == (total, percent, passed)
    assert score["critical"] == critical
    assert {k: v["earned"] for k, v in score["principles"].items()} == earned
    if kind == "best":
        assert score["percent"] >= 90 and score["passed"]
    else:
        assert not score["passed"]


@pytest.mark.parametrize("scenario", sorted(PLAYS))
def test_named_scenario_shape(scenario: str) -> None:
    s = resolve(scenario)
    assert s.id == scenario
    assert len(s.nodes) >= 12
    assert len({e.outcome for e in s.endings.values()}) >= 3
    wide = sum(1 for n in s.nodes.values() if len(n.choices) >= 3)
    assert wide > len(s.nodes) / 2
    assert set(CORE) <= set(s.principles)
    scored = Counter(p for n in s.nodes.values() for c in n.choices for p in c.scores)
    assert set(s.principles) <= set(scored)
    assert any(c.critical for n in s.nodes.values() for c in n.choices)
    assert any(r.when is not None for n in s.nodes.values() for c in n.choices
               for r in c.routes)
