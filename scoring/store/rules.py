"""The certification rules the store applies: which attempts count and the verdict."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TypeVar

T = TypeVar("T")


def first_at_each_position(attempts: Iterable[tuple[int, T]]) -> list[T]:
    """Of (position, attempt) pairs in order of position then id, the first attempt at each
    place of the set: only it counts (later attempts at the same place do not)."""
    first: dict[int, T] = {}
    for position, attempt in attempts:
        first.setdefault(int(position), attempt)
    return list(first.values())


def certification_verdict(attempts: Sequence[tuple[str, int, float]], wanted: int,
                          min_mean: float) -> tuple[bool, float]:
    """(passed, mean) of a certification from its attempts' (status, passed, percent)."""
    finished = [a for a in attempts if a[0] == "finished"]
    mean = round(sum(a[2] for a in finished) / wanted, 1) if wanted else 0.0
    passed = (len(finished) == wanted and all(a[1] for a in finished) and mean >= min_mean)
    return passed, mean
