"""The principle ids the scenario format accepts, and the core ones every scenario declares.

This table is the single source of the ids: the engine validates scenarios against it, and
the rubric (:mod:`scoring.rubric`) gives each id its name and description.
"""

from __future__ import annotations

#: Every principle id a scenario may declare and score, in the rubric's order.
PRINCIPLE_IDS: tuple[str, ...] = (
    "stay_calm",
    "dont_argue",
    "apologize",
    "listen_acknowledge",
    "hold_boundaries",
    "resist_bluffs",
    "solve_follow_up",
    "own_mistakes",
    "protect_business",
    "verify_identity",
)

#: The principles every scenario must declare: every reply says something about them.
CORE: tuple[str, ...] = ("stay_calm", "dont_argue", "apologize")
