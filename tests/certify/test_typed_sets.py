"""Typed approved sets: ``sets add --typed`` signs and pins ``typed`` (only when set, so the
signatures of earlier sets stay valid), ``sets list`` shows it, and ``verify`` flags a
certification of a typed set whose attempts were answered from the reply list."""

from __future__ import annotations

from pathlib import Path

import pytest

from scoring import sets
from scoring.record import CertificationRun, StoreRecorder
from scoring.recording import AttemptStart, Mode
from scoring.signing import load_signing_key
from scoring.store import Store, open_store
from scoring.store.dialect import dialect_for
from scoring.store.queries import attempt_detail, certification_of, verify_store
from scoring.store.schema import MIGRATIONS
from simulator import library
from simulator.cli import main
from simulator.engine.model import Scenario
from simulator.engine.session import Prompt
from simulator.training import Attempt, play_certification, play_typed_certification
from simulator.training.typed import TypedReplies
from tests.certify.test_typed_records import typist
from tests.training.typed_play import preferred, texts_for

NAME = "typed-2027"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def _files() -> list[tuple[Scenario, bytes]]:
    vulgar = library.resolve("vulgar-caller")
    return [(vulgar, Path(vulgar.path).read_bytes())]


def _approve(store: Store, typed: bool = True, name: str = NAME) -> sets.ApprovedSet:
    return sets.add(store, load_signing_key(create=True), name, _files(), 0, typed=typed)


def _picker(scenario: Scenario):  # type: ignore[no-untyped-def]
    """An answerer picking the best reply from the list at every turn."""

    def answer(prompt: Prompt, seconds: int) -> str:
        return preferred(scenario.nodes[prompt.node])[0].id

    return answer


def _certify(store: Store, approved: sets.ApprovedSet, typed: bool) -> int:
    (scenario,) = approved.load()
    run_ = CertificationRun(store, load_signing_key(), "Ann", [scenario], approved.min_mean,
                            set_id=approved.id, administered="classroom")
    if typed:
        play_typed_certification(run_, scenario, typist(scenario, []), seed=3)
    else:
        play_certification(run_, scenario, _picker(scenario), seed=3)
    run_.close()
    return run_.id


def test_sets_add_typed_signs_it_and_sets_list_shows_it(
        store_url: str, config_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "sets", "add", NAME, "vulgar-caller", "--typed",
                       "--min-mean", "60", "--db", store_url)
    assert code == 0 and "typed (answered in the trainee's own words)" in out
    assert run(capsys, "sets", "add", "plain-2027", "vulgar-caller", "--db", store_url)[0] == 0
    code, out, _ = run(capsys, "sets", "list", "--db", store_url)
    typed_line, plain_line = (line for line in out.splitlines() if not line.startswith(" "))
    assert typed_line.startswith(f"{NAME}:") and "typed" in typed_line
    assert plain_line.startswith("plain-2027:") and "typed" not in plain_line
    with open_store(store_url) as store:
        typed, plain = sets.get(store, NAME), sets.get(store, "plain-2027")
        assert verify_store(store, load_signing_key()).issues == []
    assert typed.typed and typed.content()["typed"] is True
    assert not plain.typed and "typed" not in plain.content()  # signed as before


def test_a_typed_set_certified_in_typed_words_verifies(
        store_url: str, config_dir: Path, capsys: pytest.CaptureFixture[str],
        tmp_path: Path) -> None:
    with open_store(store_url) as store:
        cert_id = _certify(store, _approve(store), typed=True)
        cert = certification_of(store, cert_id)
        attempt = attempt_detail(store, cert["attempts"][0])
        assert verify_store(store, load_signing_key()).issues == []
    assert cert["set"]["typed"] is True and cert["status"] == "finished"
    assert attempt["typed"] is True
    assert all(a["typed"] and a["match"] for a in attempt["answers"])
    assert run(capsys, "verify", "--db", store_url)[0] == 0
    assert cert["passed"]  # the best replies, typed
    page = tmp_path / "c.html"
    assert run(capsys, "certificate", str(attempt["id"]), "--out", str(page), "--db",
               store_url)[0] == 0
    assert "a typed set: every call is answered in the trainee's own words" in page.read_text()


