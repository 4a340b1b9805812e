"""The documented ranges of every number in the scenario format, shared by loader and grammar."""

from __future__ import annotations

#: The ``format`` field (only format 1 is read; a larger number is reported as unsupported).
FORMAT_RANGE = (0, 999)
#: A score or an effect of one reply (``scores: {empathy: 3}``, ``effects: {anger: -10}``).
SCORE_RANGE = (-1000, 1000)
#: A variable's ``min``, ``max`` and ``start``, and any number written in a ``when`` condition.
VARIABLE_RANGE = (-1_000_000, 1_000_000)
#: The percentage a trainee must reach to pass.
PASS_MARK_RANGE = (1, 100)
#: The number of replies after which the call ends.
MAX_TURNS_RANGE = (1, 1000)
#: The seconds a trainee has for each reply in a certification.
RESPONSE_SECONDS_RANGE = (5, 3600)
#: The order value shown in the persona (any currency).
ORDER_VALUE_RANGE = (0, 1_000_000_000)
#: A seed for line variants and reply order (a 64-bit store column holds it).
SEED_RANGE = (0, 2**63 - 1)
#: A playthrough plan's expected score total and percentage.
TOTAL_RANGE = (-100_000_000, 100_000_000)
PERCENT_RANGE = (0, 100)


def between(bounds: tuple[int, int]) -> str:
    """``bounds`` as people read them: ``between -1,000 and 1,000``."""
    return f"between {bounds[0]:,} and {bounds[1]:,}"


def digits_fit(text: str, bounds: tuple[int, int]) -> bool:
    """False when the whole number written as ``text`` has more digits than ``bounds`` allow.

    Checked before ``int()`` so that a number thousands of digits long is refused as out of
    range instead of reaching Python's integer-conversion limit.
    """
    widest = max(len(str(abs(b))) for b in bounds)
    return len(text.lstrip("+-").lstrip("0")) <= widest


def shown_number(text: str) -> str:
    """A number as written, for a message; a long one is described by its length instead."""
    digits = len(text.lstrip("+-"))
    return text if digits <= 20 else f"a number {digits:,} characters long"
