"""``calmline serve``: textual-serve's server with sign-in in front of it.

Every page and the websocket need a valid session cookie (HttpOnly, SameSite=Strict,
expiring); the websocket's Origin must be this server's; each signed-in member gets one app
process (a second tab replaces the first), whose identity travels in its environment. The
results store is touched from one worker thread, never from the event loop.

Extends textual-serve's ``Server`` through private methods (``_make_app``,
``handle_websocket``, ``_process_messages``): textual-serve is pinned exactly.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

import aiohttp_jinja2
import jinja2
import textual_serve
from aiohttp import WSMsgType, web
from textual_serve.server import Server

from simulator.classroom import pages, roster
from simulator.classroom.children import GRACE, ChildService
from simulator.classroom.throttle import Throttle

log = logging.getLogger("calmline.classroom")
COOKIE = "calmline_session"
STATIC = Path(textual_serve.__file__).parent / "static"
TEMPLATES = Path(__file__).parent / "templates"
_OPEN = ("/signin", "/s/", "/static/", "/healthz")
T = TypeVar("T")
MEMBER = web.RequestKey("member", roster.Member)

_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; connect-src 'self' ws: wss:; "
                               "script-src 'self' 'unsafe-inline'; style-src 'self' "
                               "'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",  # no-referrer would make form posts say Origin: null
}


@dataclass
class Connection:
    """One browser connected to one app process."""

    member: roster.Member
    token: str
    websocket: web.WebSocketResponse
    service: ChildService


class ClassroomServer(Server):
    """The classroom: ``store_url`` holds the roster, sessions, sets and results."""

    def __init__(self, store_url: str, host: str = "127.0.0.1", port: int = 8000,
                 public_url: str | None = None, session_hours: float = 12.0,
                 max_sessions: int = 200, grace: float = GRACE,
                 trust_proxy: bool = False, throttle: Throttle | None = None,
                 anchor: Path | None = None) -> None:
        super().__init__("calmline classroom", host=host, port=port,
                         title="calmline classroom", public_url=public_url,
                         statics_path=STATIC, templates_path=TEMPLATES)
        self.fixed_public_url = public_url
        self.store_url = store_url
        self.lifetime = timedelta(hours=session_hours)
        self.max_sessions = max_sessions
        self.grace = grace
        self.trust_proxy = trust_proxy
        self.throttle = throttle or Throttle()
        self.connections: dict[int, Connection] = {}
        self.anchor = anchor
        """An anchor file the chain head is appended to whenever it moved (checked every
        watch round), kept outside the store."""
        self._anchored: tuple[int, str] | None = None
        self._db = ThreadPoolExecutor(1, thread_name_prefix="calmline-store")
        self._store: Any = None
        self._watch: asyncio.Task[None] | None = None

    def initialize_logging(self) -> None:
        """textual-serve's logging, without the access log (sign-in links carry codes)."""
        super().initialize_logging()
        logging.getLogger("aiohttp.access").setLevel(logging.WARNING)

    # -- the store, from its own thread --------------------------------------------------
    def _open(self) -> Any:
        if self._store is None:
            from scoring.store import open_store

            self._store = open_store(self.store_url)
        return self._store

    async def db(self, work: Callable[[Any], T]) -> T:
        """Run ``work(store)`` on the store thread."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._db, lambda: work(self._open()))

    # -- the web application -------------------------------------------------------------
    async def _make_app(self) -> web.Application:
        app = web.Application(middlewares=[self._guard], client_max_size=64 * 1024)
        aiohttp_jinja2.setup(app, loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True)
        app.add_routes([
            web.get("/", self.handle_index, name="index"),
            web.get("/ws", self.handle_websocket, name="websocket"),
            web.get("/signin", self.handle_sign_in_form),
            web.post("/signin", self.handle_sign_in),
            web.get("/s/{code}", self.handle_sign_in_link),
            web.post("/signout", self.handle_sign_out),
            web.get("/healthz", self.handle_health),
            web.get("/download/{key}", self.handle_download, name="download"),
            web.static("/static", STATIC, show_index=False, name="static"),
        ])
        app.on_startup.append(self.on_startup)
        app.on_shutdown.append(self.on_shutdown)
        app.on_cleanup.append(self.on_cleanup)
        return app

    @web.middleware
    async def _guard(self, request: web.Request,
                     handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
                     ) -> web.StreamResponse:
        """Everything but the sign-in pages and static files needs a valid session."""
        if not request.path.startswith(_OPEN) and request.path != "/signin":
            member = await self.member_of(request)
            if member is None:
                if request.path == "/":
                    raise web.HTTPFound("/signin")
                raise web.HTTPUnauthorized(text="sign in first\n")
            request[MEMBER] = member
        response = await handler(request)
        for name, value in _HEADERS.items():
            response.headers.setdefault(name, value)
        if not request.path.startswith("/static/"):
            response.headers.setdefault("Cache-Control", "no-store")
        return response

    async def member_of(self, request: web.Request) -> roster.Member | None:
        token = request.cookies.get(COOKIE, "")
        if not token:
            return None
        return await self.db(lambda store: roster.session_member(store, token))

    def client(self, request: web.Request) -> str:
        """Who is signing in, for throttling: the peer address (or, behind a trusted
        proxy, the address it forwarded)."""
        if self.trust_proxy:
            forwarded = request.headers.get("X-Forwarded-For", "")
            if forwarded:
                return forwarded.split(",")[-1].strip()[:64]
        return str(request.remote or "?")

    def origins(self, request: web.Request) -> set[str]:
        """The origins this server's pages are served from."""
        if self.fixed_public_url:
            parts = urlsplit(self.fixed_public_url)
            return {f"{parts.scheme}://{parts.netloc}"}
        return {f"http://{request.host}", f"https://{request.host}"}

    # -- sign-in -------------------------------------------------------------------------
    async def handle_sign_in_form(self, request: web.Request) -> web.Response:
        return web.Response(text=pages.sign_in_page(), content_type="text/html")

    async def handle_sign_in(self, request: web.Request) -> web.Response:
        origin = request.headers.get("Origin")
        if origin is not None and origin not in self.origins(request):
            raise web.HTTPForbidden(text="sign-in from another site refused\n")
        form = await request.post()
        return await self._sign_in(request, str(form.get("code", "")))

    async def handle_sign_in_link(self, request: web.Request) -> web.Response:
        return await self._sign_in(request, request.match_info["code"])

    async def _sign_in(self, request: web.Request, code: str) -> web.Response:
        client = self.client(request)
        wait = self.throttle.wait(client)
        if wait > 0:
            return web.Response(status=429, content_type="text/html",
                                headers={"Retry-After": str(int(wait) + 1)},
                                text=pages.sign_in_page(
                                    f"Too many wrong codes: try again in {int(wait) + 1} s."))
        found = await self.db(lambda store: roster.sign_in(store, code, self.lifetime))
        if found is None:
            self.throttle.failed(client)
            return web.Response(status=401, content_type="text/html",
                                text=pages.sign_in_page("That code is not valid (it may have "
                                                        "been revoked): check it with your "
                                                        "trainer."))
        member, token = found
        log.info("signed in: %s (%s)", member.name, member.role)
        response = web.HTTPSeeOther("/")
        secure = bool(self.fixed_public_url and self.fixed_public_url.startswith("https:"))
        response.set_cookie(COOKIE, token, max_age=int(self.lifetime.total_seconds()),
                            path="/", httponly=True, samesite="Strict", secure=secure)
        raise response

    async def handle_sign_out(self, request: web.Request) -> web.Response:
        token = request.cookies.get(COOKIE, "")
        await self.db(lambda store: roster.sign_out(store, token))
        member = request[MEMBER]
        conn = self.connections.get(member.id)
        if conn is not None and conn.token == token:
            await conn.websocket.close()
        response = web.Response(text=pages.message_page("Signed out", "You are signed out "
                                                        "on this browser."),
                                content_type="text/html")
        response.del_cookie(COOKIE, path="/")
        return response

    async def handle_health(self, request: web.Request) -> web.Response:
        return web.Response(text=f"ok {len(self.connections)} sessions\n")

    # -- the app page and its websocket --------------------------------------------------
    async def handle_index(self, request: web.Request) -> web.Response:
        member: roster.Member = request[MEMBER]
        base = self.fixed_public_url or f"{request.scheme}://{request.host}"
        ws = ("wss:" if base.startswith("https:") else "ws:") + base.split(":", 1)[1]
        context = {"font_size": _clamp(request.query.get("fontsize", "16"), 16, 8, 40),
                   "app_websocket_url": f"{ws.rstrip('/')}/ws",
                   "config": {"static": {"url": f"{base.rstrip('/')}/static/"}},
                   "application": {"name": "calmline classroom"},
                   "member": f"{member.name} ({member.role})", "ping_url": ""}
        return aiohttp_jinja2.render_template("app_index.html", request, context)

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        member: roster.Member = request[MEMBER]
        if request.headers.get("Origin") not in self.origins(request):
            raise web.HTTPForbidden(text="websocket from another origin refused\n")
        old = self.connections.get(member.id)
        if old is None and len(self.connections) >= self.max_sessions:
            raise web.HTTPServiceUnavailable(text="the classroom is full\n")
        if old is not None:  # one app per member: a new tab replaces the old one
            await old.websocket.close()
            await old.service.stop()
        websocket = web.WebSocketResponse(heartbeat=15, max_msg_size=64 * 1024)
        await websocket.prepare(request)
        service = ChildService(self.command, identity=self.identity(member), grace=self.grace,
                               write_bytes=websocket.send_bytes, write_str=websocket.send_str,
                               close=websocket.close, download_manager=self.download_manager)
        conn = Connection(member, request.cookies.get(COOKIE, ""), websocket, service)
        self.connections[member.id] = conn
        try:
            await service.start(_clamp(request.query.get("width"), 80, 20, 400),
                                _clamp(request.query.get("height"), 24, 10, 200))
            await self._process_messages(websocket, service)
        except asyncio.CancelledError:
            pass
        except Exception as exc:  # a broken client or child: this connection only
            log.warning("session of %s ended: %s", member.name, exc)
        finally:
            await service.stop()
            if self.connections.get(member.id) is conn:
                del self.connections[member.id]
            with contextlib.suppress(Exception):
                await websocket.close()
        return websocket

    def identity(self, member: roster.Member) -> dict[str, str]:
        """What the child knows: who is signed in, in which role, and the store."""
        return {"CALMLINE_CLASSROOM_NAME": member.name, "CALMLINE_CLASSROOM_ROLE": member.role,
                "CALMLINE_DB": self.store_url}

    async def _process_messages(self, websocket: web.WebSocketResponse,
                                app_service: Any) -> None:
        """The browser's messages, checked: keys as text, sizes clamped, nothing else."""
        async for message in websocket:
            if message.type != WSMsgType.TEXT:
                continue
            try:
                envelope = message.json()
            except ValueError:
                continue
            if not isinstance(envelope, list) or not envelope:
                continue
            kind = envelope[0]
            data = envelope[1] if len(envelope) > 1 else None
            if kind == "stdin" and isinstance(data, str):
                await app_service.send_bytes(data.encode("utf-8"))
            elif kind == "resize" and isinstance(data, dict):
                await app_service.set_terminal_size(_clamp(data.get("width"), 80, 20, 400),
                                                    _clamp(data.get("height"), 24, 10, 200))
            elif kind == "ping" and isinstance(data, str | int | float):
                await websocket.send_json(["pong", data])
            elif kind == "blur":
                await app_service.blur()
            elif kind == "focus":
                await app_service.focus()

    # -- lifetime ------------------------------------------------------------------------
    async def on_startup(self, app: web.Application) -> None:
        await self.db(lambda store: None)  # open (and migrate) the store before serving
        self._watch = asyncio.create_task(self._watch_sessions())
        log.info("calmline classroom on http://%s:%s", self.host, self.port)

    async def _watch_sessions(self, every: float = 10.0) -> None:
        """Close the app of anyone whose session expired or whose code was revoked; anchor
        the chain head when it moved."""
        while True:
            await asyncio.sleep(every)
            await self.check_sessions()
            if self.anchor is not None:
                try:
                    await self.db(self._anchor_head)
                except Exception as exc:  # keep serving; say why the anchor stopped
                    log.error("cannot anchor the chain head in %s: %s", self.anchor, exc)

    def _anchor_head(self, store: Any) -> None:
        from scoring import anchor
        from scoring.signing import load_signing_key

        now = anchor.head(store)
        if now != self._anchored and now[0] > 0:
            assert self.anchor is not None
            anchor.append(self.anchor, store, load_signing_key(create=False))
            self._anchored = now

    async def check_sessions(self) -> None:
        for conn in list(self.connections.values()):
            member = await self.db(_member_check(conn.token))
            if member is None:
                log.info("session of %s ended (revoked or expired)", conn.member.name)
                await conn.websocket.close()

    async def on_shutdown(self, app: web.Application) -> None:
        """Close every browser connection and stop (kill, reap) every app process."""
        if self._watch is not None:
            self._watch.cancel()
        conns = list(self.connections.values())
        for conn in conns:
            with contextlib.suppress(Exception):
                await conn.websocket.close()
        await asyncio.gather(*(c.service.stop() for c in conns), return_exceptions=True)

    async def on_cleanup(self, app: web.Application) -> None:
        if self._store is not None:
            await self.db(lambda store: store.close())
        self._db.shutdown(wait=True)


def _member_check(token: str) -> Callable[[Any], roster.Member | None]:
    return lambda store: roster.session_member(store, token)


def _clamp(value: object, default: int, low: int, high: int) -> int:
    try:
        number = int(str(value))
    except ValueError:
        return default
    return max(low, min(high, number))
