"""Sign-in throttling: failed attempts are counted per client and in total over a sliding
window; past the limit, sign-in answers "wait" without even looking at the code."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable


class Throttle:
    """At most ``per_client`` failures per client and ``overall`` failures in total within
    ``window`` seconds (the total stops a brute force spread over many addresses)."""

    def __init__(self, per_client: int = 10, overall: int = 200, window: float = 600.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.per_client = per_client
        self.overall = overall
        self.window = window
        self.clock = clock
        self._clients: dict[str, deque[float]] = {}
        self._all: deque[float] = deque()

    def _trim(self, q: deque[float], now: float) -> None:
        while q and q[0] <= now - self.window:
            q.popleft()

    def wait(self, client: str) -> float:
        """Seconds ``client`` must wait before its next attempt (0: go ahead)."""
        now = self.clock()
        self._trim(self._all, now)
        q = self._clients.get(client)
        if q is not None:
            self._trim(q, now)
            if not q:
                del self._clients[client]
        waits = [0.0]
        if q is not None and len(q) >= self.per_client:
            waits.append(q[0] + self.window - now)
        if len(self._all) >= self.overall:
            waits.append(self._all[0] + self.window - now)
        return max(waits)

    def failed(self, client: str) -> None:
        """Count a failed attempt by ``client``."""
        now = self.clock()
        self._clients.setdefault(client, deque()).append(now)
        self._all.append(now)
        if len(self._clients) > 100_000:  # a flood of addresses: forget the oldest
            self._clients.pop(next(iter(self._clients)))
