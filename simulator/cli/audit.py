"""The ``audit`` command: surface strategies and text cues, per scenario and over a library."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING, Any

from simulator import library
from simulator.engine.problems import Problem, ScenarioError

if TYPE_CHECKING:
    from simulator.authoring.audit import LibraryAudit, ScenarioAudit


def register(sub: Any) -> None:
    """Add ``audit`` to the ``calmline`` parser."""
    p = sub.add_parser("audit", help="can a scenario be passed without reading? surface "
                                     "strategies and text cues")
    p.add_argument("paths", nargs="*", metavar="PATH|ID",
                   help="scenario files, folders or library ids (default: the library)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=cmd_audit)


def _pct(share: float) -> str:
    return f"{share:.0%}"


def scenario_lines(a: ScenarioAudit) -> list[str]:
    """The audit of one scenario as text lines (also printed by ``calmline analyze``)."""
    from simulator.authoring.audit import (
        CUES,
        LONGEST_LIMIT,
        NEAR_MISS_MIN,
        NEAR_PASS_POINTS,
        WARM_LIMIT,
    )

    verdict = "FAILS" if a.failed else "passes"
    out = [f"audit          {verdict}: surface strategies against the pass mark of "
           f"{a.pass_mark}% (fail at {a.pass_mark - NEAR_PASS_POINTS}% or more)"]
    if a.situations > 1:
        out.append(f"  played in each of its {a.situations} situations, drawn equally often: "
                   "the mean score and chance to pass; CLOSE if it passes in any one")
    width = max(len(s.label) for s in a.strategies)
    for s in a.strategies:
        flag = "  PASSES" if s.passes else "  CLOSE" if s.near else ""
        out.append(f"  {s.label:<{width}}  {s.score:5.1f}%  passes {_pct_fine(s.pass_probability)}"
                   f"{flag}")
    n = len(a.points)
    out.append(f"  text cues at {n} decision point{'s' * (n != 1)}")
    limits = {"longest": ("at most", LONGEST_LIMIT), "warm_only_best": ("at most", WARM_LIMIT),
              "near_miss": ("at least", NEAR_MISS_MIN)}
    cue_width = max(len(w) for w in CUES.values())
    for cue, what in CUES.items():
        count = sum(1 for p in a.points if getattr(p, cue))
        line = f"  {what:<{cue_width}}  {count:>3} ({_pct(count / n) if n else '-'})"
        if cue in limits:
            word, limit = limits[cue]
            bad = n and (count / n < limit if word == "at least" else count / n > limit)
            line += f"  {word} {_pct(limit)}{'  TOO FEW' if bad and word == 'at least' else ''}"
            line += "  TOO MANY" if bad and word == "at most" else ""
            nodes = [p.node for p in a.points if getattr(p, cue) != (cue == "near_miss")]
            if bad and nodes:
                label = "without" if cue == "near_miss" else "at"
                line += f": {label} {_few(nodes)}"
        out.append(line)
    return out


def _pct_fine(p: float) -> str:
    """A probability as a percentage that never rounds a real chance to 0% or 100%."""
    if p <= 0:
        return "0%"
    if p >= 1:
        return "100%"
    pct = 100 * p
    if pct < 0.1:
        return "<0.1%"
    if pct > 99.9:
        return ">99.9%"
    return f"{pct:.1f}%"


def _few(items: list[str], limit: int = 6) -> str:
    shown = ", ".join(items[:limit])
    return shown + (f" and {len(items) - limit} more" if len(items) > limit else "")


def library_lines(lib: LibraryAudit) -> list[str]:
    """Figures over every audited scenario."""
    from simulator.authoring.audit import CUES
    from simulator.authoring.strategies import STRATEGIES

    n = lib.points
    out = [f"library        {len(lib.scenarios)} scenarios, {lib.failed} fail the audit; "
           f"{n} decision points"]
    cue_width = max(len(w) for w in CUES.values())
    for cue, what in CUES.items():
        count = lib.cue_count(cue)
        out.append(f"  {what:<{cue_width}}  {count:>4} ({_pct(count / n) if n else '-'})")
    width = max(len(label) for label in STRATEGIES.values())
    for sid, label in STRATEGIES.items():
        passes, near, mean = lib.strategy_counts(sid)
        out.append(f"  {label:<{width}}  mean {mean:5.1f}%, passes {passes}, close {near}")
    return out


def cmd_audit(args: argparse.Namespace) -> int:
    from simulator.authoring.audit import LibraryAudit, audit
    from simulator.cli.core import expand_paths
    from simulator.engine.analysis import AnalysisError
    from simulator.engine.loader import load

    problems: list[Problem] = []
    scenarios = []
    if not args.paths:
        targets = [str(p) for p in library.scenario_files()]
    else:
        targets = []
        for ref in args.paths:
            if library.looks_like_path(ref):
                files, found = expand_paths([ref])
                problems.extend(found)
                targets.extend(str(f) for f in files)
            else:
                try:
                    scenarios.append(library.resolve(ref))
                except ScenarioError as exc:
                    problems.extend(exc.problems)
    for path in targets:
        try:
            scenarios.append(load(path))
        except ScenarioError as exc:
            problems.extend(exc.problems)
    audits = []
    for scenario in scenarios:
        try:
            audits.append(audit(scenario))
        except AnalysisError as exc:
            problems.append(Problem(scenario.path, 0, 0, f"cannot audit: {exc}"))
    lib = LibraryAudit(tuple(audits))
    if args.json:
        data = lib.to_dict()
        data["problems"] = [str(p) for p in problems]
        print(json.dumps(data, indent=2))
    else:
        blocks = []
        for a in audits:
            lines = [f"{a.title} ({a.scenario})", *scenario_lines(a)]
            lines += [f"  - {f}" for f in a.findings()]
            blocks.append("\n".join(lines))
        if len(audits) > 1:
            blocks.append("\n".join(library_lines(lib)))
        if blocks:
            print("\n\n".join(blocks))
    for problem in problems:
        sys.stderr.write(f"{problem}\n")
    if not audits and not problems:
        sys.stderr.write("nothing to audit\n")
        return 1
    return 1 if problems or lib.failed else 0
