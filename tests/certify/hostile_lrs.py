"""Small misbehaving LRS servers on 127.0.0.1 for the LRS client's tests.

Each server answers every request the same way (one *behaviour*), runs in a daemon thread,
and is bounded: no connection is served for more than :data:`LIFETIME` seconds, and leaving
the ``with`` block shuts it down and closes every connection it still holds.
"""

from __future__ import annotations

import json
import socket
import socketserver
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

#: The longest any one connection is served, whatever the behaviour.
LIFETIME = 8.0

Behaviour = Callable[["Handler", bytes], None]


class Handler(socketserver.BaseRequestHandler):
    """Reads one HTTP request (headers and body), then lets the behaviour answer it."""

    server: _Server

    def handle(self) -> None:
        self.request.settimeout(LIFETIME)
        self.started = time.monotonic()
        data = b""
        try:
            while b"\r\n\r\n" not in data:
                chunk = self.request.recv(65536)
                if not chunk:
                    return
                data += chunk
            head, _, body = data.partition(b"\r\n\r\n")
            length = 0
            for line in head.split(b"\r\n")[1:]:
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value.strip())
            while len(body) < length:
                chunk = self.request.recv(65536)
                if not chunk:
                    return
                body += chunk
            self.server.requests.append(head.split(b"\r\n")[0].decode())
            self.server.behaviour(self, body)
        except OSError:
            pass

    def send(self, data: bytes) -> bool:
        """Send ``data``; False once the client has gone or the lifetime is over."""
        if self.server.stopping.is_set() or time.monotonic() - self.started > LIFETIME:
            return False
        try:
            self.request.sendall(data)
        except OSError:
            return False
        return True

    def answer(self, status: str, body: bytes, headers: dict[str, str] | None = None) -> None:
        lines = [f"HTTP/1.1 {status}", f"Content-Length: {len(body)}",
                 "Content-Type: application/json", "Connection: close",
                 *(f"{k}: {v}" for k, v in (headers or {}).items())]
        self.send(("\r\n".join(lines) + "\r\n\r\n").encode() + body)


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, behaviour: Behaviour) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.behaviour = behaviour
        self.requests: list[str] = []
        self.stopping = threading.Event()


@contextmanager
def serving(behaviour: Behaviour) -> Iterator[_Server]:
    """A server with ``behaviour`` on a free loopback port; its URL is :func:`url`."""
    server = _Server(behaviour)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                              daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.stopping.set()
        server.shutdown()
        server.server_close()
        thread.join(5)


def url(server: _Server) -> str:
    host, port = server.server_address[:2]
    return f"http://{host}:{port}/xAPI/"


# -- behaviours -----------------------------------------------------------------------------

def confirm(handler: Handler, body: bytes) -> None:
    """A good LRS: 200 with the ids of the statements, in order."""
    ids = [s["id"] for s in json.loads(body)]
    handler.answer("200 OK", json.dumps(ids).encode())


def trickle(handler: Handler, body: bytes) -> None:
    """A status line, then one byte of headers every 0.1 s, for as long as it may."""
    if not handler.send(b"HTTP/1.1 200 OK\r\n"):
        return
    while handler.send(b"X"):
        time.sleep(0.1)


def trickle_body(handler: Handler, body: bytes) -> None:
    """Headers promising a long body, then the body one byte every 0.1 s."""
    if not handler.send(b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n["):
        return
    while handler.send(b" "):
        time.sleep(0.1)


def hang(handler: Handler, body: bytes) -> None:
    """Reads the request and never answers."""
    handler.server.stopping.wait(LIFETIME)


def redirect(handler: Handler, body: bytes) -> None:
    handler.answer("302 Found", b"", {"Location": "http://127.0.0.1:9/elsewhere"})


def nested(handler: Handler, body: bytes) -> None:
    """200 with JSON nested 100,000 deep (the standard decoder's recursion limit)."""
    handler.answer("200 OK", b"[" * 100_000 + b"]" * 100_000)


def huge(handler: Handler, body: bytes) -> None:
    """200 with 200 MB announced and streamed without end (until the client leaves)."""
    if not handler.send(b"HTTP/1.1 200 OK\r\nContent-Length: 200000000\r\n\r\n"):
        return
    block = b" " * 65536
    while handler.send(block):
        pass


def huge_unannounced(handler: Handler, body: bytes) -> None:
    """200 with no Content-Length, then megabytes until the client leaves."""
    if not handler.send(b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n["):
        return
    block = b'"x",' * 16384
    while handler.send(block):
        pass


def not_http(handler: Handler, body: bytes) -> None:
    """Answers with something that is not HTTP at all."""
    handler.send(b"SSH-2.0-OpenSSH_9.6\r\n\x1b[2J")


def endless_header(handler: Handler, body: bytes) -> None:
    """A status line, then one header line longer than any client reads."""
    handler.send(b"HTTP/1.1 200 OK\r\nX-Long: " + b"a" * 200_000 + b"\r\n\r\n[]")


def answering(status: str, reply: bytes) -> Behaviour:
    """Always ``status`` with ``reply`` as the body."""
    def behaviour(handler: Handler, body: bytes) -> None:
        handler.answer(status, reply)
    return behaviour


def confirming_some(handler: Handler, body: bytes) -> None:
    """200 with the ids of only the first half of the statements."""
    ids = [s["id"] for s in json.loads(body)]
    handler.answer("200 OK", json.dumps(ids[: len(ids) // 2]).encode())


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])
