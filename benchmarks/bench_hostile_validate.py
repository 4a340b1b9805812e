"""Benchmark: ``calmline validate`` on the hostile files of a security review, each answered
with a located error (or, for the long valid ones, accepted) in under 5 seconds.

Each file is written to a temporary folder and validated by the installed ``calmline``
command in a fresh process, as a trainer would run it. Printed per file: the wall time, the
CPU time of the process (what other work on a shared machine does not inflate), the exit
status and the first line of the answer. The target is judged on the slowest wall time.
Run: .venv/bin/python benchmarks/bench_hostile_validate.py    (target: each under 5 s)
"""

from __future__ import annotations

import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TINY = (ROOT / "tests" / "data" / "tiny.yaml").read_text(encoding="utf-8")
CALMLINE = Path(sys.executable).parent / "calmline"
TARGET_SECONDS = 5.0
ROUTE = "          - when: anger >= 85"


def with_condition(condition: str) -> str:
    return TINY.replace(ROUTE, f"          - when: {condition}")


def hostile() -> dict[str, str | bytes]:
    """The files, by name: text, or bytes for the ones that are not text."""
    long_terms = " and ".join(f"anger != {n % 1000}" for n in range(120_000))
    return {
        "condition-2mb-valid": with_condition(long_terms),
        "condition-2mb-malformed": with_condition(long_terms[:-20] + " and anger => 3"),
        "condition-nested-10000": with_condition("(" * 10_000 + "anger > 1" + ")" * 10_000),
        "condition-not-10000": with_condition("not " * 10_000 + "anger > 1"),
        "condition-number-5000-digits": with_condition("anger >= " + "9" * 5000),
        "score-400-digits": TINY.replace("apologize: 2,", "apologize: " + "9" * 400 + ","),
        "score-20-digits": TINY.replace("apologize: 2,", "apologize: 99999999999999999999,"),
        "max-turns-5000-digits": TINY.replace("max_turns: 10", "max_turns: " + "9" * 5000),
        "variable-negative-huge": TINY.replace("min: 0,", "min: -" + "9" * 4400 + ","),
        "order-value-infinite": TINY.replace("order_value: 25", "order_value: 1e400"),
        "python-tag": TINY.replace("summary: A minimal", "summary: !!python/name:os.system"
                                   "\nx_summary: A minimal"),
        "yaml-nested-500000": TINY + "extra: " + "[" * 500_000 + "]" * 500_000 + "\n",
        "alias-bomb": TINY + "extra: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
            f"extra{i}: &a{i} [{', '.join(['*a' if i == 0 else f'*a{i - 1}'] * 9)}]\n"
            for i in range(9)),
        "binary": b"\x00\x01\x02" * 1000,
        "not-utf8": TINY.encode() + b"\xff\xfe",
    }


def main() -> int:
    worst = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        for name, content in hostile().items():
            path = Path(tmp) / f"{name}.yaml"
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            done = subprocess.run([str(CALMLINE), "validate", str(path)], capture_output=True,
                                  text=True, timeout=120)
            wall = time.perf_counter() - start
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
            worst = max(worst, wall)
            first = (done.stdout + done.stderr).splitlines()[0].replace(str(path), name)
            traceback = " TRACEBACK" if "Traceback" in done.stdout + done.stderr else ""
            print(f"{name:30} {path.stat().st_size / 1e6:5.2f} MB  wall {wall:5.2f} s  "
                  f"cpu {cpu:5.2f} s  exit {done.returncode}{traceback}  {first[:90]}")
    print(f"slowest: {worst:.2f} s wall (target < {TARGET_SECONDS:.0f} s)")
    print("OK" if worst < TARGET_SECONDS else "TOO SLOW")
    return 0 if worst < TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
