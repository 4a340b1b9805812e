"""xAPI statements: valid against the statement schema, complete, deterministic; posted to a
real LRS (ralph) on loopback and read back."""

from __future__ import annotations

import base64
import json
import os
import re
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from scoring import xapi
from scoring.seal import SealKey
from scoring.store import open_store, queries
from simulator.cli import main
from tests.store.fixtures import in_ci
from tests.store.helpers import GOOD, POOR, ROOT, TINY, certify, scenario

SCHEMA = json.loads((ROOT / "tests" / "data" / "xapi-statement.schema.json").read_text())
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)


def _recorded(url: str, key: SealKey) -> list[dict[str, Any]]:
    """A finished pass, a finished fail (critical) and an abandoned attempt, in full."""
    from scoring.record import CertificationRun
    from tests.store.helpers import certification_attempt

    with open_store(url) as store:
        certify(store, key, "Ann Lee", [(scenario(), GOOD), (scenario(TINY), ["sorry",
                                                                             "replace"])])
        certify(store, key, "Bob", [(scenario(), ("snap1", "calm2", "calm3", "insult"))])
        sc = scenario()
        run = CertificationRun(store, key, "Cy", [sc])
        attempt = certification_attempt(run, sc, trainee="Cy")
        session, rec = attempt.session, attempt.recorder
        assert rec is not None
        rec.step(session.timeout())
        run.close()
        _typed(store, key)
        return queries.export_rows(store)


def _typed(store: Any, key: SealKey) -> None:
    """A typed certification: one reply not recognised, then typed words to the end."""
    from scoring.record import CertificationRun
    from simulator import library
    from simulator.training import play_typed_certification
    from tests.certify.test_typed_records import NONSENSE, typist

    sc = library.resolve("vulgar-caller")
    run = CertificationRun(store, key, "Di", [sc])
    play_typed_certification(run, sc, typist(sc, [NONSENSE, "sorry"]), seed=2)
    run.close()


@pytest.fixture
def rows(tmp_path: Path, seal_key: SealKey) -> list[dict[str, Any]]:
    return _recorded(str(tmp_path / "r.sqlite3"), seal_key)


def test_every_statement_validates_against_the_xapi_schema(rows: list[dict[str, Any]]) -> None:
    statements = xapi.all_statements(rows)
    for st in statements:
        errors = sorted(VALIDATOR.iter_errors(st), key=str)
        assert not errors, (st["verb"]["display"], [e.message for e in errors])
    assert len({st["id"] for st in statements}) == len(statements)


def test_an_attempt_yields_attempted_answered_completed_and_a_verdict(
        rows: list[dict[str, Any]]) -> None:
    verbs = [[s["verb"]["display"]["en-US"] for s in xapi.statements(a)] for a in rows]
    assert verbs[0] == ["attempted", *["answered"] * 4, "completed", "passed"]
    assert verbs[1] == ["attempted", "answered", "answered", "completed", "passed"]
    assert verbs[2] == ["attempted", *["answered"] * 4, "completed", "failed"]
    assert verbs[3] == ["attempted", "answered", "abandoned"]


def test_results_carry_scores_durations_and_principle_extensions(
        rows: list[dict[str, Any]]) -> None:
    final = xapi.statements(rows[2])[-1]
    result = final["result"]
    score = result["score"]
    assert score["min"] <= score["raw"] <= score["max"] and -1 <= score["scaled"] <= 1
    assert result["success"] is False and result["completion"] is True
    assert re.fullmatch(r"PT[\d.]+S", result["duration"])
    principles = {k.rsplit("/", 1)[1]: v for k, v in result["extensions"].items()
                  if k.startswith(xapi.EXT + "principle/")}
    assert set(principles) == {"stay_calm", "dont_argue", "apologize"}
    assert all(set(v) == {"earned", "best", "percent"} for v in principles.values())
    answered = xapi.statements(rows[0])[1]
    assert answered["result"]["response"] in GOOD
    assert answered["object"]["definition"]["interactionType"] == "choice"
    assert answered["context"]["contextActivities"]["parent"][0]["id"].endswith("/line")
    ctx = answered["context"]
    assert ctx["registration"] == rows[0]["uid"]
    assert ctx["extensions"][xapi.EXT + "scenario-sha256"] == rows[0]["scenario_sha256"]
    timed_out = xapi.statements(rows[3])[1]
    assert timed_out["result"]["extensions"][xapi.EXT + "timed-out"] is True


