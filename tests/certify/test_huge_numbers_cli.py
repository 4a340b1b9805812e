"""Huge numbers through every command that reads a scenario: one located error line and
exit 1 from validate, lint, analyze and certify, never an OverflowError or ValueError
traceback, and no certification left in progress in the store."""

from __future__ import annotations

from pathlib import Path

import pytest

from scoring.seal import SealKey
from simulator.cli import main
from tests.store.helpers import TINY

CASES = {
    "score-400-digits": ("scores: {apologize: 2,", "scores: {apologize: " + "9" * 400 + ","),
    "score-20-digits": ("scores: {apologize: 2,", "scores: {apologize: 99999999999999999999,"),
    "max-turns-5000-digits": ("max_turns: 10", "max_turns: " + "9" * 5000),
    "condition-4301-digits": ("when: anger >= 85", "when: anger >= " + "9" * 4301),
    "negative-effect": ("effects: {anger: -20}", "effects: {anger: -99999999999}"),
}


@pytest.mark.parametrize("case", sorted(CASES))
@pytest.mark.parametrize("command", [["validate"], ["lint"], ["analyze"],
                                     ["certify", "--headless", "--trainee", "Ann"]])
def test_a_huge_number_is_one_located_error_in_every_command(
        tmp_path: Path, seal_key: SealKey, capsys: pytest.CaptureFixture[str],
        case: str, command: list[str]) -> None:
    old, new = CASES[case]
    text = TINY.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / f"{case}.yaml"
    path.write_text(text.replace(old, new), encoding="utf-8")
    db = tmp_path / "results.sqlite3"
    extra = ["--db", str(db)] if command[0] == "certify" else []
    capsys.readouterr()
    code = main([*command, *extra, str(path)])
    out, err = capsys.readouterr()
    assert code in (1, 2)
    assert "Traceback" not in out + err and "Error:" not in out + err
    located = [line for line in (out + err).splitlines() if line.startswith(f"{path}:")]
    assert located, out + err
    assert len(located[0]) < 300
    assert not db.exists()  # nothing was started, so nothing is left in progress
