"""The classroom server, in process, with real app processes: nothing without sign-in, the
websocket's Origin checked, identity in the child's environment only, throttled sign-in,
revoked codes and sessions ending, children killed and reaped."""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp.test_utils import TestClient, TestServer

from scoring.store import open_store
from simulator.classroom import children, roster
from simulator.classroom.server import COOKIE, ClassroomServer
from simulator.classroom.throttle import Throttle
from tests.classroom.conftest import Screen


@pytest.fixture
async def classroom(tmp_path: Path, config_dir: Path, monkeypatch: pytest.MonkeyPatch
                    ) -> AsyncIterator[tuple[ClassroomServer, TestClient, dict[str, str]]]:
    """A server on a fresh store with Sam (trainee) and Pat (trainer) on the roster; a
    secret in the server's environment that no child may see."""
    monkeypatch.setenv("CALMLINE_LRS_PASSWORD", "server-secret")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "server-secret")
    db = str(tmp_path / "r.sqlite3")
    with open_store(db) as store:
        codes = {"Sam Ortiz": roster.add(store, "Sam Ortiz")[1],
                 "Pat Lee": roster.add(store, "Pat Lee", "trainer")[1]}
    server = ClassroomServer(db, grace=1.0, throttle=Throttle(per_client=3, overall=50))
    client = TestClient(TestServer(await server._make_app()))
    await client.start_server()
    try:
        yield server, client, codes
    finally:
        await client.close()


def origin(client: TestClient) -> str:
    return f"http://{client.host}:{client.port}"


async def sign_in(client: TestClient, code: str) -> str:
    response = await client.post("/signin", data={"code": code}, allow_redirects=False)
    assert response.status == 303, await response.text()
    return response.cookies[COOKIE].value


async def test_nothing_is_served_without_a_sign_in(classroom: Any) -> None:
    _, client, _ = classroom
    response = await client.get("/", allow_redirects=False)
    assert response.status == 302 and response.headers["Location"] == "/signin"
    for path in ("/ws", "/download/abc", "/signout"):
        response = await client.get(path, allow_redirects=False)
        assert response.status in (401, 405), path
    with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
        await client.ws_connect("/ws", headers={"Origin": origin(client)})
    assert refused.value.status == 401
    client.session.cookie_jar.update_cookies({COOKIE: "forged"})
    with pytest.raises(aiohttp.WSServerHandshakeError):
        await client.ws_connect("/ws", headers={"Origin": origin(client)})
    signin = await client.get("/signin")
    assert signin.status == 200 and "sign-in code" in await signin.text()
    assert "default-src 'self'" in signin.headers["Content-Security-Policy"]


async def test_the_session_cookie_is_httponly_samesite_and_expires(classroom: Any) -> None:
    _, client, codes = classroom
    response = await client.post("/signin", data={"code": codes["Sam Ortiz"]},
                                 allow_redirects=False)
    header = response.headers["Set-Cookie"]
    assert "HttpOnly" in header and "SameSite=Strict" in header and "Max-Age=43200" in header
    page = await client.get("/")
    body = await page.text()
    assert page.status == 200 and "Sam Ortiz (trainee)" in body
    assert "googleapis" not in body and "/static/fonts/RobotoMono" in body
    font = await client.get("/static/fonts/RobotoMono-VariableFont_wght.ttf")
    assert font.status == 200


async def test_brute_force_sign_in_is_throttled(classroom: Any) -> None:
    _, client, codes = classroom
    for _ in range(3):
        response = await client.post("/signin", data={"code": "aaaa-bbbb-cccc"})
        assert response.status == 401
    response = await client.post("/signin", data={"code": codes["Sam Ortiz"]})
    assert response.status == 429 and int(response.headers["Retry-After"]) > 0
    response = await client.get(f"/s/{codes['Sam Ortiz']}", allow_redirects=False)
    assert response.status == 429  # the link is throttled the same way


async def test_the_websocket_checks_its_origin(classroom: Any) -> None:
    _, client, codes = classroom
    await sign_in(client, codes["Sam Ortiz"])
    for headers in ({"Origin": "https://evil.example"}, {}):
        with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
            await client.ws_connect("/ws", headers=headers)
        assert refused.value.status == 403
    response = await client.post("/signin", data={"code": codes["Sam Ortiz"]},
                                 headers={"Origin": "https://evil.example"})
    assert response.status == 403


