"""The de-escalation principles calmline scores against: the engine's ids, named and described."""

from __future__ import annotations

from dataclasses import dataclass

from simulator.engine.principles import CORE, PRINCIPLE_IDS

__all__ = ["BY_ID", "CORE", "PRINCIPLES", "PRINCIPLE_IDS", "RUBRIC_VERSION", "Principle",
           "principle"]

#: Bumped whenever a principle is added, removed or redefined: recorded with every attempt, so
#: a result says which rubric scored it. 2: ``verify_identity`` added.
RUBRIC_VERSION = "2"


@dataclass(frozen=True, slots=True)
class Principle:
    """One principle of the rubric: a stable id, a short name and what good looks like."""

    id: str
    name: str
    description: str


#: The name and what good looks like, for each id of :data:`PRINCIPLE_IDS` (same order).
_TEXTS: dict[str, tuple[str, str]] = {
    "stay_calm": (
        "Stay calm",
        "Keep an even tone under insults; the attack is about the situation, not about you.",
    ),
    "dont_argue": (
        "Don't argue",
        "Steer to facts and options without telling the customer they are wrong.",
    ),
    "apologize": (
        "Apologize",
        "Say sorry for the trouble without blaming; an apology is not an admission of fault.",
    ),
    "listen_acknowledge": (
        "Listen and acknowledge",
        "Let them finish, name the frustration, never make them feel their question is stupid.",
    ),
    "hold_boundaries": (
        "Hold boundaries",
        "Warn once about abuse, end the call politely if it goes on, stand firm on policy.",
    ),
    "resist_bluffs": (
        "Resist bluffs",
        "Weigh threats calmly, check their substance, refer legal matters to the right people.",
    ),
    "solve_follow_up": (
        "Solve and follow up",
        "Get the facts, offer concrete options, commit to a call-back and keep it.",
    ),
    "own_mistakes": (
        "Own mistakes",
        "Tell the customer when the business got it wrong, before they find out.",
    ),
    "protect_business": (
        "Protect the business",
        "Fair remedies within your authority; no promises that hurt the business.",
    ),
    "verify_identity": (
        "Verify identity",
        "Confirm the caller holds the account before reading out, changing or deleting anything;"
        " if they can't, refuse politely and offer the proper route, however hard they push.",
    ),
}

PRINCIPLES: tuple[Principle, ...] = tuple(Principle(pid, *_TEXTS[pid]) for pid in PRINCIPLE_IDS)

BY_ID: dict[str, Principle] = {p.id: p for p in PRINCIPLES}


def principle(pid: str) -> Principle:
    """Return the principle with id ``pid`` (KeyError if unknown)."""
    return BY_ID[pid]
