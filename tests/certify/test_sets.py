"""Approved certification sets pin each scenario's file; verify flags a certification that
played anything else, recomputes every attempt from its signed answers on the pinned file,
and an anchor file shows records cut from the end of the chain."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from scoring import anchor, sets
from scoring.record import CertificationRun
from scoring.signing import load_signing_key
from scoring.store import StoreError, open_store
from scoring.store.queries import certification_of, verify_store
from simulator.cli import main
from simulator.engine.loader import load
from simulator.training import play_certification
from tests.certify.forgery import reseal
from tests.store.helpers import LINE, TINY, scenario, scripted


def look_alike(folder: Path) -> Path:
    """The tiny test scenario saved as line.yaml with the approved call's id and title."""
    text = TINY.read_text().replace("id: tiny", "id: line").replace(
        "title: Tiny test call", f"title: {scenario(LINE).title}")
    path = folder / "line.yaml"
    path.write_text(text)
    return path


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def _approve(store_url: str, name: str = "onboarding-2027", min_mean: float = 0.0):
    key = load_signing_key(create=True)
    with open_store(store_url) as store:
        return sets.add(store, key, name, [(scenario(LINE), LINE.read_bytes()),
                                           (scenario(TINY), TINY.read_bytes())], min_mean)


def _certify(store_url: str, approved: sets.ApprovedSet, plays) -> int:
    key = load_signing_key(create=True)
    with open_store(store_url) as store:
        run_ = CertificationRun(store, key, "Ann", [s for s, _ in plays], approved.min_mean,
                                set_id=approved.id, administered="classroom")
        for sc, choices in plays:
            play_certification(run_, sc, scripted(choices), seed=7)
        run_.close()
        return run_.id


GOOD_LINE = ("calm1", "calm2", "calm3", "fix")


def test_a_set_pins_files_and_rubric_and_is_never_changed(store_url: str, config_dir: Path,
                                                         capsys: pytest.CaptureFixture[str]
                                                         ) -> None:
    approved = _approve(store_url)
    assert [p.scenario_id for p in approved.scenarios] == ["line", "tiny"]
    assert approved.scenarios[0].sha256 == scenario(LINE).sha256
    assert [s.sha256 for s in approved.load()] == [p.sha256 for p in approved.scenarios]
    with pytest.raises(StoreError, match="already exists"):
        _approve(store_url)
    for bad in ("Onboarding", "a b", "", "x" * 70):
        with pytest.raises(StoreError, match="not a set name"):
            _approve(store_url, bad)
    code, out, _ = run(capsys, "sets", "list", "--db", store_url)
    assert code == 0 and "onboarding-2027" in out and approved.scenarios[1].sha256 in out
    code, _, err = run(capsys, "sets", "add", "x", "no-such-scenario", "--db", store_url)
    assert code != 0 and "no-such-scenario" in err and err.count("\n") == 1


