"""The real installed ``calmline`` whose terminal goes away, as a closed window or a dropped
SSH connection would take it: it exits within seconds by its usual path, an open certification
call recorded as abandoned and no further call of the set opened.

Under ``make`` (as ``make run`` starts it) make leads the terminal's session, gets the hangup
itself and stays to wait for calmline, which is sent nothing: a tmux server is killed under
them. Started directly, calmline leads the session and is sent SIGHUP: a pseudo-terminal whose
other end the test closes, so the test is calmline's parent and reads how it exited.
Runs in CI (``.ci/run`` installs tmux; the suite runs under make)."""

from __future__ import annotations

import fcntl
import os
import re
import select
import shlex
import shutil
import signal
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from simulator.tui.app import create_app
from simulator.tui.hangup import HANGUP_STATUS, hung_up, terminal_fd
from tests.tui.driving import CALL, LIBRARY, SIZE, blender
from tests.tui.test_tmux import CALMLINE, Pane
from tests.tui.test_tmux_bursts import key_of, results

needs_tmux = pytest.mark.skipif(
    (shutil.which("tmux") is None or shutil.which("make") is None) and not os.environ.get("CI"),
    reason="tmux or make is not installed (CI has both and never skips this test)",
)

#: Seconds calmline may take to exit once its terminal has gone.
EXIT_SECONDS = 10.0

Start = Callable[..., Pane]


def _stat(pid: int) -> list[str] | None:
    """The fields of /proc/PID/stat after the command name, or None when there is no such
    process."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except OSError:
        return None


def running(pid: int) -> bool:
    """True while ``pid`` is a live process (not gone, not a zombie waiting to be reaped)."""
    fields = _stat(pid)
    return fields is not None and fields[0] not in ("Z", "X")


def calmlines(leader: int) -> list[int]:
    """The calmline processes among ``leader`` and its descendants."""
    found, queue = [], [leader]
    while queue:
        pid = queue.pop()
        try:
            if Path(f"/proc/{pid}/comm").read_text().strip() == "calmline":
                found.append(pid)
        except OSError:
            continue
        queue.extend(int(p.name) for p in Path("/proc").iterdir()
                     if p.name.isdigit() and (_stat(int(p.name)) or ["", "0"])[1] == str(pid))
    return found


def wait_gone(pid: int) -> None:
    deadline = time.monotonic() + EXIT_SECONDS
    while running(pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not running(pid), \
        f"calmline ({pid}) was still running {EXIT_SECONDS:g}s after its terminal went away"


@pytest.fixture
def under_make(tmp_path: Path) -> Iterator[Start]:
    """Start ``make`` in an 80x24 pane of a private tmux server, its recipe ``calmline ARGS``
    and then the writing of calmline's exit status to the status file. Any process left
    running is killed afterwards."""
    socket = f"calmline-hangup-{os.getpid()}-{time.monotonic_ns()}"
    pane = Pane(socket, tmp_path / "status")
    env = {**os.environ, "XDG_CONFIG_HOME": str(tmp_path / "config"),
           "XDG_DATA_HOME": str(tmp_path / "data"), "TERM": "xterm-256color"}
    for name in ("TMUX", "NO_COLOR", "MAKEFLAGS", "MAKELEVEL", "MFLAGS"):
        env.pop(name, None)
    leaders: list[int] = []

    def run(*args: str) -> Pane:
        makefile = tmp_path / "Makefile"
        makefile.write_text(f"run:\n\t{shlex.quote(str(CALMLINE))} {shlex.join(args)}; "
                            f"echo $$? > {shlex.quote(str(pane.status_file))}\n")
        # exec: make, not a shell, leads the terminal's session (as in `make run`).
        subprocess.run([*pane.tmux, "-f", "/dev/null", "new-session", "-d", "-s", "call",
                        "-x", "80", "-y", "24", "-e", "TERM=xterm-256color",
                        f"exec make -s -f {shlex.quote(str(makefile))} run"],
                       check=True, env=env, timeout=10)
        sockets.append(Path(pane.run("display-message", "-p", "#{socket_path}").strip()))
        leaders.append(int(pane.run("display-message", "-p", "-t", "call",
                                    "#{pane_pid}").strip()))
        return pane

    sockets: list[Path] = []
    try:
        yield run
    finally:
        subprocess.run([*pane.tmux, "kill-server"], capture_output=True, timeout=10)
        for path in sockets:
            path.unlink(missing_ok=True)
        for leader in leaders:  # a calmline that did not exit must not outlive the test
            for pid in [*calmlines(leader), leader]:
                if running(pid):
                    os.kill(pid, signal.SIGKILL)


def hang_up(pane: Pane) -> int:
    """Kill the tmux server (the terminal goes away); return calmline's process id."""
    leader = int(pane.run("display-message", "-p", "-t", "call", "#{pane_pid}").strip())
    (pid,) = calmlines(leader)
    subprocess.run([*pane.tmux, "kill-server"], check=True, timeout=10)
    return pid


