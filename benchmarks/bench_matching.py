"""Benchmark: how well and how fast typed replies are understood, on the labelled test set.

Reads every labelled file in tests/data/typed/ (texts written in other words than the
library's examples), matches each text against its node's replies with the lexical matcher,
and prints top-1 and top-2 accuracy, the share sent to "did you mean", the share not
recognised, the confusions per scenario, and the time per match. Then, as a second measure
that no label writer can bias, every example phrasing of the library matched against its node
with that example left out.

Run: .venv/bin/python benchmarks/bench_matching.py
(goals: top-1 >= 85%, top-2 >= 95%, p99 under 20 ms per reply)
"""

from __future__ import annotations

import sys
from pathlib import Path

from simulator import library
from simulator.authoring.typed_eval import evaluate, left_out_cases, read_cases

LABELS = Path(__file__).resolve().parent.parent / "tests" / "data" / "typed"
GOALS = {"top-1": 0.85, "top-2": 0.95}
P99_GOAL_MS = 20.0


def main() -> int:
    scenarios = library.catalogue().scenarios
    cases = [c for f in sorted(LABELS.glob("*.yaml")) for c in read_cases(f, scenarios)]
    if not cases:
        print(f"no labelled cases under {LABELS}")
        return 1
    out = evaluate(cases, scenarios)
    print(f"{out.cases} typed replies over {len(out.per_scenario)} scenarios")
    figures = {"top-1": out.share(out.top1), "top-2": out.share(out.top2)}
    for name, value in figures.items():
        print(f"{name:<8} {value:6.1%}   (goal {GOALS[name]:.0%})")
    print(f"unsure   {out.share(out.unsure):6.1%}   (asked 'did you mean ...?')")
    print(f"none     {out.share(out.unmatched):6.1%}   (asked to rephrase)")
    p50, p99 = out.percentile(0.5) * 1000, out.percentile(0.99) * 1000
    print(f"time     p50 {p50:.2f} ms, p99 {p99:.2f} ms per reply "
          f"(goal p99 < {P99_GOAL_MS:.0f} ms)")
    print("\nper scenario (top-1):")
    for sid, (n, hits) in sorted(out.per_scenario.items()):
        print(f"  {sid:<24} {hits / n:6.1%} of {n}")
    if out.confusions:
        print("\nmost frequent confusions (meant -> taken):")
        for (sid, meant, taken), n in out.confusions.most_common(12):
            print(f"  {n:3} x {sid}: {meant} -> {taken}")
    with_examples = [s for s in scenarios.values()
                     if all(c.examples for n in s.nodes.values() for c in n.choices)]
    loo = evaluate(left_out_cases(with_examples), scenarios)
    print(f"\nleft-out examples: {loo.cases} example phrasings of {len(with_examples)} "
          f"scenarios, each matched with itself left out: top-1 {loo.share(loo.top1):.1%}, "
          f"top-2 {loo.share(loo.top2):.1%}")
    met = all(figures[k] >= g for k, g in GOALS.items()) and p99 < P99_GOAL_MS
    print("\ngoals met" if met else "\ngoals NOT met")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
