"""Terminal UI benchmarks: cold start to the first frame, and key-press-to-screen latency.

(a) Cold start: the installed ``calmline`` (the call screen of ``calmline play``, and the
catalogue of plain ``calmline``) started in a pseudo-terminal of 80x24 until its first frame is
drawn (``CALMLINE_EXIT_AFTER_FIRST_FRAME=1`` makes it exit there), next to a minimal Textual
app that exits after its own first frame, measured in the same run, interleaved.
Target: calmline within 1.3x of the minimal app.

(b) Latency: the median time from writing a choice key to the terminal until the screen it
leads to has been written back (its next turn, or the end screen), over whole calls of the
named scenarios along their best paths, in the same kind of pseudo-terminal.
Target: under 50 ms.

Run: ``.venv/bin/python benchmarks/bench_tui.py [--runs N]``. Exits 1 if a target is missed.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import os
import pty
import select
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CALMLINE = Path(sys.executable).parent / "calmline"
SCENARIO = "lawsuit-bluff"
NAMED = ("vulgar-caller", "lawsuit-bluff", "guarantee-abuser")
START_RATIO = 1.3
LATENCY_MS = 50.0

MINIMAL_APP = '''
from textual.app import App
from textual.widgets import Footer, Static


class Minimal(App):
    def compose(self):
        yield Static("ready")
        yield Footer()

    def on_mount(self):
        self.call_after_refresh(self.exit)


Minimal().run()
'''


def time_to_first_frame(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Seconds from spawning ``argv`` in an 80x24 pseudo-terminal until it exits, and the
    CPU seconds it used (less sensitive to other load on the machine)."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, env=env,
                            start_new_session=True, cwd=ROOT)
    os.close(slave)
    status, usage = 0, None
    try:
        while True:  # keep the terminal drained so the app never blocks on output
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            ready, _, _ = select.select([master], [], [], 0.01)
            if ready:
                with contextlib.suppress(OSError):
                    os.read(master, 65536)
        elapsed = time.perf_counter() - start
    finally:
        if usage is None:
            proc.kill()
            proc.wait()
        os.close(master)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise RuntimeError(f"{argv} exited with {proc.returncode}")
    return elapsed, usage.ru_utime + usage.ru_stime


def cold_start(runs: int) -> dict[str, list[tuple[float, float]]]:
    """Interleaved cold starts of the minimal app, ``calmline play`` and plain ``calmline``."""
    env = {**os.environ, "TERM": "xterm-256color", "CALMLINE_EXIT_AFTER_FIRST_FRAME": "1"}
    env.pop("NO_COLOR", None)
    # As on any user's machine, the first start writes the bytecode cache; the runs measured
    # start with it (some sandboxes set PYTHONDONTWRITEBYTECODE, which would make every start
    # recompile calmline's sources while Textual's stay compiled since installation).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as f:
        f.write(MINIMAL_APP)
        minimal = f.name
    commands = {
        "minimal Textual app": [sys.executable, minimal],
        f"calmline play {SCENARIO}": [str(CALMLINE), "play", SCENARIO, "--no-animation"],
        "calmline (catalogue)": [str(CALMLINE), "--no-animation"],
    }
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
    try:
        for argv in commands.values():  # warm the file cache once; not counted
            time_to_first_frame(argv, env)
        for i in range(runs):
            order = list(commands.items())
            if i % 2:
                order.reverse()
            for name, argv in order:
                times[name].append(time_to_first_frame(argv, env))
    finally:
        os.unlink(minimal)
    return times


def _spawn(argv: list[str], env: dict[str, str]) -> tuple[subprocess.Popen[bytes], int]:
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    proc = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, env=env,
                            start_new_session=True, cwd=ROOT)
    os.close(slave)
    return proc, master


def _read_until(master: int, needle: bytes, timeout: float = 10.0) -> bytes:
    """Read the terminal until ``needle`` has been written; return what was read."""
    seen = b""
    deadline = time.perf_counter() + timeout
    while needle not in seen:
        left = deadline - time.perf_counter()
        if left <= 0:
            raise TimeoutError(f"{needle!r} never reached the terminal")
        ready, _, _ = select.select([master], [], [], left)
        if ready:
            seen += os.read(master, 65536)
    return seen


def _drain(master: int, quiet: float = 0.05) -> None:
    """Read until the terminal has been quiet for ``quiet`` seconds."""
    while select.select([master], [], [], quiet)[0]:
        os.read(master, 65536)


def latency_in_terminal(scenario_id: str) -> list[float]:
    """Seconds from writing each choice key to the terminal until the screen it leads to
    (its next turn, or the end of the call) has been written back, over the best path."""
    sys.path.insert(0, str(ROOT))
    from scoring.recording import Mode
    from simulator.engine.analysis import analyze
    from simulator.library import resolve
    from simulator.training import Attempt

    scenario = resolve(scenario_id)
    choices = list(analyze(scenario).best.choices)
    # Practice shuffles the replies too: the program gets seed 0, and this attempt with the
    # same seed says which number key gives each reply.
    session = Attempt(scenario, Mode.PRACTICE, seed=0).session
    env = {**os.environ, "TERM": "xterm-256color"}
    for name in ("NO_COLOR", "PYTHONDONTWRITEBYTECODE", "CALMLINE_EXIT_AFTER_FIRST_FRAME"):
        env.pop(name, None)
    proc, master = _spawn([str(CALMLINE), "play", scenario_id, "--no-animation", "--seed", "0"],
                          env)
    out: list[float] = []
    try:
        _read_until(master, b"turn 1")
        _drain(master)
        for choice in choices:
            key = str(session.option_ids().index(choice) + 1)
            session.choose(choice)
            shows = b"Call ended" if session.finished else f"turn {session.turn + 1}".encode()
            start = time.perf_counter()
            os.write(master, key.encode())
            _read_until(master, shows)
            out.append(time.perf_counter() - start)
            _drain(master)
        os.write(master, b"q")
        deadline = time.perf_counter() + 10
        while proc.poll() is None and time.perf_counter() < deadline:
            with contextlib.suppress(OSError):  # drained: closing, it must not block on output
                _drain(master)
        proc.wait(timeout=1)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        os.close(master)
    return out


def latency() -> list[float]:
    """Press-to-screen latencies over whole calls of the named scenarios (seconds)."""
    found: list[float] = []
    for scenario_id in NAMED:
        found += latency_in_terminal(scenario_id)
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9, help="cold starts per program")
    args = parser.parse_args()

    ok = True
    times = cold_start(args.runs)
    base = statistics.median(t for t, _ in times["minimal Textual app"])
    base_cpu = statistics.median(c for _, c in times["minimal Textual app"])
    print(f"(a) cold start to the first frame, 80x24, median of {args.runs} runs")
    print(f"    {'':<28} {'wall':>9}   {'ratio':>5}   {'cpu':>9}   {'ratio':>5}")
    for name, values in times.items():
        wall = statistics.median(t for t, _ in values)
        cpu = statistics.median(c for _, c in values)
        ratio = wall / base
        print(f"    {name:<28} {wall * 1000:6.1f} ms   {ratio:4.2f}x   "
              f"{cpu * 1000:6.1f} ms   {cpu / base_cpu:4.2f}x")
        if name != "minimal Textual app" and ratio > START_RATIO:
            ok = False
    print(f"    target: wall-clock median within {START_RATIO}x of the minimal app")

    found = latency()
    found.sort()
    med = statistics.median(found)
    p90 = found[int(0.9 * (len(found) - 1))]
    print(f"(b) choice key press to updated screen in the terminal, {len(found)} presses over "
          f"{', '.join(NAMED)}")
    print(f"    median {med * 1000:.1f} ms   p90 {p90 * 1000:.1f} ms   "
          f"max {found[-1] * 1000:.1f} ms   (target: median under {LATENCY_MS:.0f} ms)")
    if med * 1000 >= LATENCY_MS:
        ok = False
    print("all targets met" if ok else "a target was missed")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
