"""Durability under real processes: a certification killed with SIGKILL keeps every answer
and is marked abandoned; eight processes recording into one store at once lose nothing."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from scoring.seal import SealKey, verify_chain
from scoring.store import open_store, queries
from tests.store.helpers import LINE, ROOT

CLI = "import sys; from simulator.cli import main; sys.exit(main(sys.argv[1:]))"


def _answers(url: str) -> list[str]:
    with open_store(url) as store:
        rows = queries.attempts(store)
        if not rows:
            return []
        return [a["choice"] for a in queries.attempt_detail(store, rows[0].id)["answers"]]


def _wait_for(url: str, count: int, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while len(_answers(url)) < count:
        assert proc.poll() is None, "the certification process ended early"
        assert time.monotonic() < deadline, "the answer never reached the store"
        time.sleep(0.05)


def test_sigkill_mid_attempt_keeps_every_answer_and_marks_it_abandoned(
        store_url: str, seal_key: SealKey) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-c", CLI, "certify", str(LINE), "--trainee", "Kim", "--headless",
         "--db", store_url],
        stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=ROOT)
    assert proc.stdin is not None
    try:
        for n, choice in enumerate(("calm1", "snap2"), 1):
            proc.stdin.write(f"{choice}\n".encode())
            proc.stdin.flush()
            _wait_for(store_url, n, proc)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == -signal.SIGKILL
    with open_store(store_url) as store:
        rows = queries.attempts(store)
        assert [r.status for r in rows] == ["in_progress"]
        assert store.reap(seal_key) == [rows[0].id]
        row = queries.attempts(store)[0]
        detail = queries.attempt_detail(store, row.id)
        cert = queries.certification_of(store, int(detail["certification_id"]))
        chain = queries.chain(store)
    assert row.status == "abandoned" and row.sealed and row.answered == 2
    assert [a["choice"] for a in detail["answers"]] == ["calm1", "snap2"]
    assert [a["turn"] for a in detail["answers"]] == [1, 2]
    assert cert["status"] == "abandoned" and cert["passed"] is False and cert["seal"]
    assert verify_chain(seal_key, "attempt", *chain) == []


WRITER = """
import sys, time
from pathlib import Path
from scoring.seal import load_key
from scoring.store import open_store
from tests.store.helpers import GOOD, POOR, certify, scenario
url, go, me, n = sys.argv[1], Path(sys.argv[2]), sys.argv[3], int(sys.argv[4])
key, sc = load_key(), scenario()
while not go.exists():
    time.sleep(0.005)
with open_store(url) as store:
    for i in range(n):
        certify(store, key, f"trainee {me}", [(sc, GOOD if i % 2 else POOR)], seed=i)
"""


def test_eight_processes_recording_at_once_lose_nothing(store_url: str, seal_key: SealKey,
                                                        tmp_path: Path) -> None:
    writers, each = 8, 10
    with open_store(store_url):
        pass
    go = tmp_path / "go"
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, store_url, str(go), str(w),
                               str(each)], cwd=ROOT, stderr=subprocess.PIPE)
             for w in range(writers)]
    time.sleep(1.0)
    go.touch()
    errors = [p.communicate(timeout=300)[1].decode() for p in procs]
    assert [p.returncode for p in procs] == [0] * writers, errors
    with open_store(store_url) as store:
        rows = queries.attempts(store)
        records, head_seq, head_seal, unsealed = queries.chain(store)
        cur = store.conn.cursor()
        cur.execute("SELECT COUNT(*) FROM answers")
        answers = cur.fetchone()[0]
        cur.execute("SELECT COUNT(*), SUM(CASE WHEN status = 'finished' THEN 1 ELSE 0 END) "
                    "FROM certifications")
        certs = tuple(cur.fetchone())
    assert len(rows) == writers * each and answers == writers * each * 4
    assert {r.trainee for r in rows} == {f"trainee {w}" for w in range(writers)}
    assert all(r.status == "finished" and r.sealed for r in rows)
    assert certs == (writers * each, writers * each)
    # Every attempt and every certification is one link of the one chain.
    assert [r.seq for r in records] == list(range(1, 2 * writers * each + 1))
    assert sum(r.kind == "certification" for r in records) == writers * each
    assert verify_chain(seal_key, "attempt", records, head_seq, head_seal, unsealed) == []
