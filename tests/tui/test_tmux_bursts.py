"""The real installed ``calmline`` in tmux (a private server) under fast key bursts and a dumb
terminal: a double tap or 200 keys at once never crash or abandon a certification or a
practice call, and ``TERM=dumb`` receives no colour. Runs in CI (``.ci/run`` installs tmux)."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.tui.driving import CALL
from tests.tui.test_tmux import CALMLINE, Pane

pytestmark = pytest.mark.skipif(
    shutil.which("tmux") is None and not os.environ.get("CI"),
    reason="tmux is not installed (CI installs it and never skips this test)",
)

Start = Callable[..., Pane]


@pytest.fixture
def start(tmp_path: Path) -> Iterator[Start]:
    """Start ``calmline ARGS`` in an 80x24 pane of a private tmux server (one per test)."""
    socket = f"calmline-burst-{os.getpid()}-{time.monotonic_ns()}"
    pane = Pane(socket, tmp_path / "status")
    env = {**os.environ, "XDG_CONFIG_HOME": str(tmp_path / "config"),
           "XDG_DATA_HOME": str(tmp_path / "data")}
    env.pop("TMUX", None)
    env.pop("NO_COLOR", None)

    def run(*args: str, term: str = "xterm-256color", raw: Path | None = None) -> Pane:
        # tmux gives the pane its own TERM, so the program's is set on its command line.
        command = (f"env TERM={shlex.quote(term)} {shlex.quote(str(CALMLINE))} "
                   f"{shlex.join(args)}; "
                   f"echo $? > {shlex.quote(str(pane.status_file))}")
        subprocess.run([*pane.tmux, "-f", "/dev/null", "new-session", "-d", "-s", "call",
                        "-x", "80", "-y", "24", command],
                       check=True, env={**env, "TERM": "xterm-256color"}, timeout=10)
        sockets.append(Path(pane.run("display-message", "-p", "#{socket_path}").strip()))
        pane.run("set-option", "-t", "call", "remain-on-exit", "on")
        if raw is not None:
            pane.run("pipe-pane", "-t", "call", "-o", f"cat >> {shlex.quote(str(raw))}")
        return pane

    sockets: list[Path] = []
    try:
        yield run
    finally:
        subprocess.run([*pane.tmux, "kill-server"], capture_output=True, timeout=10)
        for path in sockets:
            path.unlink(missing_ok=True)


def results(db: Path) -> list[dict[str, object]]:
    done = subprocess.run([str(CALMLINE), "results", "--json", "--db", str(db)],
                          capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr
    return list(json.loads(done.stdout))


def key_of(screen: str, words: str) -> str:
    """The number shown before the reply that starts with ``words`` (replies are shuffled
    in a certification)."""
    for line in screen.splitlines():
        number, _, text = line.strip().partition(" ")
        if number.isdigit() and text.startswith(words):
            return number
    raise AssertionError(f"no reply {words!r} on the screen:\n{screen}")


@pytest.mark.parametrize("second", ["2", "1"])
def test_a_double_tap_in_a_certification_neither_crashes_nor_abandons_it(
        start: Start, tmp_path: Path, second: str) -> None:
    db = tmp_path / "results.sqlite3"
    pane = start("certify", "--trainee", "Ann Lee", "--no-animation", "--db", str(db),
                 str(CALL))
    screen = pane.wait_for("Certification · turn 1")
    # One write, so both keys reach the program together: "22" or "12" as typed.
    pane.send(key_of(screen, "I'm sorry") + second)
    screen = pane.wait_for("Certification · turn 2")
    time.sleep(0.5)  # the second key has been read by now
    screen = pane.capture()
    assert "Traceback" not in screen
    # The second key is dropped when it arrives before turn 2's replies are drawn. Where the
    # terminal delivers it later (a loaded machine can), it answers turn 2, whose replies
    # were on screen by then: a fair answer, never a crash or an abandoned attempt.
    if "Call ended" not in screen:
        assert "Certification · turn 2" in screen
        pane.send(key_of(screen, "Then it's faulty"))
    pane.wait_for("Call ended")
    pane.send("q")
    assert pane.status() == 0
    assert "Traceback" not in pane.capture()
    (attempt,) = results(db)
    assert attempt["status"] == "finished" and attempt["answered"] == 2


def test_200_keys_at_once_in_practice_leave_the_call_running(start: Start,
                                                             tmp_path: Path) -> None:
    pane = start("play", "--no-animation", str(CALL))
    pane.wait_for("Practice · turn 1")
    pane.send("2" * 100 + "1" * 100)
    time.sleep(1.0)
    screen = pane.capture()
    assert "Traceback" not in screen
    assert "Practice · turn" in screen or "Call ended" in screen
    leave(pane)
    assert pane.status() == 0
    assert "Traceback" not in pane.capture()


def leave(pane: Pane) -> None:
    """Quit from the call screen (confirming) or the end screen."""
    on_call = "Practice · turn" in pane.capture()
    pane.send("q")
    if on_call:
        pane.wait_for("Leave")
        pane.send("y")


def test_a_dumb_terminal_gets_no_colour(start: Start, tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    pane = start("play", "--no-animation", str(CALL), term="dumb", raw=raw)
    pane.wait_for("Practice · turn 1")
    time.sleep(0.5)
    leave(pane)
    assert pane.status() == 0
    output = raw.read_bytes()
    assert b"Ravi Mehta" in output
    assert b"38;2;" not in output and b"48;2;" not in output  # no 24-bit colour
    assert b"38;5;" not in output and b"48;5;" not in output  # nor 256 colours
