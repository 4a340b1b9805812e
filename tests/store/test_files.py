"""Where the store and the seal key live, how SQLite is tuned, and how broken files, foreign
databases and unreachable servers are reported: one line, nothing destroyed."""

from __future__ import annotations

import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from scoring.seal import SealError, load_key
from scoring.store import StoreError, default_path, dialect_for, open_store
from simulator.cli import main

CLI = "import sys; from simulator.cli import main; sys.exit(main(sys.argv[1:]))"
GARBAGE = b"This is not a database, but it holds someone's notes.\n" * 200


def test_sqlite_runs_in_wal_mode_with_full_sync_and_a_busy_timeout(tmp_path: Path) -> None:
    with open_store(str(tmp_path / "r.sqlite3")) as store:
        assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert store.conn.execute("PRAGMA synchronous").fetchone()[0] == 2
        assert store.conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000


def test_the_default_store_is_in_the_user_data_folder_and_calmline_db_overrides_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CALMLINE_DB", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert default_path() == tmp_path / "data" / "calmline" / "results.sqlite3"
    assert dialect_for(None).describe() == str(default_path())
    monkeypatch.setenv("CALMLINE_DB", str(tmp_path / "elsewhere.db"))
    assert dialect_for(None).describe() == str(tmp_path / "elsewhere.db")
    assert dialect_for(f"sqlite:///{tmp_path}/u.db").describe() == f"{tmp_path}/u.db"
    assert dialect_for("postgresql://u:secret@db.example:5433/calm").describe() == \
        "postgresql://u@db.example:5433/calm"


def test_a_file_that_is_not_a_database_is_refused_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "results.sqlite3"
    path.write_bytes(GARBAGE)
    with pytest.raises(StoreError, match="not a usable results store.*left untouched"):
        open_store(str(path))
    assert path.read_bytes() == GARBAGE
    assert sorted(p.name for p in tmp_path.iterdir()) == ["results.sqlite3"]


def test_a_database_of_another_program_is_refused_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE invoices (id INTEGER, total REAL)")
    conn.execute("INSERT INTO invoices VALUES (1, 9.5)")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(StoreError, match="not a calmline results store.*invoices"):
        open_store(str(path))
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT name FROM sqlite_master").fetchall() == [("invoices",)]
    conn.close()
    assert path.read_bytes() == before


def test_a_damaged_store_is_a_one_line_error_in_every_command(tmp_path: Path,
                                                              config_dir: Path) -> None:
    path = tmp_path / "results.sqlite3"
    path.write_bytes(GARBAGE)
    for args in (["results"], ["report"], ["verify"], ["transcript", "1"],
                 ["export", "--format", "csv"]):
        proc = subprocess.run([sys.executable, "-c", CLI, *args, "--db", str(path)],
                              capture_output=True, text=True, timeout=60)
        assert proc.returncode == 1, (args, proc.stderr)
        assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr, proc.stderr
        assert proc.stdout == ""
    assert path.read_bytes() == GARBAGE


def test_a_folder_unsupported_url_or_unreachable_server_is_one_line(
        tmp_path: Path, config_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for db, message in ((str(tmp_path), "is a directory"),
                        ("mysql://x/y", "unsupported store URL mysql://"),
                        ("postgresql://nobody@127.0.0.1:1/none", "cannot connect")):
        assert main(["results", "--db", db]) == 1
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and message in err, err


def test_the_seal_key_is_created_once_with_owner_only_permissions(config_dir: Path) -> None:
    key = load_key(create=True)
    assert key.path == config_dir / "seal.key"
    assert stat.S_IMODE(key.path.stat().st_mode) == 0o600
    assert load_key(create=False) == key
    assert len(key.id) == 16 and key.id not in key.path.read_text()


def test_a_key_readable_by_others_or_malformed_is_refused(config_dir: Path) -> None:
    key = load_key(create=True)
    key.path.chmod(0o644)
    with pytest.raises(SealError, match="readable by others"):
        load_key()
    key.path.chmod(0o600)
    key.path.write_text("not hex\n")
    with pytest.raises(SealError, match="not a calmline seal key"):
        load_key()


def test_processes_creating_the_key_at_once_agree_on_one(config_dir: Path) -> None:
    code = "from scoring.seal import load_key; print(load_key().id)"
    procs = [subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
             for _ in range(6)]
    ids = {p.communicate(timeout=60)[0].strip() for p in procs}
    assert len(ids) == 1 and ids == {load_key(create=False).id}
    assert [p.name for p in config_dir.iterdir()] == ["seal.key"]