def status(pane: Pane) -> int:
    """calmline's exit status, as make's recipe writes it once calmline has exited."""
    deadline = time.monotonic() + EXIT_SECONDS
    while time.monotonic() < deadline:
        if pane.status_file.exists() and pane.status_file.read_text().strip():
            return int(pane.status_file.read_text())
        time.sleep(0.05)
    raise AssertionError("make's recipe wrote no exit status")


@needs_tmux
def test_under_make_a_hangup_mid_call_abandons_the_certification_and_exits(
        under_make: Start, tmp_path: Path) -> None:
    db = tmp_path / "results.sqlite3"
    pane = under_make("certify", "--trainee", "Ann Lee", "--no-animation", "--db", str(db),
                      str(CALL))
    # The reply list is drawn a moment after the header: wait for the reply itself.
    screen = pane.wait_for("I'm sorry")
    pane.send(key_of(screen, "I'm sorry"))
    pane.wait_for("Certification · turn 2")
    wait_gone(hang_up(pane))
    assert status(pane) == HANGUP_STATUS
    (attempt,) = results(db)
    assert attempt["status"] == "abandoned" and attempt["answered"] == 1


@needs_tmux
def test_under_make_a_hangup_after_a_call_ends_opens_no_further_call(
        under_make: Start, tmp_path: Path) -> None:
    db = tmp_path / "results.sqlite3"
    pane = under_make("certify", "--trainee", "Ann Lee", "--no-animation", "--db", str(db),
                      str(CALL), str(LIBRARY / "tiny.yaml"))
    # The reply list is drawn a moment after the header: wait for the reply itself.
    screen = pane.wait_for("I'm sorry")
    pane.send(key_of(screen, "I'm sorry"))
    pane.wait_for("Certification · turn 2")
    screen = pane.wait_for("Then it's faulty")
    pane.send(key_of(screen, "Then it's faulty"))
    pane.wait_for("Call ended")
    wait_gone(hang_up(pane))
    assert status(pane) == HANGUP_STATUS
    (attempt,) = results(db)  # the second call of the set was never opened
    assert attempt["scenario"] == "blender" and attempt["status"] == "finished"


#: Run in calmline's place: open the pseudo-terminal named by argv[1] as the terminal of a
#: new session, then become the program in argv[2:] (same process, so the test waits for it).
LEAD = ("import os, sys; os.login_tty(os.open(sys.argv[1], os.O_RDWR)); "
        "os.execv(sys.argv[2], sys.argv[2:])")


