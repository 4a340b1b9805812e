"""Trainee names: direction marks that make a name read as another are refused like every
other control character, in the store, on the command line and at the name prompt."""

from __future__ import annotations

from pathlib import Path

import pytest

from scoring.names import BIDI_CONTROLS, TraineeNameError, trainee_name
from scoring.store import StoreError, clean_trainee
from simulator.cli import main
from tests.store.helpers import TINY

DIRECTION_MARKS = [*(chr(c) for c in range(0x202A, 0x202F)),
                   *(chr(c) for c in range(0x2066, 0x206A)), "\u200e", "\u200f", "\u061c"]


def test_the_refused_marks_are_exactly_the_bidirectional_controls() -> None:
    assert set(DIRECTION_MARKS) == BIDI_CONTROLS and len(BIDI_CONTROLS) == 12


@pytest.mark.parametrize("mark", DIRECTION_MARKS, ids=lambda m: f"U+{ord(m):04X}")
def test_a_bidirectional_control_in_a_trainee_name_is_refused(mark: str) -> None:
    with pytest.raises(TraineeNameError) as info:
        trainee_name(f"Ann{mark}eeL")
    assert f"(U+{ord(mark):04X} " in str(info.value)
    with pytest.raises(StoreError):
        clean_trainee(f"Ann{mark}eeL")


@pytest.mark.parametrize("text", ["Ann\x1b[31m", "Ann\x00", "Ann\x7f", "Ann\x9b1m"])
def test_other_control_characters_are_still_refused(text: str) -> None:
    with pytest.raises(TraineeNameError, match="control character"):
        trainee_name(text)


@pytest.mark.parametrize(("text", "kept"), [
    ("  Ann   Lee ", "Ann Lee"), ("Zoë O'Brien", "Zoë O'Brien"), ("أحمد", "أحمد"),
    ("מרים כהן", "מרים כהן"), ("Ann\u2028Lee", "Ann Lee")])
def test_real_names_in_any_script_are_kept(text: str, kept: str) -> None:
    assert trainee_name(text) == kept


@pytest.mark.parametrize("command", [["certify", "--headless"],
                                     ["play", "--mode", "certification"]])
def test_the_commands_refuse_it_in_one_line_before_anything_starts(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str]) -> None:
    db = tmp_path / "r.sqlite3"
    code = main([*command, "--trainee", "Ann\u202eeeL", "--db", str(db), str(TINY)])
    err = capsys.readouterr().err
    assert code == 2 if command[0] == "certify" else code != 0
    assert err.count("\n") == 1
    assert "U+202E RIGHT-TO-LEFT OVERRIDE" in err
    assert not db.exists()
