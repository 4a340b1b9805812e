"""Checks a loaded scenario as a whole: ids, principles, variables, routing and reachability.

These are hard errors: a scenario that fails them cannot be played. Softer advice (weak
choices, unwinnable scoring, conditions that never hold) is the linter's job.
"""

from __future__ import annotations

import difflib
from typing import TYPE_CHECKING, Any

from simulator.engine.graphs import distances, reaching
from simulator.engine.model import Mark, Scenario
from simulator.engine.principles import CORE, PRINCIPLE_IDS
from simulator.engine.problems import Problem
from simulator.engine.situations import MAX_SITUATIONS

if TYPE_CHECKING:
    from simulator.engine.reader import ScenarioReader


def _suggest(word: str, options: list[str]) -> str:
    hint = difflib.get_close_matches(word, options, n=1)
    return f" (did you mean {hint[0]!r}?)" if hint else ""


def _principle_hint(word: str, known: list[str]) -> str:
    """A close match, or else the whole (short) list of principle ids."""
    return _suggest(word, known) or f" (the principles are: {', '.join(known)})"


def successors(scenario: Scenario, node_id: str) -> list[str]:
    """Every step a node can lead to, ignoring conditions (silence routes included)."""
    node = scenario.nodes[node_id]
    choices = list(node.answers)
    return [r.target for c in choices for r in c.routes]


def check(scenario: Scenario, reader: ScenarioReader, parts: dict[str, Any]) -> list[Problem]:
    """Return the problems of a scenario that the section reader could not see on its own."""
    path = scenario.path
    out: list[Problem] = []

    def add(mark: Mark, message: str) -> None:
        out.append(Problem(path, mark.line, mark.col, message))

    # Principles: known ids, the core three present, scores only on declared principles.
    declared = set(scenario.principles)
    known = list(PRINCIPLE_IDS)
    seen: set[str] = set()
    for pid, mark in reader.principle_marks:
        if pid not in PRINCIPLE_IDS:
            add(mark, f"unknown principle {pid!r}{_principle_hint(pid, known)}")
        elif pid in seen:
            add(mark, f"principle {pid!r} is listed twice")
        seen.add(pid)
    if reader.principle_marks or "principles" in parts:
        for core in CORE:
            if core not in declared:
                add(parts["principles_mark"], f"principles must include the core principle "
                                              f"{core!r}")
    for pid, mark in reader.score_keys:
        if pid not in PRINCIPLE_IDS:
            add(mark, f"unknown principle {pid!r}{_principle_hint(pid, known)}")
        elif pid not in declared:
            add(mark, f"scores {pid!r}, which is not in this scenario's principles list")

    # Variables: effects and conditions may only use declared ones.
    names = list(scenario.variables)
    declared_vars = set(names) | reader.declared_variables
    for var, mark in reader.effect_keys:
        if var not in declared_vars:
            add(mark, f"effect on undeclared variable {var!r}{_suggest(var, names)}")
    for node in scenario.nodes.values():
        conditions = [(r.when, r.mark) for c in node.answers for r in c.routes]
        conditions += [(n.when, n.mark) for n in node.narration]
        for when, at in conditions:
            if when is None:
                continue
            for var in sorted(when.names - declared_vars):
                mark = reader.condition_marks.get(id(when), at)
                add(mark, f"condition uses undeclared variable {var!r}{_suggest(var, names)}")

    # Situations: the start lists multiply; keep the number of situations analysable.
    count = 1
    for variable in scenario.variables.values():
        count *= max(1, len(variable.starts))
    if count > MAX_SITUATIONS:
        add(scenario.mark, f"the start lists of the variables make {count} situations; at "
                           f"most {MAX_SITUATIONS} (each is analysed on its own)")

    # Ids: nodes and endings share one namespace.
    for eid, ending in scenario.endings.items():
        if eid in scenario.nodes:
            add(ending.mark, f"ending id {eid!r} is also a node id")
    if not scenario.endings and not reader.problems:
        add(scenario.mark, "the scenario has no endings: every call must be able to end")

    steps = set(scenario.nodes) | set(scenario.endings)
    ids = sorted(steps)
    if scenario.start and scenario.start not in scenario.nodes:
        where = "an ending" if scenario.start in scenario.endings else "not a node"
        add(parts["start_mark"], f"start {scenario.start!r} is {where}"
                                 f"{_suggest(scenario.start, sorted(scenario.nodes))}")

    # Routing targets.
    for node in scenario.nodes.values():
        for choice in node.answers:
            for route in choice.routes:
                if route.target not in steps:
                    add(route.mark, f"choice {choice.id!r} goes to {route.target!r}, which is "
                                    f"neither a node nor an ending{_suggest(route.target, ids)}")

    if out or scenario.start not in scenario.nodes:
        return out  # reachability is meaningless over broken links

    # Reachability from the start, and to an ending, ignoring conditions.
    order = [*scenario.nodes, *scenario.endings]
    number = {sid: i for i, sid in enumerate(order)}
    succ = [[number[t] for t in successors(scenario, sid)] if sid in scenario.nodes else []
            for sid in order]
    reached = {order[i] for i, d in enumerate(distances(succ, number[scenario.start]))
               if d >= 0}
    for sid in order:
        if sid not in reached:
            step = scenario.nodes.get(sid) or scenario.endings[sid]
            kind = "node" if sid in scenario.nodes else "ending"
            add(step.mark, f"{kind} {sid!r} is unreachable from the start {scenario.start!r}")

    # Every node must be able to reach an ending (otherwise the call can never end well).
    ends = reaching(succ, (number[eid] for eid in scenario.endings))
    can_end = {order[i] for i, ok in enumerate(ends) if ok}
    for nid, node in scenario.nodes.items():
        if nid in reached and nid not in can_end:
            add(node.mark, f"node {nid!r} has no way out: no choice from it ever reaches an "
                           "ending")
    return out
