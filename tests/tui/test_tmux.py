"""The real installed ``calmline`` in a tmux pane of 80x24: a call played to its end by keys,
the scorecard read back from the screen. Runs in CI (``.ci/run`` installs tmux)."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from simulator.engine.loader import load
from simulator.engine.session import Session
from tests.tui.driving import CALL, key_for

#: The attempt's seed: it sets the order the replies are shown in.
SEED = 7

CALMLINE = Path(sys.executable).parent / "calmline"

pytestmark = pytest.mark.skipif(
    shutil.which("tmux") is None and not os.environ.get("CI"),
    reason="tmux is not installed (CI installs it and never skips this test)",
)


class Pane:
    """One tmux pane on a private server."""

    def __init__(self, socket: str, status_file: Path) -> None:
        self.tmux = ["tmux", "-L", socket]
        self.status_file = status_file

    def run(self, *args: str) -> str:
        done = subprocess.run([*self.tmux, *args], capture_output=True, text=True, timeout=10)
        assert done.returncode == 0, done.stderr
        return done.stdout

    def capture(self) -> str:
        return self.run("capture-pane", "-p", "-t", "call")

    def send(self, *keys: str) -> None:
        self.run("send-keys", "-t", "call", *keys)

    def wait_for(self, text: str, timeout: float = 20.0) -> str:
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.capture()
            if text in screen:
                return screen
            time.sleep(0.05)
        raise AssertionError(f"{text!r} did not appear; the screen was:\n{screen}")

    def status(self, timeout: float = 10.0) -> int:
        """The exit status of calmline, once it has exited."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.status_file.exists() and self.status_file.read_text().strip():
                return int(self.status_file.read_text())
            time.sleep(0.05)
        raise AssertionError(f"calmline did not exit:\n{self.capture()}")


def open_pane(socket: str, status_file: Path, args: str) -> Iterator[Pane]:
    """``calmline ARGS`` in an 80x24 pane of a private tmux server, closed afterwards."""
    assert CALMLINE.exists(), f"the calmline command is not installed at {CALMLINE}"
    p = Pane(socket, status_file)
    command = (f"{shlex.quote(str(CALMLINE))} {args}; "
               f"echo $? > {shlex.quote(str(p.status_file))}")
    env = {**os.environ, "TERM": "xterm-256color"}
    env.pop("TMUX", None)
    env.pop("NO_COLOR", None)
    subprocess.run([*p.tmux, "-f", "/dev/null", "new-session", "-d", "-s", "call", "-x", "80",
                    "-y", "24", "-e", "TERM=xterm-256color", command],
                   check=True, env=env, timeout=10)
    socket_path = Path(p.run("display-message", "-p", "#{socket_path}").strip())
    try:
        p.run("set-option", "-t", "call", "remain-on-exit", "on")
        yield p
    finally:
        subprocess.run([*p.tmux, "kill-server"], capture_output=True, timeout=10)
        socket_path.unlink(missing_ok=True)


@pytest.fixture
def pane(tmp_path: Path) -> Iterator[Pane]:
    yield from open_pane(f"calmline-test-{os.getpid()}", tmp_path / "status",
                         f"play {shlex.quote(str(CALL))} --no-animation --seed {SEED}")


def test_a_call_played_to_its_end_shows_the_scorecard(pane: Pane) -> None:
    screen = pane.wait_for("Ravi Mehta · Pulse 600 blender · $79.50")
    assert "Practice · turn 1" in screen and "1-9 Reply" in screen
    lines = screen.splitlines()
    assert len(lines) <= 24 and max(len(line) for line in lines) <= 80

    # The keys follow the order drawn from the seed, as `calmline run --seed` shows it.
    order = Session(load(CALL), seed=SEED, shuffle=True)
    for n, choice in enumerate(order.current().options, 1):
        assert f" {n} {choice.say[:30]}" in screen
    pane.send(key_for(order, "sorry-ask"))
    order.choose("sorry-ask")
    screen = pane.wait_for("Practice · turn 2")
    assert "▲ Apologize +2" in screen and "You: I'm sorry" in screen

    pane.send(key_for(order, "swap"))
    screen = pane.wait_for("Call ended: Resolved")
    assert "PASSED  100% of the best achievable (6 of 6); pass mark 70%" in screen
    for name, earned in [("Stay calm", "1/1"), ("Apologize", "2/2"),
                         ("Solve and follow up", "3/3")]:
        row = next(line for line in screen.splitlines() if line.strip().startswith(name))
        assert earned in row and "100%" in row
    assert "You gave the best reply available at every turn." in screen

    pane.send("q")
    assert pane.status() == 0
