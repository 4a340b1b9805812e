"""Every playthrough plan in ``plans/`` replays exactly, also across save/load round trips;
every shipped scenario has a best-path plan that passes and a worst-path plan that fails."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator import library
from simulator.authoring import plans
from simulator.engine.analysis import analyze
from simulator.engine.loader import load
from simulator.engine.model import Scenario

PLANS = sorted((Path(__file__).parent / "plans").glob(f"*{plans.PLAN_SUFFIX}"))
SHIPPED = {s.id: s for s in library.catalogue().scenarios.values()}


def scenario_of(plan: plans.Plan) -> Scenario:
    path = plan.scenario_path()
    return load(path) if path is not None else library.resolve(plan.scenario)


def test_there_are_plans() -> None:
    assert len(PLANS) >= 2 * len(SHIPPED) >= 2


@pytest.mark.parametrize("path", PLANS, ids=lambda p: p.name.removesuffix(plans.PLAN_SUFFIX))
@pytest.mark.parametrize("round_trip", [False, True], ids=["direct", "round-trip"])
def test_plan_replays_exactly(path: Path, round_trip: bool) -> None:
    plan = plans.load(path)
    outcome = plans.run(plan, scenario_of(plan), round_trip=round_trip)
    assert [str(p) for p in outcome.problems] == []


@pytest.mark.parametrize("scenario_id", sorted(SHIPPED))
def test_every_shipped_scenario_has_a_passing_and_a_failing_plan(scenario_id: str) -> None:
    mine = [plans.load(p) for p in PLANS if plans.load(p).scenario == scenario_id]
    assert len(mine) >= 2, f"{scenario_id} needs at least two plans (best and failing path)"
    assert any(p.expect.get("passed") is True for p in mine)
    assert any(p.expect.get("passed") is False for p in mine)


@pytest.mark.parametrize("scenario_id", sorted(SHIPPED))
def test_best_path_passes_and_worst_path_fails(scenario_id: str) -> None:
    scenario = SHIPPED[scenario_id]
    a = analyze(scenario)
    plan_dir = Path(__file__).parent / "plans"
    best = plans.load(plan_dir / f"{scenario_id}.best.plan.yaml")
    worst = plans.load(plan_dir / f"{scenario_id}.worst.plan.yaml")
    assert tuple(t.choose for t in best.turns) == a.best.choices
    assert tuple(t.choose for t in worst.turns) == a.worst.choices
    best_run = plans.run(best, scenario)
    worst_run = plans.run(worst, scenario)
    assert best_run.ok and best_run.passed is True and best_run.percent == 100.0
    assert worst_run.ok and worst_run.passed is False


def test_calmline_test_passes_on_the_shipped_plans(capsys: pytest.CaptureFixture[str]) -> None:
    from simulator.cli import main

    assert main(["test", str(Path(__file__).parent / "plans")]) == 0
    out = capsys.readouterr()
    assert out.err.strip() == f"{len(PLANS)} plans ok, 0 failed"
