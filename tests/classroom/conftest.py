"""Classroom-suite fixtures (shared with the store suite), and a terminal screen fed by the
classroom's websocket, as a browser's terminal would be."""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import aiohttp
import pyte

from tests.store.fixtures import config_dir, pg_url, seal_key, store_url  # noqa: F401


class Screen:
    """A pyte terminal fed with what the server sends over the websocket."""

    def __init__(self, ws: Any, width: int = 100, height: int = 30) -> None:
        self.ws = ws
        self.screen = pyte.Screen(width, height)
        self.stream = pyte.ByteStream(self.screen)
        self.closed = False

    @property
    def text(self) -> str:
        return "\n".join(line.rstrip() for line in self.screen.display)

    async def wait_for(self, wanted: str, timeout: float = 30.0) -> bool:
        """Read until ``wanted`` is on screen (True) or the time or the socket runs out."""
        deadline = time.monotonic() + timeout
        while wanted not in self.text:
            left = deadline - time.monotonic()
            if left <= 0 or self.closed:
                return False
            try:
                message = await asyncio.wait_for(self.ws.receive(), left)
            except TimeoutError:
                return False
            if message.type == aiohttp.WSMsgType.BINARY:
                self.stream.feed(message.data)
            elif message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED,
                                  aiohttp.WSMsgType.CLOSING, aiohttp.WSMsgType.ERROR):
                self.closed = True
        return True

    async def keys(self, text: str) -> None:
        await self.ws.send_json(["stdin", text])


def free_port() -> int:
    """A free TCP port on loopback."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def serving(db: str, log: Path) -> Iterator[str]:
    """A real ``calmline serve`` on a free loopback port (its output in ``log``): yields its
    base URL; stopped (and waited for) at the end."""
    port = free_port()
    calmline = str(Path(sys.executable).parent / "calmline")
    with log.open("w") as out:
        proc = subprocess.Popen([calmline, "serve", "--port", str(port), "--db", db],
                                stdout=out, stderr=subprocess.STDOUT, env=os.environ.copy())
        try:
            for _ in range(300):
                try:
                    with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                        break
                except OSError:
                    assert proc.poll() is None, log.read_text()
                    time.sleep(0.1)
            yield f"http://127.0.0.1:{port}"
        finally:
            proc.terminate()
            try:
                proc.wait(20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
