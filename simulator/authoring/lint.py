"""Authoring advice beyond hard errors: weak, dead or unbalanced parts of a valid scenario.

Every warning is a :class:`~simulator.engine.problems.Problem` with ``severity="warning"`` and
a stable code from :data:`CODES`. The checks that depend on conditions read the analysis
state graph (node x variables read by conditions), so "unreachable" means that no sequence
of replies gets there, not merely that no arrow points at it (that is a validation error).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from scoring.rubric import CORE
from scoring.scorer import percent_of_best
from simulator.authoring import lint_examples
from simulator.authoring.allowances import UNUSED, LintResult, apply_allowances
from simulator.authoring.conditions import check_conditions
from simulator.authoring.per_situation import each_situation
from simulator.authoring.validity import CODES as VALIDITY_CODES
from simulator.authoring.validity import validity
from simulator.engine.analysis import Analysis
from simulator.engine.expr import Condition
from simulator.engine.graphs import distances, reaching, strongly_connected
from simulator.engine.loader import loads
from simulator.engine.model import SILENCE, Choice, Mark, Scenario
from simulator.engine.problems import Problem, ScenarioError, excerpt
from simulator.engine.yamlsource import read_text

#: Feedback shorter than this many words rarely says *why* a reply helped or hurt.
MIN_FEEDBACK_WORDS = 6
#: A debrief is the lesson of the call; shorter than this it cannot be one.
MIN_DEBRIEF_WORDS = 12

#: Every warning code, with what it means. Codes are stable: tools and CI may rely on them.
CODES: dict[str, str] = {
    "unreachable-node": "no sequence of replies reaches this node (its conditions rule it out)",
    "unreachable-ending": "no sequence of replies reaches this ending",
    "outcome-never-reached": "the scenario has endings of this outcome kind, but no play "
                             "reaches any of them",
    "no-core-score": "a choice scores none of the core principles (stay_calm, dont_argue, "
                     "apologize)",
    "same-scores": "every choice at a node scores the same, so there is nothing to learn there",
    "loop-no-exit": "once the call enters these nodes no reply leads out; only the max-turns "
                    "guard ends it",
    "condition-never-holds": "a condition is false for every value its variables can take",
    "condition-always-holds": "a condition is true for every value its variables can take, so "
                              "the routes after it are never taken",
    "route-never-taken": "a route is never taken in play: when the choice is made, its "
                         "condition never holds (or an earlier one always does)",
    "short-feedback": f"feedback shorter than {MIN_FEEDBACK_WORDS} words",
    "short-debrief": f"an ending's debrief shorter than {MIN_DEBRIEF_WORDS} words",
    "unwinnable": "no play without a critical choice reaches an ending with the pass mark",
    "cannot-fail": "even the worst path scores the pass mark: only a critical choice can fail",
    "best-not-positive": "the best path scores 0 or less, so percentages of it mean nothing",
    "too-many-states": "the state graph is too large to analyse, so the other checks were "
                       "skipped",
    **VALIDITY_CODES,
    **lint_examples.CODES,
    UNUSED: "the file's lint.allow allows a code that gives no warning in it",
}


def _warn(path: str, mark: Mark, code: str, message: str) -> Problem:
    return Problem(path, mark.line, mark.col, message, severity="warning", code=code)


def _words(text: str) -> int:
    return len(text.split())


def _answers(scenario: Scenario) -> Iterator[tuple[str, Choice]]:
    for node in scenario.nodes.values():
        for choice in node.answers:
            yield node.id, choice


def _top_mark(text: str | None, key: str, fallback: Mark) -> Mark:
    """Where a top-level field is written (block style: the key starts a line)."""
    if text:
        m = re.search(rf"^{re.escape(key)}\s*:", text, re.M)
        if m:
            return Mark(text.count("\n", 0, m.start()) + 1, 1)
    return fallback


def _names(items: Iterable[str]) -> str:
    return ", ".join(repr(i) for i in items)


# -- the checks -----------------------------------------------------------------------------

@dataclass
class _Context:
    scenario: Scenario
    analysis: Analysis
    text: str | None
    out: list[Problem]

    def warn(self, mark: Mark, code: str, message: str) -> None:
        self.out.append(_warn(self.scenario.path, mark, code, message))


def _check_texts(ctx: _Context) -> None:
    s = ctx.scenario
    for node_id, choice in _answers(s):
        n = _words(choice.feedback)
        if n < MIN_FEEDBACK_WORDS:
            what = "the silence response" if choice.id == SILENCE else f"choice {choice.id!r}"
            ctx.warn(choice.mark, "short-feedback",
                     f"the feedback of {what} at {node_id!r} is {n} word{'s' * (n != 1)}: "
                     "say why the reply helped or hurt, naming the principle")
    for ending in s.endings.values():
        n = _words(ending.debrief)
        if n < MIN_DEBRIEF_WORDS:
            ctx.warn(ending.mark, "short-debrief",
                     f"the debrief of ending {ending.id!r} is {n} word{'s' * (n != 1)}: say "
                     "what went well or wrong and what to try next time")


def _check_scores(ctx: _Context) -> None:
    s = ctx.scenario
    for node in s.nodes.values():
        for choice in node.choices:
            if not any(choice.scores.get(p, 0) for p in CORE):
                ctx.warn(choice.mark, "no-core-score",
                         f"choice {choice.id!r} at {node.id!r} scores none of the core "
                         f"principles ({', '.join(CORE)}); every reply says something about "
                         "them, even if it is a small plus or minus")
        if len(node.choices) >= 2:
            vectors = {tuple(c.scores.get(p, 0) for p in s.principles) for c in node.choices}
            if len(vectors) == 1:
                ctx.warn(node.mark, "same-scores",
                         f"every choice at {node.id!r} scores the same, so the trainee learns "
                         "nothing from picking one: make the better reply score better")


def _check_reachability(ctx: _Context, static: set[tuple[str, str, int]]) -> None:
    s, a = ctx.scenario, ctx.analysis
    dist = distances(a.successors)
    limit = s.max_turns
    seen_nodes: set[str] = set()
    seen_endings: set[str] = set()
    taken: set[tuple[str, str, int]] = set()
    for i, (node_id, _vals) in enumerate(a.states):
        if dist[i] >= limit:
            continue  # the guard has already ended the call before this state is shown
        seen_nodes.add(node_id)
        for e in a.edges[i]:
            taken.add((node_id, e.choice, e.route))
            if e.next < 0:
                seen_endings.add(e.ending)
    for node in s.nodes.values():
        if node.id not in seen_nodes:
            ctx.warn(node.mark, "unreachable-node",
                     f"node {node.id!r} is never reached: the conditions on the way to it never "
                     f"hold within {limit} turns")
            continue
        for choice in node.choices:
            for k, route in enumerate(choice.routes):
                if (node.id, choice.id, k) in taken or (node.id, choice.id, k) in static:
                    continue
                why = (f"its condition {excerpt(route.when.source)!r} never holds when the "
                       "choice is made" if route.when is not None else
                       "an earlier condition always holds when the choice is made")
                ctx.warn(route.mark, "route-never-taken",
                         f"choice {choice.id!r} at {node.id!r} never goes to {route.target!r}: "
                         f"{why}{_values_note(a, node.id, choice, route.when)}")
    kinds: dict[str, list[str]] = {}
    for ending in s.endings.values():
        kinds.setdefault(ending.outcome, []).append(ending.id)
    for outcome, ids in kinds.items():
        missing = [e for e in ids if e not in seen_endings]
        if len(missing) == len(ids):
            first = s.endings[ids[0]]
            ctx.warn(first.mark, "outcome-never-reached",
                     f"no play ends as {first.outcome_label!r} ({outcome}): ending"
                     f"{'s' * (len(ids) > 1)} {_names(ids)} {'are' if len(ids) > 1 else 'is'} "
                     "never reached")
            continue
        for eid in missing:
            ctx.warn(s.endings[eid].mark, "unreachable-ending",
                     f"ending {eid!r} is never reached: the conditions on the way to it never "
                     f"hold within {limit} turns")


def _values_note(a: Analysis, node_id: str, choice: Choice, when: Condition | None) -> str:
    """What the condition's variables are, after the choice's effects, when it is made."""
    if when is None:
        return ""
    names = [n for n in a.tracked if n in when.names]
    if not names:
        return ""
    seen: dict[str, set[int]] = {n: set() for n in names}
    variables = a.scenario.variables
    for node, vals in a.states:
        if node != node_id:
            continue
        for n in names:
            j = a.tracked.index(n)
            seen[n].add(variables[n].clamp(vals[j] + choice.effects.get(n, 0)))
    parts = []
    for n in names:
        lo, hi = min(seen[n]), max(seen[n])
        parts.append(f"{n} is {lo}" if lo == hi else f"{n} is between {lo} and {hi}")
    return f" ({' and '.join(parts)} then)"


def _doomed(a: Analysis) -> list[bool]:
    """For each state: True when no sequence of replies from it reaches an ending."""
    ends = [s for s, es in enumerate(a.edges) if any(e.next < 0 for e in es)]
    return [not ok for ok in reaching(a.successors, ends)]


def _check_loops(ctx: _Context) -> None:
    s, a = ctx.scenario, ctx.analysis
    succ = a.successors
    doomed: list[bool] | None = None
    trapped: set[tuple[str, ...]] = set()
    for comp in strongly_connected(succ):
        members = set(comp)
        cyclic = len(comp) > 1 or comp[0] in succ[comp[0]]
        if not cyclic:
            continue
        nodes = tuple(sorted({a.states[i][0] for i in comp}, key=list(s.nodes).index))
        exits = any(e.next < 0 or e.next not in members for i in comp for e in a.edges[i])
        if not exits and nodes not in trapped:
            trapped.add(nodes)
            doomed = doomed if doomed is not None else _doomed(a)
            stuck = [i for i, (node, _v) in enumerate(a.states) if doomed[i] and node in nodes]
            ctx.warn(s.nodes[nodes[0]].mark, "loop-no-exit",
                     f"once the call reaches {_names(nodes)}{_state_note(a, stuck)}, no "
                     "reply leads out: it goes round until the max-turns guard ends it")


def _state_note(a: Analysis, states: list[int]) -> str:
    if not a.tracked or not states:
        return ""
    parts = []
    for j, name in enumerate(a.tracked):
        vals = {a.states[i][1][j] for i in states}
        lo, hi = min(vals), max(vals)
        parts.append(f"{name} {lo}" if lo == hi else f"{name} {lo}..{hi}")
    return f" (with {', '.join(parts)})"


def _check_pass_mark(ctx: _Context) -> None:
    s, a = ctx.scenario, ctx.analysis
    mark = _top_mark(ctx.text, "pass_mark", s.mark)
    best = a.best
    clean = [v for v in (a.best_into(e, False) for e in s.endings) if v is not None]
    if not clean:
        ctx.warn(mark, "unwinnable",
                 f"no play without a critical choice reaches an ending within {s.max_turns} "
                 "turns, so nobody can pass")
        return
    if best.total <= 0:
        ctx.warn(mark, "best-not-positive",
                 f"the best path scores {best.total:+d}: a trainee's percentage is their total "
                 "against the best total, so it must be above 0 (give the good replies "
                 "positive scores)")
        return
    top = max(clean)
    top_pct = percent_of_best(top, best.total)
    if top_pct < s.pass_mark:
        ctx.warn(mark, "unwinnable",
                 f"the best play that reaches an ending scores {top_pct}%, "
                 f"below the pass mark of {s.pass_mark}%")
    worst = a.worst
    pct = percent_of_best(worst.total, best.total)
    if pct >= s.pass_mark:
        ctx.warn(mark, "cannot-fail",
                 f"even the worst path ({', '.join(worst.choices)}) scores {pct}% of the best, "
                 f"at least the pass mark of {s.pass_mark}%: only a critical choice can fail "
                 "this call")


def lint(scenario: Scenario, text: str | None = None,
         analysis: Analysis | None = None) -> list[Problem]:
    """The warnings of a valid ``scenario`` (of its ``text``) that it does not allow."""
    return lint_result(scenario, text, analysis).problems


def lint_result(scenario: Scenario, text: str | None = None,
                analysis: Analysis | None = None) -> LintResult:
    """The warnings to show and the ones the file allows (see :func:`lint`), checked in
    each situation of a scenario whose start is drawn."""

    def check(a: Analysis) -> list[Problem]:
        out: list[Problem] = []
        ctx = _Context(scenario, a, text, out)
        _check_texts(ctx)
        _check_scores(ctx)
        _check_reachability(ctx, check_conditions(ctx.scenario, ctx.warn))
        _check_loops(ctx)
        _check_pass_mark(ctx)
        out.extend(validity(scenario, a, _top_mark(text, "pass_mark", scenario.mark)))
        lint_examples.check_examples(scenario, ctx.warn)
        return out

    return apply_allowances(scenario, each_situation(scenario, analysis, check), CODES)


def lint_file(path: str | Path) -> list[Problem]:
    """Errors of an invalid file, or the warnings of a valid one that it does not allow."""
    return lint_file_result(path).problems


def lint_file_result(path: str | Path) -> LintResult:
    """Errors of an invalid file, or its lint result."""
    try:
        text, digest = read_text(path)
        scenario = loads(text, str(path), digest)
    except ScenarioError as exc:
        return LintResult(list(exc.problems))
    return lint_result(scenario, text)
