"""Classroom load benchmark: N trainees at once over the websocket protocol (no browser).

Starts a real ``calmline serve`` on 127.0.0.1 with a fresh store, puts N trainees on the
roster, signs each in over HTTP, opens N websockets (as the page's terminal does), waits
for every first screen, then has every trainee press keys at once (moving up and down the
classroom's list of two approved sets and free practice, a key every 0.3-0.6 s). Each
trainee's screen is a pyte terminal fed with what the server sends. Reported:

- time to the first screen (sign-in done, websocket opened, app process started);
- key -> screen latency: from sending a key until the screen it changes is received;
- memory per session: the unique memory (USS) of each app process, and the server's own.

Goal on the 2-core machine: 20 sessions, key -> screen p50 under 100 ms.
Run: ``.venv/bin/python benchmarks/bench_classroom.py [--sessions 20] [--keys 15]``.
Only loopback traffic; bounded in count and time; the server and its apps are stopped at
the end. Exits 1 if the p50 goal is missed.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import aiohttp
import pyte

CALMLINE = Path(sys.executable).parent / "calmline"
GOAL_MS = 100.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def uss_kib(pid: int) -> int:
    """Unique memory of a process (private clean + dirty pages), in KiB."""
    total = 0
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith(("Private_Clean:", "Private_Dirty:")):
                total += int(line.split()[1])
    except OSError:
        return 0
    return total


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time used so far by ``pids``."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / ticks


def children_of(pid: int) -> list[int]:
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(stat[1]) == pid:
                out.append(int(entry.name))
    return out


class Trainee:
    """One trainee's browser: a cookie, a websocket and a terminal screen."""

    def __init__(self, base: str, code: str) -> None:
        self.base = base
        self.code = code
        self.screen = pyte.Screen(100, 30)
        self.stream = pyte.ByteStream(self.screen)
        self.latencies: list[float] = []
        self.first_screen = 0.0
        self.changed = asyncio.Event()
        self.typed = asyncio.Event()
        self.release = asyncio.Event()

    def text(self) -> str:
        return "\n".join(self.screen.display)

    def look(self) -> int:
        """The screen as shown, colours included (a highlight that moves changes it)."""
        buffer = self.screen.buffer
        return hash(tuple((c.data, c.fg, c.bg, c.reverse) for y in range(self.screen.lines)
                          for c in buffer[y].values()))

    async def run(self, keys: int, start: asyncio.Event, rng: random.Random) -> None:
        t0 = time.perf_counter()
        async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as http:
            async with http.post(f"{self.base}/signin", data={"code": self.code},
                                 allow_redirects=False) as r:
                assert r.status == 303, r.status
            async with http.ws_connect(f"{self.base}/ws?width=100&height=30",
                                       headers={"Origin": self.base}) as ws:
                reader = asyncio.create_task(self._read(ws))
                while "signed in as" not in self.text():
                    await asyncio.wait_for(self.changed.wait(), 60)
                    self.changed.clear()
                self.first_screen = time.perf_counter() - t0
                await start.wait()
                for i in range(keys):
                    await asyncio.sleep(rng.uniform(0.3, 0.6))
                    before = self.look()
                    self.changed.clear()
                    sent = time.perf_counter()
                    await ws.send_json(["stdin", "\x1b[B" if i % 2 == 0 else "\x1b[A"])
                    while self.look() == before:
                        await asyncio.wait_for(self.changed.wait(), 30)
                        self.changed.clear()
                    self.latencies.append(time.perf_counter() - sent)
                self.typed.set()
                await self.release.wait()  # keep the app until its CPU time is read
                reader.cancel()

    async def _read(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        async for message in ws:
            if message.type == aiohttp.WSMsgType.BINARY:
                self.stream.feed(message.data)
                self.changed.set()


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def drive(base: str, codes: list[str], keys: int, server_pid: int) -> int:
    rng = random.Random(7)
    start = asyncio.Event()
    trainees = [Trainee(base, code) for code in codes]
    tasks = []
    for t in trainees:  # arrivals a little apart, as a room signs in
        tasks.append(asyncio.create_task(t.run(keys, start, random.Random(rng.random()))))
        await asyncio.sleep(0.2)
    while not all(t.first_screen for t in trainees):
        await asyncio.sleep(0.2)
        for task in tasks:
            if task.done() and task.exception():
                raise task.exception()  # type: ignore[misc]
    await asyncio.sleep(1.0)
    apps = children_of(server_pid)
    uss = [uss_kib(p) for p in apps]
    server_rss = rss_kib(server_pid)
    cpu_before = cpu_seconds([*apps, server_pid])
    wall = time.perf_counter()
    start.set()
    await asyncio.wait_for(asyncio.gather(*(t.typed.wait() for t in trainees)), 600)
    wall = time.perf_counter() - wall
    cpu = cpu_seconds([*apps, server_pid]) - cpu_before
    for t in trainees:
        t.release.set()
    await asyncio.wait_for(asyncio.gather(*tasks), 120)
    firsts = [t.first_screen * 1000 for t in trainees]
    lat = [x * 1000 for t in trainees for x in t.latencies]
    p50 = statistics.median(lat)
    print(f"sessions: {len(trainees)} (app processes seen: {len(apps)})")
    print(f"first screen (sign-in to first frame): p50 {statistics.median(firsts):.0f} ms, "
          f"p90 {pct(firsts, 0.9):.0f} ms, max {max(firsts):.0f} ms")
    print(f"key -> screen: {len(lat)} keys, p50 {p50:.1f} ms, p90 {pct(lat, 0.9):.1f} ms, "
          f"max {max(lat):.1f} ms (goal: p50 under {GOAL_MS:.0f} ms)")
    print(f"CPU of the server and its apps while typing: {cpu:.1f} s over {wall:.1f} s "
          f"({cpu / max(len(lat), 1) * 1000:.0f} ms per key)")
    if uss:
        print(f"memory per session (unique, USS): mean {statistics.mean(uss) / 1024:.1f} MiB, "
              f"max {max(uss) / 1024:.1f} MiB; server RSS {server_rss / 1024:.1f} MiB")
    return 0 if p50 < GOAL_MS else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--keys", type=int, default=15, help="keys per trainee")
    args = parser.parse_args()
    if not 1 <= args.sessions <= 200 or not 1 <= args.keys <= 200:
        parser.error("--sessions and --keys must be between 1 and 200")
    load = os.getloadavg()
    print(f"load average before: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} "
          f"({os.cpu_count()} cores)")
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "CALMLINE_CONFIG_DIR": str(Path(tmp) / "config")}
        db = str(Path(tmp) / "classroom.sqlite3")
        from scoring.store import open_store
        from simulator.classroom import roster

        os.environ["CALMLINE_CONFIG_DIR"] = env["CALMLINE_CONFIG_DIR"]
        from scoring import sets
        from scoring.signing import load_signing_key
        from simulator import library

        with open_store(db) as store:
            codes = [roster.add(store, f"Trainee {i:03d}")[1] for i in range(args.sessions)]
            key = load_signing_key(create=True)
            for name, ids in (("onboarding", ("lawsuit-bluff", "our-mistake")),
                              ("advanced", ("vulgar-caller",))):
                picked = [library.resolve(i) for i in ids]
                sets.add(store, key, name, [(s, Path(s.path).read_bytes()) for s in picked], 0)
        port = free_port()
        log = open(Path(tmp) / "serve.log", "w")  # noqa: SIM115
        server = subprocess.Popen([str(CALMLINE), "serve", "--port", str(port), "--db", db],
                                  env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            for _ in range(300):
                try:
                    with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                        break
                except OSError:
                    time.sleep(0.1)
            return asyncio.run(drive(f"http://127.0.0.1:{port}", codes, args.keys,
                                     server.pid))
        finally:
            server.terminate()
            try:
                server.wait(30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
            log.close()
            left = [p for p in children_of(server.pid)]
            if left:
                print(f"warning: {len(left)} app processes outlived the server")


if __name__ == "__main__":
    sys.exit(main())
