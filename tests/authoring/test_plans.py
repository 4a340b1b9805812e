"""Plan files: read with positions, replayed with a clear message for every difference."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator.authoring import plans
from simulator.engine.loader import load
from simulator.engine.model import Scenario
from simulator.engine.problems import ScenarioError

DATA = Path(__file__).parent.parent / "data"


@pytest.fixture(scope="module")
def tiny() -> Scenario:
    return load(DATA / "tiny.yaml")


def recorded(tiny: Scenario, choices: list[str]) -> str:
    return plans.record(tiny, choices, seed=3, ref="../tiny.yaml")


def messages(text: str, tiny: Scenario) -> list[str]:
    outcome = plans.run(plans.loads(text, "p.plan.yaml"), tiny)
    return [str(p) for p in outcome.problems]


def test_a_recorded_plan_replays_with_and_without_round_trips(tiny: Scenario) -> None:
    text = recorded(tiny, ["sorry", "replace"])
    plan = plans.loads(text, "p.plan.yaml")
    assert plan.seed == 3 and [t.choose for t in plan.turns] == ["sorry", "replace"]
    assert plan.expect == {"ending": "done", "outcome": "resolved", "customer": "Thanks.",
                           "total": 5, "percent": 100.0, "passed": True}
    for round_trip in (False, True):
        outcome = plans.run(plan, tiny, round_trip=round_trip)
        assert outcome.ok and (outcome.turns, outcome.ending, outcome.passed) == (2, "done",
                                                                                  True)


def test_scenario_paths_are_relative_to_the_plan(tmp_path: Path) -> None:
    plan = plans.loads("scenario: ../data/tiny.yaml\nturns: []\nexpect: {passed: false}\n",
                       str(tmp_path / "plans" / "p.plan.yaml"))
    assert plan.scenario_path() == (tmp_path / "data" / "tiny.yaml").resolve()
    assert plans.loads("scenario: tiny\nturns: []\nexpect: {passed: false}\n").scenario_path() \
        is None


def test_a_different_customer_line_is_reported(tiny: Scenario) -> None:
    text = recorded(tiny, ["sorry", "replace"]).replace('"This kettle is useless!"',
                                                        '"My kettle broke!"')
    assert messages(text, tiny) == [
        "p.plan.yaml:5:5: turn 1 at 'opening': the customer says 'This kettle is useless!', "
        "the plan expects 'My kettle broke!'"]


def test_a_wrong_node_and_an_unknown_choice_stop_the_replay(tiny: Scenario) -> None:
    text = recorded(tiny, ["sorry", "replace"]).replace("at: fix", "at: opening").replace(
        "choose: replace", "choose: refund")
    assert messages(text, tiny) == [
        "p.plan.yaml:8:5: turn 2: the call is at 'fix', the plan expects 'opening'",
        "p.plan.yaml:8:5: turn 2 at 'fix': 'refund' is not a choice there (choices: shrug, "
        "replace)",  # in the order shown with the plan's seed
    ]


def test_turns_after_the_end_and_calls_still_going(tiny: Scenario) -> None:
    extra = recorded(tiny, ["argue"]).replace("expect:", "  - choose: replace\nexpect:")
    assert messages(extra, tiny) == [
        "p.plan.yaml:8:5: turn 2: the call already ended at 'hangup' (hung_up) after 1 turns"]
    going = "scenario: tiny\nturns:\n  - choose: sorry\nexpect:\n  ending: done\n"
    assert messages(going, tiny) == [
        "p.plan.yaml:5:11: after the last turn the call is still going at 'fix'; the plan "
        "expects it to end at 'done'"]


def test_every_expectation_is_checked(tiny: Scenario) -> None:
    text = recorded(tiny, ["sorry", "replace"])
    for old, new in (("ending: done", "ending: hangup"), ("outcome: resolved",
                                                          "outcome: hung_up"),
                     ('customer: "Thanks."', 'customer: "Cheers."'),
                     ("total: 5", "total: 4"), ("percent: 100.0", "percent: 80"),
                     ("passed: true", "passed: false")):
        text = text.replace(old, new)
    assert [m.split(": ", 1)[1] for m in messages(text, tiny)] == [
        "the call ends at 'done', the plan expects 'hangup'",
        "the outcome is 'resolved', the plan expects 'hung_up'",
        "the customer's last line is 'Thanks.', the plan expects 'Cheers.'",
        "the total score is 5, the plan expects 4",
        "the score is 100.0%, the plan expects 80.0%",
        "the attempt passes, the plan expects it to fail",
    ]


@pytest.mark.parametrize(("text", "problem"), [
    ("scenario: tiny\nturns: []\nexpect: {passed: false}\nnotes: x\n",
     "p.plan.yaml:4:1: unknown field 'notes' in the plan"),
    ("scenario: tiny\nturns:\n  - choice: sorry\nexpect: {passed: false}\n",
     "p.plan.yaml:3:5: unknown field 'choice' in a turn (did you mean 'choose'?)"),
    ("scenario: tiny\nseed: lots\nturns: []\nexpect: {passed: false}\n",
     "p.plan.yaml:2:7: seed must be a whole number, got 'lots'"),
    ("scenario: tiny\nturns: []\nexpect: {}\n",
     "p.plan.yaml:3:9: expect must state at least one of ending, outcome, customer, total, "
     "percent, passed"),
    ("scenario: tiny\nturns: []\nexpect: {passed: maybe}\n",
     "p.plan.yaml:3:18: passed must be true or false, got 'maybe'"),
    ("- tiny\n", "p.plan.yaml:1:1: a plan must be a YAML mapping of fields (scenario, turns, "
                  "expect)"),
    ("", "p.plan.yaml:1:1: the file is empty"),
    ((DATA / "tiny.yaml").read_text(encoding="utf-8"),
     "p.plan.yaml:1:1: this is a scenario file, not a plan (a plan has scenario, turns and "
     "expect; see 'calmline plan --help')"),
])
def test_plan_file_problems_have_positions(text: str, problem: str) -> None:
    with pytest.raises(ScenarioError) as caught:
        plans.loads(text, "p.plan.yaml")
    assert problem in [str(p) for p in caught.value.problems]


def test_record_refuses_unfinished_and_impossible_paths(tiny: Scenario) -> None:
    with pytest.raises(ValueError, match="has not ended after 1 choices"):
        plans.record(tiny, ["sorry"])
    with pytest.raises(ValueError, match=r"\('nope'\) is not available at 'opening'"):
        plans.record(tiny, ["nope"])


def test_plan_files_finds_plans_in_folders(tmp_path: Path) -> None:
    (tmp_path / "a.plan.yaml").write_text("x", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.plan.yaml").write_text("x", encoding="utf-8")
    (tmp_path / "c.yaml").write_text("x", encoding="utf-8")
    assert plans.plan_files([tmp_path]) == [tmp_path / "a.plan.yaml",
                                            tmp_path / "sub" / "b.plan.yaml"]
