"""The training service without any UI: the recorder protocol, seeds, reloads, scoring."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from scoring.recording import Mode, Recorder
from simulator.engine.analysis import analyze
from simulator.library import resolve
from simulator.training.attempt import Attempt
from simulator.training.modes import certification_seed
from tests.tui.driving import NAMED, blender, cli_run, path_by


def test_the_recorder_protocol_is_checked_structurally() -> None:
    class Partial:
        def step(self, step: Any) -> None: ...

    class Whole(Partial):
        def finish(self, session: Any, scorecard: Any) -> None: ...

        def abandon(self, session: Any) -> None: ...

    assert isinstance(Whole(), Recorder) and not isinstance(Partial(), Recorder)
    assert Mode.CERTIFICATION == "certification" and Mode("practice") is Mode.PRACTICE


def test_certification_seeds_vary_and_fit_a_32_bit_int() -> None:
    seeds = {certification_seed() for _ in range(20)}
    assert len(seeds) > 1 and all(0 <= s < 2**31 for s in seeds)


def test_a_timed_out_turn_is_reported_and_replayed() -> None:
    a = Attempt(blender())
    a.timeout()
    a.choose("sorry-ask")
    b, replay = a.reload(blender())
    assert b.session.choices_made == ["silence", "sorry-ask"] and replay.replayed == 2


def test_fresh_after_the_end_keeps_the_recorder_quiet_about_the_old_attempt() -> None:
    from tests.tui.driving import SpyFactory

    spies = SpyFactory()
    a = Attempt(blender(), recorder_factory=spies)
    a.choose("sorry-ask")
    a.choose("swap")
    b = a.fresh()
    assert [e[0] for e in spies.made[0].events] == ["step", "step", "finish"]
    assert b.session.turn == 0 and len(spies.made) == 2


def test_reload_keeps_start_values_the_new_scenario_still_has() -> None:
    a = Attempt(blender(), start="facts", start_values={"anger": 70})
    changed = replace(blender(), variables={**blender().variables})
    b, replay = a.reload(changed)
    assert b.prompt().values["anger"] == 70 and not replay.restarted


@pytest.mark.parametrize("name", NAMED)
def test_the_attempt_controller_scores_the_named_scenarios_as_the_cli_does(
        name: str, capsys: pytest.CaptureFixture[str]) -> None:
    scenario = resolve(name)
    for choices in (list(analyze(scenario).best.choices), path_by(scenario, 1)):
        a = Attempt(scenario)
        for choice in choices:
            a.choose(choice)
        assert a.finished and a.scorecard is not None
        cli = cli_run(capsys, scenario, choices)["score"]
        assert (a.scorecard.total, a.scorecard.percent, a.scorecard.passed) == (
            cli["total"], cli["percent"], cli["passed"])
