"""The LRS client against servers that trickle, hang, redirect, nest, flood or answer the
wrong body: one overall deadline, a bounded reply, and a statement counts as stored only
when the LRS confirms its id. Every failure is one line, never a traceback."""

from __future__ import annotations

import time
import uuid
from pathlib import Path

import pytest

from scoring import lrs
from scoring.lrs import LrsError
from scoring.seal import SealKey
from scoring.store import open_store
from simulator.cli import main
from tests.certify import hostile_lrs as h
from tests.store.helpers import POOR, certify, scenario

STATEMENTS = [{"id": str(uuid.UUID(int=i)), "verb": {"id": "x"}} for i in range(1, 8)]


def post(server: h._Server, timeout: float = 30.0, size: int = 500) -> list[str]:
    return lrs.post(h.url(server), STATEMENTS, "trainer", "secret", timeout, size)


def test_a_good_lrs_confirms_every_statement_in_batches() -> None:
    with h.serving(h.confirm) as server:
        assert post(server, size=3) == [s["id"] for s in STATEMENTS]
    assert server.requests == ["POST /xAPI/statements HTTP/1.1"] * 3


@pytest.mark.parametrize("behaviour", [h.trickle, h.trickle_body, h.hang],
                         ids=["trickled-headers", "trickled-body", "hang"])
def test_a_server_that_trickles_or_hangs_is_given_up_at_the_one_deadline(behaviour) -> None:
    with h.serving(behaviour) as server:
        started = time.monotonic()
        with pytest.raises(LrsError) as info:
            post(server, timeout=1.0)
        elapsed = time.monotonic() - started
    assert str(info.value) == (f"the LRS at {h.url(server)}statements did not answer within "
                               "1 s (--timeout)")
    assert elapsed < h.LIFETIME  # the deadline ended it, not the server


def test_the_deadline_covers_every_batch_together() -> None:
    calls: list[float] = []

    def slow_confirm(handler: h.Handler, body: bytes) -> None:
        calls.append(time.monotonic())
        time.sleep(0.4)
        h.confirm(handler, body)

    with h.serving(slow_confirm) as server, pytest.raises(LrsError) as info:
        post(server, timeout=1.0, size=1)  # seven requests of 0.4 s: past 1 s in all
    assert "did not answer within 1 s" in str(info.value)
    assert "statements sent before were stored" not in str(info.value)
    assert 2 <= len(calls) <= 4


def test_a_redirect_is_not_followed() -> None:
    with h.serving(h.redirect) as server, pytest.raises(LrsError) as info:
        post(server)
    assert str(info.value) == (f"the LRS at {h.url(server)}statements answered 302 Found, a "
                               "redirect to http://127.0.0.1:9/elsewhere: give the LRS's own "
                               "address with --lrs")
    assert len(server.requests) == 1


def test_a_deeply_nested_json_reply_is_a_failure_not_a_recursion_error() -> None:
    with h.serving(h.nested) as server, pytest.raises(LrsError) as info:
        post(server)
    assert "nests too deeply to be a list of statement ids" in str(info.value)


@pytest.mark.parametrize("behaviour", [h.huge, h.huge_unannounced],
                         ids=["announced", "unannounced"])
def test_a_huge_reply_is_cut_at_the_cap(behaviour) -> None:
    import tracemalloc

    with h.serving(behaviour) as server, pytest.raises(LrsError) as info:
        tracemalloc.start()
        try:
            post(server)
            peak = 0
        finally:
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
    assert f"answered more than {lrs.MAX_REPLY:,} bytes" in str(info.value)
    assert peak < 5 * lrs.MAX_REPLY


@pytest.mark.parametrize(("status", "reply", "why"), [
    ("200 OK", b'{"ok": true}', "its answer is not a list of statement ids"),
    ("200 OK", b"[]", "it confirmed 0 of the 7 statements sent"),
    ("200 OK", b"[1, 2, 3]", "its answer is not a list of statement ids"),
    ("200 OK", b"", "its answer is not JSON (empty)"),
    ("200 OK", b"<html>\x1b[31mhello</html>", "its answer is not JSON (<html> [31mhello</html>)"),
    ("200 OK", b'["00000000-0000-0000-0000-000000000099"]',
     "it confirmed 0 of the 7 statements sent"),
    ("204 No Content", b"", None),
    ("500 Internal Server Error", b"database\ndown", None),
])
def test_a_reply_that_does_not_confirm_every_statement_is_a_failure(
        status: str, reply: bytes, why: str | None) -> None:
    with h.serving(h.answering(status, reply)) as server, pytest.raises(LrsError) as info:
        post(server)
    message = str(info.value)
    assert "\n" not in message and "\x1b" not in message
    if why is not None:
        assert message == (f"the LRS at {h.url(server)}statements did not confirm the "
                           f"statements: {why}")
    else:
        assert message.startswith(f"the LRS at {h.url(server)}statements answered "
                                  f"{status}")
    if status.startswith("500"):
        assert message.endswith(": database down")


