"""Whether the process that holds an attempt open still runs (so a dead one can be reaped)."""

from __future__ import annotations

import os
from datetime import datetime, timedelta

from simulator.engine.moments import parse_iso

#: An in-progress attempt from another host whose heartbeat is older than this is abandoned.
STALE_AFTER = timedelta(minutes=30)


def proc_token(pid: int) -> str:
    """A token naming one run of process ``pid`` (its start time), so a reused pid differs."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            fields = fh.read().rsplit(b")", 1)[1].split()
        return f"{pid}:{fields[19].decode()}"
    except (OSError, IndexError):
        return str(pid)


def alive(pid: int, token: str) -> bool:
    """True while the process that wrote ``token`` still runs on this host."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            state = fh.read().rsplit(b")", 1)[1].split()[0]
        if state in (b"Z", b"X"):
            return False
    except (OSError, IndexError):
        pass
    return ":" not in token or proc_token(pid) == token


def is_dead(here: str, host: str, pid: int, proc: str, heartbeat: str, now: datetime) -> bool:
    """True when the process (``host``, ``pid``, ``proc``) that last beat at ``heartbeat``
    is gone: on this host (``here``) it no longer runs; elsewhere its heartbeat is stale."""
    if host == here:
        return not alive(int(pid), proc)
    return now - parse_iso(heartbeat) > STALE_AFTER
