"""Lint checks for assessment validity: surface cues a test-wise trainee could pass on.

They read the cue-resistance audit (:mod:`simulator.authoring.audit`) and turn what fails it
into warnings that name the node and say what to change; ``calmline lint --strict`` makes
them errors. Pinned reply orders are listed too, since they switch off the shuffle.
"""

from __future__ import annotations

from simulator.authoring.audit import (
    LONGEST_LIMIT,
    NEAR_MISS_MIN,
    NEAR_PASS_POINTS,
    WARM_LIMIT,
    ScenarioAudit,
    audit,
)
from simulator.authoring.strategies import is_warm
from simulator.engine.analysis import Analysis
from simulator.engine.model import Mark, Scenario
from simulator.engine.problems import Problem

#: The validity warning codes, with what each means (merged into ``calmline lint --codes``).
CODES: dict[str, str] = {
    "strategy-passes": "a surface strategy that ignores meaning (always the first shown, the "
                       "longest, the shortest, the warmest, random) passes",
    "strategy-near-pass": f"a surface strategy scores within {NEAR_PASS_POINTS} points of the "
                          "pass mark",
    "best-longest": f"the best reply is the longest at more than {LONGEST_LIMIT:.0%} of "
                    "decision points, so 'pick the longest' works",
    "warm-only-best": "apology or empathy words appear only in the best reply at more than "
                      f"{WARM_LIMIT:.0%} of decision points, so 'pick the nice one' works",
    "few-near-misses": f"fewer than {NEAR_MISS_MIN:.0%} of decision points have a near miss "
                       "(two or more replies worth points)",
    "fixed-order": "a node pins its reply order (order: fixed), so the shuffle does not "
                   "protect it from 'always press 1'",
}

#: Strategies that press the same key: the same as a random guess unless an order is pinned.
POSITIONS = ("first", "second", "last")

_ADVICE = {
    "first": "pin fewer orders, or put a wrong reply first where the order is pinned",
    "second": "pin fewer orders, or move the best reply where the order is pinned",
    "last": "pin fewer orders, or put a wrong reply last where the order is pinned",
    "longest": "make a wrong reply the longest there, or the best reply shorter",
    "shortest": "make a wrong reply the shortest there",
    "warm": "put apology or empathy words into a wrong reply there (the conditional apology, "
            "the sympathetic over-promise)",
    "not-longest": "let the best reply be the longest at some of these nodes, so length "
                   "points neither way",
    "not-warm": "let the best reply sound warm at some of these nodes, so warmth points "
                "neither way",
    "random": "give wrong replies a real cost, or add decision points",
}


def _warn(path: str, mark: Mark, code: str, message: str) -> Problem:
    return Problem(path, mark.line, mark.col, message, severity="warning", code=code)


def _few(items: list[str] | tuple[str, ...], limit: int = 5) -> str:
    shown = ", ".join(repr(i) for i in items[:limit])
    return shown + (f" and {len(items) - limit} more" if len(items) > limit else "")


def validity(scenario: Scenario, analysis: Analysis, top: Mark,
             result: ScenarioAudit | None = None) -> list[Problem]:
    """The validity warnings of ``scenario``; scenario-wide ones point at ``top`` (the pass
    mark's line)."""
    a = result or audit(scenario, analysis)
    path = scenario.path
    out: list[Problem] = []
    for node in scenario.nodes.values():
        if node.fixed_order:
            out.append(_warn(path, node.mark, "fixed-order",
                             f"node {node.id!r} shows its replies in the written order "
                             "(order: fixed): keep it only where the wording needs it, and "
                             "never with the best reply first"))
    pinned = any(node.fixed_order for node in scenario.nodes.values())
    for s in a.strategies:
        if not (s.passes or s.near):
            continue
        if s.id in POSITIONS and not pinned:
            continue  # shuffled everywhere: a position is a random guess, reported as such
        code = "strategy-passes" if s.passes else "strategy-near-pass"
        verdict = (f"passes ({s.pass_probability:.0%} of plays)" if s.passes else
                   f"comes within {NEAR_PASS_POINTS} points of the pass mark")
        if s.helped_at:
            advice = f"it picks the best reply at {_few(s.helped_at)}: {_ADVICE[s.id]}"
        else:
            advice = ("the replies it picks still earn most of the points: let the wrong "
                      "replies cost something, or add decision points")
        out.append(_warn(path, top, code, f"'{s.label}' scores {s.score}% and {verdict} of "
                                          f"{scenario.pass_mark}%; {advice}"))
    n = len(a.points)
    if not n:
        return out
    longest = [p for p in a.points if p.longest]
    if len(longest) / n > LONGEST_LIMIT:
        for p in longest:
            out.append(_warn(path, p.mark, "best-longest",
                             f"at {p.node!r} the best reply ({', '.join(p.best)}) is the "
                             f"longest ({p.ratio}x the others' median), as at {len(longest)} "
                             f"of {n} decision points: write a wrong reply as long and as "
                             "well, or shorten the best one"))
    warm = [p for p in a.points if p.warm_only_best]
    if len(warm) / n > WARM_LIMIT:
        for p in warm:
            words = [c.id for c in scenario.nodes[p.node].choices if is_warm(c.say)]
            out.append(_warn(path, p.mark, "warm-only-best",
                             f"at {p.node!r} only the best reply ({', '.join(words)}) uses "
                             f"apology or empathy words, as at {len(warm)} of {n} decision "
                             "points: let a wrong reply sound warm too (\"I'm sorry you feel "
                             "that way\"), and let the best one earn its points by what it "
                             "does"))
    near = [p for p in a.points if p.near_miss]
    if len(near) / n < NEAR_MISS_MIN:
        without = [p.node for p in a.points if not p.near_miss]
        out.append(_warn(path, top, "few-near-misses",
                         f"only {len(near)} of {n} decision points have a near miss (two "
                         f"replies worth points; at least {NEAR_MISS_MIN:.0%} should): give a "
                         f"defensible second reply partial credit at some of {_few(without)}"))
    return out
