"""Benchmark: analyse a generated scenario of 60 levels with 3 choices each (3^60 paths).

Every choice moves the call one level on; whether it lands on the calm or the heated node of
the next level depends on the customer's anger, so the state graph tracks anger (node x
anger) as real scenarios do. Path counting, best and worst paths and ending reachability
are dynamic programming over that graph; nothing enumerates the 3^60 paths.

Run: .venv/bin/python benchmarks/bench_analyze.py    (target: analyse in under 1 s)
"""

from __future__ import annotations

import contextlib
import io
import sys
import tempfile
import time
from pathlib import Path

import yaml

from simulator.authoring.audit import audit
from simulator.authoring.stats import report
from simulator.cli import main as calmline
from simulator.engine.loader import loads

LEVELS = 60
CHOICES = (("soothe", {"apologize": 2, "stay_calm": 1}, -10),
           ("neutral", {"stay_calm": 1}, 5),
           ("argue", {"dont_argue": -2}, 15))
TARGET_SECONDS = 1.0


def generate(levels: int = LEVELS, loops: bool = False) -> str:
    """The scenario text: levels of a calm and a heated node (the first level only calm),
    three choices at each. With ``loops``, the heated node of each level also has a recovery
    loop: a threat node whose apology (+2, counted once) leads back to it."""
    nodes: dict[str, object] = {}
    for level in range(1, levels + 1):
        last = level == levels
        hot, calm = ("hung-up", "resolved") if last else (f"hot-{level + 1}", f"calm-{level + 1}")
        for mood in ("calm", "hot") if level > 1 else ("calm",):
            choices = [
                {"id": cid, "say": f"A {cid} reply at level {level}.", "scores": dict(scores),
                 "effects": {"anger": effect},
                 "feedback": f"Why a {cid} reply helps or hurts at this point.",
                 "next": [{"when": "anger >= 70", "goto": hot}, {"goto": calm}]}
                for cid, scores, effect in CHOICES
            ]
            if loops and mood == "hot":
                choices.append({"id": "stall", "say": "Let me see.", "scores": {"stay_calm": 1},
                                "feedback": "Stalling invites a threat.",
                                "next": f"threat-{level}"})
                nodes[f"threat-{level}"] = {
                    "customer": "I'll post about this.",
                    "choices": [{"id": "apologise", "say": "I'm sorry.",
                                 "scores": {"apologize": 2}, "effects": {"anger": -5},
                                 "feedback": "An apology keeps the call going.",
                                 "next": f"hot-{level}"}]}
            nodes[f"{mood}-{level}"] = {
                "customer": f"Level {level}, and the customer is {mood}.", "choices": choices}
    doc = {
        "format": 1, "id": "sixty-levels", "title": "Sixty levels",
        "summary": "A generated benchmark scenario.", "difficulty": "hard",
        "principles": ["stay_calm", "dont_argue", "apologize"], "pass_mark": 70,
        "max_turns": levels + 10,
        "persona": {"name": "Bench", "product": "Benchmarks", "order_value": 1},
        "variables": {"anger": {"min": 0, "max": 100, "start": 50}},
        "start": "calm-1", "nodes": nodes,
        "endings": {"resolved": {"outcome": "resolved", "debrief": "Resolved."},
                    "hung-up": {"outcome": "hung_up", "debrief": "The customer hung up."}},
    }
    return yaml.safe_dump(doc, sort_keys=False, width=200)


def main() -> int:
    text = generate()
    t0 = time.perf_counter()
    scenario = loads(text, "sixty-levels.yaml")
    t1 = time.perf_counter()
    r = report(scenario)
    t2 = time.perf_counter()
    cues = audit(scenario)
    t2b = time.perf_counter()
    expected = len(CHOICES) ** LEVELS
    print(f"scenario: {LEVELS} levels x {len(CHOICES)} choices, {len(scenario.nodes)} nodes, "
          f"{r.states:,} states (node x anger)")
    print(f"paths:    {r.paths:,} (3^60 = {expected:,}; equal: {r.paths == expected})")
    print(f"best:     {r.best.total if r.best else None:+d}, worst: {r.worst.total:+d}")
    print(f"load+validate: {t1 - t0:.3f} s")
    print(f"analyze:       {t2 - t1:.3f} s (target < {TARGET_SECONDS:.0f} s)")
    print(f"audit:         {t2b - t2:.3f} s ({len(cues.strategies)} surface strategies scored "
          "exactly over the state graph)")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "sixty-levels.yaml"
        path.write_text(text, encoding="utf-8")
        t3 = time.perf_counter()
        with contextlib.redirect_stdout(io.StringIO()):
            code = calmline(["analyze", str(path), "--json"])
        t4 = time.perf_counter()
    print(f"calmline analyze --json (read, load, analyse, print): {t4 - t3:.3f} s, exit {code}")
    ok = r.paths == expected and (t2 - t1) < TARGET_SECONDS and code == 0
    looped = loads(generate(loops=True), "sixty-levels-loops.yaml")
    t5 = time.perf_counter()
    lr = report(looped)
    t6 = time.perf_counter()
    print(f"with a recovery loop at every heated node ({len(looped.nodes)} nodes): "
          f"{lr.states:,} states (node x anger x replies already rewarded in the loop), "
          f"best {lr.best.total if lr.best else None:+d} in "
          f"{len(lr.best.turns) if lr.best else 0} turns; analyze {t6 - t5:.3f} s (no "
          "target: a graph with loops takes one pass per turn left)")
    print("OK" if ok else "TOO SLOW OR WRONG")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