def test_a_certification_from_a_set_verifies_and_its_certificate_names_the_set(
        store_url: str, config_dir: Path, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    approved = _approve(store_url)
    loaded = approved.load()
    cert_id = _certify(store_url, approved, [(loaded[0], GOOD_LINE),
                                             (loaded[1], ("sorry", "replace"))])
    with open_store(store_url) as store:
        assert verify_store(store, load_signing_key()).issues == []
        cert = certification_of(store, cert_id)
    assert cert["passed"] and cert["administered"] == "classroom"
    assert cert["set"]["name"] == "onboarding-2027"
    page = tmp_path / "c.html"
    attempt = str(cert["attempts"][0])
    assert run(capsys, "certificate", attempt, "--out", str(page), "--db", store_url)[0] == 0
    text = page.read_text()
    assert "onboarding-2027" in text and "Administered: classroom" in text
    assert run(capsys, "verify", str(page))[0] == 0


def test_a_look_alike_scenario_is_flagged(store_url: str, config_dir: Path, tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    """A copy of a tiny scenario saved under the library's id and title: its hash is not
    the pinned one, whatever its id and title say."""
    approved = _approve(store_url, "one-call")
    forged = load(look_alike(tmp_path))
    assert forged.id == "line" and forged.sha256 != approved.scenarios[0].sha256
    cert_id = _certify(store_url, approved, [(forged, ("sorry", "replace")),
                                             (approved.load()[1], ("sorry", "replace"))])
    code, out, _ = run(capsys, "verify", "--db", store_url)
    assert code == 1
    assert f"unpinned: certification {cert_id}, attempt 1: played line with SHA-256 " \
           f"{forged.sha256[:16]}" in out


def test_a_look_alike_claiming_the_pinned_hash_fails_the_recomputation(
        store_url: str, config_dir: Path, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    """A modified client records the look-alike's answers under the pinned hash: the hash
    check passes, but replaying the signed answers on the pinned file does not give them."""
    approved = _approve(store_url)
    forged = dataclasses.replace(load(look_alike(tmp_path)),
                                 sha256=approved.scenarios[0].sha256)
    cert_id = _certify(store_url, approved, [(forged, ("sorry", "replace")),
                                             (approved.load()[1], ("sorry", "replace"))])
    code, out, _ = run(capsys, "verify", "--db", store_url)
    assert code == 1 and "unpinned" not in out
    assert f"altered: certification {cert_id}, attempt 1: turn 1: at node 'opening', where " \
           "the pinned scenario is at 'q1'" in out


def test_a_result_re_signed_without_its_answers_fails_the_recomputation(
        store_url: str, config_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Even with the signing key, a passed result over failing answers does not verify."""
    approved = _approve(store_url)
    loaded = approved.load()
    _certify(store_url, approved, [(loaded[0], ("snap1", "snap2", "snap3", "shrug")),
                                   (loaded[1], ("sorry", "replace"))])
    with open_store(store_url) as store:
        with store.write() as cur:
            store.execute(cur, "UPDATE attempts SET passed = 1, percent = 100 WHERE id = 1")
        reseal(store, load_signing_key())
    code, out, _ = run(capsys, "verify", "--db", store_url)
    assert code == 1 and "attempt 1: recorded 100.0% (passed), but its answers on the " \
                         "pinned scenario give" in out


def test_a_tampered_set_is_flagged(store_url: str, config_dir: Path,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    approved = _approve(store_url)
    with open_store(store_url) as store, store.write() as cur:
        store.execute(cur, "UPDATE cert_set_scenarios SET sha256 = ? WHERE position = 1",
                      ("0" * 64,))
    code, out, _ = run(capsys, "verify", "--db", store_url)
    assert code == 1 and f"set {approved.name}: does not match its signature" in out


def test_records_cut_from_the_end_show_against_an_anchor(
        store_url: str, config_dir: Path, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    approved = _approve(store_url)
    loaded = approved.load()
    _certify(store_url, approved, [(loaded[0], GOOD_LINE), (loaded[1], ("sorry", "replace"))])
    anchors = tmp_path / "kept-elsewhere" / "anchors.jsonl"
    anchors.parent.mkdir()
    assert run(capsys, "anchor", str(anchors), "--db", store_url)[0] == 0
    assert run(capsys, "verify", "--db", store_url, "--anchor", str(anchors))[0] == 0
    # Cut the newest records (the whole certification) together with the chain head.
    with open_store(store_url) as store, store.write() as cur:
        store.execute(cur, "SELECT MAX(seq) FROM certifications")
        top = int(cur.fetchone()[0])
        for table in ("attempt_principles", "answers"):
            store.execute(cur, f"DELETE FROM {table}")
        store.execute(cur, "DELETE FROM attempts")
        store.execute(cur, "DELETE FROM certifications")
        store.execute(cur, "UPDATE chain SET seq = 0, seal = '' WHERE id = 1")
    code, out, _ = run(capsys, "verify", "--db", store_url)
    assert code == 0, out  # undetectable from inside the store
    code, out, _ = run(capsys, "verify", "--db", store_url, "--anchor", str(anchors))
    assert code == 1 and f"chain records 1-{top} cut from the end" in out
    lines = anchors.read_text().splitlines()
    anchors.write_text(lines[0].replace(f'"seq":{top}', '"seq":1') + "\n")
    code, out, _ = run(capsys, "verify", "--db", store_url, "--anchor", str(anchors))
    assert code == 1 and "not signed by a trusted key" in out


def test_anchor_head_reads_the_chain(store_url: str, config_dir: Path) -> None:
    with open_store(store_url) as store:
        assert anchor.head(store) == (0, "")