def _environ(pid: int) -> dict[str, str]:
    raw = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
    return dict(item.decode().split("=", 1) for item in raw if b"=" in item)


def _cmdline(pid: int) -> str:
    return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()


async def test_each_member_gets_an_app_that_knows_who_they_are(classroom: Any) -> None:
    server, client, codes = classroom
    await sign_in(client, codes["Sam Ortiz"])
    ws = await client.ws_connect("/ws?width=100&height=30&name=Pat+Lee",
                                 headers={"Origin": origin(client)})
    screen = Screen(ws)
    assert await screen.wait_for("signed in as Sam Ortiz"), screen.text
    (conn,) = server.connections.values()
    pid = conn.service.pid
    env = _environ(pid)
    assert env["CALMLINE_CLASSROOM_NAME"] == "Sam Ortiz"
    assert env["CALMLINE_CLASSROOM_ROLE"] == "trainee"
    assert "server-secret" not in "".join(env.values())
    assert "Sam" not in _cmdline(pid) and "code" not in _cmdline(pid)
    await screen.keys("\x1bOS")  # F4: the trainer report is not for trainees
    assert await screen.wait_for("The trainer report is for trainers"), screen.text
    await ws.close()
    await _gone(pid)
    assert not server.connections


async def test_a_trainer_sign_in_opens_the_trainer_report(classroom: Any) -> None:
    _, client, codes = classroom
    await sign_in(client, codes["Pat Lee"])
    ws = await client.ws_connect("/ws?width=100&height=30", headers={"Origin": origin(client)})
    screen = Screen(ws)
    assert await screen.wait_for("Principles the cohort fails most"), screen.text
    await ws.close()


async def test_a_revoked_code_ends_the_running_app_and_signs_in_no_more(classroom: Any
                                                                         ) -> None:
    server, client, codes = classroom
    await sign_in(client, codes["Sam Ortiz"])
    ws = await client.ws_connect("/ws", headers={"Origin": origin(client)})
    screen = Screen(ws)
    assert await screen.wait_for("signed in as Sam Ortiz"), screen.text
    pid = next(iter(server.connections.values())).service.pid
    await server.db(lambda store: roster.revoke(store, "Sam Ortiz"))
    await server.check_sessions()
    assert not await screen.wait_for("never shown", timeout=5) and screen.closed
    await _gone(pid)
    response = await client.get("/", allow_redirects=False)
    assert response.status == 302  # the old cookie no longer works
    response = await client.post("/signin", data={"code": codes["Sam Ortiz"]})
    assert response.status == 401


async def test_a_second_tab_replaces_the_first_app(classroom: Any) -> None:
    server, client, codes = classroom
    await sign_in(client, codes["Sam Ortiz"])
    first = Screen(await client.ws_connect("/ws", headers={"Origin": origin(client)}))
    assert await first.wait_for("signed in as Sam Ortiz")
    pid = next(iter(server.connections.values())).service.pid
    second = Screen(await client.ws_connect("/ws", headers={"Origin": origin(client)}))
    assert await second.wait_for("signed in as Sam Ortiz")
    await _gone(pid)
    assert len(server.connections) == 1
    await second.ws.close()


async def _gone(pid: int, timeout: float = 10.0) -> None:
    """The process has exited and been reaped (no zombie left)."""
    for _ in range(int(timeout * 20)):
        if not Path(f"/proc/{pid}").exists():
            return
        await asyncio.sleep(0.05)
    state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    raise AssertionError(f"process {pid} still there (state {state})")


async def test_a_child_that_ignores_sigterm_and_spins_is_killed_and_reaped(
        monkeypatch: pytest.MonkeyPatch) -> None:
    spin = ("import signal, sys; signal.signal(signal.SIGTERM, signal.SIG_IGN); "
            "sys.stdout.write('__GANGLION__\\n'); sys.stdout.flush()\nwhile True: pass")
    monkeypatch.setattr(children, "CHILD", (sys.executable, "-c", spin))
    sent: list[bytes] = []

    async def write(data: Any) -> None:
        sent.append(data)

    async def close() -> None:
        pass

    from textual_serve.download_manager import DownloadManager

    service = children.ChildService("unused", identity={"CALMLINE_CLASSROOM_NAME": "Sam"},
                                    grace=0.5, write_bytes=write, write_str=write,
                                    close=close, download_manager=DownloadManager())
    await service.start(80, 24)
    pid = service.pid
    assert pid is not None
    await asyncio.sleep(0.5)
    await asyncio.wait_for(service.stop(), 10)
    assert service._process is not None and service._process.returncode is not None
    await _gone(pid)


