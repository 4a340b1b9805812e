"""The UI's words and text pictures, checked without starting the UI."""

from __future__ import annotations

import pytest

from scoring.scorer import score
from simulator.engine.model import Persona
from simulator.engine.session import PROMPTED, UNDERSTOOD, Session
from simulator.tui import wording as w
from tests.tui.driving import blender


@pytest.mark.parametrize(("value", "word"), [
    (0, "calm"), (24, "calm"), (25, "irritated"), (49, "irritated"), (50, "angry"),
    (74, "angry"), (75, "furious"), (100, "furious"),
])
def test_anger_word_scale(value: int, word: str) -> None:
    assert w.anger_word(value) == word


def test_anger_word_uses_the_variables_range() -> None:
    assert w.anger_word(5, 0, 10) == "angry"
    assert w.anger_word(3, 3, 3) == "calm"  # an empty range does not divide by zero


def test_gauge_fills_in_proportion_and_clamps() -> None:
    assert w.gauge(0.5, 10) == "█████░░░░░"
    assert w.gauge(0.0, 4) == "░░░░"
    assert w.gauge(1.7, 4) == "████"
    assert w.gauge(-1, 3) == "░░░"
    assert w.gauge(0.5, -2) == ""


def test_trend_reads_without_colour() -> None:
    assert w.trend(50, 60) == "▲ +10"
    assert w.trend(60, 40) == "▼ -20"
    assert w.trend(5, 5) == "steady"


def test_money_and_persona_line() -> None:
    assert w.money(59.99) == "$59.99"
    assert w.money(1200, "eur") == "€1,200.00"
    assert w.money(12, "CHF") == "12.00 CHF"
    persona = Persona("Ravi Mehta", "Pulse 600 blender", 79.5)
    assert w.persona_line(persona) == "Ravi Mehta · Pulse 600 blender · $79.50"
    assert w.persona_line(Persona("", "Kettle", 25)).startswith("Customer · ")


def test_fits_at_the_minimum_and_not_below() -> None:
    assert w.fits(80, 24)
    assert w.fits(w.MIN_WIDTH, w.MIN_HEIGHT)
    assert not w.fits(w.MIN_WIDTH - 1, 40)
    assert not w.fits(200, w.MIN_HEIGHT - 1)


def test_changes_follow_the_scenarios_principle_order_and_skip_zeros() -> None:
    sc = blender()
    step = Session(sc).choose("sorry-ask")
    assert w.changes(step, sc.principles) == [("Apologize", 2), ("Solve and follow up", 1)]
    assert w.change_text("Apologize", 2) == "▲ Apologize +2"
    assert w.change_text("Don't argue", -2) == "▼ Don't argue -2"


def test_reply_text_for_silence() -> None:
    session = Session(blender())
    step = session.timeout()
    assert w.reply_text(step) == "(no reply: the time ran out)"
    assert w.reply_text(session.choose("sorry-ask")).startswith("I'm sorry")


def test_filter_matches_every_word_anywhere() -> None:
    sc = blender()
    from simulator.engine.loader import load
    from tests.tui.driving import LIBRARY

    tiny = load(LIBRARY / "tiny.yaml")
    both = [sc, tiny]
    assert w.filter_scenarios(both, "") == both
    assert w.filter_scenarios(both, "BLENDER") == [sc]
    assert w.filter_scenarios(both, "easy follow") == [sc]  # difficulty + principle name
    assert w.filter_scenarios(both, "appliance") == [sc]  # a tag
    assert w.filter_scenarios(both, "kettle") == []  # the persona is not searched
    assert w.filter_scenarios(both, "tiny call") == [tiny]


def test_catalogue_order_is_easy_to_hard_then_title() -> None:
    from dataclasses import replace

    sc = blender()
    hard = replace(sc, id="b", title="A", difficulty="hard")
    medium = replace(sc, id="c", title="Z", difficulty="medium")
    easy2 = replace(sc, id="d", title="Aardvark")
    assert [s.id for s in w.sort_catalogue([hard, medium, sc, easy2])] == [
        "d", "blender", "c", "b"]


def test_best_text() -> None:
    assert w.best_text({"x": 86.4}, "x") == "best 86%"
    assert w.best_text({}, "x") == "not tried yet"


def test_verdict_words() -> None:
    v = w.verdict(86.0, 6, 7, 70, True, True)
    assert (v.word, v.detail) == ("PASSED", "86% of the best achievable (6 of 7); pass mark 70%")
    assert w.verdict(10, 1, 7, 70, False, False).detail.endswith("did not reach an ending")


def test_better_answers_pair_the_trainees_words_with_the_better_ones() -> None:
    sc = blender()
    session = Session(sc)
    session.choose("manual")
    session.choose("policy")
    card = score(sc, session.log, session.ending)
    rows = w.better_answers(card.missed, session.log)
    assert [r.turn for r in rows] == [1, 2]
    assert rows[0].said.startswith("Have you read the manual")
    assert rows[0].better.startswith("I'm sorry, that's a rotten start")
    assert all(r.lost > 0 for r in rows)


def test_principle_names_fall_back_to_the_id() -> None:
    assert w.principle_name("resist_bluffs") == "Resist bluffs"
    assert w.principle_name("made_up") == "made_up"


def test_changes_ignore_principles_outside_the_list() -> None:
    step = Session(blender()).choose("sorry-ask")
    assert w.changes(step, ["apologize"]) == [("Apologize", 2)]
    assert w.changes(step, []) == []


def test_anger_variable_is_found_or_none() -> None:
    from dataclasses import replace

    sc = blender()
    anger = w.anger_variable(sc)
    assert anger is not None and (anger.low, anger.high, anger.start) == (0, 100, 55)
    assert w.anger_variable(replace(sc, variables={})) is None


def test_money_in_other_currencies() -> None:
    assert w.money(5, "GBP") == "£5.00"
    assert w.money(1500, "JPY") == "¥1,500.00"


def test_every_mode_a_trainee_picks_has_a_label_and_an_explanation() -> None:
    from scoring.recording import Mode

    # Preview is the authors' mode (calmline run, plans), never offered to a trainee.
    assert set(w.MODE_LABELS) == set(Mode) - {Mode.PREVIEW} == set(w.MODE_HELP)
    assert all(len(text) <= w.MIN_WIDTH * 2 for text in w.MODE_HELP.values())


def test_better_answers_fall_back_to_the_choice_id_without_a_step() -> None:
    from scoring.scorer import Missed

    rows = w.better_answers([Missed(3, "facts", "policy", "swap", "", 2)], [])
    assert rows == [w.Better(3, 2, "policy", "swap")]


def test_how_a_typed_turn_was_taken_in_words() -> None:
    session = Session(blender())
    understood = session.choose("sorry-ask", typed="so sorry, what happened?",
                                match=UNDERSTOOD)
    assert w.taken_as(understood) == understood.say and understood.say
    assert w.typed_note(understood) == "understood at once"
    prompted = Session(blender())
    step = prompted.choose("manual", typed="check the manual", match=PROMPTED)
    assert w.taken_as(step) == step.say
    assert w.typed_note(step) == 'you picked it when asked "did you mean"'
    unmatched = Session(blender()).unmatched("banana helicopter")
    assert w.taken_as(unmatched) == "(no reply)"
    assert w.typed_note(unmatched) == "not recognised: counted as no reply"
    timed_out = Session(blender()).timeout()
    assert (w.taken_as(timed_out), w.typed_note(timed_out)) == ("(no reply)", "the time ran out")
    picked = Session(blender()).choose("sorry-ask")
    assert w.typed_note(picked) == "picked from the list"
