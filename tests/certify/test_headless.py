"""``calmline certify --headless``: the rules of certification without a UI, the countdown,
the overall pass rule and its exit codes, and one-line errors for bad input."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from scoring.seal import SealKey
from scoring.store import open_store, queries
from simulator.cli.headless import LineReader, headless_answerer
from simulator.engine.session import Option, Prompt
from tests.store.helpers import GOOD, LINE, QUICK, ROOT, TINY, scenario

CLI = "import sys; from simulator.cli import main; sys.exit(main(sys.argv[1:]))"


def certify(db: str, *args: str, stdin: str = "", timeout: float = 60
            ) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", CLI, "certify", *args, "--headless",
                           "--db", db], input=stdin, capture_output=True, text=True,
                          timeout=timeout, cwd=ROOT)


def test_a_passed_set_exits_zero_and_records_one_certification(
        store_url: str, seal_key: SealKey) -> None:
    proc = certify(store_url, str(LINE), str(TINY), "--trainee", "Ann", "--min-mean", "80",
                   stdin="\n".join([*GOOD, "sorry", "replace"]) + "\n")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[-1] == "certification 1: PASSED (mean 100.0%, minimum 80%)"
    with open_store(store_url) as store:
        rows = queries.attempts(store)
        cert = queries.certification_of(store, 1)
    assert [(r.scenario, r.passed, r.certification) for r in rows] == [("line", True, 1),
                                                                       ("tiny", True, 1)]
    assert cert["status"] == "finished" and cert["passed"] and cert["scenarios"] == ["line",
                                                                                     "tiny"]


def test_a_set_below_the_minimum_mean_is_not_passed_and_exits_one(
        store_url: str, seal_key: SealKey) -> None:
    proc = certify(store_url, str(LINE), "--trainee", "Ann", "--min-mean", "95",
                   stdin="calm1\ncalm2\ncalm3\nshrug\n")
    assert proc.returncode == 1
    assert "NOT PASSED" in proc.stdout.splitlines()[-1]
    assert "minimum 95%" in proc.stdout.splitlines()[-1]


def test_choices_are_shuffled_with_the_recorded_seed_and_numbers_pick_by_position(
        store_url: str, seal_key: SealKey) -> None:
    proc = certify(store_url, str(LINE), "--trainee", "Ann", stdin="1\n1\n1\n1\n")
    assert proc.returncode in (0, 1), proc.stderr
    listed = [line.split("[")[1].split("]")[0] for line in proc.stdout.splitlines()
              if line.startswith("  1. [")]
    with open_store(store_url) as store:
        detail = queries.attempt_detail(store, 1)
    assert [a["choice"] for a in detail["answers"]] == listed
    from simulator.engine.session import Session

    session = Session(scenario(), seed=detail["seed"], shuffle=True, stop_on_critical=True)
    for choice in listed:
        assert session.option_ids()[0] == choice
        session.choose(choice)


def test_an_unknown_reply_is_asked_again(store_url: str, seal_key: SealKey) -> None:
    proc = certify(store_url, str(TINY), "--trainee", "Ann",
                   stdin="hello\n9\nsorry\nreplace\n")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.count("unknown reply") == 2


def test_a_garbage_reply_is_echoed_short_and_the_prompt_keeps_the_time_left(
        tmp_path: Path, config_dir: Path) -> None:
    proc = certify(str(tmp_path / "r.sqlite3"), str(TINY), "--trainee", "Ann",
                   stdin="x" * 100_000 + "\nsorry\nreplace\n")
    assert proc.returncode == 0, proc.stderr
    unknown = [line for line in proc.stdout.splitlines() if line.startswith("unknown reply")]
    assert len(unknown) == 1 and len(unknown[0]) < 120
    prompts = [line for line in proc.stdout.splitlines() if line.startswith("reply (")]
    assert all(line.endswith(" s)>") for line in prompts)


def test_when_the_reply_time_runs_out_the_customer_hears_silence(
        tmp_path: Path, seal_key: SealKey) -> None:
    store_url = str(tmp_path / "r.sqlite3")
    proc = subprocess.Popen([sys.executable, "-c", CLI, "certify", str(QUICK), "--trainee",
                             "Ann", "--headless", "--db", store_url], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    assert proc.stdin is not None and proc.stdout is not None
    while "time is up" not in (line := proc.stdout.readline()):
        assert line, "the certification ended without a timeout"
    proc.stdin.write("calm1\ncalm2\ncalm3\nfix\n")
    proc.stdin.close()
    proc.wait(timeout=60)
    with open_store(store_url) as store:
        answers = queries.attempt_detail(store, 1)["answers"]
    assert [(a["choice"], a["timed_out"]) for a in answers] == [
        ("silence", 1), ("calm1", 0), ("calm2", 0), ("calm3", 0), ("fix", 0)]


def test_input_ending_mid_call_abandons_the_attempt(store_url: str, seal_key: SealKey) -> None:
    proc = certify(store_url, str(LINE), "--trainee", "Ann", stdin="calm1\n")
    assert proc.returncode == 1
    assert proc.stderr.strip().splitlines() == [
        "calmline: error: the input ended before the call did; the attempt was recorded as "
        "abandoned (certification 1)"]
    with open_store(store_url) as store:
        row = queries.attempts(store)[0]
        cert = queries.certification_of(store, 1)
    assert row.status == "abandoned" and row.answered == 1 and row.sealed
    assert cert["status"] == "abandoned"


@pytest.mark.parametrize(("args", "message"), [
    (["--trainee", "   ", str(LINE)], "--trainee: the trainee name is empty"),
    (["--trainee", "Ann", "--min-mean", "150", str(LINE)], "--min-mean must be a percentage"),
    (["--trainee", "Ann", str(LINE), str(LINE)], "a scenario is named twice"),
    (["--trainee", "Ann", "no-such-scenario"], "no scenario with id 'no-such-scenario'"),
    (["--trainee", "Ann", "missing/file.yaml"], "no such file"),
])
def test_bad_input_is_a_one_line_error(tmp_path: Path, config_dir: Path, args: list[str],
                                       message: str) -> None:
    proc = certify(str(tmp_path / "r.sqlite3"), *args)
    assert proc.returncode in (1, 2)
    assert proc.stderr.count("\n") == 1 and message in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stderr


class _FakeTime:
    """A clock that moves only when the reader waits, by exactly what it waits for; input
    arrives at the moments given in ``lines`` (seconds from the start)."""

    def __init__(self, lines: list[tuple[float, bytes]]) -> None:
        self.now = 100.0
        self.start = self.now
        self.lines = lines
        self.waits: list[float] = []
        self.fd, self._write = os.pipe()

    def clock(self) -> float:
        return self.now

    def wait(self, fd: int, seconds: float) -> bool:
        self.waits.append(seconds)
        if self.lines and self.start + self.lines[0][0] <= self.now + seconds:
            at, data = self.lines.pop(0)
            self.now = max(self.now, self.start + at)
            os.write(self._write, data)
            return True
        self.now += seconds
        return False


def _prompt() -> Prompt:
    return Prompt(0, "opening", "Hello?", 0, (Option("calm1", "Good morning"),
                                               Option("snap1", "What now?")), {}, False, None)


def test_the_countdown_gives_exactly_the_reply_time_then_silence(
        capsys: pytest.CaptureFixture[str]) -> None:
    fake = _FakeTime([])
    answer = headless_answerer(LineReader(fake.fd, fake.clock, fake.wait), "Ann")
    assert answer(_prompt(), 45) is None
    assert fake.now - fake.start == 45 and fake.waits == [45]
    out = capsys.readouterr().out.splitlines()
    assert out[-2:] == ["reply (45 s)>", "time is up: the customer heard silence"]


def test_a_wrong_reply_does_not_restart_the_countdown(
        capsys: pytest.CaptureFixture[str]) -> None:
    fake = _FakeTime([(12.5, b"banana\n")])
    answer = headless_answerer(LineReader(fake.fd, fake.clock, fake.wait), "Ann")
    assert answer(_prompt(), 30) is None
    assert fake.now - fake.start == 30 and fake.waits == [30, 17.5]
    out = capsys.readouterr().out.splitlines()
    assert "reply (18 s)>" in out and out[-1] == "time is up: the customer heard silence"


def test_a_reply_in_time_is_taken_by_number_or_id() -> None:
    for line, chosen in ((b"2\n", "snap1"), (b"calm1\n", "calm1")):
        fake = _FakeTime([(44.9, line)])
        answer = headless_answerer(LineReader(fake.fd, fake.clock, fake.wait), "Ann")
        assert answer(_prompt(), 45) == chosen