def test_the_child_environment_is_an_allow_list() -> None:
    env = children.child_environment(
        {"PATH": "/bin", "CALMLINE_DB": "postgresql://u:pw@h/db", "PGPASSWORD": "pw",
         "CALMLINE_LRS_PASSWORD": "x", "LC_ALL": "C.UTF-8", "HOME": "/home/t"},
        {"CALMLINE_CLASSROOM_NAME": "Sam"})
    assert env == {"PATH": "/bin", "LC_ALL": "C.UTF-8", "HOME": "/home/t",
                   "CALMLINE_CLASSROOM_NAME": "Sam"}
    assert os.environ.get("CALMLINE_CLASSROOM_NAME") is None


async def test_the_server_anchors_the_chain_head_when_it_moves(tmp_path: Path,
                                                              config_dir: Path) -> None:
    from scoring.signing import load_signing_key
    from tests.store.helpers import GOOD, certify, scenario

    db = str(tmp_path / "r.sqlite3")
    anchors = tmp_path / "elsewhere.jsonl"
    server = ClassroomServer(db, anchor=anchors)
    await server.db(server._anchor_head)
    assert not anchors.exists()  # an empty chain is not anchored
    await server.db(lambda store: certify(store, load_signing_key(create=True), "Ann",
                                          [(scenario(), GOOD)]))
    await server.db(server._anchor_head)
    await server.db(server._anchor_head)  # unchanged head: no second line
    assert len(anchors.read_text().splitlines()) == 1
    from scoring import anchor

    assert await server.db(lambda store: anchor.check_file(anchors, store,
                                                           load_signing_key())) == []
    await server.on_cleanup(None)  # type: ignore[arg-type]


async def test_an_abruptly_dropped_browser_leaves_no_app_behind(classroom: Any) -> None:
    """The connection is reset mid-session (no websocket close): the app is stopped and
    reaped all the same."""
    import base64
    import socket
    import struct

    server, client, codes = classroom
    token = await sign_in(client, codes["Sam Ortiz"])
    loop = asyncio.get_running_loop()
    sock = socket.create_connection((client.host, client.port))
    sock.setblocking(False)
    key = base64.b64encode(os.urandom(16)).decode()
    request = (f"GET /ws?width=80&height=24 HTTP/1.1\r\nHost: {client.host}:{client.port}\r\n"
               f"Origin: {origin(client)}\r\nCookie: {COOKIE}={token}\r\n"
               "Upgrade: websocket\r\nConnection: Upgrade\r\n"
               f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n")
    await loop.sock_sendall(sock, request.encode())
    received = b""
    deadline = loop.time() + 30
    while len(received) < 2000 and loop.time() < deadline:  # the app's first screen
        received += await asyncio.wait_for(loop.sock_recv(sock, 65536), 30)
    assert received.startswith(b"HTTP/1.1 101")
    (conn,) = server.connections.values()
    pid = conn.service.pid
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    sock.close()  # a reset, as when a laptop lid closes or the network drops
    for _ in range(200):
        if not server.connections:
            break
        await asyncio.sleep(0.05)
    assert not server.connections
    await _gone(pid)


async def test_a_full_classroom_refuses_more_apps_and_shutdown_reaps_every_app(
        classroom: Any) -> None:
    server, client, codes = classroom
    server.max_sessions = 1
    await sign_in(client, codes["Sam Ortiz"])
    sam = Screen(await client.ws_connect("/ws", headers={"Origin": origin(client)}))
    assert await sam.wait_for("signed in as Sam Ortiz")
    pid = next(iter(server.connections.values())).service.pid
    await sign_in(client, codes["Pat Lee"])  # this browser is now Pat's
    with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
        await client.ws_connect("/ws", headers={"Origin": origin(client)})
    assert refused.value.status == 503
    await server.on_shutdown(client.app)
    await _gone(pid)
