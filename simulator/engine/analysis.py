"""Graph analysis of a scenario: best and worst paths, per-principle maxima, path counts.

The call's real state is the node plus the variables that some condition reads, so the
analysis walks that *state graph* (never the paths). On an acyclic state graph whose depth fits
within ``max_turns`` every quantity is one dynamic-programming pass in topological order;
otherwise a pass per remaining turn models the max-turns guard exactly. Critical choices
are left out of the best path (an attempt with one cannot pass) and kept in the worst.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from simulator.engine.graphs import topological
from simulator.engine.model import MAX_TURNS_ENDING, Scenario

MAX_STATES = 200_000
#: The value of a state from which no qualifying path exists.
UNREACHABLE = -(10**15)


class AnalysisError(ValueError):
    """The scenario's state graph is too large to analyse."""


@dataclass(frozen=True, slots=True)
class Edge:
    """A choice taken in a state: its scores and where it leads (state index, or an ending)."""

    choice: str
    weights: tuple[int, ...]
    total: int
    critical: bool
    next: int  # -1 when the choice ends the call
    ending: str
    route: int = 0  # which of the choice's routes was taken


@dataclass(frozen=True, slots=True)
class PathResult:
    """An extreme path: its choice ids, total, per-principle scores and ending."""

    choices: tuple[str, ...]
    total: int
    principles: Mapping[str, int]
    ending: str


@dataclass
class Analysis:
    """Everything the graph says about a scenario's scoring."""

    scenario: Scenario
    states: list[tuple[str, tuple[int, ...]]]
    edges: list[list[Edge]]
    tracked: tuple[str, ...]
    acyclic: bool
    depth: int | None  # longest path in turns when acyclic
    horizon: int  # turns the DP looks ahead
    index: dict[tuple[str, tuple[int, ...]], int]
    _memo: dict[tuple[str, int, bool], list[list[int]]] = field(default_factory=dict,
                                                                repr=False)
    _succ: list[list[int]] | None = field(default=None, repr=False)

    @property
    def successors(self) -> list[list[int]]:
        """For each state, the states its choices lead to (endings left out)."""
        if self._succ is None:
            self._succ = [[e.next for e in es if e.next >= 0] for es in self.edges]
        return self._succ

    # -- value functions --------------------------------------------------------------------
    @property
    def layered(self) -> bool:
        """True when the max-turns guard shapes the paths (loops, or paths longer than it)."""
        return not self.acyclic or (self.depth or 0) > self.scenario.max_turns

    def _weight(self, objective: str) -> Callable[[Edge], int]:
        if objective == "total":
            return lambda e: e.total
        i = self.scenario.principles.index(objective)
        return lambda e: e.weights[i]

    def values(self, objective: str = "total", best: bool = True) -> list[list[int]]:
        """``values[k][s]``: the best (or worst) score reachable from state s with k turns
        left (for acyclic graphs a single layer, indexed by s, serves every k).

        Best values count only paths that reach an authored ending without a critical
        choice (only those can pass); worst values count every play, the guard's cut included.
        """
        key = (objective, 0, best)
        if key in self._memo:
            return self._memo[key]
        weight = self._weight(objective)
        pick = max if best else min
        n = len(self.states)
        usable = [[e for e in es if not (best and e.critical)] for es in self.edges]
        if not self.layered:
            order = topological(self.successors)
            v: list[int] = [UNREACHABLE] * n
            for s in reversed(order):
                opts = [weight(e) + (0 if e.next < 0 else v[e.next]) for e in usable[s]
                        if e.next < 0 or v[e.next] != UNREACHABLE]
                v[s] = pick(opts) if opts else UNREACHABLE
            layers = [v]
        else:
            layers = [[UNREACHABLE if best else 0] * n]
            for _k in range(1, self.horizon + 1):
                prev = layers[-1]
                cur = [UNREACHABLE] * n
                for s in range(n):
                    opts = [weight(e) + (0 if e.next < 0 else prev[e.next]) for e in usable[s]
                            if e.next < 0 or prev[e.next] != UNREACHABLE]
                    if opts:
                        cur[s] = pick(opts)
                layers.append(cur)
        self._memo[key] = layers
        return layers

    def value(self, state: int, turns_left: int, objective: str = "total",
              best: bool = True) -> int:
        """The best (worst) score reachable from ``state`` with ``turns_left`` turns
        (:data:`UNREACHABLE` when no qualifying path exists)."""
        layers = self.values(objective, best)
        if not self.layered:
            return layers[0][state]
        return layers[max(0, min(turns_left, self.horizon))][state]

    def edge_value(self, edge: Edge, turns_left: int, objective: str = "total",
                   best: bool = True) -> int:
        """The value of taking ``edge`` with ``turns_left`` turns left (before it)."""
        w = edge.total if objective == "total" else self._weight(objective)(edge)
        if edge.next < 0:
            return w
        tail = self.value(edge.next, turns_left - 1, objective, best)
        return UNREACHABLE if tail == UNREACHABLE else w + tail

    def extreme(self, best: bool = True) -> PathResult:
        """The best or worst path from the start, following the value function."""
        s, k = 0, self.scenario.max_turns
        choices: list[str] = []
        sums = [0] * len(self.scenario.principles)
        ending = MAX_TURNS_ENDING
        while k > 0:
            here = self.value(s, k, "total", best)
            if here == UNREACHABLE:
                break
            chosen = next((e for e in self.edges[s] if not (best and e.critical)
                           and self.edge_value(e, k, "total", best) == here), None)
            if chosen is None:
                break
            choices.append(chosen.choice)
            sums = [a + b for a, b in zip(sums, chosen.weights, strict=True)]
            if chosen.next < 0:
                ending = chosen.ending
                break
            s, k = chosen.next, k - 1
        return PathResult(tuple(choices), sum(sums),
                          dict(zip(self.scenario.principles, sums, strict=True)), ending)

    @property
    def best(self) -> PathResult:
        """The best path (no critical choices)."""
        return self.extreme(True)

    @property
    def worst(self) -> PathResult:
        """The worst path (critical choices allowed)."""
        return self.extreme(False)

    @property
    def winnable(self) -> bool:
        """True when some play reaches an authored ending without a critical choice."""
        return self.value(0, self.scenario.max_turns) != UNREACHABLE

    def principle_max(self) -> dict[str, int]:
        """For each principle, the most it can score on any one path (no critical choices);
        0 for every principle of a scenario that cannot be won."""
        out = {}
        for p in self.scenario.principles:
            v = self.value(0, self.scenario.max_turns, p, True)
            out[p] = 0 if v == UNREACHABLE else v
        return out

    def state_index(self, node: str, values: Mapping[str, int]) -> int | None:
        """The index of the state at ``node`` with ``values`` (None if never reachable)."""
        return self.index.get((node, tuple(values[name] for name in self.tracked)))

    # -- counting ---------------------------------------------------------------------------
    def path_count(self) -> int | None:
        """Distinct paths from the start to an ending; None when loops make them unbounded."""
        if not self.acyclic:
            return None
        order = topological(self.successors)
        count = [0] * len(self.states)
        for s in reversed(order):
            count[s] = sum(1 if e.next < 0 else count[e.next] for e in self.edges[s])
        return count[0]

    def path_count_within_guard(self) -> int:
        """Distinct plays of at most ``max_turns`` answers (the guard ends longer ones)."""
        n = len(self.states)
        layer = [1] * n  # with no turns left the guard ends the call: one way
        for _k in range(self.scenario.max_turns):
            layer = [sum(1 if e.next < 0 else layer[e.next] for e in self.edges[s])
                     for s in range(n)]
        return layer[0]

    def reachable_endings(self) -> dict[str, int]:
        """Each ending reachable from the start, with the best total with which it is reached."""
        out: dict[str, int] = {}
        for ending in self.scenario.endings:
            score = self.best_into(ending, False)
            if score is None:
                score = self.best_into(ending, True)
            if score is not None:
                out[ending] = score
        return out

    def best_into(self, ending: str, allow_critical: bool = False) -> int | None:
        """Best total of a play that ends at ``ending`` within the max-turns guard, using no
        critical choice unless ``allow_critical``; None when no such play exists."""
        n = len(self.states)
        neg = UNREACHABLE
        v = [neg] * n
        for _ in range(self.scenario.max_turns if self.layered else 1):
            nv = [neg] * n
            order = range(n) if self.layered else reversed(topological(self.successors))
            src = v if self.layered else nv
            for s in order:
                best = neg
                for e in self.edges[s]:
                    if e.critical and not allow_critical:
                        continue
                    if e.next < 0:
                        if e.ending == ending:
                            best = max(best, e.total)
                    elif src[e.next] != neg:
                        best = max(best, e.total + src[e.next])
                nv[s] = best
            v = nv
        return None if v[0] == neg else v[0]


