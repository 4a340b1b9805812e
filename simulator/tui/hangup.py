"""Leaving when the terminal goes away (a closed window, a killed tmux server, a dropped SSH
connection), however calmline was started.

Started directly, calmline leads its terminal's session: the kernel sends it SIGHUP, and
SIGCONT with it, on which Textual would start its terminal mode again on the dead terminal.
Started under a program that stays (``make run``, a wrapper script), that program gets the
SIGHUP and waits for calmline, which is sent nothing: its terminal only reads as ended, which
Textual's input thread reads over and over. So a watch both handles SIGHUP and waits in a
thread (blocked, not polling) for the terminal to report the hangup. Either way it points the
standard streams that were the terminal at ``/dev/null`` (writing to a hung-up terminal
fails, and the app still writes while it closes), then exits the app by its usual path: an
open call is abandoned and its recorder hears of it.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import select
import signal
import stat
import sys
import threading
from types import FrameType
from typing import Any

from textual.app import App

#: The exit status after a hangup (128 + SIGHUP, as a shell reports a hung-up program).
HANGUP_STATUS = 128 + signal.SIGHUP

_GONE = select.POLLHUP | select.POLLERR | select.POLLNVAL


def terminal_fd() -> int | None:
    """The descriptor of the terminal the app reads keys from (standard input), or None when
    standard input is no terminal (a pipe, as in the classroom, or nothing)."""
    stream = sys.__stdin__
    try:
        fd = stream.fileno() if stream is not None else -1
        if fd < 0:
            return None
        if os.isatty(fd):
            return fd
        # A terminal that has already hung up no longer answers as one, but it is still a
        # character device that reports the hangup (/dev/null reports none).
        return fd if stat.S_ISCHR(os.fstat(fd).st_mode) and hung_up(fd) else None
    except (OSError, ValueError):
        return None


def hung_up(fd: int) -> bool:
    """True once the terminal on ``fd`` has hung up (its other end closed). Reads nothing."""
    poller = select.poll()
    poller.register(fd, 0)  # hangup, error and a closed descriptor are always reported
    return any(events & _GONE for _, events in poller.poll(0))


def _identity(fd: int) -> tuple[int, int]:
    st = os.fstat(fd)
    return st.st_dev, st.st_ino


def _ignore(signum: int, frame: FrameType | None) -> None:
    """A signal handler that does nothing."""


class HangupWatch:
    """Exits an app with :data:`HANGUP_STATUS` when its terminal (``fd``) goes away. Start it
    from the running app; stop it when the app closes."""

    def __init__(self, app: App[Any], fd: int) -> None:
        self.app = app
        self.fd = fd
        self.terminal = _identity(fd)
        self.loop = asyncio.get_running_loop()
        self._lock = threading.RLock()  # the signal handler may take it on the main thread
        self._gone = False
        self._wake_read, self._wake_write = os.pipe()
        self._thread = threading.Thread(target=self._wait, name="calmline-hangup", daemon=True)
        self._previous: Any = None
        self._handling = False

    def start(self) -> None:
        with contextlib.suppress(ValueError):  # signals are handled on the main thread only
            self._previous = signal.signal(signal.SIGHUP, self._on_signal)
            self._handling = True
        self._thread.start()

    def stop(self) -> None:
        if self._handling:
            self._handling = False
            signal.signal(signal.SIGHUP, signal.SIG_DFL if self._previous is None
                          else self._previous)
        if self._thread.is_alive():
            os.write(self._wake_write, b"x")
            self._thread.join()
        for fd in (self._wake_read, self._wake_write):
            with contextlib.suppress(OSError):
                os.close(fd)

    def _wait(self) -> None:
        poller = select.poll()
        poller.register(self.fd, 0)  # only hangup, error or a closed descriptor wake it
        poller.register(self._wake_read, select.POLLIN)
        while True:
            for fd, events in poller.poll():
                if fd == self._wake_read:
                    return
                if events & _GONE:
                    self._hung_up()
                    return

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        # The kernel sends SIGCONT along with SIGHUP; Textual would take it as a resume from
        # Ctrl+Z and set the dead terminal up again. Python runs this handler first.
        signal.signal(signal.SIGCONT, _ignore)
        self._hung_up()

    def _hung_up(self) -> None:
        with self._lock:
            if self._gone:
                return
            self._gone = True
        self._detach()
        with contextlib.suppress(RuntimeError):  # the app's loop has closed: nothing to exit
            self.loop.call_soon_threadsafe(self._exit)

    def _detach(self) -> None:
        """Point the standard streams that were the terminal at /dev/null."""
        null = os.open(os.devnull, os.O_RDWR)
        try:
            for fd in (0, 1, 2):
                with contextlib.suppress(OSError):
                    if _identity(fd) == self.terminal:
                        os.dup2(null, fd)
        finally:
            os.close(null)

    def _exit(self) -> None:
        self.app.exit(return_code=HANGUP_STATUS)


def watch_hangup(app: App[Any]) -> HangupWatch | None:
    """Start a :class:`HangupWatch` on ``app``'s terminal (from ``on_mount``), or return None
    for a headless app or one without a terminal."""
    fd = terminal_fd()
    if app.is_headless or fd is None:
        return None
    watch = HangupWatch(app, fd)
    watch.start()
    return watch
