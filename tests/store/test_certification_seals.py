"""Certification rows are sealed in the attempts' chain when they close: a shortened list
of scenarios, a flipped verdict, a deleted or reordered certification is flagged by
``calmline verify`` and refused by ``calmline certificate``; a store from schema version 2
migrates, its certifications reported as unsealed legacy rows, not as tampered. Both
backends."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scoring.record import CertificationRun
from scoring.seal import SealKey
from scoring.store import SCHEMA_VERSION, Store, certification_verdict, open_store, queries
from scoring.store.dialect import dialect_for
from scoring.store.schema import MIGRATIONS, migrate
from simulator.cli import main
from simulator.training import play_certification
from tests.store.helpers import GOOD, POOR, TINY, certify, scenario, scripted

TINY_REPLIES = ("sorry", "replace")


def _sql(store_url: str, *statements: tuple[str, tuple[object, ...]]) -> None:
    with open_store(store_url) as store, store.write() as cur:
        for sql, params in statements:
            store.execute(cur, sql, params)


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def _half_played(store: Store, key: SealKey, close: bool) -> tuple[int, int, float]:
    """A certification on two scenarios of which only the first was played (passed):
    (certification id, attempt id, its percent); closed (abandoned) when ``close``."""
    run = CertificationRun(store, key, "Dee", [scenario(), scenario(TINY)])
    rec = play_certification(run, scenario(), scripted(GOOD), seed=7)
    if close:
        assert run.close().status == "abandoned"
    assert rec.scorecard is not None
    return run.id, rec.id, float(rec.scorecard.percent)


def _shorten(store_url: str, cert_id: int, mean: float) -> None:
    """The forgery: drop the scenario never started and mark the rest passed, with a mean
    and verdict that agree with the sealed attempt (so only a seal can tell)."""
    line = scenario().id
    _sql(store_url, ("UPDATE certifications SET scenarios = ?, status = 'finished', "
                     "passed = 1, mean = ? WHERE id = ?", (json.dumps([line]), mean, cert_id)))


def test_closed_certifications_are_sealed_in_the_chain(store_url: str, seal_key: SealKey,
                                                       capsys: pytest.CaptureFixture[str]
                                                       ) -> None:
    with open_store(store_url) as store:
        out = certify(store, seal_key, "Ann", [(scenario(), GOOD), (scenario(TINY),
                                                                  TINY_REPLIES)])
        cert = queries.certification_of(store, out.certification)
        records, *_ = queries.chain(store)
    assert [r.kind for r in records] == ["attempt", "attempt", "certification"]
    content = records[-1].content
    assert content["scenarios"] == [scenario().id, scenario(TINY).id]
    assert [a["sha256"] for a in content["attempts"]] == [scenario().sha256,
                                                          scenario(TINY).sha256]
    assert content["counted"] == list(out.attempts) and content["passed"] == 1
    assert cert["seal"] == records[-1].seal
    code, text, _ = _run(capsys, "verify", "--db", store_url)
    assert code == 0 and "2 sealed attempts, 1 sealed certification, all intact" in text


def test_a_shortened_scenario_list_of_a_closed_certification_is_flagged(
        store_url: str, seal_key: SealKey, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    with open_store(store_url) as store:
        cert_id, attempt_id, percent = _half_played(store, seal_key, close=True)
    _shorten(store_url, cert_id, percent)
    code, out, _ = _run(capsys, "verify", "--db", store_url)
    assert code == 1
    assert f"altered: certification {cert_id}: its content does not match its seal" in out
    assert "recorded as" not in out  # the verdict agrees with the attempts: only the seal sees it
    page = tmp_path / "forged.html"
    code, _, err = _run(capsys, "certificate", str(attempt_id), "--out", str(page),
                        "--db", store_url)
    assert code == 1 and not page.exists() and err.count("\n") == 1
    assert f"certification {cert_id}: its content does not match its seal" in err


def test_a_certification_closed_by_hand_without_a_seal_is_flagged(
        store_url: str, seal_key: SealKey, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    with open_store(store_url) as store:
        cert_id, attempt_id, percent = _half_played(store, seal_key, close=False)
    _shorten(store_url, cert_id, percent)
    code, out, _ = _run(capsys, "verify", "--db", store_url)
    assert code == 1 and f"unsealed: certification {cert_id}: closed but carries no seal" in out
    page = tmp_path / "forged.html"
    code, _, err = _run(capsys, "certificate", str(attempt_id), "--out", str(page),
                        "--db", store_url)
    assert code == 1 and not page.exists() and "carries no seal" in err


@pytest.mark.parametrize(("trainee", "passed"), [("Bob", 1), ("Ann", 0)])
def test_a_flipped_verdict_is_flagged(store_url: str, seal_key: SealKey,
                                      capsys: pytest.CaptureFixture[str], trainee: str,
                                      passed: int) -> None:
    with open_store(store_url) as store:
        certify(store, seal_key, "Ann", [(scenario(), GOOD)])
        certify(store, seal_key, "Bob", [(scenario(), POOR)])
    cert_id = 1 if trainee == "Ann" else 2
    _sql(store_url, ("UPDATE certifications SET passed = ? WHERE id = ?", (passed, cert_id)))
    code, out, _ = _run(capsys, "verify", "--db", store_url)
    assert code == 1
    assert f"altered: certification {cert_id}: its content does not match its seal" in out
    other = 2 if cert_id == 1 else 1
    assert f"certification {other}:" not in out


def test_a_deleted_certification_is_flagged_as_missing(store_url: str, seal_key: SealKey,
                                                       capsys: pytest.CaptureFixture[str]
                                                       ) -> None:
    with open_store(store_url) as store:
        certify(store, seal_key, "Ann", [(scenario(), GOOD)])
        empty = CertificationRun(store, seal_key, "Bob", [scenario()])
        assert empty.close().status == "abandoned"  # sealed at chain position 3
        certify(store, seal_key, "Cy", [(scenario(), GOOD)])
        last = CertificationRun(store, seal_key, "Dee", [scenario()])
        last.close()  # chain position 6, the head
    _sql(store_url, ("DELETE FROM certifications WHERE id = ?", (empty.id,)))
    code, out, _ = _run(capsys, "verify", "--db", store_url)
    assert code == 1 and "missing: chain record 3 missing (deleted) before attempt" in out
    _sql(store_url, ("DELETE FROM certifications WHERE id = ?", (last.id,)))
    code, out, _ = _run(capsys, "verify", "--db", store_url)
    assert code == 1 and "missing: chain record 6 missing (deleted) at the end" in out


def test_reordered_certifications_are_flagged(store_url: str, seal_key: SealKey,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    with open_store(store_url) as store:
        for name in ("Ann", "Bob"):
            certify(store, seal_key, name, [(scenario(), GOOD)])
    # Chain: attempt 1, certification 1, attempt 2, certification 2: swap the two rows.
    _sql(store_url,
         ("UPDATE certifications SET seq = 100 WHERE id = 1", ()),
         ("UPDATE certifications SET seq = 2 WHERE id = 2", ()),
         ("UPDATE certifications SET seq = 4 WHERE id = 1", ()))
    code, out, _ = _run(capsys, "verify", "--db", store_url)
    assert code == 1 and "reordered: certification 2: out of order" in out
    assert "altered: certification" not in out


def _old_store(store_url: str, key: SealKey) -> tuple[int, int, int]:
    """A store at schema version 2 as the previous calmline wrote it: certification 1
    finished and passed (unsealed, as certifications then were), certification 2 still
    in progress. Return (certification 1, its attempt, certification 2)."""
    dialect = dialect_for(store_url)
    conn = dialect.connect()
    assert migrate(dialect, conn, MIGRATIONS[:2]) == (0, 2)
    # Today's recorder writes each answer's narration (version 5) and typed text (version 7's
    # first three statements; the fourth is about approved sets, which version 2 has not):
    # those columns are there while the old store is filled, and gone again before the
    # upgrade, as in a real version 2.
    for statement in (*MIGRATIONS[4], *MIGRATIONS[6][:3]):
        conn.cursor().execute(dialect.sql(statement))
    store = Store(dialect, conn)
    try:
        run = CertificationRun(store, key, "Ann", [scenario()])
        rec = play_certification(run, scenario(), scripted(GOOD), seed=7)
        with store.write() as cur:  # how version 2 closed a certification
            passed, mean = certification_verdict(store.counted_attempts(cur, run.id), 1, 0.0)
            store.execute(cur, "UPDATE certifications SET status = 'finished', finished_at = ?,"
                               " passed = ?, mean = ? WHERE id = ?",
                          (store.now(), int(passed), mean, run.id))
        assert passed
        pending = CertificationRun(store, key, "Bob", [scenario()])
        for table, column in (("answers", "narration"), ("answers", "typed"),
                              ("answers", "typed_match"), ("attempts", "typed")):
            conn.cursor().execute(f"ALTER TABLE {table} DROP COLUMN {column}")
    finally:
        store.close()
    return run.id, rec.id, pending.id


def test_a_store_of_the_previous_version_migrates_with_legacy_certifications(
        store_url: str, seal_key: SealKey, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    assert SCHEMA_VERSION >= 3  # the legacy list came with version 3
    legacy, attempt_id, pending = _old_store(store_url, seal_key)
    with open_store(store_url) as store:
        cur = store.conn.cursor()
        cur.execute("SELECT MAX(version) FROM schema_version")
        assert cur.fetchone()[0] == SCHEMA_VERSION
        assert queries.certification_of(store, legacy)["passed"] is True
        assert queries.unsealed_certifications(store) == ([], [legacy])
        # The certification in progress at the upgrade is sealed when it closes.
        assert store.abandon_certification(pending, seal_key)
    code, out, _ = _run(capsys, "verify", "--db", store_url)
    assert code == 0, out
    assert f"unsealed (closed before certification seals): certification {legacy}" in out
    assert "1 sealed attempt, 1 sealed certification, all intact; 1 certification closed " \
           "before certification seals, unsealed" in out
    page = tmp_path / "legacy.html"
    code, _, err = _run(capsys, "certificate", str(attempt_id), "--out", str(page),
                        "--db", store_url)
    assert code == 1 and not page.exists() and "closed before certifications were sealed" in err
    # A legacy row's verdict is still checked against its sealed attempts...
    _sql(store_url, ("UPDATE certifications SET mean = 12.0 WHERE id = ?", (legacy,)))
    code, out, _ = _run(capsys, "verify", "--db", store_url)
    assert code == 1 and f"altered: certification {legacy}: recorded as passed (mean 12.0%)" in out
    _sql(store_url, ("UPDATE certifications SET mean = 100.0 WHERE id = ?", (legacy,)))
    assert _run(capsys, "verify", "--db", store_url)[0] == 0


def test_a_forged_certification_cannot_pass_as_a_legacy_row(
        store_url: str, seal_key: SealKey, capsys: pytest.CaptureFixture[str]) -> None:
    _legacy, _attempt, _pending = _old_store(store_url, seal_key)
    with open_store(store_url) as store:
        cert_id, _aid, percent = _half_played(store, seal_key, close=False)
        sealed = certify(store, seal_key, "Eve", [(scenario(), GOOD)]).certification
    _shorten(store_url, cert_id, percent)
    _sql(store_url, ("INSERT INTO legacy_certifications (certification_id) VALUES (?)",
                     (cert_id,)))
    code, out, _ = _run(capsys, "verify", "--db", store_url)
    # Every certification sealed since the upgrade covers the list of legacy rows.
    assert code == 1
    assert f"altered: certification {sealed}: its content does not match its seal" in out
