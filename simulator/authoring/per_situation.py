"""Lint per situation: a scenario whose start is drawn (``start: [0, 1]``) is checked once
for each situation, and the findings merged.

Something that "never happens" (a node never reached, a route never taken) is reported only
when it never happens in any situation; everything else (a strategy that passes, a loop
that farms points, an unwinnable call) is reported when it holds in some situation, and
names the situations it holds in unless it holds in all.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from simulator.engine.analysis import Analysis, AnalysisError, analyze
from simulator.engine.model import Scenario
from simulator.engine.problems import Problem
from simulator.engine.situations import describe, situations

#: Codes that say something never happens: reported only when true in every situation.
NEVER = frozenset({"unreachable-node", "unreachable-ending", "outcome-never-reached",
                   "route-never-taken", "condition-never-holds", "condition-always-holds"})


def each_situation(scenario: Scenario, analysis: Analysis | None,
                   check: Callable[[Analysis], list[Problem]]) -> list[Problem]:
    """``check`` run on the analysis of every situation (``analysis`` serves its own), the
    findings merged; a graph too large to analyse is one ``too-many-states`` warning."""
    runs: list[tuple[dict[str, int], list[Problem]]] = []
    for situation in situations(scenario):
        try:
            a = (analysis if analysis is not None and analysis.situation == situation
                 else analyze(scenario, situation))
        except AnalysisError as exc:
            return [Problem(scenario.path, scenario.mark.line, scenario.mark.col, str(exc),
                            severity="warning", code="too-many-states")]
        runs.append((situation, check(a)))
    return merge(runs)


def merge(runs: list[tuple[dict[str, int], list[Problem]]]) -> list[Problem]:
    """One list of findings from the findings of each situation (see the module doc)."""
    if len(runs) == 1:
        return sorted(runs[0][1])
    seen: dict[tuple[Any, ...], tuple[Problem, list[dict[str, int]]]] = {}
    for situation, problems in runs:
        for p in problems:
            key = (p.line, p.col, p.code) if p.code in NEVER else (p.line, p.col, p.code,
                                                                   p.message)
            first, where = seen.setdefault(key, (p, []))
            if situation not in where:
                where.append(situation)
    out = []
    for key, (p, where) in seen.items():
        if len(where) == len(runs):
            out.append(p)
        elif key[2] not in NEVER:
            named = "; ".join(describe(s) for s in where)
            out.append(Problem(p.path, p.line, p.col, f"{p.message} (in situation {named})",
                               p.severity, p.code))
    return sorted(out)