def test_a_partial_confirmation_says_what_was_stored_before() -> None:
    with h.serving(h.confirming_some) as server, pytest.raises(LrsError) as info:
        post(server, size=7)
    assert str(info.value).endswith("did not confirm the statements: it confirmed 3 of the 7 "
                                    "statements sent")
    answers = iter([h.confirm, h.confirming_some])

    def first_good_then_partial(handler: h.Handler, body: bytes) -> None:
        next(answers)(handler, body)

    with h.serving(first_good_then_partial) as server, pytest.raises(LrsError) as info:
        post(server, size=4)
    assert str(info.value).endswith("it confirmed 1 of the 3 statements sent (4 statements "
                                    "sent before were stored)")


@pytest.mark.parametrize("behaviour", [h.not_http, h.endless_header],
                         ids=["not-http", "endless-header"])
def test_an_answer_that_is_not_http_is_one_line(behaviour) -> None:
    with h.serving(behaviour) as server, pytest.raises(LrsError) as info:
        post(server, timeout=5.0)
    message = str(info.value)
    assert message.startswith(f"the LRS at {h.url(server)}statements gave no usable HTTP "
                              "answer (")
    assert "\n" not in message and "\x1b" not in message


def test_a_proxy_named_by_the_environment_is_used_for_a_remote_lrs(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # The "proxy" is a good LRS that notes the request line: the LRS host is not resolved.
    with h.serving(h.confirm) as proxy:
        monkeypatch.setenv("http_proxy", h.url(proxy).removesuffix("/xAPI/"))
        monkeypatch.delenv("no_proxy", raising=False)
        monkeypatch.delenv("NO_PROXY", raising=False)
        stored = lrs.post("http://lrs.example.invalid/xAPI/", STATEMENTS, None, None, 5.0)
    assert stored == [s["id"] for s in STATEMENTS]
    assert proxy.requests == ["POST http://lrs.example.invalid/xAPI/statements HTTP/1.1"]


def test_an_lrs_on_this_machine_is_never_sent_through_a_proxy(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("http_proxy", f"http://127.0.0.1:{h.free_port()}")
    with h.serving(h.confirm) as server:
        assert post(server) == [s["id"] for s in STATEMENTS]


def test_nothing_listening_is_one_line() -> None:
    with pytest.raises(LrsError) as info:
        lrs.post(f"http://127.0.0.1:{h.free_port()}/", STATEMENTS, None, None, 2.0)
    assert str(info.value).startswith("cannot reach the LRS at http://127.0.0.1:")


# -- through the command ------------------------------------------------------------------

@pytest.fixture
def db(tmp_path: Path, seal_key: SealKey) -> str:
    path = str(tmp_path / "r.sqlite3")
    with open_store(path) as store:
        certify(store, seal_key, "Ann", [(scenario(), POOR)])
    return path


@pytest.mark.parametrize("behaviour", [h.trickle, h.nested, h.huge, h.redirect,
                                       h.answering("200 OK", b'{"stored": "yes"}')],
                         ids=["trickle", "nested", "huge", "redirect", "wrong-body"])
def test_export_lrs_fails_in_one_line_on_a_hostile_server(
        db: str, capsys: pytest.CaptureFixture[str], behaviour) -> None:
    capsys.readouterr()
    with h.serving(behaviour) as server:
        code = main(["export", "--lrs", h.url(server), "--timeout", "1", "--db", db])
    err = capsys.readouterr().err
    assert code == 1
    assert err.count("\n") == 1 and err.startswith("calmline: error: ")
    assert "Traceback" not in err and "posted" not in err


def test_export_lrs_reports_what_the_lrs_confirmed(
        db: str, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    with h.serving(h.confirm) as server:
        assert main(["export", "--lrs", h.url(server), "--db", db]) == 0
    err = capsys.readouterr().err
    assert err.startswith("posted 7 statements (7 stored) to ")


@pytest.mark.parametrize("value", ["0", "-1", "abc", "nan", "inf", "3601"])
def test_the_timeout_must_be_a_sensible_number_of_seconds(
        db: str, capsys: pytest.CaptureFixture[str], value: str) -> None:
    with pytest.raises(SystemExit) as info:
        main(["export", "--lrs", "http://127.0.0.1:9/", f"--timeout={value}", "--db", db])
    assert info.value.code == 2
    assert "--timeout: must be a number of seconds" in capsys.readouterr().err
