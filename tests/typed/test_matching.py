"""The typed-reply matcher: paraphrases find their reply, abuse finds the critical reply,
nonsense finds nothing, and hostile input (huge, control characters) is cut and cleaned."""

from __future__ import annotations

from simulator.engine.matching import MAX_TYPED_CHARS, Matcher, Verdict, clean, is_abusive, tokens
from simulator.engine.model import Choice, Node, Route


def reply(cid: str, say: str, *examples: str, critical: bool = False) -> Choice:
    return Choice(id=cid, say=say, scores={}, effects={}, feedback="f",
                  routes=(Route("end"),), critical=critical, examples=tuple(examples))


NODE = Node(id="refund", lines=("I want my money back, now!",), choices=(
    reply("check-order", "I'm sorry about this. Can I take your order number so I can look?",
          "let me find your order first", "what's the order number", "I'll pull up the order"),
    reply("refund-now", "Of course, I'll refund you in full straight away, no questions.",
          "sure, full refund right now", "I'll give you your money back immediately",
          "no problem, refunding it now"),
    reply("policy", "Refunds aren't possible after thirty days, as our terms say.",
          "it's outside the thirty day window", "our policy doesn't allow that",
          "the terms don't allow a refund"),
    reply("snap", "Stop shouting at me, you're being ridiculous.", "don't yell at me",
          "you're being unreasonable", critical=True),
))


def test_a_paraphrase_finds_its_reply_with_confidence() -> None:
    found = Matcher().match(NODE, "Sorry for the trouble - could you give me the order number?")
    assert found.best is not None and found.best.choice_id == "check-order"
    assert found.verdict is Verdict.CONFIDENT
    assert abs(sum(c.share for c in found.ranking) - 1.0) < 1e-9


def test_negation_separates_a_refusal_from_a_promise() -> None:
    assert "not_refund" in tokens("I can't refund that")
    assert "refund" in tokens("I will refund that")
    found = Matcher().match(NODE, "I'm afraid the policy doesn't allow a refund after 30 days")
    assert found.best is not None and found.best.choice_id == "policy"


def test_abuse_maps_to_the_critical_reply_whatever_else_is_said() -> None:
    assert is_abusive("oh shut up you idiot")
    assert not is_abusive("No question is stupid, honestly.")
    assert not is_abusive("I'm not calling you a liar")
    found = Matcher().match(NODE, "Look, I'll check your order, idiot.")
    assert found.best is not None and found.best.choice_id == "snap"
    assert found.verdict is Verdict.CONFIDENT and found.reason == "abusive words"


def test_abuse_without_a_critical_reply_is_ranked_by_words() -> None:
    calm = Node(id="n", lines=("x",), choices=NODE.choices[:3])
    found = Matcher().match(calm, "refund the idiot in full straight away")
    assert found.best is not None and found.best.choice_id == "refund-now"


def test_unrecognised_text_matches_nothing() -> None:
    for text in ("banana", "", "   ", "qwerty asdf"):
        assert Matcher().match(NODE, text).verdict is Verdict.NONE


def test_two_close_replies_are_unsure() -> None:
    found = Matcher().match(NODE, "refund order")
    assert found.verdict is Verdict.UNSURE
    assert {c.choice_id for c in found.ranking[:2]} == {"check-order", "refund-now"}


def test_a_spelling_slip_still_matches() -> None:
    found = Matcher().match(NODE, "I'll refnud you imediately")
    assert found.best is not None and found.best.choice_id == "refund-now"


def test_control_characters_are_removed_and_length_capped() -> None:
    assert clean("hi\x1b[31m there\u202e\x00") == "hi [31m there"
    assert len(clean("a" * 100_000)) == MAX_TYPED_CHARS


def test_a_huge_paste_is_cut_before_it_is_matched() -> None:
    found = Matcher().match(NODE, "refund " * 200_000)
    assert len(found.text) == MAX_TYPED_CHARS
    assert found.best is not None and found.best.choice_id == "refund-now"
