"""The state graph of a scenario: node x the variables conditions read x the replies whose
gains were already counted.

A reply's gains count once per attempt: choosing it again (round a loop) can lose points
again but never earns its positive deltas twice. What a reply is worth therefore depends on
which replies were already taken, but only for replies that *can* be taken twice: those whose
node lies in a loop of the node graph (a strongly connected component) and that can lead back
into that loop. Once the call leaves a component it can never return, so a state only needs
the set of such replies already rewarded *inside its own component*; it is empty on entering
one. With that set in the state, every edge has a fixed weight, every cycle of the graph
weighs 0 or less, and the dynamic programming over the graph is exact.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from simulator.engine.graphs import strongly_connected
from simulator.engine.model import Choice, Scenario

MAX_STATES = 200_000

#: A reply as the once-only rule sees it: (node id, choice id).
Reply = tuple[str, str]
StateKey = tuple[str, tuple[int, ...], frozenset[Reply]]


class AnalysisError(ValueError):
    """The scenario's state graph is too large to analyse."""


@dataclass(frozen=True, slots=True)
class Edge:
    """A choice taken in a state: its scores and where it leads (state index, or an ending).

    ``weights`` are the deltas that count when it is taken there: on a repeat of a reply
    already rewarded, only its losses."""

    choice: str
    weights: tuple[int, ...]
    total: int
    critical: bool
    next: int  # -1 when the choice ends the call
    ending: str
    route: int = 0  # which of the choice's routes was taken
    repeat: bool = False  # the reply was already rewarded earlier in the attempt

    @property
    def losses(self) -> int:
        """The points this edge loses (its negative deltas, as a positive number)."""
        return -sum(w for w in self.weights if w < 0)


@dataclass(frozen=True, slots=True)
class Loops:
    """Which replies can be taken twice in one attempt, and the component of each node."""

    component: Mapping[str, int]
    repeatable: frozenset[Reply]

    def rewarded(self, node: str, taken: Iterable[Reply]) -> frozenset[Reply]:
        """The part of ``taken`` (replies answered so far) that still matters at ``node``."""
        here = self.component[node]
        return frozenset(r for r in taken
                         if r in self.repeatable and self.component[r[0]] == here)


def loops(scenario: Scenario) -> Loops:
    """Find the replies that can come round again: their node is in a loop of the node graph,
    one of their routes stays in it, and they have a positive delta to count only once."""
    ids = list(scenario.nodes)
    at = {nid: i for i, nid in enumerate(ids)}
    succ = [[at[r.target] for c in node.choices for r in c.routes if r.target in at]
            for node in scenario.nodes.values()]
    component: dict[str, int] = {}
    for k, members in enumerate(strongly_connected(succ)):
        for v in members:
            component[ids[v]] = k
    repeatable = set()
    for node in scenario.nodes.values():
        for c in node.choices:
            gains = any(v > 0 for p, v in c.scores.items() if p in scenario.principles)
            back = any(component.get(r.target) == component[node.id] for r in c.routes)
            if gains and back:
                repeatable.add((node.id, c.id))
    return Loops(component, frozenset(repeatable))


def counted(choice: Choice, repeat: bool) -> dict[str, int]:
    """The deltas of ``choice`` that count: all of them the first time, only the losses on a
    repeat."""
    return {k: (min(v, 0) if repeat else v) for k, v in choice.scores.items()}


@dataclass
class StateGraph:
    """The states (node, tracked values), the replies already rewarded in each, the edges."""

    states: list[tuple[str, tuple[int, ...]]]
    rewarded: list[frozenset[Reply]]
    edges: list[list[Edge]]
    tracked: tuple[str, ...]
    index: dict[StateKey, int]
    loops: Loops


def build(scenario: Scenario, situation: Mapping[str, int] | None = None) -> StateGraph:
    """Walk every state reachable from the start (with the drawn variables of
    ``situation``), breadth-first."""
    tracked = tuple(sorted({name for node in scenario.nodes.values() for c in node.choices
                            for r in c.routes if r.when is not None for name in r.when.names}))
    principles = scenario.principles
    variables = [scenario.variables[name] for name in tracked]
    start_values = scenario.start_values() | dict(situation or {})
    found = loops(scenario)
    start: StateKey = (scenario.start, tuple(start_values[n] for n in tracked), frozenset())
    index = {start: 0}
    keys = [start]
    edges: list[list[Edge]] = []
    i = 0
    while i < len(keys):
        node_id, vals, rewarded = keys[i]
        node = scenario.nodes[node_id]
        out: list[Edge] = []
        for choice in node.choices:
            new = list(vals)
            for j, var in enumerate(variables):
                delta = choice.effects.get(var.name)
                if delta:
                    new[j] = var.clamp(new[j] + delta)
            env = dict(zip(tracked, new, strict=True))
            route = choice.route_for(env)
            assert route is not None  # the reader makes the last route unconditional
            target = choice.routes[route].target
            reply = (node_id, choice.id)
            repeat = reply in rewarded
            deltas = counted(choice, repeat)
            weights = tuple(deltas.get(p, 0) for p in principles)
            if target in scenario.endings:
                out.append(Edge(choice.id, weights, sum(weights), choice.critical, -1, target,
                                route, repeat))
                continue
            if found.component[target] != found.component[node_id]:
                after: frozenset[Reply] = frozenset()
            elif reply in found.repeatable and not repeat:
                after = rewarded | {reply}
            else:
                after = rewarded
            key = (target, tuple(new), after)
            nxt = index.get(key)
            if nxt is None:
                nxt = index[key] = len(keys)
                keys.append(key)
                if len(keys) > MAX_STATES:
                    raise AnalysisError(_too_many(bool(found.repeatable)))
            out.append(Edge(choice.id, weights, sum(weights), choice.critical, nxt, "", route,
                            repeat))
        edges.append(out)
        i += 1
    return StateGraph([(k[0], k[1]) for k in keys], [k[2] for k in keys], edges, tracked,
                      index, found)


def _too_many(loops_earn: bool) -> str:
    if not loops_earn:
        return (f"more than {MAX_STATES:,} distinct states (node x variables read by "
                "conditions): narrow the variables' ranges or coarsen their steps")
    return (f"more than {MAX_STATES:,} distinct states (node x variables read by conditions x "
            "replies already rewarded in a loop): narrow the variables' ranges, coarsen their "
            "steps, or let fewer replies inside a loop earn points")


def cycle_and_depth(edges: Sequence[Sequence[Edge]]) -> tuple[bool, int | None]:
    """(acyclic, longest path in edges) by an iterative three-colour DFS from state 0."""
    n = len(edges)
    colour = [0] * n
    depth = [0] * n
    stack = [(0, 0)]
    colour[0] = 1
    while stack:
        s, i = stack[-1]
        if i < len(edges[s]):
            stack[-1] = (s, i + 1)
            t = edges[s][i].next
            if t < 0:
                continue
            if colour[t] == 1:
                return False, None
            if colour[t] == 0:
                colour[t] = 1
                stack.append((t, 0))
        else:
            stack.pop()
            colour[s] = 2
            depth[s] = max((1 + (depth[e.next] if e.next >= 0 else 0) for e in edges[s]),
                           default=0)
    return True, depth[0]
