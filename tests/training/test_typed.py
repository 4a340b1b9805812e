"""Typed replies in the training service: understood, "did you mean", rephrase, hostile input."""

from __future__ import annotations

import pytest

from scoring.recording import Mode
from simulator import library
from simulator.engine.matching import MAX_TYPED_CHARS, Verdict
from simulator.engine.model import Scenario
from simulator.engine.session import PROMPTED, UNDERSTOOD, UNMATCHED, SessionError
from simulator.training.attempt import Attempt, AttemptError
from simulator.training.typed import Outcome, TypedError, TypedReplies
from tests.training.typed_play import preferred, texts_for

CLEAR = "I'm so sorry, that's not good enough. Tell me about today."


@pytest.fixture(scope="module")
def vulgar() -> Scenario:
    return library.resolve("vulgar-caller")


def test_a_confident_match_answers_and_says_what_it_understood(vulgar: Scenario) -> None:
    t = TypedReplies(Attempt(vulgar))
    r = t.say("\x1b" + CLEAR + "\x00\x7f\r\n")
    assert r.outcome is Outcome.UNDERSTOOD and not r.prompted
    assert r.understood is not None and r.understood.id == "own-the-no-show"
    assert r.understood.say == vulgar.nodes["opening"].choices[0].say
    assert r.step is not None and r.step.choice == "own-the-no-show"
    assert t.attempt.session.turn == 1
    (turn,) = t.turns()
    assert turn.text == CLEAR  # control characters gone, what was typed kept
    assert (turn.verdict, turn.prompted, turn.rephrased) == (Verdict.CONFIDENT, False, 0)
    assert 0.5 < turn.share <= 1.0


def test_unsure_offers_the_two_closest_and_answers_only_one_of_them(vulgar: Scenario) -> None:
    t = TypedReplies(Attempt(vulgar))
    r = t.say("sorry")
    assert r.outcome is Outcome.DID_YOU_MEAN and r.step is None
    ids = [o.id for o in r.offered]
    assert len(ids) == 2 and ids == [c.choice_id for c in r.match.ranking[:2]]
    assert t.attempt.session.turn == 0 and t.offered == r.offered
    others = [c.id for c in vulgar.nodes["opening"].choices if c.id not in ids]
    assert others
    with pytest.raises(TypedError, match="was not offered"):
        t.confirm(others[0])  # a reply of the node, but not one of the two
    with pytest.raises(TypedError, match="was not offered"):
        t.confirm("x" * 10_000)
    assert t.attempt.session.turn == 0
    done = t.confirm(ids[1])
    assert done.outcome is Outcome.UNDERSTOOD and done.prompted
    assert done.step is not None and done.step.choice == ids[1]
    (turn,) = t.turns()
    assert turn.prompted and turn.text == "sorry" and turn.verdict is Verdict.UNSURE
    with pytest.raises(TypedError, match="no reply is waiting"):
        t.confirm(ids[0])  # the question was answered: it cannot be answered twice


def test_nothing_recognised_asks_to_rephrase_and_answers_nothing(vulgar: Scenario) -> None:
    t = TypedReplies(Attempt(vulgar))
    for text in ("banana helicopter", "", "   \n\t ", "\x07\x08"):
        r = t.say(text)
        assert r.outcome is Outcome.REPHRASE and r.step is None and r.understood is None
    assert t.attempt.session.turn == 0 and t.turns() == []
    t.say(CLEAR)
    assert t.turns()[0].rephrased == 4  # the tries before it are counted with the turn


def test_rephrasing_closes_the_question(vulgar: Scenario) -> None:
    t = TypedReplies(Attempt(vulgar))
    ids = [o.id for o in t.say("sorry").offered]
    t.rephrase()
    assert t.offered == ()
    with pytest.raises(TypedError):
        t.confirm(ids[0])
    ids = [o.id for o in t.say("sorry").offered]
    t.say("banana helicopter")  # typing again closes it too
    with pytest.raises(TypedError):
        t.confirm(ids[0])


def test_an_undo_or_a_choice_made_elsewhere_closes_the_question(vulgar: Scenario) -> None:
    t = TypedReplies(Attempt(vulgar))
    t.say(CLEAR)
    ids = [o.id for o in t.say("sorry").offered]
    t.attempt.undo()
    with pytest.raises(TypedError):
        t.confirm(ids[0])
    assert t.turns() == []  # the undone turn's text is gone with it


def test_huge_text_is_capped_and_never_slow(vulgar: Scenario) -> None:
    t = TypedReplies(Attempt(vulgar))
    huge = (CLEAR + " ") * 200_000  # about 12 MB pasted
    r = t.say(huge)
    assert len(r.text) <= MAX_TYPED_CHARS
    if r.outcome is Outcome.UNDERSTOOD:
        assert len(t.turns()[0].text) <= MAX_TYPED_CHARS


