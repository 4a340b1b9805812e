"""The training service's attempt: mode rules, recorder calls, restart and reload, no UI."""

from __future__ import annotations

import pytest

from scoring.recording import Mode, Recorder
from scoring.scorer import score
from simulator.engine.loader import loads
from simulator.engine.session import SessionError
from simulator.training.attempt import Attempt, AttemptError
from tests.tui.driving import CALL, SpyFactory, blender, fixed_clock


def test_practice_draws_a_seed_shuffles_and_keeps_going_after_a_critical_reply(
        monkeypatch: pytest.MonkeyPatch) -> None:
    seeds = iter([77, 78])
    monkeypatch.setattr("simulator.training.modes.certification_seed", lambda: next(seeds))
    a = Attempt(blender())
    assert (a.seed, a.session.shuffle, a.session.stop_on_critical) == (77, True, False)
    assert a.shows_feedback and a.can_restart and not a.can_undo
    assert a.restart().seed == 77 and a.fresh().seed == 78  # a retry is a new order
    assert Attempt(blender(), seed=5).seed == 5


def test_every_mode_shows_the_order_drawn_from_the_seed_unless_a_node_pins_it() -> None:
    orders = {}
    for mode in Mode:
        a = Attempt(blender(), mode, seed=3)
        orders[mode] = [o.id for o in a.prompt().options]
    assert len(set(map(tuple, orders.values()))) == 1
    written = [c.id for c in blender().nodes["opening"].choices]
    shown = {tuple(o.id for o in Attempt(blender(), seed=s).prompt().options) for s in range(12)}
    assert len(shown) > 1 and sorted(shown.pop()) == sorted(written)
    text = CALL.read_text(encoding="utf-8")
    pinned = loads(text.replace("  opening:\n", "  opening:\n    order: fixed\n", 1), "p.yaml")
    for s in range(12):
        assert [o.id for o in Attempt(pinned, seed=s).prompt().options] == written


def test_certification_shuffles_stops_on_critical_and_records_a_fresh_seed(
        monkeypatch: pytest.MonkeyPatch) -> None:
    seeds = iter([1234, 98765])
    monkeypatch.setattr("simulator.training.modes.certification_seed", lambda: next(seeds))
    a = Attempt(blender(), Mode.CERTIFICATION, trainee="Ann")
    assert (a.seed, a.session.seed) == (1234, 1234)
    assert a.session.shuffle and a.session.stop_on_critical
    assert not a.shows_feedback and not a.can_restart
    step = a.choose("sneer")  # anger 55 + 25 routes on to "facts", but the attempt stops
    assert step.critical and a.finished
    assert a.session.ending is not None and a.session.ending.outcome == "critical_failure"
    assert a.scorecard is not None and not a.scorecard.passed
    assert a.fresh().seed == 98765  # every attempt draws its own seed


def test_certification_forbids_undo_restart_and_a_mid_call_start() -> None:
    a = Attempt(blender(), Mode.CERTIFICATION)
    a.choose("sorry-ask")
    assert not a.can_undo
    with pytest.raises(AttemptError):
        a.undo()
    with pytest.raises(AttemptError):
        a.restart()
    with pytest.raises(AttemptError):
        Attempt(blender(), Mode.CERTIFICATION, start="facts")
    with pytest.raises(AttemptError):
        a.reload(blender())
    assert isinstance(AttemptError("x"), SessionError)


def test_undo_takes_back_a_reply_in_practice() -> None:
    a = Attempt(blender())
    a.choose("manual")
    assert a.can_undo
    undone = a.undo()
    assert undone is not None and undone.choice == "manual"
    assert a.session.turn == 0 and a.prompt().node == "opening"
    assert a.undo() is None


def test_the_recorder_hears_each_step_then_the_scored_finish() -> None:
    spies = SpyFactory()
    sc = blender()
    a = Attempt(sc, Mode.CERTIFICATION, trainee="Ann", recorder_factory=spies,
                clock=fixed_clock())
    (spy,) = spies.made
    assert isinstance(spy, Recorder)
    assert (spy.scenario, spy.session, spy.mode, spy.trainee) == (sc, a.session,
                                                                  Mode.CERTIFICATION, "Ann")
    a.timeout()
    a.choose("sorry-ask")
    a.choose("swap")
    assert [e[0] for e in spy.events] == ["step", "step", "step", "finish"]
    assert [e[1] for e in spy.events[:3]] == ["silence", "sorry-ask", "swap"]
    card = spy.events[-1][1]
    assert card == score(sc, a.session.log, a.session.ending)
    assert card == a.scorecard
    a.abandon()  # nothing after the finish
    assert len(spy.events) == 4


