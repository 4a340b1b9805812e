"""The trainer commands end to end: results, report, transcript, export, certificate and
verify of a certificate, on a store filled by real recordings."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest

from scoring.seal import SealKey
from scoring.signing import load_signing_key
from scoring.store import open_store
from simulator.cli import main
from tests.store.helpers import GOOD, POOR, TINY, certify, scenario


@pytest.fixture(autouse=True)
def _wide(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "110")


@pytest.fixture
def db(tmp_path: Path, seal_key: SealKey) -> str:
    """A store with Ann passing twice (line + tiny, then line), Bob failing then passing."""
    url = str(tmp_path / "results.sqlite3")
    with open_store(url) as store:
        certify(store, seal_key, "Ann", [(scenario(), GOOD), (scenario(TINY), ["sorry",
                                                                            "replace"])])
        certify(store, seal_key, "Bob", [(scenario(), POOR)])
        certify(store, seal_key, "Bob", [(scenario(), ("calm1", "calm2", "snap3", "fix"))])
    return url


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_results_lists_attempts_and_filters_them(db: str,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "results", "--json", "--db", db)
    rows = json.loads(out)
    assert code == 0 and [(r["trainee"], r["scenario"], r["passed"]) for r in rows] == [
        ("Ann", "line", True), ("Ann", "tiny", True), ("Bob", "line", False),
        ("Bob", "line", True)]
    code, out, _ = run(capsys, "results", "--json", "--trainee", "bob", "--db", db)
    assert [r["id"] for r in json.loads(out)] == [3, 4]
    code, out, _ = run(capsys, "results", "--json", "--since", "2999-01-01", "--db", db)
    assert code == 1 and json.loads(out) == []
    code, out, _ = run(capsys, "results", "--db", db)
    assert code == 0 and "calmline results (4 attempts; times in UTC)" in out
    assert "not passed" in out


@pytest.mark.parametrize(("args", "reason"), [
    (["--scenario", "nosuch"], "no attempts of scenario 'nosuch' in "),
    (["--trainee", "Nobody"], "no trainee 'Nobody' in "),
    (["--since", "2999-01-01"], "no attempts match (of 4 in "),
])
@pytest.mark.parametrize("command", ["results", "report", "export"])
def test_a_filter_matching_nothing_is_a_one_line_error_that_says_why(
        db: str, capsys: pytest.CaptureFixture[str], command: str, args: list[str],
        reason: str) -> None:
    code, out, err = run(capsys, command, *args, "--db", db)
    assert code == 1 and out == "" and err.count("\n") == 1 and reason in err


@pytest.mark.parametrize("command", ["results", "report", "export"])
def test_an_empty_store_is_a_one_line_error(tmp_path: Path, seal_key: SealKey,
                                            capsys: pytest.CaptureFixture[str],
                                            command: str) -> None:
    code, out, err = run(capsys, command, "--db", str(tmp_path / "empty.sqlite3"))
    assert code == 1 and out == "" and "no attempts recorded yet in " in err
    assert err.count("\n") == 1


def test_a_bad_since_date_is_a_one_line_error(db: str,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "results", "--since", "last tuesday", "--db", db)
    assert code == 2 and out == ""
    assert err == "calmline: error: --since: 'last tuesday' is not a date (use YYYY-MM-DD or " \
                  "ISO 8601)\n"


def test_report_has_every_section(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "report", "--json", "--db", db)
    report = json.loads(out)
    assert code == 0 and report["attempts"] == 4 and report["trainees"] == 2
    assert report["principles"][0]["fail_rate"] >= report["principles"][-1]["fail_rate"]
    assert {s["scenario"]: s["pass_rate"] for s in report["scenarios"]} == {"line": 66.7,
                                                                           "tiny": 100.0}
    wrong = {(w["node"], w["choice"]) for w in report["wrong_choices"]}
    assert ("q3", "snap3") in wrong and ("q1", "snap1") in wrong
    bob = [fb for fb in report["first_best"] if fb["trainee"] == "Bob"][0]
    assert bob["attempts"] == 2 and bob["first"] < bob["best"]
    assert [p["trainee"] for p in report["progress"]] == ["Ann", "Bob"]
    code, out, _ = run(capsys, "report", "--db", db)
    for title in ("Principles the cohort fails most", "Scenarios", "Most common wrong choice",
                  "First attempt against best attempt", "Progress over time"):
        assert title in out


def test_transcript_replays_an_attempt_and_checks_its_seal(
        db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "transcript", "3", "--db", db)
    assert code == 0
    for text in ("Bob", "Toasters don't burn things by themselves.", "[snap1]", "intact",
                 scenario().sha256[:20], "Missed chances"):
        assert text in out
    with open_store(db) as store, store.write() as cur:
        store.execute(cur, "UPDATE answers SET say = 'I apologise.' WHERE attempt_id = 3")
    code, out, _ = run(capsys, "transcript", "3", "--db", db)
    assert "DOES NOT MATCH" in out
    code, out, err = run(capsys, "transcript", "42", "--db", db)
    assert code == 1 and err.startswith("calmline: error: no attempt 42")


def test_a_transcript_at_80_columns_shows_the_whole_sha256_and_indents_wrapped_lines(
        db: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    code, out, _ = run(capsys, "transcript", "3", "--db", db)
    lines = out.splitlines()
    assert code == 0 and all(len(line) <= 80 for line in lines)
    assert scenario().sha256 in out and "…" not in out
    first = next(i for i, line in enumerate(lines) if line.startswith("1. Customer:"))
    end = next(i for i, line in enumerate(lines) if line.strip() == "Principles")
    start = lines[first].index("Customer:") + len("Customer:")
    for line in lines[first:end]:  # every wrapped line stays right of "N. Customer:"
        assert re.fullmatch(r"(\d+\. Customer:|\s*You:|\s*)", line[:start].rstrip()), line


def test_export_csv_has_one_row_per_attempt_with_principle_columns(
        db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out_file = tmp_path / "results.csv"
    code, _, err = run(capsys, "export", "--format", "csv", "--out", str(out_file), "--db", db)
    assert code == 0 and "wrote 4 attempts" in err
    rows = list(csv.DictReader(io.StringIO(out_file.read_text())))
    assert [r["trainee"] for r in rows] == ["Ann", "Ann", "Bob", "Bob"]
    assert rows[0]["principle:stay_calm"] == "100.0" and len(rows[0]["seal"]) == 64
    assert rows[0]["scenario_sha256"] == scenario().sha256


def test_export_json_holds_answers_and_seals(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "export", "--trainee", "Ann", "--db", db)
    data = json.loads(out)
    assert code == 0 and len(data) == 2
    assert [a["choice"] for a in data[0]["answers"]] == list(GOOD)
    assert data[0]["seal"]["seq"] == 1 and data[1]["seal"]["prev"] == data[0]["seal"]["seal"]


def test_a_certificate_is_written_and_verifies_offline(
        db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cert = tmp_path / "ann.html"
    code, _, err = run(capsys, "certificate", "2", "--out", str(cert), "--db", db)
    assert code == 0, err
    text = cert.read_text()
    for part in ("Ann", "Four questions in a row", "Tiny test call", "Stay calm", "100.0%",
                 "calmline certification 1", "@media print", 'id="calmline-seal"'):
        assert part in text
    code, out, _ = run(capsys, "verify", str(cert))
    assert code == 0 and "genuine: certification 1 of Ann" in out


@pytest.mark.parametrize(("old", "new"), [
    ('<p class="name">Ann</p>', '<p class="name">Anna</p>'),
    ("100.0%", "99.0%"),
    ('\\"trainee\\": \\"Ann\\"', '\\"trainee\\": \\"Anna\\"'),
])
def test_an_edited_certificate_fails_verification(
        db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], old: str, new: str) -> None:
    cert = tmp_path / "ann.html"
    assert run(capsys, "certificate", "1", "--out", str(cert), "--db", db)[0] == 0
    text = cert.read_text()
    if old.startswith("\\"):
        old, new = old.replace("\\", ""), new.replace("\\", "")
    assert old in text
    cert.write_text(text.replace(old, new, 1))
    code, out, _ = run(capsys, "verify", str(cert))
    assert code == 1 and ("altered" in out or "edited" in out)


def test_a_certificate_needs_a_passed_certification_and_the_trainers_key(
        db: str, tmp_path: Path, seal_key: SealKey, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "certificate", "3", "--out", str(tmp_path / "b.html"), "--db", db)
    assert code == 1 and "is not passed" in err and not (tmp_path / "b.html").exists()
    cert = tmp_path / "ann.html"
    assert run(capsys, "certificate", "1", "--out", str(cert), "--db", db)[0] == 0
    signing = seal_key.path.with_name("signing.key")
    signing.unlink()
    load_signing_key(create=True)
    code, out, _ = run(capsys, "verify", str(cert))
    assert code == 1 and "not the public key given" in out


def test_no_certificate_from_an_altered_record(db: str, tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    with open_store(db) as store, store.write() as cur:
        store.execute(cur, "UPDATE attempts SET percent = 99.0 WHERE id = 2")
    code, _, err = run(capsys, "certificate", "1", "--out", str(tmp_path / "a.html"), "--db", db)
    assert code == 1 and "does not match its seal" in err


def test_no_certificate_for_a_certification_marked_passed_by_hand(
        db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with open_store(db) as store, store.write() as cur:
        store.execute(cur, "UPDATE certifications SET passed = 1, mean = 100.0 WHERE id = 2")
    out_file = tmp_path / "forged.html"
    code, _, err = run(capsys, "certificate", "3", "--out", str(out_file), "--db", db)
    assert code == 1 and not out_file.exists()
    assert err.count("\n") == 1 and "certification 2: recorded as passed" in err


def test_no_certificate_while_a_record_is_missing_from_the_chain(
        db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with open_store(db) as store, store.write() as cur:
        for table in ("answers", "attempt_principles"):
            store.execute(cur, f"DELETE FROM {table} WHERE attempt_id = 3")
        store.execute(cur, "DELETE FROM attempts WHERE id = 3")
    out_file = tmp_path / "ann.html"
    code, _, err = run(capsys, "certificate", "1", "--out", str(out_file), "--db", db)
    assert code == 1 and not out_file.exists() and "missing (deleted)" in err


def test_verify_of_something_that_is_not_a_certificate(tmp_path: Path, seal_key: SealKey,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    page = tmp_path / "page.html"
    page.write_text("<html>hello</html>")
    code, out, _ = run(capsys, "verify", str(page))
    assert code == 1 and "not a calmline certificate" in out
    code, _, err = run(capsys, "verify", str(tmp_path / "absent.html"))
    assert code == 1 and err.count("\n") == 1 and "cannot read" in err


@pytest.mark.parametrize("ref", ["99999999999999999999999", "²", "١٢"])
def test_an_attempt_number_too_large_or_not_ascii_is_a_one_line_error(
        db: str, capsys: pytest.CaptureFixture[str], ref: str) -> None:
    code, out, err = run(capsys, "transcript", ref, "--db", db)
    assert code == 1 and out == "" and err.count("\n") == 1 and "Traceback" not in err


def _reseal_data(cert: Path, change: object) -> None:
    """Replace the certificate's embedded seal data (JSON text or an edit of it)."""
    text = cert.read_text()
    found = re.search(r'id="calmline-seal">(.*?)</script>', text, re.DOTALL)
    assert found is not None
    if callable(change):
        data = json.loads(found.group(1))
        change(data)
        raw = json.dumps(data)
    else:
        raw = str(change)
    cert.write_text(text[:found.start(1)] + raw + text[found.end(1):])


@pytest.mark.parametrize("change", [
    "[" * 100_000,
    lambda d: d.update(seal=7),
    lambda d: d.update(seal="é" * 64),
    lambda d: d["content"]["certification"].update(mean=float("nan")),
    lambda d: d.update(content=["not", "a", "mapping"]),
], ids=["deep-nesting", "seal-not-text", "seal-not-ascii", "nan", "content-a-list"])
def test_a_certificate_with_hostile_seal_data_is_reported_not_a_traceback(
        db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], change: object) -> None:
    cert = tmp_path / "ann.html"
    assert run(capsys, "certificate", "1", "--out", str(cert), "--db", db)[0] == 0
    _reseal_data(cert, change)
    code, out, err = run(capsys, "verify", str(cert))
    assert code == 1 and err == "" and out.count("\n") == 1
    assert "damaged" in out or "altered" in out
