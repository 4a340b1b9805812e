"""The Session API: routing, variables, loops, the guard, seeds, criticals, undo, saving."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator.engine.loader import load
from simulator.engine.machine import ScenarioMachine
from simulator.engine.model import CRITICAL_ENDING, MAX_TURNS_ENDING, Scenario
from simulator.engine.session import Session, SessionError
from tests.engine.helpers import fresh, play

DATA = Path(__file__).parent.parent / "data"


@pytest.mark.parametrize("roundtrip", [False, True])
def test_conditional_routing_depends_on_variables(tiny: Scenario, roundtrip: bool) -> None:
    # anger 50 + 40 = 90 >= 85: the customer hangs up.
    s = play(fresh(tiny), ["argue"], roundtrip)
    assert s.finished and s.ending is not None and s.ending.id == "hangup"
    # From a calmer start the same reply goes on.
    s = play(fresh(tiny, start_values={"anger": 10}), ["argue"], roundtrip)
    assert not s.finished and s.state == "fix" and s.values == {"anger": 50}


def test_effects_are_clamped_to_the_range(tiny: Scenario) -> None:
    s = play(fresh(tiny, start_values={"anger": 5}), ["sorry"])
    assert s.values["anger"] == 0
    assert s.log[0].values_before == {"anger": 5}


def test_log_records_each_step(tiny: Scenario) -> None:
    s = play(fresh(tiny), ["sorry", "replace"])
    first, second = s.log
    assert (first.turn, first.node, first.choice, first.target) == (1, "opening", "sorry", "fix")
    assert first.scores == {"apologize": 2, "stay_calm": 1}
    assert first.values == {"anger": 30}
    assert second.target == "done" and s.ending is not None and s.ending.outcome == "resolved"
    assert first.at.endswith("Z") and first.at < second.at


def test_loops_are_allowed_and_the_guard_ends_them(loop: Scenario) -> None:
    s = play(fresh(loop), ["explain"] + ["take-it"] * 4)
    assert not s.finished and s.state == "abuse"
    s = play(s, ["take-it"])
    assert s.finished and s.ending is not None
    assert s.ending.id == MAX_TURNS_ENDING and s.ending.outcome == "unresolved"
    with pytest.raises(SessionError, match="already ended"):
        s.choose("take-it")


def test_a_second_variable_drives_routing(loop: Scenario) -> None:
    s = play(fresh(loop), ["explain", "warn"])
    assert s.ending is not None and s.ending.id == "resolved"
    s = play(fresh(loop), ["explain", "end-call"])
    assert s.ending is not None and s.ending.id == "hung-up"
    s = play(fresh(loop, start_values={"anger": 60}), ["explain", "warn", "end-call"])
    assert s.ending is not None and s.ending.id == "ended"


def test_seeds_pick_line_variants_reproducibly(loop: Scenario) -> None:
    lines = {seed: [fresh(loop, seed=seed).current().line] for seed in range(20)}
    assert len({tuple(v) for v in lines.values()}) > 1
    for seed in range(20):
        assert fresh(loop, seed=seed).current().line == lines[seed][0]


def test_shuffle_is_seeded(loop: Scenario) -> None:
    orders = {tuple(fresh(loop, seed=seed, shuffle=True).option_ids()) for seed in range(30)}
    assert len(orders) > 1
    assert fresh(loop, seed=7, shuffle=True).option_ids() == fresh(
        loop, seed=7, shuffle=True).option_ids()
    assert fresh(loop).option_ids() == ["repeat", "explain", "swear"]


def test_critical_choice_in_practice_goes_on(loop: Scenario) -> None:
    s = play(fresh(loop), ["swear"])
    assert s.ending is not None and s.ending.id == "hung-up"
    assert s.log[-1].critical


def test_critical_choice_fails_certification_at_once(tiny: Scenario, loop: Scenario) -> None:
    s = play(fresh(loop, stop_on_critical=True), ["swear"])
    assert s.ending is not None and s.ending.id == "hung-up"  # an authored ending wins
    text = (DATA / "loop.yaml").read_text().replace("next: hung-up\n  abuse:",
                                                    "next: ask\n  abuse:")
    from simulator.engine.loader import loads

    looped = loads(text)
    s = play(fresh(looped, stop_on_critical=True), ["swear"])
    assert s.ending is not None and s.ending.id == CRITICAL_ENDING
    assert s.ending.outcome == "critical_failure"
    s = play(fresh(looped), ["swear"])
    assert not s.finished


def test_undo_and_restart(loop: Scenario) -> None:
    s = fresh(loop)
    s.choose("explain")
    s.choose("take-it")
    undone = s.undo()
    assert undone is not None and undone.choice == "take-it"
    assert s.state == "abuse" and s.values == {"anger": 20, "warned": 0} and s.turn == 1
    s.choose("end-call")
    assert s.finished
    s.undo()
    assert not s.finished and s.state == "abuse"
    s.choose("warn")
    s.restart()
    assert s.turn == 0 and s.state == "ask" and s.values == {"anger": 40, "warned": 0}
    assert s.undo() is None


def test_timeout_plays_silence_or_the_default(tiny: Scenario) -> None:
    s = fresh(tiny)
    step = s.timeout()
    assert step.timed_out and step.choice == "silence" and step.target == "opening"
    assert step.scores == {"stay_calm": -1} and s.values == {"anger": 60}
    example = load(Path(__file__).parent.parent / "data" / "tiny.yaml")
    assert example.nodes["opening"].silence is None


def test_start_mid_scenario_with_preset_values(tiny: Scenario) -> None:
    s = fresh(tiny, start="fix", start_values={"anger": 80})
    assert s.current().node == "fix" and s.values == {"anger": 80}
    s = play(s, ["replace"])
    assert s.ending is not None and s.ending.id == "done"
    with pytest.raises(SessionError, match="unknown node 'nowhere'"):
        fresh(tiny, start="nowhere")
    with pytest.raises(SessionError, match="unknown variable 'rage'"):
        fresh(tiny, start_values={"rage": 1})


def test_unknown_choice_lists_the_valid_ones(tiny: Scenario) -> None:
    with pytest.raises(SessionError,
                       match="unknown choice 'nope' at 'opening'; valid: sorry, argue"):
        fresh(tiny).choose("nope")


def test_sessions_share_one_machine(tiny: Scenario) -> None:
    machine = ScenarioMachine(tiny)
    a = Session(tiny, machine=machine)
    b = Session(tiny, machine=machine)
    a.choose("sorry")
    assert b.state == "opening" and a.state == "fix"
    a.choose("replace")
    assert a not in machine._machine.models  # a finished call holds no slot
    with pytest.raises(SessionError):
        Session(load(DATA / "loop.yaml"), machine=machine)


def test_no_state_is_reachable_by_a_shortcut(tiny: Scenario) -> None:
    s = fresh(tiny)
    cursor = s._cursor
    assert not any(name.startswith("to_") for name in dir(cursor))


def test_saved_session_detects_a_changed_scenario(tiny: Scenario) -> None:
    s = play(fresh(tiny), ["sorry"])
    data = s.to_dict()
    text = (DATA / "tiny.yaml").read_text().replace("next: fix\n      - id: argue",
                                                    "next: hangup\n      - id: argue")
    from simulator.engine.loader import loads

    with pytest.raises(SessionError, match="replays differently"):
        Session.from_dict(loads(text), data)
    with pytest.raises(SessionError, match="malformed session data"):
        Session.from_dict(tiny, {"session_format": 1, "scenario": "tiny"})
    with pytest.raises(SessionError, match="unsupported session format"):
        Session.from_dict(tiny, {"session_format": 99})
