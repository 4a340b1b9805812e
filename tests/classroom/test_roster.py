"""The roster: personal codes (hashed), sessions that expire, revocation, CSV import, the
sign-in throttle and the roster commands."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from scoring.store import StoreError, open_store
from simulator.classroom import roster
from simulator.classroom.throttle import Throttle
from simulator.cli import main


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2030, 1, 1, 9, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


def test_codes_sign_in_until_revoked_and_sessions_expire(store_url: str) -> None:
    clock = Clock()
    with open_store(store_url, clock=clock) as store:
        sam, code = roster.add(store, "  Sam   Ortiz ")
        assert sam.name == "Sam Ortiz" and sam.role == "trainee"
        with store.read() as cur:  # only the hash is kept
            store.execute(cur, "SELECT code_hash FROM roster")
            assert code not in cur.fetchone()[0]
        found = roster.sign_in(store, code.upper().replace("-", " "), timedelta(hours=1))
        assert found is not None
        member, token = found
        assert member.name == "Sam Ortiz" and roster.session_member(store, token) == member
        clock.now += timedelta(minutes=61)
        assert roster.session_member(store, token) is None  # expired
        _, token = roster.sign_in(store, code, timedelta(hours=1)) or (None, "")
        roster.revoke(store, "Sam Ortiz")
        assert roster.session_member(store, token) is None  # revoked: sessions end
        assert roster.sign_in(store, code, timedelta(hours=1)) is None
        _, new_code = roster.add(store, "Sam Ortiz")
        assert new_code != code and roster.sign_in(store, new_code, timedelta(hours=1))
        for bad in ("", "x" * 10_000, "abcd-efgh-jkm0", "../../etc"):
            assert roster.sign_in(store, bad, timedelta(hours=1)) is None
        assert roster.session_member(store, "forged-token") is None


def test_a_name_is_on_the_roster_once(store_url: str) -> None:
    with open_store(store_url) as store:
        roster.add(store, "Ann Lee", "trainer")
        with pytest.raises(StoreError, match="already on the roster"):
            roster.add(store, "Ann Lee")
        with pytest.raises(StoreError, match="unknown role"):
            roster.add(store, "Bo", "admin")
        with pytest.raises(StoreError, match="no code to revoke"):
            roster.revoke(store, "Nobody")


def test_csv_import_names_each_bad_line(tmp_path: Path) -> None:
    good = tmp_path / "cohort.csv"
    good.write_text("name,role\nSam Ortiz,\nAnn Lee,trainer\n\n")
    assert roster.read_csv(good) == [("Sam Ortiz", "trainee"), ("Ann Lee", "trainer")]
    plain = tmp_path / "plain.csv"
    plain.write_text("Sam Ortiz\nBo Diaz\n")
    assert [n for n, _ in roster.read_csv(plain)] == ["Sam Ortiz", "Bo Diaz"]
    for text, message in (("name,role\nSam,boss\n", ":2: unknown role"),
                          ("name\nSam\nSam\n", "listed twice"),
                          ("name\n\x01bad\n", ":2: the trainee name contains a control"),
                          ("", "no names")):
        bad = tmp_path / "bad.csv"
        bad.write_text(text)
        with pytest.raises(StoreError, match=message):
            roster.read_csv(bad)
    binary = tmp_path / "bin.csv"
    binary.write_bytes(b"\xff\xfe\x00")
    with pytest.raises(StoreError, match="not UTF-8"):
        roster.read_csv(binary)


def test_the_throttle_counts_failures_per_client_and_overall() -> None:
    now = [0.0]
    throttle = Throttle(per_client=3, overall=5, window=60, clock=lambda: now[0])
    for _ in range(3):
        assert throttle.wait("a") == 0
        throttle.failed("a")
    assert throttle.wait("a") == pytest.approx(60)
    assert throttle.wait("b") == 0
    throttle.failed("b")
    throttle.failed("c")
    assert throttle.wait("d") > 0  # five failures in the window, from anywhere
    now[0] = 61
    assert throttle.wait("a") == 0 and throttle.wait("d") == 0


def test_roster_commands(tmp_path: Path, config_dir: Path,
                         capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "r.sqlite3")
    assert main(["roster", "add", "Sam Ortiz", "--db", db, "--url", "https://class.example"]) == 0
    out = capsys.readouterr().out
    code = out.split("code ")[1].split()[0]
    assert f"https://class.example/s/{code}" in out
    cohort = tmp_path / "cohort.csv"
    cohort.write_text("name,role\nAnn Lee,trainer\nBo Diaz,trainee\n")
    assert main(["roster", "import", str(cohort), "--db", db]) == 0
    rows = capsys.readouterr().out.splitlines()
    assert rows[0] == "name,role,code,link" and rows[1].startswith("Ann Lee,trainer,")
    assert main(["roster", "import", str(cohort), "--db", db]) == 1
    assert "already on the roster (nobody was added)" in capsys.readouterr().err
    assert main(["roster", "revoke", "Bo Diaz", "--db", db]) == 0
    capsys.readouterr()
    assert main(["roster", "list", "--db", db]) == 0
    listed = capsys.readouterr().out
    assert "Sam Ortiz\ttrainee" in listed and "Bo Diaz" not in listed
    assert main(["roster", "list", "--all", "--db", db]) == 0
    assert "Bo Diaz\ttrainee" in capsys.readouterr().out
    assert main(["roster", "revoke", "Bo Diaz", "--db", db]) == 1
    assert capsys.readouterr().err.count("\n") == 1
