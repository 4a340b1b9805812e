"""Typed certification records: the words typed are kept with each answer (cleaned, capped),
sealed and verified, shown by ``transcript``, exported as xAPI ``result.response`` and named on
the certificate; an unrecognised reply is recorded and scored as silence; ``certify --typed``
works headless from start to finish."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from scoring.record import CertificationRun
from scoring.seal import SealKey
from scoring.store import open_store, queries
from scoring.store.dialect import dialect_for
from simulator import library
from simulator.cli import main
from simulator.engine.matching import MAX_TYPED_CHARS
from simulator.engine.model import Scenario
from simulator.engine.session import Option, Prompt
from simulator.training import play_typed_certification, reply_seconds
from tests.store.helpers import ROOT
from tests.training.typed_play import preferred, texts_for

CLI = "import sys; from simulator.cli import main; sys.exit(main(sys.argv[1:]))"
NONSENSE = "banana helicopter"


def typist(scenario: Scenario, first: list[str]) -> Any:
    """An answerer typing ``first`` in order, then the best reply at each node in a
    trainee's own words; at "did you mean" it picks the best reply when offered."""
    queue = list(first)

    def answer(prompt: Prompt, seconds: int, offered: tuple[Option, ...]) -> str | None:
        node = scenario.nodes[prompt.node]
        best = preferred(node)[0]
        if offered:
            ids = [o.id for o in offered]
            return best.id if best.id in ids else ids[0]
        if queue:
            return queue.pop(0)
        return texts_for(scenario, node, best)[0]

    return answer


def _record(store_url: str, key: SealKey, first: list[str]) -> int:
    scenario = library.resolve("vulgar-caller")
    with open_store(store_url) as store:
        run = CertificationRun(store, key, "Ann", [scenario])
        rec = play_typed_certification(run, scenario, typist(scenario, first), seed=3)
        run.close()
    return rec.id


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    capsys.readouterr()
    code = main(list(argv))
    return code, capsys.readouterr().out


