"""Typed replies: what the trainee types is matched to an authored reply and answered.

:class:`TypedReplies` drives an :class:`~simulator.training.attempt.Attempt`. ``say(text)``
matches the text against the replies of the node on screen: a confident match answers that
reply and says what it was understood as; an unsure one offers the two closest replies ("did
you mean ...?") and answers nothing until :meth:`TypedReplies.confirm` picks one of those two
(a prompt was needed, and that is noted); no match asks the trainee to rephrase in practice,
and in certification (where there is no second try) is answered as unmatched: scored as
silence, with the text kept. What was typed (cleaned: control characters removed, length
capped) is kept with each answered turn, in the session log (:attr:`Step.typed`,
:attr:`Step.match`) and so in the records of a certification.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from simulator.engine.matching import Match, Matcher, Verdict, clean
from simulator.engine.session import PROMPTED, UNDERSTOOD, Option, SessionError, Step
from simulator.training.attempt import Attempt


class TypedError(SessionError):
    """A typed reply the call cannot take (the call has ended, a reply that was not offered)."""


class Outcome(StrEnum):
    """What became of a typed reply."""

    UNDERSTOOD = "understood"
    """A reply was taken: the match was confident, or the trainee picked one they were offered."""
    DID_YOU_MEAN = "did_you_mean"
    """Two replies were close: nothing was answered; the trainee picks one or rephrases."""
    REPHRASE = "rephrase"
    """Nothing was recognised: nothing was answered; the trainee says it another way."""
    UNMATCHED = "unmatched"
    """Nothing was recognised in certification: the turn was answered as silence is."""


@dataclass(frozen=True, slots=True)
class Reading:
    """What one typed reply (or one pick after "did you mean") came to."""

    outcome: Outcome
    text: str
    """What was typed, cleaned."""
    match: Match
    understood: Option | None = None
    """The reply taken (``UNDERSTOOD``)."""
    step: Step | None = None
    """The answered turn (``UNDERSTOOD`` and ``UNMATCHED``)."""
    offered: tuple[Option, ...] = ()
    """The two closest replies (``DID_YOU_MEAN``)."""
    prompted: bool = False
    """True when the reply was taken only after "did you mean"."""


@dataclass(frozen=True, slots=True)
class TypedTurn:
    """One answered turn of a typed call, as the end of the call shows it."""

    turn: int
    node: str
    text: str
    choice_id: str
    verdict: Verdict
    share: float
    prompted: bool
    rephrased: int
    """How many earlier tries at this turn were not recognised."""


class TypedReplies:
    """Typed replies for one attempt, in any mode."""

    def __init__(self, attempt: Attempt, matcher: Matcher | None = None) -> None:
        self.attempt = attempt
        self.matcher = matcher or Matcher()
        self._pending: tuple[int, Reading] | None = None
        self._tries = 0
        self._turns: dict[int, TypedTurn] = {}

    # -- reading -----------------------------------------------------------------------------
    @property
    def offered(self) -> tuple[Option, ...]:
        """The two replies of an open "did you mean", or () when none is open."""
        pending = self._current_pending()
        return pending.offered if pending else ()

    def turns(self) -> list[TypedTurn]:
        """The typed turns of the call as it stands (an undone reply is gone), in order."""
        log = self.attempt.session.log
        return [t for i, step in enumerate(log) if (t := self._turns.get(i)) is not None
                and t.node == step.node and t.choice_id == step.choice]

    def _current_pending(self) -> Reading | None:
        if self._pending is None or self._pending[0] != self.attempt.prompt_id:
            self._pending = None
            return None
        return self._pending[1]

    def _check_open(self) -> None:
        if self.attempt.closed or self.attempt.finished:
            raise TypedError("the call has ended: there is nothing to reply to")

    # -- acting ------------------------------------------------------------------------------
    def use(self, attempt: Attempt) -> None:
        """Go on with ``attempt`` (a restart or a reload gave a new one): start afresh."""
        self.attempt = attempt
        self._pending, self._tries, self._turns = None, 0, {}

    def say(self, typed: str) -> Reading:
        """Match ``typed`` against the replies on screen and act on the verdict."""
        self._check_open()
        self._pending = None
        text = clean(typed)
        node = self.attempt.scenario.nodes[self.attempt.session.state]
        found = self.matcher.match(node, text)
        says = {c.id: c.say for c in node.choices}
        if found.verdict is Verdict.CONFIDENT and found.best is not None:
            return self._take(found, found.best.choice_id, says, prompted=False)
        if found.verdict is Verdict.UNSURE and len(found.ranking) >= 2:
            offered = tuple(Option(c.choice_id, says[c.choice_id]) for c in found.ranking[:2])
            reading = Reading(Outcome.DID_YOU_MEAN, text, found, offered=offered)
            self._pending = (self.attempt.prompt_id, reading)
            return reading
        if self.attempt.certifying and text:  # no second try: heard as silence
            step = self.attempt.answer_unmatched(self.attempt.prompt_id, text)
            if step is None:
                raise TypedError("the call has moved on: nothing was answered")
            self._turns[step.turn - 1] = TypedTurn(step.turn - 1, step.node, text, step.choice,
                                                   found.verdict, 0.0, False, self._tries)
            self._pending, self._tries = None, 0
            return Reading(Outcome.UNMATCHED, text, found, step=step)
        self._tries += 1
        return Reading(Outcome.REPHRASE, text, found)

    def confirm(self, choice_id: str) -> Reading:
        """Take one of the two replies an open "did you mean" offered (a prompt was needed).
        Any other reply, or no open question, is refused with :class:`TypedError`."""
        self._check_open()
        pending = self._current_pending()
        if pending is None:
            raise TypedError("no reply is waiting to be confirmed: type what you would say")
        if choice_id not in {r.id for r in pending.offered}:
            shown = choice_id if len(choice_id) <= 40 else choice_id[:40] + "..."
            ids = " or ".join(r.id for r in pending.offered)
            raise TypedError(f"{shown!r} was not offered: choose {ids}")
        says = {r.id: r.say for r in pending.offered}
        return self._take(pending.match, choice_id, says, prompted=True)

    def rephrase(self) -> None:
        """Close an open "did you mean" without answering (the trainee will type again)."""
        self._pending = None

    def _take(self, found: Match, choice_id: str, says: dict[str, str],
              prompted: bool) -> Reading:
        turn, node = self.attempt.session.turn, self.attempt.session.state
        step = self.attempt.answer_prompt(self.attempt.prompt_id, choice_id, typed=found.text,
                                          match=PROMPTED if prompted else UNDERSTOOD)
        if step is None:  # the session refused it: the call moved on or the reply is gone
            raise TypedError(f"{choice_id!r} cannot be answered now")
        share = next((c.share for c in found.ranking if c.choice_id == choice_id), 0.0)
        self._turns[turn] = TypedTurn(turn, node, found.text, choice_id, found.verdict, share,
                                      prompted, self._tries)
        self._pending, self._tries = None, 0
        return Reading(Outcome.UNDERSTOOD, found.text, found, Option(choice_id, says[choice_id]),
                       step, prompted=prompted)
