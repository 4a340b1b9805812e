"""A host answers the prompt it showed: an answer meant for a prompt that is gone (a second
fast key, a reply time that ran out as a reply was made) is dropped, never raised, and never
taken for the next question."""

from __future__ import annotations

import pytest

from scoring.recording import Mode
from simulator.training.attempt import Attempt
from tests.tui.driving import SpyFactory, blender, fixed_clock


@pytest.mark.parametrize("mode", [Mode.PRACTICE, Mode.CERTIFICATION])
def test_a_second_answer_for_a_prompt_already_answered_is_dropped(mode: Mode) -> None:
    spies = SpyFactory()
    attempt = Attempt(blender(), mode, seed=3, trainee="Ann", recorder_factory=spies,
                      clock=fixed_clock())
    shown = attempt.prompt_id
    assert attempt.answer_prompt(shown, "sorry-ask") is not None
    # The same key again, or another reply of the first question: the call has moved on.
    for again in ("sorry-ask", "manual", "sneer", None):
        assert attempt.answer_prompt(shown, again) is None
    assert attempt.session.turn == 1 and not attempt.closed
    assert spies.made[0].events == [("step", "sorry-ask")]


def test_an_answer_that_is_not_on_offer_is_dropped_not_raised() -> None:
    attempt = Attempt(blender(), clock=fixed_clock())
    assert attempt.answer_prompt(attempt.prompt_id, "no-such-reply") is None
    assert attempt.answer_prompt(attempt.prompt_id + 1000, "sorry-ask") is None
    assert attempt.session.turn == 0


def test_a_reply_time_that_ran_out_for_an_answered_prompt_is_dropped() -> None:
    attempt = Attempt(blender(), Mode.CERTIFICATION, trainee="Ann", clock=fixed_clock())
    shown = attempt.prompt_id
    attempt.answer_prompt(shown, "sorry-ask")
    assert attempt.answer_prompt(shown, None) is None  # the expiry crossed the reply
    step = attempt.answer_prompt(attempt.prompt_id, None)
    assert step is not None and step.timed_out


def test_every_prompt_gets_a_new_number_even_after_undo() -> None:
    attempt = Attempt(blender(), clock=fixed_clock())
    first = attempt.prompt_id
    attempt.answer_prompt(first, "sorry-ask")
    second = attempt.prompt_id
    attempt.undo()  # back at the first question, but a new prompt
    assert len({first, second, attempt.prompt_id}) == 3
    assert attempt.answer_prompt(first, "manual") is None
    assert attempt.answer_prompt(attempt.prompt_id, "manual") is not None


def test_a_fresh_attempt_does_not_take_answers_meant_for_the_old_one() -> None:
    old = Attempt(blender(), clock=fixed_clock())
    new = old.restart()
    assert new.answer_prompt(old.prompt_id, "sorry-ask") is None
    assert new.answer_prompt(new.prompt_id, "sorry-ask") is not None
