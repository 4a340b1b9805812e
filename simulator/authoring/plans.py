"""Playthrough plans: a small YAML file that replays one path and states what must happen.

A plan names a scenario, a seed and the answers to give; for each turn it may state the
node and the customer's line, and at the end the ending and the score. :func:`run` replays
it through the training service's preview mode (optionally saving and reloading the
session after every answer) and reports every difference as a :class:`Problem` located in
the plan file. :func:`record` writes the plan of a path as it plays today.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from scoring.recording import Mode
from scoring.scorer import Scorecard
from simulator.engine.bounds import PERCENT_RANGE, SEED_RANGE, TOTAL_RANGE
from simulator.engine.model import Mark, Scenario
from simulator.engine.problems import Problem, ScenarioError
from simulator.engine.session import Clock
from simulator.engine.walker import ID_PATTERN, Invalid, Walker, mark_of
from simulator.engine.yamlsource import compose, read_text
from simulator.training.attempt import Attempt

PLAN_SUFFIX = ".plan.yaml"

_TOP = ("scenario", "turns", "expect")
_TOP_OPTIONAL = ("seed", "description")
_TURN = ("choose",)
_TURN_OPTIONAL = ("at", "narration", "customer")
_EXPECT_OPTIONAL = ("ending", "outcome", "customer", "total", "percent", "passed")


@dataclass(frozen=True, slots=True)
class PlanTurn:
    """One answer of a plan, with what the plan expects to see before giving it."""

    choose: str
    at: str | None = None
    customer: str | None = None
    mark: Mark = Mark(0, 0)
    narration: str | None = None


@dataclass(frozen=True, slots=True)
class Plan:
    """A loaded plan file."""

    path: str
    scenario: str
    seed: int
    turns: tuple[PlanTurn, ...]
    expect: dict[str, Any]
    description: str = ""
    mark: Mark = Mark(1, 1)
    expect_marks: dict[str, Mark] = field(default_factory=dict)

    def scenario_path(self) -> Path | None:
        """The scenario file when the plan names one by path (relative to the plan)."""
        ref = self.scenario
        if ref.endswith((".yaml", ".yml")) or "/" in ref:
            return (Path(self.path).parent / ref).resolve()
        return None


@dataclass(frozen=True, slots=True)
class Outcome:
    """What replaying a plan did: the differences found (none means it passed)."""

    plan: Plan
    problems: tuple[Problem, ...]
    turns: int
    ending: str | None
    total: int | None
    percent: float | None
    passed: bool | None

    @property
    def ok(self) -> bool:
        """True when the replay matched the plan in every respect."""
        return not self.problems


class _PlanReader(Walker):
    def read(self, root: yaml.Node) -> Plan:
        keys = {str(k.value) for k, _v in root.value if isinstance(k, yaml.ScalarNode)}
        if {"format", "nodes"} <= keys:
            raise self.fail(root, "this is a scenario file, not a plan (a plan has scenario, "
                                  "turns and expect; see 'calmline plan --help')")
        top = self.mapping(root, "the plan", _TOP, _TOP_OPTIONAL)
        if any(k not in top for k in _TOP):
            raise Invalid()
        scenario = self.text(top["scenario"], "scenario")
        seed = self.integer(top["seed"], "seed", SEED_RANGE) if "seed" in top else 0
        description = (self.text(top["description"], "description", True)
                       if "description" in top else "")
        turns = []
        items = self.sequence(top["turns"], "turns")
        for item in items:
            f = self.attempt(lambda item=item: self.mapping(item, "a turn", _TURN,
                                                            _TURN_OPTIONAL))
            if f is None or "choose" not in f:
                continue
            choose = self.attempt(lambda f=f: self.text(f["choose"], "choose"))
            at = self.attempt(lambda f=f: self.text(f["at"], "at")) if "at" in f else None
            line = (self.attempt(lambda f=f: self.text(f["customer"], "customer"))
                    if "customer" in f else None)
            shown = (self.attempt(lambda f=f: self.text(f["narration"], "narration"))
                     if "narration" in f else None)
            if choose is not None:
                turns.append(PlanTurn(choose, at, line, mark_of(item), shown))
        expect: dict[str, Any] = {}
        marks: dict[str, Mark] = {}
        f = self.mapping(top["expect"], "expect", (), _EXPECT_OPTIONAL)
        if not f:
            self.problem(top["expect"], "expect must state at least one of "
                                        f"{', '.join(_EXPECT_OPTIONAL)}")
        readers: dict[str, Callable[[yaml.Node], Any]] = {
            "ending": lambda n: self.text(n, "ending"),
            "outcome": lambda n: self.text(n, "outcome"),
            "customer": lambda n: self.text(n, "customer"),
            "total": lambda n: self.integer(n, "total", TOTAL_RANGE),
            "percent": lambda n: self.number(n, "percent", PERCENT_RANGE),
            "passed": lambda n: self.boolean(n, "passed"),
        }
        for key, node in f.items():
            value = self.attempt(lambda key=key, node=node: readers[key](node))
            if value is not None:
                expect[key] = value
                marks[key] = mark_of(node)
        return Plan(self.path, scenario, seed, tuple(turns), expect, description, mark_of(root),
                    marks)


def loads(text: str, path: str = "<plan>") -> Plan:
    """Read a plan from YAML text; raise :class:`ScenarioError` listing its problems."""
    try:
        root = compose(text, path)
    except ScenarioError as exc:
        first = exc.first
        if not first.message.startswith("a scenario must be a YAML mapping"):
            raise
        raise ScenarioError([Problem(path, first.line, first.col,
                                     "a plan must be a YAML mapping of fields (scenario, "
                                     "turns, expect)")]) from None
    reader = _PlanReader(path)
    try:
        plan = reader.read(root)
    except Invalid:
        raise ScenarioError(reader.problems) from None
    if reader.problems:
        raise ScenarioError(reader.problems)
    return plan


def load(path: str | Path) -> Plan:
    """Read the plan file at ``path``."""
    text, _digest = read_text(path)
    return loads(text, str(path))


def plan_files(paths: Sequence[str | Path]) -> list[Path]:
    """The plan files named, and every ``*.plan.yaml`` inside the folders named."""
    out: list[Path] = []
    for name in paths:
        p = Path(name)
        if p.is_dir():
            out.extend(sorted(p.rglob(f"*{PLAN_SUFFIX}")))
        else:
            out.append(p)
    return out


def _short(text: str, width: int = 60) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 3].rstrip() + "..."


def _ticking_clock() -> Clock:
    """A clock that moves one second per reading (plans replay the same on any day)."""
    ticks = iter(range(1_800_000_000, 1_900_000_000))
    return lambda: float(next(ticks))


def run(plan: Plan, scenario: Scenario, round_trip: bool = False) -> Outcome:
    """Replay ``plan`` against ``scenario``; with ``round_trip``, save and reload the
    session after every answer (the replay must not notice)."""
    problems: list[Problem] = []

    def differ(mark: Mark, message: str) -> None:
        problems.append(Problem(plan.path, mark.line, mark.col, message))

    attempt = Attempt(scenario, Mode.PREVIEW, seed=plan.seed, clock=_ticking_clock())
    card: Scorecard | None = None
    for n, turn in enumerate(plan.turns, 1):
        session = attempt.session
        if session.finished:
            ending = session.ending
            assert ending is not None
            differ(turn.mark, f"turn {n}: the call already ended at {ending.id!r} "
                              f"({ending.outcome}) after {session.turn} turns")
            break
        prompt = session.current()
        if turn.at is not None and turn.at != prompt.node:
            differ(turn.mark, f"turn {n}: the call is at {prompt.node!r}, the plan expects "
                              f"{turn.at!r}")
        if turn.customer is not None and " ".join(turn.customer.split()) != " ".join(
                prompt.line.split()):
            differ(turn.mark, f"turn {n} at {prompt.node!r}: the customer says "
                              f"{_short(prompt.line)!r}, the plan expects "
                              f"{_short(turn.customer)!r}")
        if turn.narration is not None and " ".join(turn.narration.split()) != " ".join(
                prompt.narration.split()):
            shown = repr(_short(prompt.narration)) if prompt.narration else "nothing"
            differ(turn.mark, f"turn {n} at {prompt.node!r}: the narration shows {shown}, "
                              f"the plan expects {_short(turn.narration)!r}")
        if attempt.accepts(turn.choose):
            attempt.answer(turn.choose)
        else:
            differ(turn.mark, f"turn {n} at {prompt.node!r}: {turn.choose!r} is not a choice "
                              f"there (choices: {', '.join(session.option_ids())})")
            break
        if round_trip:
            attempt.round_trip()
    else:
        card = _check_end(plan, attempt, differ)
    finished = attempt.session.ending
    if finished is not None and card is None:
        card = attempt.score()
    return Outcome(plan, tuple(problems), attempt.session.turn,
                   finished.id if finished else None,
                   card.total if card else None, card.percent if card else None,
                   card.passed if card else None)


def _check_end(plan: Plan, attempt: Attempt,
               differ: Callable[[Mark, str], None]) -> Scorecard | None:
    expect, marks = plan.expect, plan.expect_marks
    session = attempt.session
    ending = session.ending
    if ending is None:
        where = marks.get("ending", plan.mark)
        differ(where, f"after the last turn the call is still going at {session.state!r}"
                      + (f"; the plan expects it to end at {expect['ending']!r}"
                         if "ending" in expect else ""))
        return None
    if "ending" in expect and expect["ending"] != ending.id:
        differ(marks["ending"], f"the call ends at {ending.id!r}, the plan expects "
                                f"{expect['ending']!r}")
    if "outcome" in expect and expect["outcome"] != ending.outcome:
        differ(marks["outcome"], f"the outcome is {ending.outcome!r}, the plan expects "
                                 f"{expect['outcome']!r}")
    if "customer" in expect and " ".join(expect["customer"].split()) != " ".join(
            ending.line.split()):
        differ(marks["customer"], f"the customer's last line is {_short(ending.line)!r}, the "
                                  f"plan expects {_short(expect['customer'])!r}")
    card = attempt.score()
    if "total" in expect and expect["total"] != card.total:
        differ(marks["total"], f"the total score is {card.total}, the plan expects "
                               f"{expect['total']}")
    if "percent" in expect and abs(float(expect["percent"]) - card.percent) > 0.05:
        differ(marks["percent"], f"the score is {card.percent}%, the plan expects "
                                 f"{expect['percent']}%")
    if "passed" in expect and expect["passed"] != card.passed:
        said = "passes" if card.passed else "fails"
        differ(marks["passed"], f"the attempt {said}, the plan expects it to "
                                f"{'pass' if expect['passed'] else 'fail'}")
    return card


def _q(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(" ".join(text.split()), ensure_ascii=False)


def _plain(text: str) -> str:
    """An id as it is; anything else (a path) quoted."""
    return text if ID_PATTERN.match(text) else _q(text)


def record(scenario: Scenario, choices: Sequence[str], seed: int = 0,
           ref: str | None = None, description: str = "") -> str:
    """The text of a plan for playing ``choices`` as the scenario plays them today."""
    attempt = Attempt(scenario, Mode.PREVIEW, seed=seed, clock=_ticking_clock())
    session = attempt.session
    lines = [
        "# A playthrough plan: `calmline test` replays it and fails on any difference.",
        f"scenario: {_plain(ref or scenario.id)}",
        f"seed: {seed}",
    ]
    if description:
        lines.append(f"description: {_q(description)}")
    lines.append("turns:")
    for n, choice in enumerate(choices, 1):
        if session.finished:
            raise ValueError(f"choice {n} ({choice!r}): the call already ended")
        prompt = session.current()
        lines.append(f"  - at: {prompt.node}")
        if prompt.narration:
            lines.append(f"    narration: {_q(prompt.narration)}")
        lines.append(f"    customer: {_q(prompt.line)}")
        lines.append(f"    choose: {choice}")
        if not attempt.accepts(choice):
            raise ValueError(f"choice {n} ({choice!r}) is not available at {prompt.node!r}; "
                             f"valid: {', '.join(session.option_ids())}")
        attempt.answer(choice)
    ending = session.ending
    if ending is None:
        raise ValueError(f"the call has not ended after {len(choices)} choices "
                         f"(it is at {session.state!r})")
    card = attempt.score()
    lines.append("expect:")
    lines.append(f"  ending: {ending.id}")
    lines.append(f"  outcome: {ending.outcome}")
    if ending.line:
        lines.append(f"  customer: {_q(ending.line)}")
    lines.append(f"  total: {card.total}")
    lines.append(f"  percent: {card.percent}")
    lines.append(f"  passed: {'true' if card.passed else 'false'}")
    return "\n".join(lines) + "\n"
