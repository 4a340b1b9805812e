"""The trainer screen: opened with F4, it reads the store in a worker and shows the same
report as ``calmline report``, with a plot of the cohort's daily mean; a damaged store is a
message on the screen, not a crash."""

from __future__ import annotations

from pathlib import Path

import pytest

from scoring.reports import build_report, daily_means
from scoring.seal import SealKey
from scoring.store import open_store, queries
from tests.store.helpers import GOOD, POOR, TINY, certify, scenario

SIZE = (100, 40)


async def _open_trainer(url: str, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    from simulator.tui.app import create_app

    monkeypatch.setenv("CALMLINE_DB", url)
    return create_app(animation=False)


async def test_f4_opens_the_trainer_report(tmp_path: Path, seal_key: SealKey,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    from textual.widgets import DataTable, Sparkline

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
                        "trainer-wrong": len(expected.wrong_choices), "trainer-progress": 2}
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