def test_leaving_mid_call_abandons_once() -> None:
    spies = SpyFactory()
    a = Attempt(blender(), recorder_factory=spies)
    a.choose("sorry-ask")
    a.abandon()
    a.abandon()
    assert spies.made[0].events == [("step", "sorry-ask"), ("abandon", 1)]
    assert a.closed and not a.can_undo


def test_a_factory_may_decline_to_record() -> None:
    a = Attempt(blender(), recorder_factory=lambda *args: None)
    a.choose("sorry-ask")
    a.choose("swap")
    assert a.recorder is None and a.scorecard is not None


def test_restart_abandons_the_old_attempt_and_starts_over_with_the_same_seed() -> None:
    spies = SpyFactory()
    a = Attempt(blender(), seed=7, recorder_factory=spies)
    a.choose("sorry-ask")
    b = a.restart()
    assert b is not a and b.seed == 7 and b.session.turn == 0
    assert b.session.machine is a.session.machine  # the compiled scenario is reused
    assert spies.made[0].events[-1] == ("abandon", 1)
    assert len(spies.made) == 2 and spies.made[1].events == []


def test_start_mid_scenario_with_values() -> None:
    a = Attempt(blender(), start="facts", start_values={"anger": 90})
    assert a.prompt().node == "facts" and a.prompt().values["anger"] == 90
    assert a.restart().prompt().node == "facts"


def test_reload_replays_the_path_that_still_exists() -> None:
    a = Attempt(blender())
    a.choose("sorry-ask")
    text = CALL.read_text().replace("Nothing. The light comes on", "Nothing at all. The light")
    changed = loads(text, str(CALL))
    b, replay = a.reload(changed)
    assert (replay.replayed, replay.made, replay.stopped_at) == (1, 1, None)
    assert b.prompt().line.startswith("Nothing at all.")
    assert a.closed and not b.closed


def test_reload_stops_at_the_first_reply_that_no_longer_applies() -> None:
    a = Attempt(blender())
    a.timeout()
    a.choose("manual")
    text = CALL.read_text().replace("id: manual", "id: blame-user")
    b, replay = a.reload(loads(text, str(CALL)))
    assert (replay.replayed, replay.made, replay.stopped_at) == (1, 2, "manual")
    assert b.session.choices_made == ["silence"] and b.prompt().node == "opening"


def test_reload_falls_back_to_the_start_when_the_start_node_is_gone() -> None:
    a = Attempt(blender(), start="facts")
    text = CALL.read_text().replace("  facts:", "  details:").replace("goto: facts",
                                                                      "goto: details")
    text = text.replace("next: facts", "next: details")
    b, replay = a.reload(loads(text, str(CALL)))
    assert replay.restarted and b.prompt().node == "opening"


def test_the_reply_time_is_the_scenarios_or_45_seconds_and_only_in_a_timed_mode() -> None:
    from dataclasses import replace

    from simulator.training import reply_seconds

    sc = blender()
    assert reply_seconds(sc) == 5
    assert reply_seconds(replace(sc, response_seconds=None)) == 45
    assert Attempt(sc, Mode.CERTIFICATION).reply_seconds == 5
    assert Attempt(sc).reply_seconds is None and Attempt(sc, Mode.PREVIEW).reply_seconds is None


def test_silence_is_one_answer_whether_named_or_none() -> None:
    for said in ("silence", None):
        a = Attempt(blender())
        assert a.accepts("silence") and not a.accepts("no-such-reply")
        step = a.answer(said)
        assert step.timed_out and step.choice == "silence"


def test_the_scenario_is_analysed_once_per_attempt_recorder_and_scorecard_alike(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import simulator.engine.situations as situations

    calls: list[str] = []
    real = situations.analyze

    def counting(scenario, situation=None):  # type: ignore[no-untyped-def]
        calls.append(scenario.id)
        return real(scenario, situation)

    # Attempts analyse the situation their session plays, through situations.analysis_for.
    monkeypatch.setattr(situations, "analyze", counting)

    def factory(start):  # type: ignore[no-untyped-def]
        start.analysis()  # a store recorder reads the best and worst totals at the start
        return None

    a = Attempt(blender(), Mode.CERTIFICATION, trainee="Ann", recorder_factory=factory)
    a.choose("sorry-ask")
    a.choose("swap")
    assert a.scorecard is not None and calls == ["blender"]
    a.fresh()
    assert calls == ["blender"]  # a fresh attempt at the same scenario reuses it


def test_preview_plays_like_practice_and_scores_a_call_not_yet_ended() -> None:
    a = Attempt(blender(), Mode.PREVIEW, seed=3)
    assert (a.seed, a.session.shuffle, a.session.stop_on_critical) == (3, True, False)
    a.choose("sorry-ask")
    card = a.score()
    assert not a.finished and a.scorecard is None and card.total != 0
