"""General algorithms on directed graphs given as successor lists over ``0..n-1``.

Validation, analysis and the linter all walk graphs (of steps, or of states); the walks
live here once, iterative so that no graph is too deep for them.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Sequence

Successors = Sequence[Sequence[int]]


def distances(succ: Successors, start: int = 0) -> list[int]:
    """Edges needed to reach each vertex from ``start`` (breadth-first); -1 if never."""
    dist = [-1] * len(succ)
    dist[start] = 0
    queue = deque([start])
    while queue:
        v = queue.popleft()
        for w in succ[v]:
            if dist[w] < 0:
                dist[w] = dist[v] + 1
                queue.append(w)
    return dist


def reaching(succ: Successors, targets: Iterable[int]) -> list[bool]:
    """For each vertex: True when some path leads from it to one of ``targets``."""
    n = len(succ)
    preds: list[list[int]] = [[] for _ in range(n)]
    for v, ws in enumerate(succ):
        for w in ws:
            preds[w].append(v)
    ok = [False] * n
    stack = []
    for t in targets:
        if not ok[t]:
            ok[t] = True
            stack.append(t)
    while stack:
        w = stack.pop()
        for v in preds[w]:
            if not ok[v]:
                ok[v] = True
                stack.append(v)
    return ok


def topological(succ: Successors) -> list[int]:
    """Every vertex in topological order (the graph must be acyclic)."""
    order: list[int] = []
    seen = [False] * len(succ)
    for root in range(len(succ)):
        if seen[root]:
            continue
        stack = [(root, 0)]
        seen[root] = True
        while stack:
            v, i = stack[-1]
            if i < len(succ[v]):
                stack[-1] = (v, i + 1)
                w = succ[v][i]
                if not seen[w]:
                    seen[w] = True
                    stack.append((w, 0))
            else:
                stack.pop()
                order.append(v)
    order.reverse()
    return order


def strongly_connected(succ: Successors) -> list[list[int]]:
    """The strongly connected components (iterative Tarjan)."""
    n = len(succ)
    index = [-1] * n
    low = [0] * n
    on_stack = [False] * n
    stack: list[int] = []
    out: list[list[int]] = []
    counter = 0
    for root in range(n):
        if index[root] >= 0:
            continue
        work = [(root, 0)]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack[root] = True
        while work:
            v, i = work[-1]
            if i < len(succ[v]):
                work[-1] = (v, i + 1)
                w = succ[v][i]
                if index[w] < 0:
                    index[w] = low[w] = counter
                    counter += 1
                    stack.append(w)
                    on_stack[w] = True
                    work.append((w, 0))
                elif on_stack[w]:
                    low[v] = min(low[v], index[w])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[v])
                if low[v] == index[v]:
                    comp = []
                    while True:
                        w = stack.pop()
                        on_stack[w] = False
                        comp.append(w)
                        if w == v:
                            break
                    out.append(comp)
    return out