def _cycle_and_depth(edges: Sequence[Sequence[Edge]]) -> tuple[bool, int | None]:
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


def analyze(scenario: Scenario) -> Analysis:
    """Build the state graph of ``scenario`` and return its :class:`Analysis`."""
    tracked = tuple(sorted({name for node in scenario.nodes.values() for c in node.choices
                            for r in c.routes if r.when is not None for name in r.when.names}))
    principles = scenario.principles
    variables = [scenario.variables[name] for name in tracked]
    start_values = scenario.start_values()
    start = (scenario.start, tuple(start_values[name] for name in tracked))
    index = {start: 0}
    states = [start]
    edges: list[list[Edge]] = []
    i = 0
    while i < len(states):
        node_id, vals = states[i]
        node = scenario.nodes[node_id]
        out: list[Edge] = []
        for choice in node.choices:
            new = list(vals)
            for j, var in enumerate(variables):
                delta = choice.effects.get(var.name)
                if delta:
                    new[j] = var.clamp(new[j] + delta)
            env = dict(zip(tracked, new, strict=True))
            route, target = next((k, r.target) for k, r in enumerate(choice.routes)
                                 if r.when is None or r.when(env))
            weights = tuple(choice.scores.get(p, 0) for p in principles)
            if target in scenario.endings:
                out.append(Edge(choice.id, weights, sum(weights), choice.critical, -1, target,
                                route))
                continue
            key = (target, tuple(new))
            nxt = index.get(key)
            if nxt is None:
                nxt = index[key] = len(states)
                states.append(key)
                if len(states) > MAX_STATES:
                    raise AnalysisError(
                        f"more than {MAX_STATES:,} distinct states (node x variables read by "
                        "conditions): narrow the variables' ranges or coarsen their steps")
            out.append(Edge(choice.id, weights, sum(weights), choice.critical, nxt, "", route))
        edges.append(out)
        i += 1
    acyclic, depth = _cycle_and_depth(edges)
    layered = not acyclic or (depth or 0) > scenario.max_turns
    horizon = scenario.max_turns if layered else (depth or 0)
    return Analysis(scenario, states, edges, tracked, acyclic, depth, horizon, index)