class Terminal:
    """The test's end of an 80x24 pseudo-terminal, and calmline leading its session."""

    def __init__(self, args: tuple[str, ...], env: dict[str, str]) -> None:
        self.master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        self.process = subprocess.Popen(
            [sys.executable, "-c", LEAD, os.ttyname(slave), str(CALMLINE), *args], env=env,
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(slave)
        self.open = True
        self.output = b""

    def wait_for(self, pattern: bytes, timeout: float = 20.0) -> re.Match[bytes]:
        """Read what calmline draws from now on until ``pattern`` (a regular expression)
        is found in it."""
        start = len(self.output)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = re.compile(pattern).search(self.output, start)
            if found:
                return found
            if select.select([self.master], [], [], 0.1)[0]:
                try:
                    self.output += os.read(self.master, 65536)
                except OSError:  # no one has the terminal open (not yet, or no longer)
                    if self.process.poll() is not None:
                        break
                    time.sleep(0.05)
        raise AssertionError(f"{pattern!r} was not drawn (calmline: {self.process.poll()}; "
                             f"it drew {self.output[start:]!r})")

    def hang_up(self) -> None:
        """Close the test's end: the terminal goes away."""
        if self.open:
            self.open = False
            os.close(self.master)


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Callable[..., Terminal]]:
    """Start ``calmline ARGS`` directly, leading a pseudo-terminal's session (killed
    afterwards if it is still running)."""
    env = {**os.environ, "XDG_CONFIG_HOME": str(tmp_path / "config"),
           "XDG_DATA_HOME": str(tmp_path / "data"), "TERM": "xterm-256color"}
    env.pop("NO_COLOR", None)
    started: list[Terminal] = []

    def run(*args: str) -> Terminal:
        started.append(Terminal(args, env))
        return started[-1]

    yield run
    for term in started:
        term.hang_up()
        if term.process.poll() is None:
            term.process.kill()
        term.process.wait()


def test_started_directly_it_exits_cleanly_on_the_hangup(terminal: Callable[..., Terminal],
                                                         tmp_path: Path) -> None:
    db = tmp_path / "results.sqlite3"
    term = terminal("certify", "--trainee", "Ann Lee", "--no-animation", "--db", str(db),
                    str(CALL))
    # The reply's number, then (after its colours) its words, as the first frame draws it.
    sorry = term.wait_for(rb"(\d) (?:\x1b\[[0-9;]*m)*I'm sorry")
    os.write(term.master, sorry.group(1))
    term.wait_for("Certification · turn 2".encode())
    term.hang_up()
    try:
        code = term.process.wait(EXIT_SECONDS)
    except subprocess.TimeoutExpired:
        raise AssertionError(f"calmline was still running {EXIT_SECONDS:g}s after its "
                             "terminal went away") from None
    # Killed by the signal it would be -SIGHUP; it exits as a shell reports a hangup.
    assert code == HANGUP_STATUS
    (attempt,) = results(db)
    assert attempt["status"] == "abandoned" and attempt["answered"] == 1


def test_a_terminal_reads_as_hung_up_once_its_other_end_closes_and_nothing_is_read() -> None:
    master, slave = os.openpty()
    try:
        os.write(master, b"1\n")
        assert not hung_up(slave)
        assert select.select([slave], [], [], 1.0)[0] and os.read(slave, 10) == b"1\n"
        os.close(master)
        assert hung_up(slave)
    finally:
        os.close(slave)


def test_only_a_terminal_on_standard_input_is_watched(monkeypatch: pytest.MonkeyPatch) -> None:
    master, slave = os.openpty()
    read, write = os.pipe()
    null = os.open(os.devnull, os.O_RDONLY)
    try:
        for fd, expected in [(slave, slave), (read, None), (null, None)]:
            monkeypatch.setattr(sys, "__stdin__", os.fdopen(fd, closefd=False))
            assert terminal_fd() == expected
        os.close(master)  # a terminal that has already hung up is still watched (and gone)
        monkeypatch.setattr(sys, "__stdin__", os.fdopen(slave, closefd=False))
        assert terminal_fd() == slave
    finally:
        for fd in (slave, read, write, null):
            os.close(fd)


async def test_a_headless_app_has_no_watch() -> None:
    app = create_app(blender(), animation=False)
    async with app.run_test(size=SIZE):
        assert app.hangup_watch is None
