"""Benchmark: how well and how fast typed replies are understood, on the labelled test set.

Reads every labelled file in tests/data/typed/ (texts written in other words than the
library's examples), matches each text against its node's replies with the lexical matcher,
and prints top-1 and top-2 accuracy, the share sent to "did you mean", the share not
recognised, how often a confident verdict took the right reply (the verdict's calibration),
the confusions per scenario, and the time per match. Then, as a second measure that no label
writer can bias, every example phrasing of the library matched against its node with that
example left out.

With ``--model PATH`` (a word-vector model folder, see docs/authoring.md) the same figures
follow for the blended matcher (BM25 plus the model's similarity), with the model's load time;
``--weight``, ``--floor`` and ``--pooling`` try other blend settings than the folder's
``calmline-model.json`` without editing it. The goals are judged on the last matcher shown.

Run: .venv/bin/python benchmarks/bench_matching.py [--model PATH]
(goals: top-1 >= 85%, top-2 >= 95%, p99 under 20 ms per reply)
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from simulator import library
from simulator.authoring.typed_eval import Case, evaluate, left_out_cases, read_cases
from simulator.engine.matching import Matcher
from simulator.engine.model import Scenario

LABELS = Path(__file__).resolve().parent.parent / "tests" / "data" / "typed"
GOALS = {"top-1": 0.85, "top-2": 0.95}
P99_GOAL_MS = 20.0


def report(name: str, matcher: Matcher, cases: list[Case],
           scenarios: dict[str, Scenario]) -> bool:
    """Print the figures of ``matcher`` on the labelled set and the left-out examples;
    True when the goals are met."""
    out = evaluate(cases, scenarios, matcher)
    print(f"== {name}: {out.cases} typed replies over {len(out.per_scenario)} scenarios")
    figures = {"top-1": out.share(out.top1), "top-2": out.share(out.top2)}
    for key, value in figures.items():
        print(f"{key:<10} {value:6.1%}   (goal {GOALS[key]:.0%})")
    right = out.confident_right / out.confident if out.confident else 0.0
    offered = out.unsure_offered / out.unsure if out.unsure else 0.0
    print(f"confident  {out.share(out.confident):6.1%}   (taken without asking; "
          f"the meant reply in {right:.1%} of them)")
    print(f"unsure     {out.share(out.unsure):6.1%}   (asked 'did you mean ...?'; "
          f"the meant reply offered in {offered:.1%} of them)")
    print(f"none       {out.share(out.unmatched):6.1%}   (asked to rephrase)")
    p50, p99 = out.percentile(0.5) * 1000, out.percentile(0.99) * 1000
    print(f"time       p50 {p50:.2f} ms, p99 {p99:.2f} ms per reply "
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
    loo = evaluate(left_out_cases(with_examples), scenarios, matcher)
    loo_right = loo.confident_right / loo.confident if loo.confident else 0.0
    print(f"\nleft-out examples: {loo.cases} example phrasings of {len(with_examples)} "
          f"scenarios, each matched with itself left out: top-1 {loo.share(loo.top1):.1%}, "
          f"top-2 {loo.share(loo.top2):.1%}, confident {loo.share(loo.confident):.1%} "
          f"(right in {loo_right:.1%})\n")
    return all(figures[k] >= g for k, g in GOALS.items()) and p99 < P99_GOAL_MS


def blended(args: argparse.Namespace) -> tuple[str, Matcher]:
    """The blended matcher of ``--model`` (with any setting given on the command line)."""
    from simulator.engine.embedding import EmbeddingRanker
    from simulator.engine.wordvectors import load_model

    start = time.perf_counter()
    model = load_model(args.model)
    took = time.perf_counter() - start
    s = model.settings
    weight = s.weight if args.weight is None else args.weight
    floor = s.floor if args.floor is None else args.floor
    pooling = args.pooling or s.pooling
    v = model.vectors
    print(f"model {model.name!r}: {len(v)} words kept of {v.rows} rows read, {v.dim} "
          f"dimensions, loaded from {model.source.name} in {took:.2f} s")
    ranker = EmbeddingRanker(v, weight=weight, floor=floor, pooling=pooling)
    return (f"blended (weight {weight:g}, floor {floor:g}, pooling {pooling})",
            Matcher(ranker))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", metavar="PATH", help="a word-vector model folder")
    parser.add_argument("--weight", type=float, help="blend weight (default: the folder's)")
    parser.add_argument("--floor", type=float, help="similarity floor (default: the folder's)")
    parser.add_argument("--pooling", choices=("max", "centroid"),
                        help="compare with a reply's closest text or the mean of its texts")
    args = parser.parse_args(argv)
    scenarios = dict(library.catalogue().scenarios)
    cases = [c for f in sorted(LABELS.glob("*.yaml")) for c in read_cases(f, scenarios)]
    if not cases:
        print(f"no labelled cases under {LABELS}")
        return 1
    met = report("lexical", Matcher(), cases, scenarios)
    if args.model:
        from simulator.engine.wordvectors import ModelError

        try:
            name, matcher = blended(args)
        except (ModelError, ValueError) as exc:
            print(f"--model: {exc}", file=sys.stderr)
            return 2
        met = report(name, matcher, cases, scenarios)
    print("goals met" if met else "goals NOT met")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
