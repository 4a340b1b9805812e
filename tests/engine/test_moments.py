"""The one time format: moments written and read back alike everywhere."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from simulator.engine.moments import clock_text, day, iso, iso_at, minute, parse_iso


def test_a_moment_is_utc_with_milliseconds_and_a_z_whatever_its_zone() -> None:
    plus5 = timezone(timedelta(hours=5))
    assert iso(datetime(2030, 1, 2, 3, 4, 5, 678_900, tzinfo=plus5)) == "2030-01-01T22:04:05.678Z"
    assert iso_at(1_900_000_000.5) == "2030-03-17T17:46:40.500Z"


def test_written_moments_read_back_and_naive_ones_are_utc() -> None:
    moment = datetime(2030, 1, 1, 8, 0, tzinfo=UTC)
    assert parse_iso(iso(moment)) == moment
    assert parse_iso("2030-01-01") == datetime(2030, 1, 1, tzinfo=UTC)
    assert parse_iso(" 2030-01-01T09:00+01:00 ") == moment
    with pytest.raises(ValueError):
        parse_iso("yesterday")


def test_the_short_forms_are_cut_from_the_written_moment() -> None:
    stamp = "2030-01-01T08:05:09.000Z"
    assert (day(stamp), minute(stamp)) == ("2030-01-01", "2030-01-01 08:05")
    assert [clock_text(s) for s in (45, 125, -3)] == ["0:45", "2:05", "0:00"]
