"""Posting xAPI statements to a learning record store, within one deadline and a bounded reply.

The whole exchange (connect, send, every byte of every answer) has one deadline: a server that
trickles a byte every few seconds, or never answers, is given up when it passes. An answer is
read up to :data:`MAX_REPLY` bytes; it counts only as a 200 whose JSON body lists the id of
every statement sent, in any order. Redirects are not followed (the statements and the
password would go to another address); anything else is an :class:`LrsError` of one line.
A proxy named by ``$http_proxy`` / ``$https_proxy`` is used as urllib would (not for hosts in
``$no_proxy``).
"""

from __future__ import annotations

import base64
import contextlib
import http.client
import json
import socket
import threading
import time
import urllib.request
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import SplitResult, unquote, urlsplit

from scoring.xapi import XAPI_VERSION

#: The longest answer read from the LRS (500 statement ids take about 20 kB).
MAX_REPLY = 1_000_000
#: Statements sent per request.
BATCH = 500


class LrsError(Exception):
    """Posting to the LRS failed: printed as one line."""


def statements_url(lrs: str) -> str:
    """The statements resource of an LRS given its endpoint (or the resource itself)."""
    bad = LrsError(f"{lrs[:200]!r} is not an http(s) URL of an xAPI endpoint")
    if any(ch.isspace() or not ch.isprintable() for ch in lrs):
        raise bad
    try:
        parts = urlsplit(lrs)
        port = parts.port
    except ValueError:
        raise bad from None
    if parts.scheme not in ("http", "https") or not parts.hostname or port == 0:
        raise bad
    if parts.username is not None or parts.password is not None:
        raise LrsError("--lrs: give the LRS user with --lrs-user and the password with "
                       "$CALMLINE_LRS_PASSWORD, not inside the URL")
    base = lrs.rstrip("/")
    return base if base.endswith("/statements") else base + "/statements"


def _proxy_for(scheme: str, host: str) -> SplitResult | None:
    """The proxy the environment names for ``scheme`` (None for none, for a bypassed host,
    and for this machine, which no proxy can reach)."""
    proxy = urllib.request.getproxies().get(scheme)
    loopback = host == "localhost" or host.startswith("127.") or host == "::1"
    if not proxy or loopback or urllib.request.proxy_bypass(host):
        return None
    parts = urlsplit(proxy if "://" in proxy else f"http://{proxy}")
    return parts if parts.hostname else None


def _printable(raw: bytes, limit: int = 200) -> str:
    """Some bytes of a server's answer, safe to print on a terminal in one line."""
    text = raw[:limit].decode("utf-8", "replace")
    return "".join(ch if ch.isprintable() else " " for ch in text).strip()


class _Exchange:
    """One POST, run in a worker thread so that the caller's deadline holds whatever the
    server does; ``abort`` closes the connection under a read that is still waiting."""

    def __init__(self, url: str, body: bytes, headers: dict[str, str]) -> None:
        parts = urlsplit(url)
        https = parts.scheme == "https"
        cls = http.client.HTTPSConnection if https else http.client.HTTPConnection
        self.target = parts.path + (f"?{parts.query}" if parts.query else "")
        self.headers = dict(headers)
        proxy = _proxy_for(parts.scheme, parts.hostname or "")
        if proxy is None:
            self.conn = cls(parts.hostname or "", parts.port)
        else:  # as urllib did: $http_proxy / $https_proxy, unless $no_proxy names the host
            self.conn = cls(proxy.hostname or "", proxy.port or 8080)
            auth = {}
            if proxy.username is not None:
                token = f"{unquote(proxy.username)}:{unquote(proxy.password or '')}"
                auth["Proxy-Authorization"] = "Basic " + base64.b64encode(
                    token.encode()).decode("ascii")
            if https:
                self.conn.set_tunnel(parts.hostname or "", parts.port, headers=auth)
            else:
                self.target = url
                self.headers.update(auth)
        self.body = body
        self.status = 0
        self.reason = ""
        self.location = ""
        self.reply = b""
        self.too_large = False
        self.failure: BaseException | None = None

    def run(self, timeout: float) -> None:
        try:
            self.conn.timeout = timeout
            self.conn.request("POST", self.target, body=self.body, headers=self.headers)
            response = self.conn.getresponse()
            self.status, self.reason = response.status, response.reason
            self.location = response.getheader("Location") or ""
            declared = response.getheader("Content-Length") or ""
            if declared.isdigit() and int(declared) > MAX_REPLY:
                self.too_large = True
                return
            self.reply = response.read(MAX_REPLY + 1)
            self.too_large = len(self.reply) > MAX_REPLY
        except BaseException as exc:  # reported by the caller, in its thread
            self.failure = exc

    def abort(self) -> None:
        sock = self.conn.sock
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
        self.conn.close()


