"""Exports a hostile trainee or a planted file cannot turn against the trainer: CSV cells
that a spreadsheet would run as formulas are inert, and ``--out`` never replaces a file
unasked nor writes through a symbolic link (export and certificate alike)."""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

import pytest

from scoring.export import cell, to_csv
from scoring.seal import SealKey
from scoring.store import open_store, queries
from simulator.cli import main
from simulator.cli.outfile import OutFileError, write_new
from tests.store.helpers import GOOD, POOR, certify, scenario

HOSTILE_NAMES = ['=HYPERLINK("http://evil.example","click")', "=cmd|' /C calc'!A0",
                 "+1+2", "-2+3", "@SUM(1+1)", "\tTab", "\rCarriage"]


@pytest.mark.parametrize("text", HOSTILE_NAMES)
def test_csv_cells_that_start_a_formula_are_neutralised(text: str) -> None:
    assert cell(text) == "'" + text


@pytest.mark.parametrize("value", ["Ann Lee", "O'Brien", "a=b", " =not at start", 5, -3,
                                   12.5, None])
def test_other_cells_are_written_as_they_are(value: object) -> None:
    assert cell(value) == ("" if value is None else value)


def test_a_csv_export_of_hostile_trainee_names_has_no_live_formula(
        tmp_path: Path, seal_key: SealKey) -> None:
    with open_store(str(tmp_path / "r.sqlite3")) as store:
        for name in HOSTILE_NAMES[:5]:
            certify(store, seal_key, name, [(scenario(), POOR)])
        rows = queries.export_rows(store)
    table = list(csv.reader(io.StringIO(to_csv(rows))))
    header, body = table[0], table[1:]
    trainees = [row[header.index("trainee")] for row in body]
    assert trainees == ["'" + n for n in HOSTILE_NAMES[:5]]
    for row in body:
        for value in row:
            assert not value.startswith(("=", "+", "@", "\t", "\r")), value
            # A minus sign only opens calmline's own numbers (a negative total).
            assert not value.startswith("-") or value.lstrip("-").replace(".", "").isdigit()


@pytest.fixture
def db(tmp_path: Path, seal_key: SealKey) -> str:
    url = str(tmp_path / "results.sqlite3")
    with open_store(url) as store:
        certify(store, seal_key, "Ann", [(scenario(), GOOD)])
    return url


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    capsys.readouterr()
    code = main(list(args))
    return code, capsys.readouterr().err


COMMANDS = [("export", "--format", "csv"), ("certificate", "1")]


@pytest.mark.parametrize("command", COMMANDS, ids=["export", "certificate"])
def test_out_refuses_an_existing_file_unless_forced(
        db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        command: tuple[str, ...]) -> None:
    out = tmp_path / "result.out"
    out.write_text("the trainer's own notes\n")
    code, err = run(capsys, *command, "--out", str(out), "--db", db)
    assert code == 1
    assert err == f"calmline: error: {out} already exists: use --force to replace it\n"
    assert out.read_text() == "the trainer's own notes\n"
    code, err = run(capsys, *command, "--out", str(out), "--force", "--db", db)
    assert code == 0 and out.read_text() != "the trainer's own notes\n"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".result")] == []


@pytest.mark.parametrize("command", COMMANDS, ids=["export", "certificate"])
@pytest.mark.parametrize("force", [False, True], ids=["plain", "forced"])
def test_out_never_writes_through_a_symbolic_link(
        db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        command: tuple[str, ...], force: bool) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me\n")
    dangling = tmp_path / "nowhere.txt"
    for target in (victim, dangling):
        link = tmp_path / f"link-to-{target.name}"
        link.symlink_to(target)
        code, err = run(capsys, *command, "--out", str(link), *(["--force"] if force else []),
                        "--db", db)
        assert code == 1
        assert err == (f"calmline: error: {link} is a symbolic link: not writing through it "
                       "(give the path of a new file)\n")
        assert link.is_symlink()
    assert victim.read_text() == "keep me\n"
    assert not dangling.exists()


def test_out_refuses_a_folder_and_a_missing_folder_in_one_line(
        db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, err = run(capsys, "export", "--out", str(tmp_path), "--force", "--db", db)
    assert code == 1 and err == f"calmline: error: {tmp_path} exists and is not a regular file\n"
    missing = tmp_path / "no" / "such" / "x.json"
    code, err = run(capsys, "export", "--out", str(missing), "--db", db)
    assert code == 1 and err == (f"calmline: error: {missing}: cannot write (No such file or "
                                 "directory)\n")


def test_a_new_file_follows_the_umask_and_a_forced_one_is_replaced_whole(
        tmp_path: Path) -> None:
    old = os.umask(0o077)
    try:
        write_new(str(tmp_path / "a.csv"), "one\n")
        assert (tmp_path / "a.csv").stat().st_mode & 0o777 == 0o600
        inode = (tmp_path / "a.csv").stat().st_ino
        write_new(str(tmp_path / "a.csv"), "two\n", force=True)
    finally:
        os.umask(old)
    assert (tmp_path / "a.csv").read_text() == "two\n"
    assert (tmp_path / "a.csv").stat().st_mode & 0o777 == 0o600
    assert (tmp_path / "a.csv").stat().st_ino != inode  # renamed over, not rewritten in place
    with pytest.raises(OutFileError, match="already exists"):
        write_new(str(tmp_path / "a.csv"), "three\n")