def test_statements_are_the_same_every_export(rows: list[dict[str, Any]]) -> None:
    assert xapi.all_statements(rows) == xapi.all_statements(json.loads(json.dumps(rows)))


@pytest.mark.parametrize(("path", "value", "message"), [
    (("actor",), None, "'actor' is a required property"),
    (("verb", "id"), "attempted", "does not match"),
    (("result", "score", "scaled"), 1.5, "greater than the maximum"),
    (("result", "duration"), "12 seconds", "does not match"),
    (("id",), "not-a-uuid", "does not match"),
    (("timestamp",), "yesterday", "does not match"),
    (("context", "registration"), "x", "does not match"),
    (("result", "grade"), "A", "Additional properties"),
    (("actor", "mbox"), "mailto:ann@example.org", "is not valid under any of"),
])
def test_the_schema_rejects_broken_statements(rows: list[dict[str, Any]], path: tuple[str, ...],
                                              value: object, message: str) -> None:
    st = json.loads(json.dumps(xapi.statements(rows[0])[-1]))
    target = st
    for part in path[:-1]:
        target = target[part]
    if value is None:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    errors = [e.message for e in VALIDATOR.iter_errors(st)]
    assert any(message in e for e in errors), errors


def test_durations_are_iso_8601() -> None:
    assert [xapi.duration(s) for s in (0, 1.5, 61, 3725.25)] == [
        "PT0S", "PT1.5S", "PT1M1S", "PT1H2M5.25S"]


def test_export_xapi_to_a_file_is_a_json_array_of_statements(
        tmp_path: Path, seal_key: SealKey, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "r.sqlite3")
    with open_store(db) as store:
        certify(store, seal_key, "Ann", [(scenario(), POOR)])
    out = tmp_path / "statements.json"
    assert main(["export", "--format", "xapi", "--out", str(out), "--db", db]) == 0
    data = json.loads(out.read_text())
    assert [s["verb"]["display"]["en-US"] for s in data][-1] == "failed"
    assert all(VALIDATOR.is_valid(s) for s in data)


def test_lrs_options_need_an_http_url_and_the_xapi_format(
        tmp_path: Path, seal_key: SealKey, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "r.sqlite3")
    with open_store(db) as store:
        certify(store, seal_key, "Ann", [(scenario(), POOR)])
    assert main(["export", "--format", "csv", "--lrs", "http://x/", "--db", db]) == 2
    assert main(["export", "--lrs", "ftp://x/", "--db", db]) == 2
    assert main(["export", "--lrs", "http://127.0.0.1:9/xAPI", "--db", db]) == 1
    err = capsys.readouterr().err.splitlines()
    assert "use it with --format xapi" in err[0] and "not an http(s) URL" in err[1]
    assert "cannot reach the LRS" in err[2]