def _exchange(url: str, body: bytes, headers: dict[str, str], deadline: float,
              timeout: float) -> _Exchange:
    """POST ``body``; the answer, or LrsError when ``deadline`` (monotonic) passes first."""
    left = deadline - time.monotonic()
    if left <= 0:
        raise LrsError(f"the LRS at {url} did not answer within {timeout:g} s (--timeout)")
    ex = _Exchange(url, body, headers)
    worker = threading.Thread(target=ex.run, args=(left,), daemon=True)
    worker.start()
    worker.join(left)
    if worker.is_alive():
        ex.abort()
        raise LrsError(f"the LRS at {url} did not answer within {timeout:g} s (--timeout)")
    ex.conn.close()
    failure = ex.failure
    if isinstance(failure, TimeoutError):
        raise LrsError(f"the LRS at {url} did not answer within {timeout:g} s (--timeout)")
    if isinstance(failure, OSError) and not isinstance(failure, http.client.HTTPException):
        reason = failure.strerror or str(failure) or type(failure).__name__
        raise LrsError(f"cannot reach the LRS at {url} ({_printable(reason.encode())})")
    if isinstance(failure, Exception):  # not HTTP: a bad status line, a header too long
        reason = f"{type(failure).__name__}: {str(failure)[:80]}".rstrip(": ")
        raise LrsError(f"the LRS at {url} gave no usable HTTP answer "
                       f"({_printable(reason.encode())})")
    if failure is not None:
        raise failure
    return ex


def _confirmed(reply: bytes, sent: list[str]) -> str:
    """Why ``reply`` does not confirm every id in ``sent`` ('' when it does)."""
    try:
        answer = json.loads(reply.decode("utf-8-sig"))
    except RecursionError:
        return "its answer nests too deeply to be a list of statement ids"
    except ValueError:
        return f"its answer is not JSON ({_printable(reply, 60) or 'empty'})"
    if not isinstance(answer, list) or not all(isinstance(x, str) for x in answer):
        return "its answer is not a list of statement ids"
    missing = set(sent) - set(answer)
    if missing:
        return (f"it confirmed {len(set(sent)) - len(missing)} of the {len(sent)} statements "
                "sent")
    if set(answer) - set(sent):
        return "it answered with ids of statements that were not sent"
    return ""


def post(lrs: str, batch: Sequence[Mapping[str, Any]], user: str | None,
         password: str | None, timeout: float = 30.0, size: int = BATCH) -> list[str]:
    """POST statements to the LRS (basic auth), ``size`` per request, all within ``timeout``
    seconds; return the ids the LRS confirmed (every one sent, or LrsError)."""
    url = statements_url(lrs)
    headers = {"Content-Type": "application/json", "X-Experience-API-Version": XAPI_VERSION}
    if user is not None:
        token = base64.b64encode(f"{user}:{password or ''}".encode()).decode("ascii")
        headers["Authorization"] = f"Basic {token}"
    deadline = time.monotonic() + timeout
    stored: list[str] = []
    for start in range(0, len(batch), size):
        chunk = list(batch[start:start + size])
        ex = _exchange(url, json.dumps(chunk).encode("utf-8"), headers, deadline, timeout)
        before = (f" ({len(stored)} statements sent before were stored)" if stored else "")
        if 300 <= ex.status < 400:
            where = f" to {_printable(ex.location.encode())}" if ex.location else ""
            raise LrsError(f"the LRS at {url} answered {ex.status} {ex.reason}, a redirect"
                           f"{where}: give the LRS's own address with --lrs{before}")
        if ex.status != 200:
            detail = _printable(ex.reply, 300)
            reason = _printable(ex.reason.encode())
            raise LrsError(f"the LRS at {url} answered {ex.status} {reason}"
                           + (f": {detail}" if detail else "") + before)
        if ex.too_large:
            raise LrsError(f"the LRS at {url} answered more than {MAX_REPLY:,} bytes, which is "
                           f"not a list of statement ids{before}")
        why = _confirmed(ex.reply, [str(s.get("id", "")) for s in chunk])
        if why:
            raise LrsError(f"the LRS at {url} did not confirm the statements: {why}{before}")
        stored.extend(str(s["id"]) for s in chunk)
    return stored
