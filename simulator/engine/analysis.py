"""Graph analysis of a scenario: best and worst paths, per-principle maxima, path counts.

The call's real state is the node plus the variables that some condition reads, so the
analysis walks that *state graph* (never the paths). On an acyclic state graph whose depth fits
within ``max_turns`` every quantity is one dynamic-programming pass in topological order;
otherwise a pass per remaining turn models the max-turns guard exactly. Critical choices
are left out of the best path (an attempt with one cannot pass) and kept in the worst.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from simulator.engine import stategraph
from simulator.engine.graphs import topological
from simulator.engine.model import MAX_TURNS_ENDING, Scenario
from simulator.engine.stategraph import AnalysisError as AnalysisError
from simulator.engine.stategraph import Edge as Edge
from simulator.engine.stategraph import Loops, Reply, StateKey

#: The value of a state from which no qualifying path exists.
UNREACHABLE = -(10**15)
#: How ties between plays of the same total are broken: (turns, points lost), fewest first.
Tie = tuple[int, int]
NO_TIE: Tie = (0, 0)


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
    index: dict[StateKey, int]
    rewarded: list[frozenset[Reply]]  # per state: replies whose gains were already counted
    loops: Loops
    _memo: dict[tuple[str, int, bool], list[list[int]]] = field(default_factory=dict,
                                                                repr=False)
    _ties: dict[bool, list[list[Tie]]] = field(default_factory=dict, repr=False)
    _succ: list[list[int]] | None = field(default=None, repr=False)
    situation: dict[str, int] = field(default_factory=dict)
    """The start values of the drawn variables this analysis starts from (see
    :mod:`simulator.engine.situations`); empty when the scenario draws nothing."""

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

    def ties(self, best: bool = True) -> list[list[Tie]]:
        """``ties[k][s]``: among the plays from state s (k turns left) that reach its best
        (worst) total, the fewest turns, then the fewest points lost on the way. Layers align
        with :meth:`values`."""
        if best in self._ties:
            return self._ties[best]
        layers = self.values("total", best)
        n = len(self.states)
        out: list[list[Tie]] = []
        if not self.layered:
            t: list[Tie] = [NO_TIE] * n
            for s in reversed(topological(self.successors)):
                t[s] = min((self._tie(e, t) for e in self._tight(s, layers[0], layers[0], best)),
                           default=NO_TIE)
            out = [t]
        else:
            out = [[NO_TIE] * n]
            for k in range(1, self.horizon + 1):
                prev = out[-1]
                out.append([min((self._tie(e, prev) for e in
                                 self._tight(s, layers[k], layers[k - 1], best)),
                                default=NO_TIE) for s in range(n)])
        self._ties[best] = out
        return out

    def _tight(self, s: int, here: list[int], after: list[int], best: bool) -> list[Edge]:
        """The edges of state s that keep its best (worst) total."""
        if here[s] == UNREACHABLE:
            return []
        return [e for e in self.edges[s] if not (best and e.critical)
                and (e.total if e.next < 0 else
                     (UNREACHABLE if after[e.next] == UNREACHABLE else e.total + after[e.next]))
                == here[s]]

    @staticmethod
    def _tie(e: Edge, after: list[Tie]) -> Tie:
        turns, lost = NO_TIE if e.next < 0 else after[e.next]
        return (turns + 1, lost + e.losses)

    def edge_tie(self, edge: Edge, turns_left: int, best: bool = True) -> Tie:
        """The tie-break of taking ``edge`` with ``turns_left`` turns left (fewer is better)."""
        layers = self.ties(best)
        k = 0 if not self.layered else max(0, min(turns_left - 1, self.horizon))
        return self._tie(edge, layers[k])

    def extreme(self, best: bool = True) -> PathResult:
        """The best or worst path from the start, following the value function; among plays
        of the same total the shortest, then the one that loses fewest points on the way."""
        s, k = 0, self.scenario.max_turns
        choices: list[str] = []
        sums = [0] * len(self.scenario.principles)
        ending = MAX_TURNS_ENDING
        while k > 0:
            here = self.value(s, k, "total", best)
            if here == UNREACHABLE:
                break
            tight = [e for e in self.edges[s] if not (best and e.critical)
                     and self.edge_value(e, k, "total", best) == here]
            if not tight:
                break
            chosen = min(tight, key=lambda e: self.edge_tie(e, k, best))
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

    def state_index(self, node: str, values: Mapping[str, int],
                    taken: Iterable[Reply] = ()) -> int | None:
        """The index of the state at ``node`` with ``values``, after the replies ``taken``
        ((node, choice) pairs answered so far); None if never reachable."""
        key = (node, tuple(values[name] for name in self.tracked),
               self.loops.rewarded(node, taken))
        return self.index.get(key)

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


def analyze(scenario: Scenario, situation: Mapping[str, int] | None = None) -> Analysis:
    """Build the state graph of ``scenario`` and return its :class:`Analysis`: from the
    ``situation`` given (start values of drawn variables), else from the first one."""
    chosen = {n: v.starts[0] for n, v in scenario.variables.items() if v.starts} | dict(
        situation or {})
    g = stategraph.build(scenario, chosen)
    acyclic, depth = stategraph.cycle_and_depth(g.edges)
    layered = not acyclic or (depth or 0) > scenario.max_turns
    horizon = scenario.max_turns if layered else (depth or 0)
    return Analysis(scenario, g.states, g.edges, g.tracked, acyclic, depth, horizon, g.index,
                    g.rewarded, g.loops, situation=chosen)
