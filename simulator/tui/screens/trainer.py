"""TrainerScreen: the cohort report in the terminal UI, with a plot of scores over time.

The results store is read in a worker thread and imported only when the screen opens, so
neither the database layer nor the query delay the UI. The figures come from the same pure
functions as ``calmline report``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Sparkline, Static

from simulator.tui.widgets.key_bar import KeyBar

if TYPE_CHECKING:
    from scoring.items import ItemReport
    from scoring.reports import Report


def load_report(db: str | None) -> tuple[Report, ItemReport]:
    """Open the store (``db``, else ``$CALMLINE_DB`` or the default) and build the cohort
    report and the item analysis (keys from the library's scenario files and the files the
    attempts were played from)."""
    from scoring.items import build_items
    from scoring.reports import build_report
    from scoring.store import open_store, queries
    from scoring.store.item_tallies import item_data
    from simulator.library import catalogue

    with open_store(db) as store:
        report = build_report(queries.report_data(store))
        data = item_data(store)
    return report, build_items(data, catalogue().scenarios.values())


class TrainerScreen(Screen[None]):
    """Who is weak on which principle, per scenario, per node and over time."""

    BINDINGS = [
        Binding("escape,q", "app.pop_screen", "Back", key_display="esc"),
        Binding("r", "reload", "Reload", tooltip="Read the results store again"),
    ]

    def __init__(self, db: str | None = None) -> None:
        super().__init__()
        self.db = db
        self.report: Report | None = None
        self.items: ItemReport | None = None

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static("Reading the results store…", id="trainer-summary")
            yield Static("Cohort mean score per day", classes="trainer-title",
                         id="trainer-plot-title")
            yield Sparkline([], id="trainer-plot")
            for table_id, title in (("principles", "Principles the cohort fails most"),
                                    ("scenarios", "Scenarios"),
                                    ("wrong", "Most common wrong choice at each node"),
                                    ("items", "Decision points to review"),
                                    ("progress", "Progress over time")):
                yield Static(title, classes="trainer-title", id=f"trainer-{table_id}-title")
                yield DataTable(id=f"trainer-{table_id}", zebra_stripes=True,
                                cursor_type="row")
        yield KeyBar()

    def on_mount(self) -> None:
        self.action_reload()

    def action_reload(self) -> None:
        """Read the store again in a worker thread."""
        self.run_worker(self._load, thread=True, exclusive=True, group="trainer")

    def _load(self) -> None:
        from scoring.store import StoreError

        try:
            report, items = load_report(self.db)
        except StoreError as exc:
            self.app.call_from_thread(self._failed, str(exc))
            return
        self.app.call_from_thread(self.show, report, items)

    def _failed(self, message: str) -> None:
        self.query_one("#trainer-summary", Static).update(f"Cannot read the results: {message}")

    def show(self, report: Report, items: ItemReport | None = None) -> None:
        """Fill the screen from a report (and the item analysis, when given)."""
        from scoring.reports import daily_means

        self.report = report
        self.query_one("#trainer-summary", Static).update(
            f"{report.attempts} attempts ({report.finished} finished, {report.abandoned} "
            f"abandoned) by {report.trainees} trainees")
        means = daily_means(report)
        plot = self.query_one("#trainer-plot", Sparkline)
        plot.data = [m for _, m in means]
        # The plot is scaled between its lowest and highest day, and one day (or none)
        # draws as a full bar: the figures go in the title, the plot only from two days.
        plot.display = len(means) > 1
        title = self.query_one("#trainer-plot-title", Static)
        title.update(plot_title(means))
        title.set_class(not plot.display, "-alone")
        self._fill("principles", ("Principle", "Attempts", "Below pass", "Mean"),
                   [(p.name, p.attempts, f"{p.fail_rate:.1f}%", f"{p.mean:.1f}%")
                    for p in report.principles])
        self._fill("scenarios", ("Scenario", "Finished", "Abandoned", "Pass rate", "Mean"),
                   [(s.scenario, s.finished, s.abandoned, f"{s.pass_rate:.1f}%",
                     f"{s.mean:.1f}%") for s in report.scenarios])
        self._fill("wrong", ("Scenario", "Node", "Choice", "Chosen", "Share"),
                   [(w.scenario, w.node, w.choice, f"{w.count}/{w.answers}",
                     f"{w.share:.1f}%") for w in report.wrong_choices])
        if items is not None:
            self.show_items(items)
        self._fill("progress", ("Trainee", "Attempts", "First", "Latest", "Best"),
                   [(p.trainee, p.attempts, f"{p.first:.1f}%", f"{p.latest:.1f}%",
                     f"{p.best:.1f}%") for p in report.progress])

    def show_items(self, items: ItemReport) -> None:
        """The item analysis's flags, one row each, under a heading with its coverage."""
        from scoring.items import MIN_TRAINEES

        self.items = items
        points = [i for s in items.scenarios for i in s.items]
        enough = sum(1 for i in points if i.enough)
        flags = items.flags()
        self.query_one("#trainer-items-title", Static).update(
            f"Decision points to review: {len(flags)} flag{'s' if len(flags) != 1 else ''} "
            f"({enough} of {len(points)} points reached by {MIN_TRAINEES}+ trainees; "
            "calmline items for the figures)")
        self._fill("items", ("Scenario", "Point", "Reply", "Why"),
                   [(scenario, node, flag.choice, flag.message.split(": ", 1)[-1])
                    for scenario, node, flag in flags])

    def _fill(self, table_id: str, columns: tuple[str, ...],
              rows: list[tuple[object, ...]]) -> None:
        table = self.query_one(f"#trainer-{table_id}", DataTable)
        table.clear(columns=True)
        table.add_columns(*columns)
        table.add_rows([tuple(str(c) for c in row) for row in rows])


def plot_title(means: Sequence[tuple[str, float]]) -> str:
    """The heading of the plot of daily means, with the figures the plot cannot show."""
    title = "Cohort mean score per day"
    if not means:
        return f"{title}: no finished attempts yet"
    if len(means) == 1:
        day, mean = means[0]
        return f"{title}: {mean:.1f}% on {day} (one day so far)"
    values = [m for _, m in means]
    return (f"{title}: {len(means)} days, lowest {min(values):.1f}%, highest "
            f"{max(values):.1f}%, latest {values[-1]:.1f}% ({means[-1][0]})")
