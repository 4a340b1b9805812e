"""Benchmark: validate 1,000 generated scenario files, against merely parsing them.

Writes 1,000 scenario files of realistic shape (10-16 nodes, 3-4 choices each, block texts,
flow-style scores, conditional routes) into a temporary folder, then times, on the same files
in the same run:

  * calmline: ``simulator.engine.loader.load`` (read, compose, type-check, validate the graph);
  * PyYAML:   ``yaml.load(text, Loader=yaml.CSafeLoader)`` after reading the same file.

Each is run three times, alternating, and the fastest round of each is compared.
Run: .venv/bin/python benchmarks/bench_validate.py    (target: calmline within 2x of PyYAML)
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from pathlib import Path

import yaml

from simulator.engine.loader import load

FILES = 1_000
ROUNDS = 3
TARGET_RATIO = 2.0
PRINCIPLES = ["stay_calm", "dont_argue", "apologize", "listen_acknowledge", "solve_follow_up"]
TEXT = ("the customer wants a refund today and is tired of waiting on hold for someone who "
        "can actually help with the order that arrived late and broken again this week")
WORDS = TEXT.split(" ")


def sentence(rng: random.Random, n: int) -> str:
    words = [rng.choice(WORDS) for _ in range(n)]
    return " ".join(words).capitalize() + "."


def scenario(i: int, rng: random.Random) -> str:
    """One scenario file's text, in the style authors write."""
    n = rng.randint(10, 16)
    nodes = [f"step-{k}" for k in range(n)]
    endings = {"resolved-end": "resolved", "callback": "follow_up", "handed-up": "escalated",
               "hung-up": "hung_up"}
    out = [
        "# yaml-language-server: $schema=../simulator/engine/scenario.schema.json",
        "format: 1",
        f"id: generated-{i:04d}",
        f"title: Generated call number {i}",
        "summary: >",
        f"  {sentence(rng, 18)}",
        f"  {sentence(rng, 14)}",
        f"difficulty: {rng.choice(['easy', 'medium', 'hard'])}",
        "tags: [generated, benchmark]",
        "principles:",
        *[f"  - {p}" for p in PRINCIPLES],
        f"pass_mark: {rng.randint(55, 80)}",
        "max_turns: 30",
        "persona:",
        "  name: Alex Example",
        "  product: Standing desk",
        f"  order_value: {rng.randint(20, 900)}.{rng.randint(0, 99):02d}",
        "  description: Busy and direct.",
        "variables:",
        "  anger: {min: 0, max: 100, start: 60, description: How angry the customer is}",
        "  trust: {min: 0, max: 10, start: 3}",
        f"start: {nodes[0]}",
        "nodes:",
    ]
    for k, nid in enumerate(nodes):
        forward = nodes[k + 1] if k + 1 < n else "resolved-end"
        out += [f"  {nid}:", "    customer:",
                f'      - "{sentence(rng, rng.randint(10, 25))}"',
                f'      - "{sentence(rng, rng.randint(10, 25))}"', "    choices:"]
        for c in range(rng.randint(3, 4)):
            scores = ", ".join(f"{p}: {rng.randint(-3, 3)}" for p in rng.sample(PRINCIPLES, 2))
            out += [
                f"      - id: reply-{c}",
                f'        say: "{sentence(rng, rng.randint(8, 20))}"',
                f"        scores: {{{scores}}}",
                f"        effects: {{anger: {rng.randint(-20, 20)}, trust: {rng.randint(-2, 2)}}}",
                "        feedback: >",
                f"          {sentence(rng, 16)}",
                f"          {sentence(rng, 12)}",
            ]
            if c == 0:
                out.append(f"        next: {forward}")
            else:
                out += ["        next:",
                        f"          - when: anger >= {rng.randint(70, 95)} and trust < 5",
                        f"            goto: {rng.choice(['hung-up', 'handed-up'])}",
                        f"          - goto: {rng.choice([forward, 'callback'])}"]
    out.append("endings:")
    for eid, kind in endings.items():
        out += [f"  {eid}:", f"    outcome: {kind}", f'    customer: "{sentence(rng, 8)}"',
                "    debrief: >", f"      {sentence(rng, 20)}", f"      {sentence(rng, 15)}"]
    return "\n".join(out) + "\n"


def calmline_round(files: list[Path]) -> float:
    t0 = time.perf_counter()
    for path in files:
        load(path)
    return time.perf_counter() - t0


def pyyaml_round(files: list[Path]) -> float:
    t0 = time.perf_counter()
    for path in files:
        yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    return time.perf_counter() - t0


def main() -> int:
    rng = random.Random(20)
    with tempfile.TemporaryDirectory() as tmp:
        files = []
        for i in range(FILES):
            path = Path(tmp) / f"generated-{i:04d}.yaml"
            path.write_text(scenario(i, rng), encoding="utf-8")
            files.append(path)
        size = sum(p.stat().st_size for p in files)
        load(files[0])  # warm imports
        ours, theirs = [], []
        for _ in range(ROUNDS):
            ours.append(calmline_round(files))
            theirs.append(pyyaml_round(files))
    best_ours, best_theirs = min(ours), min(theirs)
    ratio = best_ours / best_theirs
    print(f"{FILES:,} files, {size / 1e6:.1f} MB")
    print(f"calmline load+validate: {best_ours:.3f} s  (rounds: "
          f"{', '.join(f'{t:.3f}' for t in ours)})")
    print(f"yaml.load CSafeLoader:  {best_theirs:.3f} s  (rounds: "
          f"{', '.join(f'{t:.3f}' for t in theirs)})")
    print(f"ratio: {ratio:.2f}x (target <= {TARGET_RATIO:.0f}x)")
    print("OK" if ratio <= TARGET_RATIO else "TOO SLOW")
    return 0 if ratio <= TARGET_RATIO else 1


if __name__ == "__main__":
    sys.exit(main())
