"""A test-wise trainee in typed certification: the same all-purpose reply typed at every turn
(sympathy, a promise to fix it, a question), and whichever of the two "did you mean" offers a
surface cue favours (the first, the second, the shorter, the longer), passes no shipped
scenario. Typed replies must not be gamed the way "always the longest" games a list."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from scoring.recording import Mode
from simulator import library
from simulator.engine.session import Option
from simulator.training.attempt import Attempt
from simulator.training.typed import Outcome, TypedReplies

GENERIC = (
    "I'm so sorry, I understand how frustrating this is. Let me help you fix this right now.",
    "I hear you and I'm sorry. I'll sort it out for you today.",
    "I understand. Can you tell me more about what happened?",
    "sorry",
    "I apologise sincerely, I completely understand your frustration, let me look into this "
    "and put it right, what can I do to help, I will make sure this is fixed and keep you "
    "updated, I can offer a refund or escalate to a manager",
)
Pick = Callable[[tuple[Option, ...]], Option]
PICKS: dict[str, Pick] = {
    "first": lambda o: o[0],
    "second": lambda o: o[1],
    "shorter": lambda o: min(o, key=lambda r: len(r.say)),
    "longer": lambda o: max(o, key=lambda r: len(r.say)),
}


@pytest.mark.parametrize("scenario_id", sorted(library.catalogue().scenarios))
def test_no_all_purpose_typed_reply_passes(scenario_id: str) -> None:
    scenario = library.resolve(scenario_id)
    best = []
    for text in GENERIC:
        for name, pick in PICKS.items():
            t = TypedReplies(Attempt(scenario, Mode.CERTIFICATION, seed=1, typed=True))
            while not t.attempt.finished:
                reading = t.say(text)
                if reading.outcome is Outcome.DID_YOU_MEAN:
                    t.confirm(pick(reading.offered).id)
            card = t.attempt.scorecard
            assert card is not None
            assert not card.passed, f"{text[:40]!r}, picking the {name}: {card.percent:.0f}%"
            best.append(card.percent)
    assert max(best) < scenario.pass_mark  # the best any of them did, under the pass mark