def test_a_typed_set_answered_from_the_list_is_a_downgrade(
        store_url: str, config_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with open_store(store_url) as store:
        typed_cert = _certify(store, _approve(store), typed=False)
        plain_cert = _certify(store, _approve(store, typed=False, name="plain-2027"),
                              typed=False)
        attempt_id = certification_of(store, typed_cert)["attempts"][0]
    code, out, _ = run(capsys, "verify", "--db", store_url)
    assert code == 1
    assert (f"downgraded: certification {typed_cert}, attempt {attempt_id}: answered from the "
            f"reply list, but set {NAME} is typed") in out
    assert f"certification {plain_cert}" not in out  # a list set answered from the list


def test_a_typed_attempt_with_a_reply_picked_from_a_list_is_a_downgrade(
        store_url: str, config_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A modified client marks the attempt typed but answers a turn from the list."""
    with open_store(store_url) as store:
        approved = _approve(store)
        (scenario,) = approved.load()
        run_ = CertificationRun(store, load_signing_key(), "Ann", [scenario], 0,
                                set_id=approved.id, administered="classroom")
        recorders: list[StoreRecorder] = []

        def factory(start: AttemptStart) -> StoreRecorder | None:
            made = run_.recorder_factory(start)
            if made is not None:
                recorders.append(made)
            return made

        attempt = Attempt(scenario, Mode.CERTIFICATION, seed=3, trainee="Ann",
                          recorder_factory=factory, typed=True)
        first = preferred(scenario.nodes[attempt.prompt().node])[0].id
        assert attempt.answer_prompt(attempt.prompt_id, first) is not None  # no words
        typed = TypedReplies(attempt)
        while not attempt.finished:
            node = scenario.nodes[attempt.prompt().node]
            best = preferred(node)[0]
            reading = typed.say(texts_for(scenario, node, best)[0])
            if reading.offered:
                ids = [o.id for o in reading.offered]
                typed.confirm(best.id if best.id in ids else ids[0])
        run_.close()
    code, out, _ = run(capsys, "verify", "--db", store_url)
    assert code == 1
    assert (f"downgraded: certification {run_.id}, attempt {recorders[0].id}: turn 1 answered "
            f"without typed words, but set {NAME} is typed") in out


@pytest.mark.parametrize("typed", [True, False])
def test_turning_a_set_typed_or_not_by_hand_breaks_its_signature(
        store_url: str, config_dir: Path, capsys: pytest.CaptureFixture[str],
        typed: bool) -> None:
    with open_store(store_url) as store:
        approved = _approve(store, typed=typed)
        cert_id = _certify(store, approved, typed=typed)
        with store.write() as cur:
            store.execute(cur, "UPDATE cert_sets SET typed = ?", (int(not typed),))
    code, out, _ = run(capsys, "verify", "--db", store_url)
    assert code == 1
    assert f"set {NAME}: does not match its signature" in out
    assert f"altered: certification {cert_id}" in out  # its seal covers the set's pins


def test_sets_approved_before_typed_sets_keep_their_signatures(
        store_url: str, config_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A set and a certification from it recorded at schema version 6 (without the columns
    version 7 adds) still verify after the upgrade, and the set is not typed."""
    from scoring.store.schema import migrate

    dialect = dialect_for(store_url)
    conn = dialect.connect()
    assert migrate(dialect, conn, MIGRATIONS[:6]) == (0, 6)
    for statement in MIGRATIONS[6]:  # today's code writes them; dropped again below
        conn.cursor().execute(dialect.sql(statement))
    store = Store(dialect, conn)
    try:
        cert_id = _certify(store, _approve(store, typed=False), typed=False)
        for table, column in (("answers", "typed"), ("answers", "typed_match"),
                              ("attempts", "typed"), ("cert_sets", "typed")):
            conn.cursor().execute(f"ALTER TABLE {table} DROP COLUMN {column}")
        conn.commit()
    finally:
        store.close()
    with open_store(store_url) as store:
        assert verify_store(store, load_signing_key()).issues == []
        assert not sets.get(store, NAME).typed
        assert "typed" not in certification_of(store, cert_id)["set"]
    assert run(capsys, "verify", "--db", store_url)[0] == 0
