"""Tamper evidence: ``calmline verify`` flags every altered, deleted, reordered or unsealed
record and exits non-zero; an intact store passes. Both backends."""

from __future__ import annotations

import pytest

from scoring.seal import SealKey
from scoring.store import Store, open_store, queries
from simulator.cli import main
from tests.store.helpers import GOOD, POOR, certify, scenario


def _three(store_url: str, key: SealKey) -> list[int]:
    with open_store(store_url) as store:
        for name, choices in (("Ann", GOOD), ("Bob", POOR), ("Cy", GOOD)):
            certify(store, key, name, [(scenario(), choices)])
        return [r.id for r in queries.attempts(store)]


def _sql(store_url: str, *statements: tuple[str, tuple[object, ...]]) -> None:
    with open_store(store_url) as store, store.write() as cur:
        for sql, params in statements:
            store.execute(cur, sql, params)


def _verify(store_url: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    capsys.readouterr()
    code = main(["verify", "--db", store_url])
    return code, capsys.readouterr().out


def test_an_intact_store_verifies(store_url: str, seal_key: SealKey,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    _three(store_url, seal_key)
    code, out = _verify(store_url, capsys)
    assert code == 0 and "3 sealed attempts, 3 sealed certifications, all intact" in out


def test_an_altered_answer_is_flagged(store_url: str, seal_key: SealKey,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    ids = _three(store_url, seal_key)
    _sql(store_url, ("UPDATE answers SET choice = 'calm2' WHERE attempt_id = ? AND turn = 2",
                     (ids[1],)))
    code, out = _verify(store_url, capsys)
    assert code == 1
    assert f"altered: attempt {ids[1]}: its content does not match its seal" in out
    assert f"attempt {ids[0]}" not in out and f"attempt {ids[2]}:" not in out


def test_an_altered_score_is_flagged(store_url: str, seal_key: SealKey,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    ids = _three(store_url, seal_key)
    _sql(store_url, ("UPDATE attempts SET percent = 100.0, passed = 1 WHERE id = ?",
                     (ids[1],)))
    code, out = _verify(store_url, capsys)
    assert code == 1 and f"altered: attempt {ids[1]}" in out


def test_a_renamed_trainee_is_flagged_on_each_of_their_attempts(
        store_url: str, seal_key: SealKey, capsys: pytest.CaptureFixture[str]) -> None:
    ids = _three(store_url, seal_key)
    _sql(store_url, ("UPDATE trainees SET name = 'Robert' WHERE name = 'Bob'", ()))
    code, out = _verify(store_url, capsys)
    assert code == 1 and f"altered: attempt {ids[1]}" in out


def _delete(store: Store, attempt_id: int) -> None:
    with store.write() as cur:
        for table in ("answers", "attempt_principles"):
            store.execute(cur, f"DELETE FROM {table} WHERE attempt_id = ?", (attempt_id,))
        store.execute(cur, "DELETE FROM attempts WHERE id = ?", (attempt_id,))


def test_a_deleted_record_is_flagged_as_missing(store_url: str, seal_key: SealKey,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    ids = _three(store_url, seal_key)
    with open_store(store_url) as store:
        _delete(store, ids[1])
    code, out = _verify(store_url, capsys)
    assert code == 1
    # Chain: attempt, certification, attempt (deleted), certification 2, ...
    assert "missing: chain record 3 missing (deleted) before certification 2" in out
    assert "altered: certification 2: its content does not match its seal" in out


def test_a_deleted_last_record_is_flagged_as_missing(store_url: str, seal_key: SealKey,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    ids = _three(store_url, seal_key)
    with open_store(store_url) as store:
        _delete(store, ids[2])
    code, out = _verify(store_url, capsys)
    assert code == 1 and "missing: chain record 5 missing (deleted) before certification 3" in out


def test_swapped_records_are_flagged_as_reordered(store_url: str, seal_key: SealKey,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    ids = _three(store_url, seal_key)
    _sql(store_url,
         ("UPDATE attempts SET seq = 100 WHERE id = ?", (ids[0],)),
         ("UPDATE attempts SET seq = 1 WHERE id = ?", (ids[1],)),
         ("UPDATE attempts SET seq = 2 WHERE id = ?", (ids[0],)))
    code, out = _verify(store_url, capsys)
    assert code == 1
    assert f"reordered: attempt {ids[1]}: out of order" in out
    assert f"reordered: attempt {ids[0]}" in out
    assert "altered: attempt" not in out


def test_a_removed_seal_is_flagged(store_url: str, seal_key: SealKey,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    ids = _three(store_url, seal_key)
    _sql(store_url, ("UPDATE attempts SET seal = NULL, seq = NULL WHERE id = ?", (ids[2],)))
    code, out = _verify(store_url, capsys)
    assert code == 1 and f"unsealed: attempt {ids[2]}" in out


def test_every_problem_is_reported_not_only_the_first(store_url: str, seal_key: SealKey,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    ids = _three(store_url, seal_key)
    _sql(store_url, ("UPDATE answers SET say = 'edited' WHERE attempt_id = ?", (ids[0],)))
    with open_store(store_url) as store:
        _delete(store, ids[1])
    code, out = _verify(store_url, capsys)
    assert code == 1 and f"altered: attempt {ids[0]}" in out and "missing: chain record 3" in out
    assert "altered: certification 2" in out and "3 problems" in out


def test_verify_with_another_key_says_so(store_url: str, seal_key: SealKey,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    _three(store_url, seal_key)
    seal_key.path.unlink()
    from scoring.seal import load_key

    load_key(create=True)
    code, out = _verify(store_url, capsys)
    assert code == 1 and "sealed with another key" in out


def test_verify_without_a_key_is_a_one_line_error(store_url: str, seal_key: SealKey,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    _three(store_url, seal_key)
    seal_key.path.unlink()
    assert main(["verify", "--db", store_url]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no signing key" in err and not seal_key.path.exists()


def test_a_certification_marked_passed_by_hand_is_flagged(
        store_url: str, seal_key: SealKey, capsys: pytest.CaptureFixture[str]) -> None:
    _three(store_url, seal_key)
    _sql(store_url, ("UPDATE certifications SET passed = 1, mean = 100.0 WHERE trainee_id = "
                     "(SELECT id FROM trainees WHERE name = 'Bob')", ()))
    code, out = _verify(store_url, capsys)
    assert code == 1
    assert "altered: certification 2: recorded as passed (mean 100.0%), but its sealed " \
           "attempts give not passed" in out


def test_a_certification_with_a_shortened_scenario_list_is_flagged(
        store_url: str, seal_key: SealKey, capsys: pytest.CaptureFixture[str]) -> None:
    _three(store_url, seal_key)
    _sql(store_url, ("UPDATE certifications SET scenarios = '[\"other\"]' WHERE id = 1", ()))
    code, out = _verify(store_url, capsys)
    assert code == 1
    assert "altered: certification 1: its list of scenarios does not match its attempts" in out
