"""The trainer screen: opened with F4, it reads the store in a worker and shows the same
report as ``calmline report``, with a plot of the cohort's daily mean; a damaged store is a
message on the screen, not a crash."""

from __future__ import annotations

from pathlib import Path

import pytest

from scoring.reports import build_report, daily_means
from scoring.seal import SealKey
from scoring.store import open_store, queries
from simulator.engine.loader import load
from tests.store.helpers import GOOD, POOR, TINY, certify, scenario

SIZE = (100, 40)


async def _open_trainer(url: str, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    from simulator.tui.app import create_app

    monkeypatch.setenv("CALMLINE_DB", url)
    return create_app(animation=False)


async def test_f4_opens_the_trainer_report(tmp_path: Path, seal_key: SealKey,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    from textual.widgets import DataTable, Sparkline, Static

    from simulator.tui.screens.trainer import TrainerScreen

    url = str(tmp_path / "r.sqlite3")
    with open_store(url) as store:
        certify(store, seal_key, "Ann", [(scenario(), GOOD), (scenario(TINY), ["sorry",
                                                                            "replace"])])
        certify(store, seal_key, "Bob", [(scenario(), POOR)])
        expected = build_report(queries.report_data(store))
    app = await _open_trainer(url, monkeypatch)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f4")
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, TrainerScreen) and screen.report == expected
        rows = {t.id: t.row_count for t in screen.query(DataTable)}
        assert rows == {"trainer-principles": 3, "trainer-scenarios": 2,
                        "trainer-wrong": len(expected.wrong_choices), "trainer-items": 0,
                        "trainer-progress": 2}
        heading = str(screen.query_one("#trainer-items-title", Static).render())
        assert heading.startswith("Decision points to review: 0 flags (0 of 6 points reached "
                                  "by 30+ trainees")
        plot = screen.query_one(Sparkline)
        assert list(plot.data or []) == [m for _, m in daily_means(expected)]
        await pilot.press("escape")
        assert not isinstance(app.screen, TrainerScreen)


async def test_a_damaged_store_is_reported_on_the_screen(tmp_path: Path, seal_key: SealKey,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    from textual.widgets import Static

    from simulator.tui.screens.trainer import TrainerScreen

    url = tmp_path / "r.sqlite3"
    url.write_bytes(b"not a database" * 100)
    app = await _open_trainer(str(url), monkeypatch)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f4")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, TrainerScreen)
        summary = str(app.screen.query_one("#trainer-summary", Static).render())
        assert summary.startswith("Cannot read the results:") and "left untouched" in summary
    assert url.read_bytes() == b"not a database" * 100


def test_daily_means_average_each_day() -> None:
    from tests.certify.test_reports import ROWS

    report = build_report(queries.ReportData(ROWS, [], []))
    assert daily_means(report) == (("2030-01-01", 60.0), ("2030-01-02", 90.0),
                                   ("2030-01-04", 70.0))


async def test_the_trainer_report_lists_the_flagged_decision_points(
        tmp_path: Path, seal_key: SealKey, monkeypatch: pytest.MonkeyPatch) -> None:
    from textual.widgets import DataTable

    from simulator.tui.screens.trainer import TrainerScreen
    from tests.certify.test_items import ITEMS, cohort

    url = str(tmp_path / "r.sqlite3")
    with open_store(url) as store:
        cohort(store, seal_key, load(ITEMS), 40)
    app = await _open_trainer(url, monkeypatch)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f4")
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, TrainerScreen) and screen.items is not None
        table = screen.query_one("#trainer-items", DataTable)
        rows = [tuple(str(c) for c in table.get_row_at(i)) for i in range(table.row_count)]
        assert ("items", "p3", "dead3") in {r[:3] for r in rows}
        assert any(r[:3] == ("items", "p4", "trap4") and "check the key" in r[3]
                   for r in rows)
