"""Benchmark: item analysis of a results store filled with simulated cohorts (100,000+
answers), timed from a freshly opened store (target: under 1 s on SQLite).

The store is filled by the cohort report benchmark's simulation (``bench_report.populate``):
real sessions recorded through the real recorder, 300 simulated trainees whose skill decides
how often they give the keyed reply, mostly on generated 14-turn calls. The generated
scenarios are handed to the analysis as the files at hand, so every decision point is keyed.
Timing covers the database aggregate and the statistics (best and median of five runs).

    .venv/bin/python benchmarks/bench_items.py [--attempts N] [--db PATH|postgresql://...]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))


def time_items(url: str, scenarios: list, runs: int = 5) -> tuple[list[float], object]:  # type: ignore[type-arg]
    """Seconds per full item analysis (aggregate + statistics) on a freshly opened store."""
    from scoring.items import build_items
    from scoring.store import open_store
    from scoring.store.item_tallies import item_data

    times, report = [], None
    for _ in range(runs):
        with open_store(url) as store:
            t = time.perf_counter()
            report = build_items(item_data(store), scenarios)
            times.append(time.perf_counter() - t)
    return times, report


def main() -> int:
    from bench_report import finish, long_scenario, populate, print_timing

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--attempts", type=int, default=10_000)
    parser.add_argument("--db", help="SQLite file or postgresql:// URL to fill (default: a "
                        "temporary SQLite file); an already filled one is reused")
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="calmline-bench-items-")
    os.environ.setdefault("CALMLINE_CONFIG_DIR", folder)
    url = args.db or str(Path(folder) / "results.sqlite3")
    from scoring.store import open_store
    from simulator.engine.loader import loads
    from simulator.library import catalogue

    with open_store(url) as store, store.read() as cur:
        store.execute(cur, "SELECT COUNT(*) FROM answers")
        answers = int(cur.fetchone()[0])
    if answers == 0:
        print(f"recording {args.attempts:,} attempts into {url}")
        answers, seconds = populate(url, args.attempts)
        print(f"recorded {answers:,} answers in {seconds:.1f} s")
    else:
        print(f"reusing {url}: {answers:,} answers")
    scenarios = [loads(long_scenario(n), f"<bench-{n}>") for n in range(6)]
    scenarios += catalogue().scenarios.values()
    times, report = time_items(url, scenarios)
    points = [i for s in report.scenarios for i in s.items]  # type: ignore[attr-defined]
    print(f"item analysis: {len(report.scenarios)} scenario versions, {len(points)} "  # type: ignore[attr-defined]
          f"decision points ({sum(i.enough for i in points)} with enough trainees), "
          f"{len(report.flags())} flags")  # type: ignore[attr-defined]
    median = print_timing(f"items over {answers:,} answers", times)
    return finish(None if args.db else folder, answers, args.attempts, median)

if __name__ == "__main__":
    raise SystemExit(main())
