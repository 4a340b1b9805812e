"""The one way calmline writes and reads moments and durations as text.

A moment is UTC ISO 8601 with milliseconds and a ``Z`` (``2030-01-01T08:00:00.000Z``): the
session stamps each answer with it, the store writes it, reports, exports and certificates
read it back. Shorter forms (a day, a minute, a countdown) are cut from it here only.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

#: A source of the current moment (timezone-aware), injectable for tests.
Clock = Callable[[], datetime]


def utc_now() -> datetime:
    """The current time, timezone-aware UTC."""
    return datetime.now(UTC)


def iso(moment: datetime) -> str:
    """A moment as calmline writes it: UTC ISO 8601 with milliseconds and a ``Z``."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def iso_at(timestamp: float) -> str:
    """A POSIX timestamp written as :func:`iso` writes a moment."""
    return iso(datetime.fromtimestamp(timestamp, UTC))


def parse_iso(text: str) -> datetime:
    """Read back a moment written by :func:`iso` (or any ISO 8601; UTC when it has no
    offset). ValueError when ``text`` is not one."""
    moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def day(stamp: str) -> str:
    """The UTC day of a written moment: ``2030-01-01``."""
    return stamp[:10]


def minute(stamp: str) -> str:
    """A written moment to the minute, for tables: ``2030-01-01 08:00``."""
    return stamp[:16].replace("T", " ")


def clock_text(seconds: int) -> str:
    """A countdown as minutes and seconds: ``0:45`` (never below ``0:00``)."""
    seconds = max(0, seconds)
    return f"{seconds // 60}:{seconds % 60:02d}"
