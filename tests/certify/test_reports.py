"""The report functions are pure: hand-made store rows in, report values out. And the
domain and storage modules never load Textual."""

from __future__ import annotations

import subprocess
import sys

import pytest

from scoring.reports import (
    build_report,
    first_best,
    principle_lines,
    progress,
    scenario_lines,
    wrong_choices,
)
from scoring.store.queries import AttemptRow, ChoiceTally, PrincipleTally, ReportData


def row(i: int, trainee: str, scenario: str, at: str, percent: float | None, passed: bool,
        status: str = "finished", sha: str = "a") -> AttemptRow:
    return AttemptRow(i, f"uid{i}", trainee, scenario, scenario.title(), at, at, status,
                      percent, passed, 60, 4, None, sha, None, 0, True)


ROWS = [
    row(1, "Ann", "lawsuit", "2030-01-01T10:00:00.000Z", 40.0, False),
    row(2, "Bob", "lawsuit", "2030-01-01T11:00:00.000Z", 80.0, True),
    row(3, "Ann", "lawsuit", "2030-01-02T10:00:00.000Z", 90.0, True, sha="b"),
    row(4, "Ann", "vulgar", "2030-01-03T10:00:00.000Z", None, False, status="abandoned"),
    row(5, "Ann", "vulgar", "2030-01-04T10:00:00.000Z", 70.0, True),
]


def test_principles_are_ordered_by_how_often_the_cohort_fails_them() -> None:
    lines = principle_lines([PrincipleTally("stay_calm", 10, 80.0, 1),
                             PrincipleTally("resist_bluffs", 4, 50.0, 3),
                             PrincipleTally("apologize", 10, 40.0, 1)])
    assert [(p.principle, p.fail_rate) for p in lines] == [
        ("resist_bluffs", 75.0), ("apologize", 10.0), ("stay_calm", 10.0)]
    assert lines[0].name == "Resist bluffs"


def test_scenario_lines_count_finished_and_abandoned_and_versions() -> None:
    lines = {s.scenario: s for s in scenario_lines(ROWS)}
    assert (lines["lawsuit"].finished, lines["lawsuit"].passed, lines["lawsuit"].pass_rate,
            lines["lawsuit"].mean, lines["lawsuit"].versions) == (3, 2, 66.7, 70.0, 2)
    assert (lines["vulgar"].finished, lines["vulgar"].abandoned, lines["vulgar"].mean) == (
        1, 1, 70.0)


def test_the_most_common_wrong_choice_per_node_ignores_good_answers() -> None:
    tallies = [ChoiceTally("lawsuit", "threat", "refund", "Here's a refund.", 6, 6),
               ChoiceTally("lawsuit", "threat", "mock", "Go ahead and sue.", 2, 2),
               ChoiceTally("lawsuit", "threat", "calm", "Let me look.", 12, 0),
               ChoiceTally("lawsuit", "open", "hello", "Hello.", 5, 0),
               ChoiceTally("vulgar", "abuse", "b", "B.", 3, 3),
               ChoiceTally("vulgar", "abuse", "a", "A.", 3, 3)]
    result = wrong_choices(tallies)
    assert [(w.node, w.choice, w.count, w.answers, w.share) for w in result] == [
        ("abuse", "a", 3, 6, 50.0), ("threat", "refund", 6, 20, 30.0)]


def test_first_attempt_against_best_and_progress_use_finished_attempts_in_order() -> None:
    fb = {(f.trainee, f.scenario): f for f in first_best(ROWS)}
    assert (fb[("Ann", "lawsuit")].first, fb[("Ann", "lawsuit")].best,
            fb[("Ann", "lawsuit")].attempts) == (40.0, 90.0, 2)
    assert fb[("Ann", "vulgar")].attempts == 1
    ann = progress(ROWS)[0]
    assert (ann.trainee, ann.attempts, ann.passed, ann.first, ann.latest, ann.best,
            ann.change) == ("Ann", 3, 2, 40.0, 70.0, 90.0, 30.0)
    assert [p.at[:10] for p in ann.points] == ["2030-01-01", "2030-01-02", "2030-01-04"]


def test_the_whole_report_from_empty_and_full_data() -> None:
    empty = build_report(ReportData([], [], []))
    assert (empty.attempts, empty.trainees, empty.principles, empty.progress) == (0, 0, (), ())
    full = build_report(ReportData(ROWS, [PrincipleTally("stay_calm", 4, 70.0, 1)], []))
    assert (full.attempts, full.finished, full.abandoned, full.trainees) == (5, 4, 1, 2)


@pytest.mark.parametrize("module", ["scoring.store", "scoring.store.queries", "scoring.record",
                                    "scoring.reports", "scoring.xapi", "scoring.certificate",
                                    "scoring.seal", "scoring.export", "simulator.cli.certify"])
def test_domain_and_storage_modules_do_not_load_textual(module: str) -> None:
    code = (f"import sys, {module}; "
            "sys.exit(1 if any(m == 'textual' or m.startswith('textual.') "
            "for m in sys.modules) else 0)")
    assert subprocess.run([sys.executable, "-c", code], timeout=60).returncode == 0


def test_the_cli_does_not_load_the_store_or_drivers_until_a_command_needs_them() -> None:
    code = ("import sys; from simulator.cli import build_parser; build_parser(); "
            "bad = [m for m in ('scoring.store', 'sqlite3', 'psycopg', 'scoring.record') "
            "if m in sys.modules]; print(bad); sys.exit(1 if bad else 0)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 0, proc.stdout
