"""Watching a scenario file: one change per save, problems with their places."""

from __future__ import annotations

import os
from pathlib import Path

from simulator.tui.watch import FileWatch
from tests.tui.driving import CALL


def _save(path: Path, text: str, bump: int) -> None:
    path.write_text(text)
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + bump * 1_000_000_000))


def test_changed_is_true_once_per_save(tmp_path: Path) -> None:
    path = tmp_path / "call.yaml"
    path.write_text(CALL.read_text())
    watch = FileWatch(path)
    assert not watch.changed()
    _save(path, CALL.read_text() + "\n", 1)
    assert watch.changed()
    assert not watch.changed()
    path.unlink()
    assert watch.changed()


def test_reload_gives_the_scenario_or_its_problems_with_places(tmp_path: Path) -> None:
    path = tmp_path / "call.yaml"
    path.write_text(CALL.read_text())
    watch = FileWatch(path)
    assert watch.reload().scenario is not None
    _save(path, CALL.read_text().replace("next: sorted", "next: nowhere", 1), 1)
    result = watch.reload()
    assert result.scenario is None
    assert any(str(p).startswith(f"{path}:") and "nowhere" in str(p) for p in result.problems)
    line, col = result.problems[0].line, result.problems[0].col
    assert line > 0 and col > 0
    path.unlink()
    missing = watch.reload()
    assert missing.scenario is None and missing.problems


def test_a_file_created_after_watching_began_counts_as_a_change(tmp_path: Path) -> None:
    path = tmp_path / "later.yaml"
    watch = FileWatch(path)
    assert not watch.changed()
    path.write_text(CALL.read_text())
    assert watch.changed()
    assert watch.reload().scenario is not None