# -- a real LRS --------------------------------------------------------------------------
def _ralph() -> str:
    found = os.environ.get("CALMLINE_TEST_RALPH") or str(ROOT / ".venv-ralph" / "bin" / "ralph")
    if not Path(found).is_file():
        message = ("ralph is not installed (.ci/run installs it: python3 -m venv .venv-ralph "
                   "&& .venv-ralph/bin/pip install 'ralph-malph[cli,lrs]' requests)")
        if in_ci():
            pytest.fail(message)
        pytest.skip(message)
    return found


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def lrs(tmp_path: Path) -> Iterator[str]:
    """A ralph LRS with the file-system backend on loopback; yields its xAPI endpoint."""
    ralph = _ralph()
    env = {**os.environ, "RALPH_APP_DIR": str(tmp_path / "ralph-app"),
           "RALPH_BACKENDS__DATA__FS__DEFAULT_DIRECTORY_PATH": str(tmp_path / "ralph-data"),
           "RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH": str(tmp_path / "ralph-data"),
           "RALPH_RUNSERVER_BACKEND": "fs"}
    (tmp_path / "ralph-data").mkdir()
    subprocess.run([ralph, "auth", "-u", "trainer", "-p", "s3cret", "-s", "all",
                    "-M", "mailto:trainer@example.org", "-w"], env=env, check=True,
                   capture_output=True, timeout=120, cwd=tmp_path)
    port = _free_port()
    log = open(tmp_path / "ralph.log", "wb")  # noqa: SIM115
    server = subprocess.Popen([ralph, "runserver", "-b", "fs", "-h", "127.0.0.1", "-p",
                               str(port)], env=env, stdout=log, stderr=subprocess.STDOUT,
                              cwd=tmp_path)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{base}/__heartbeat__", timeout=2):
                    break
            except OSError:
                assert server.poll() is None, (tmp_path / "ralph.log").read_text()
                assert time.monotonic() < deadline, "ralph did not start"
                time.sleep(0.2)
        yield f"{base}/xAPI/"
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


def _get(url: str) -> Any:
    token = base64.b64encode(b"trainer:s3cret").decode()
    request = urllib.request.Request(url, headers={"Authorization": f"Basic {token}",
                                                   "X-Experience-API-Version": "1.0.3"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def test_statements_posted_to_a_real_lrs_read_back(lrs: str, tmp_path: Path, seal_key: SealKey,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "r.sqlite3")
    with open_store(db) as store:
        certify(store, seal_key, "Ann Lee", [(scenario(), GOOD)])
        _typed(store, seal_key)
        rows = queries.export_rows(store)
    sent = xapi.all_statements(rows)
    os.environ["CALMLINE_LRS_PASSWORD"] = "s3cret"
    try:
        code = main(["export", "--format", "xapi", "--lrs", lrs, "--lrs-user", "trainer",
                     "--db", db])
    finally:
        del os.environ["CALMLINE_LRS_PASSWORD"]
    assert code == 0, capsys.readouterr().err
    assert f"posted {len(sent)} statements ({len(sent)} stored)" in capsys.readouterr().err
    stored = {s["id"]: s for s in _get(f"{lrs}statements?limit=500")["statements"]}
    assert set(stored) == {s["id"] for s in sent}
    for st in sent:
        got = stored[st["id"]]
        assert got["verb"]["id"] == st["verb"]["id"]
        assert got["actor"]["account"] == st["actor"]["account"]
        assert got["object"]["id"] == st["object"]["id"]
        assert got["context"]["registration"] in {r["uid"] for r in rows}
        if "result" in st and "response" in st["result"]:
            assert got["result"]["response"] == st["result"]["response"]
    typed = [s for s in sent if s["object"]["id"].endswith("/typed")]
    assert typed and typed[0]["result"]["response"] == "banana helicopter"
    assert stored[typed[0]["id"]]["object"]["definition"]["interactionType"] == "long-fill-in"
    for last in (sent[-1], next(s for s in reversed(sent) if s["context"]["registration"]
                                == rows[0]["uid"])):
        final = stored[last["id"]]
        assert final["result"]["score"] == last["result"]["score"]
        assert final["result"]["extensions"] == last["result"]["extensions"]


@pytest.mark.parametrize("url", ["http://127.0.0.1:9/ x", "http://[::1",
                                 "http://127.0.0.1:99999/", "http://trainer:secret@127.0.0.1:9/"])
def test_an_unusable_lrs_url_is_a_one_line_error_that_keeps_passwords_out(
        tmp_path: Path, seal_key: SealKey, capsys: pytest.CaptureFixture[str], url: str) -> None:
    capsys.readouterr()
    assert main(["export", "--lrs", url, "--db", str(tmp_path / "r.sqlite3")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err and "secret" not in err