def test_a_say_or_confirm_after_the_call_ended_is_refused(vulgar: Scenario) -> None:
    t = TypedReplies(Attempt(vulgar))
    _play_to_the_end(vulgar, t)
    assert t.attempt.finished
    with pytest.raises(TypedError, match="call has ended"):
        t.say(CLEAR)
    with pytest.raises(TypedError, match="call has ended"):
        t.confirm("own-the-no-show")
    assert isinstance(TypedError("x"), SessionError)


def test_an_abandoned_call_takes_no_more_replies(vulgar: Scenario) -> None:
    t = TypedReplies(Attempt(vulgar))
    t.attempt.abandon()
    with pytest.raises(TypedError):
        t.say(CLEAR)


def test_in_certification_an_unrecognised_reply_is_answered_as_silence_with_its_words(
        vulgar: Scenario) -> None:
    typed = Attempt(vulgar, Mode.CERTIFICATION, seed=5, typed=True)
    silent = Attempt(vulgar, Mode.CERTIFICATION, seed=5)
    assert typed.reply_seconds == 2 * (silent.reply_seconds or 0)
    t = TypedReplies(typed)
    for blank in ("", "  \t", "\x07"):  # nothing typed: nothing answered, even here
        assert t.say(blank).outcome is Outcome.REPHRASE
    assert typed.session.turn == 0
    r = t.say("banana \x1b[31mhelicopter")
    assert r.outcome is Outcome.UNMATCHED and r.step is not None and r.understood is None
    quiet = silent.answer(None)
    assert (r.step.choice, dict(r.step.scores), r.step.target) == (
        quiet.choice, dict(quiet.scores), quiet.target)  # scored exactly as silence
    assert (r.step.typed, r.step.match, r.step.timed_out) == ("banana [31mhelicopter",
                                                             UNMATCHED, False)
    assert t.turns()[0].text == "banana [31mhelicopter"


def test_in_certification_did_you_mean_is_recorded_as_a_prompt_needed(vulgar: Scenario) -> None:
    t = TypedReplies(Attempt(vulgar, Mode.CERTIFICATION, seed=5, typed=True))
    ids = [o.id for o in t.say("sorry").offered]
    step = t.confirm(ids[0]).step
    assert step is not None and (step.typed, step.match, step.choice) == ("sorry", PROMPTED,
                                                                          ids[0])
    step = TypedReplies(Attempt(vulgar, Mode.CERTIFICATION, typed=True)).say(CLEAR).step
    assert step is not None and step.match == UNDERSTOOD and step.typed == CLEAR


def test_typed_words_survive_a_saved_session_and_its_replay(vulgar: Scenario) -> None:
    from simulator.engine.session import Session

    t = TypedReplies(Attempt(vulgar, Mode.CERTIFICATION, seed=5, typed=True))
    t.say("banana helicopter")
    t.confirm(t.say("sorry").offered[1].id)
    data = t.attempt.session.to_dict()
    again = Session.from_dict(vulgar, data)
    assert [(s.typed, s.match) for s in again.log] == [("banana helicopter", UNMATCHED),
                                                       ("sorry", PROMPTED)]
    forged = {**data, "steps": [{**data["steps"][0], "match": "guessed"}]}
    with pytest.raises(SessionError):
        Session.from_dict(vulgar, forged)


def test_a_restart_starts_the_typed_turns_afresh(vulgar: Scenario) -> None:
    t = TypedReplies(Attempt(vulgar))
    t.say(CLEAR)
    t.use(t.attempt.restart())
    assert t.turns() == [] and t.attempt.session.turn == 0
    with pytest.raises(AttemptError):
        Attempt(vulgar, Mode.CERTIFICATION).restart()


def _play_to_the_end(scenario: Scenario, t: TypedReplies) -> list[Outcome]:
    """Type the best reply at each node until the call ends; return each reading's outcome."""
    seen: list[Outcome] = []
    while not t.attempt.finished:
        node = scenario.nodes[t.attempt.session.state]
        choice = preferred(node)[0]
        for text in texts_for(scenario, node, choice):
            r = t.say(text)
            seen.append(r.outcome)
            if r.outcome is Outcome.DID_YOU_MEAN and choice.id in {o.id for o in r.offered}:
                r = t.confirm(choice.id)
            if r.outcome is Outcome.UNDERSTOOD:
                break
        else:
            pytest.fail(f"{scenario.id}/{node.id}: no way of typing {choice.id!r} was taken")
    return seen


@pytest.mark.parametrize("scenario_id", sorted(library.catalogue().scenarios))
def test_every_shipped_scenario_can_be_finished_typing(scenario_id: str) -> None:
    scenario = library.resolve(scenario_id)
    t = TypedReplies(Attempt(scenario))
    _play_to_the_end(scenario, t)
    assert t.attempt.scorecard is not None
    assert len(t.turns()) == t.attempt.session.turn > 0
    assert all(turn.text for turn in t.turns())