def test_typed_answers_are_recorded_sealed_and_shown(
        store_url: str, seal_key: SealKey, capsys: pytest.CaptureFixture[str],
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    hostile = "\x1b]0;owned\x07" + "x" * 5000 + "\u202e"
    attempt_id = _record(store_url, seal_key, [NONSENSE, "sorry", hostile])
    with open_store(store_url) as store:
        a = queries.attempt_detail(store, attempt_id)
    assert a["typed"] is True and a["status"] == "finished"
    first, second, third = a["answers"][:3]
    assert (first["typed"], first["match"], first["say"]) == (NONSENSE, "unmatched", "")
    assert not first["timed_out"] and first["total"] <= 0
    assert (second["typed"], second["match"]) == ("sorry", "prompted")
    assert third["match"] == "unmatched" and len(third["typed"]) == MAX_TYPED_CHARS
    assert "\x1b" not in third["typed"] and "\x07" not in third["typed"]
    assert "\u202e" not in third["typed"]
    assert all(ans["match"] == "understood" for ans in a["answers"][3:])

    code, out = run_cli(capsys, "verify", "--db", store_url)
    assert code == 0, out
    code, out = run_cli(capsys, "transcript", str(attempt_id), "--db", store_url)
    assert code == 0
    assert "typed replies" in out and f"You typed: {NONSENSE}" in " ".join(out.split())
    assert "NOT RECOGNISED" in out and "DID YOU MEAN" in out
    assert "Taken as: (not recognised: scored as silence)" in " ".join(out.split())

    code, out = run_cli(capsys, "export", "--format", "xapi", "--db", store_url)
    assert code == 0
    answered = [s for s in json.loads(out) if s["verb"]["id"].endswith("/answered")]
    assert [s["result"]["response"] for s in answered[:2]] == [NONSENSE, "sorry"]
    ext = answered[1]["result"]["extensions"]
    assert ext["https://calmline.dev/xapi/ext/typed-match"] == "prompted"
    assert ext["https://calmline.dev/xapi/ext/reply"] == second["choice"]


def _sql(store_url: str, statement: str, params: tuple[object, ...] = ()) -> None:
    dialect = dialect_for(store_url)
    conn = dialect.connect()
    try:
        conn.cursor().execute(dialect.sql(statement), params)
        conn.commit()
    finally:
        conn.close()


@pytest.mark.parametrize("forgery", [
    ("UPDATE answers SET typed = 'I am so sorry, let me fix this' WHERE turn = 1", ()),
    ("UPDATE answers SET typed_match = 'understood' WHERE turn = 2", ()),
    ("UPDATE attempts SET typed = 0", ()),
])
def test_an_edited_typed_answer_breaks_the_seal(
        store_url: str, seal_key: SealKey, capsys: pytest.CaptureFixture[str],
        forgery: tuple[str, tuple[object, ...]]) -> None:
    attempt_id = _record(store_url, seal_key, [NONSENSE, "sorry"])
    assert run_cli(capsys, "verify", "--db", store_url)[0] == 0
    _sql(store_url, *forgery)
    code, out = run_cli(capsys, "verify", "--db", store_url)
    assert code == 1 and f"altered: attempt {attempt_id}" in out


def test_a_typed_certificate_says_the_replies_were_typed(
        store_url: str, seal_key: SealKey, capsys: pytest.CaptureFixture[str],
        tmp_path: Path) -> None:
    attempt_id = _record(store_url, seal_key, ["sorry"])
    page = tmp_path / "cert.html"
    code, _ = run_cli(capsys, "certificate", str(attempt_id), "--out", str(page),
                      "--db", store_url)
    if code != 0:  # not passed: no certificate, and the reason says so
        pytest.fail(capsys.readouterr().err)
    text = page.read_text()
    assert "answered in the trainee's own words" in text
    assert "1 taken after &ldquo;did you mean&rdquo;, 0 not recognised" in text
    code, out = run_cli(capsys, "verify", str(page), "--fingerprint",
                        json.loads(text.split('id="calmline-seal">')[1].split("</script>")[0])
                        ["content"]["fingerprint"])
    assert code == 0, out


def test_certify_typed_headless_from_start_to_finish(store_url: str, seal_key: SealKey) -> None:
    scenario = library.resolve("vulgar-caller")
    # What a trainee types, found by a rehearsal: the path of the best replies does not
    # depend on the seed. A pick after "did you mean" is typed as its number.
    lines: list[str] = []
    answer = typist(scenario, [NONSENSE])
    with open_store(store_url) as store:
        run = CertificationRun(store, seal_key, "Rehearsal", [scenario])

        def noting(prompt: Prompt, seconds: int, offered: tuple[Option, ...]) -> str | None:
            said = str(answer(prompt, seconds, offered))
            ids = [o.id for o in offered]
            lines.append(str(ids.index(said) + 1) if said in ids else said)
            return said

        rehearsal = play_typed_certification(run, scenario, noting, seed=1).id
        run.close()
    proc = subprocess.run(
        [sys.executable, "-c", CLI, "certify", "vulgar-caller", "--typed", "--headless",
         "--trainee", "Ann", "--db", store_url], input="\n".join(lines) + "\n",
        capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert proc.returncode in (0, 1), proc.stderr
    seconds = reply_seconds(scenario, typed=True)
    assert seconds == 2 * reply_seconds(scenario)
    assert f"{seconds} s per reply, typed in your own words" in proc.stdout
    assert "  1. [" not in proc.stdout  # no list of replies is ever printed
    with open_store(store_url) as store:
        done = queries.attempt_detail(store, rehearsal + 1)
        before = queries.attempt_detail(store, rehearsal)
    assert done["trainee"] == "Ann" and done["typed"] and done["status"] == "finished"
    assert [(x["node"], x["choice"], x["typed"], x["match"]) for x in done["answers"]] == [
        (x["node"], x["choice"], x["typed"], x["match"]) for x in before["answers"]]
    assert done["answers"][0]["match"] == "unmatched"
