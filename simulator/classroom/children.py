"""One app process per signed-in trainee: started without a shell, with an environment built
from an allow-list (the trainee's identity in it, never on the command line, and none of the
server's secrets), and killed and reaped when the browser goes, even if it ignores SIGTERM.

This extends textual-serve's ``AppService`` through private methods (``_open_app_process``,
``_build_environment``); textual-serve is pinned exactly and the integration is tested.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
from collections.abc import Mapping
from typing import Any

from textual_serve.app_service import AppService

#: The child command: calmline's classroom app (no user data in it).
CHILD = (sys.executable, "-m", "simulator.tui.served")

#: Variables copied from the server's environment (everything else is dropped: database
#: passwords in other variables, LRS credentials, cloud keys...).
PASSED = ("PATH", "HOME", "LANG", "LANGUAGE", "TZ", "TMPDIR", "VIRTUAL_ENV", "PYTHONPATH",
          "CALMLINE_CONFIG_DIR", "NO_COLOR")

#: Seconds a child has to exit after being asked to quit, and after SIGTERM.
GRACE = 3.0


def child_environment(base: Mapping[str, str], extra: Mapping[str, str]) -> dict[str, str]:
    """The child's environment: the allow-listed variables of ``base`` (and ``LC_*``),
    then ``extra`` (identity, store, terminal size)."""
    env = {k: v for k, v in base.items() if k in PASSED or k.startswith("LC_")}
    env.update(extra)
    return env


class ChildService(AppService):
    """An :class:`AppService` for one signed-in member."""

    def __init__(self, command: str, *, identity: Mapping[str, str], grace: float = GRACE,
                 **kwargs: Any) -> None:
        super().__init__(command, **kwargs)
        self.identity = dict(identity)
        self.grace = grace

    def _build_environment(self, width: int = 80, height: int = 24) -> dict[str, str]:
        textual = {k: v for k, v in super()._build_environment(width, height).items()
                   if k.startswith("TEXTUAL") or k in ("TERM_PROGRAM", "TERM_PROGRAM_VERSION",
                                                        "COLUMNS", "ROWS")}
        return child_environment(os.environ, {**textual, **self.identity})

    async def _open_app_process(self, width: int = 80, height: int = 24) -> Any:
        """Start the child directly (no shell), in its own process group."""
        self._process = process = await asyncio.create_subprocess_exec(
            *CHILD, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE, env=self._build_environment(width, height),
            start_new_session=True)
        assert process.stdin is not None
        self._stdin = process.stdin
        return process

    async def run(self) -> None:
        """Relay the app's output; when the app ends (or fails to start), close the
        browser's websocket too, so the page says the session ended."""
        try:
            await super().run()
        finally:
            with contextlib.suppress(Exception):
                await self.remote_close()

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    async def stop(self) -> None:
        """Ask the app to quit; after the grace period SIGTERM its process group, then
        SIGKILL; always reap it (no zombie, no orphan spinning at 100% CPU)."""
        process = self._process
        task = self._task
        if task is not None:
            with contextlib.suppress(Exception):
                await self._download_manager.cancel_app_downloads(
                    app_service_id=self.app_service_id)
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.send_meta({"type": "quit"}), self.grace)
        if process is not None and process.returncode is None:
            for sig in (None, signal.SIGTERM, signal.SIGKILL):
                if sig is not None:
                    with contextlib.suppress(ProcessLookupError, PermissionError):
                        os.killpg(process.pid, sig)
                try:
                    await asyncio.wait_for(process.wait(), self.grace)
                    break
                except TimeoutError:
                    continue
        if task is not None:
            self._task = None
            if not task.done():
                task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
