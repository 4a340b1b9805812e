"""Trainer reports as pure functions: from what the store read (``ReportData``) to frozen
report values that the CLI prints as tables and the TUI's trainer screen shows.

Only finished attempts count towards scores; abandoned ones are counted separately. A
"wrong" answer is one whose score deltas add up below zero, or a critical one.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from scoring.rubric import BY_ID
from scoring.store.queries import AttemptRow, ChoiceTally, PrincipleTally, ReportData
from simulator.engine.moments import day


@dataclass(frozen=True, slots=True)
class PrincipleLine:
    """How the cohort does on one principle; ``fail_rate`` is the share of attempts whose
    score on it was below the scenario's pass mark."""

    principle: str
    name: str
    attempts: int
    mean: float
    below_pass: int
    fail_rate: float


@dataclass(frozen=True, slots=True)
class ScenarioLine:
    """One scenario across the cohort."""

    scenario: str
    title: str
    finished: int
    abandoned: int
    passed: int
    pass_rate: float
    mean: float
    versions: int


@dataclass(frozen=True, slots=True)
class WrongChoice:
    """The most common wrong answer at one node."""

    scenario: str
    node: str
    choice: str
    say: str
    count: int
    answers: int
    share: float


@dataclass(frozen=True, slots=True)
class FirstBest:
    """One trainee on one scenario: the first finished attempt against the best."""

    trainee: str
    scenario: str
    attempts: int
    first: float
    best: float


@dataclass(frozen=True, slots=True)
class Point:
    """One finished attempt on a trainee's timeline."""

    at: str
    scenario: str
    percent: float
    passed: bool


@dataclass(frozen=True, slots=True)
class Progress:
    """One trainee over time."""

    trainee: str
    attempts: int
    passed: int
    first: float
    latest: float
    best: float
    points: tuple[Point, ...]

    @property
    def change(self) -> float:
        """Latest minus first percent."""
        return round(self.latest - self.first, 1)


@dataclass(frozen=True, slots=True)
class Report:
    """The cohort report."""

    attempts: int
    finished: int
    abandoned: int
    trainees: int
    principles: tuple[PrincipleLine, ...]
    scenarios: tuple[ScenarioLine, ...]
    wrong_choices: tuple[WrongChoice, ...]
    first_best: tuple[FirstBest, ...]
    progress: tuple[Progress, ...]


def _rate(part: int, whole: int) -> float:
    return round(100.0 * part / whole, 1) if whole else 0.0


def _mean(values: Sequence[float]) -> float:
    return round(sum(values) / len(values), 1) if values else 0.0


def principle_lines(tallies: Sequence[PrincipleTally]) -> tuple[PrincipleLine, ...]:
    """Principles, the ones the cohort fails most first (then by lowest mean)."""
    lines = [PrincipleLine(t.principle, BY_ID[t.principle].name if t.principle in BY_ID
                           else t.principle, t.attempts, t.mean, t.below_pass,
                           _rate(t.below_pass, t.attempts)) for t in tallies]
    return tuple(sorted(lines, key=lambda p: (-p.fail_rate, p.mean, p.principle)))


def scenario_lines(rows: Sequence[AttemptRow]) -> tuple[ScenarioLine, ...]:
    """Per-scenario counts, pass rate and mean percent, by scenario id."""
    groups: dict[str, list[AttemptRow]] = defaultdict(list)
    for r in rows:
        groups[r.scenario].append(r)
    out = []
    for sid in sorted(groups):
        group = groups[sid]
        done = [r for r in group if r.status == "finished"]
        passed = sum(1 for r in done if r.passed)
        out.append(ScenarioLine(sid, group[-1].title, len(done),
                                sum(1 for r in group if r.status == "abandoned"), passed,
                                _rate(passed, len(done)),
                                _mean([r.percent or 0.0 for r in done]),
                                len({r.sha256 for r in group})))
    return tuple(out)


def wrong_choices(tallies: Sequence[ChoiceTally]) -> tuple[WrongChoice, ...]:
    """At each node, the wrong answer given most often (ties: the lowest choice id)."""
    answers: dict[tuple[str, str], int] = defaultdict(int)
    worst: dict[tuple[str, str], ChoiceTally] = {}
    for t in tallies:
        where = (t.scenario, t.node)
        answers[where] += t.count
        if t.wrong <= 0:
            continue
        best = worst.get(where)
        if best is None or (t.wrong, best.choice) > (best.wrong, t.choice):
            worst[where] = t
    out = [WrongChoice(s, n, t.choice, t.say, t.wrong, answers[(s, n)],
                       _rate(t.wrong, answers[(s, n)])) for (s, n), t in worst.items()]
    return tuple(sorted(out, key=lambda w: (-w.share, -w.count, w.scenario, w.node)))


def first_best(rows: Sequence[AttemptRow]) -> tuple[FirstBest, ...]:
    """For each trainee and scenario: first finished attempt's percent and the best."""
    seen: dict[tuple[str, str], list[float]] = defaultdict(list)
    for r in rows:
        if r.status == "finished":
            seen[(r.trainee, r.scenario)].append(r.percent or 0.0)
    return tuple(FirstBest(t, s, len(p), p[0], max(p)) for (t, s), p in sorted(seen.items()))


def progress(rows: Sequence[AttemptRow]) -> tuple[Progress, ...]:
    """Each trainee's finished attempts over time, with first, latest and best percent."""
    points: dict[str, list[Point]] = defaultdict(list)
    for r in rows:
        if r.status == "finished":
            points[r.trainee].append(Point(r.started_at, r.scenario, r.percent or 0.0,
                                           r.passed))
    out = []
    for trainee in sorted(points):
        pts = sorted(points[trainee], key=lambda p: p.at)
        out.append(Progress(trainee, len(pts), sum(1 for p in pts if p.passed), pts[0].percent,
                            pts[-1].percent, max(p.percent for p in pts), tuple(pts)))
    return tuple(out)


def build_report(data: ReportData) -> Report:
    """The whole cohort report from the store's aggregates."""
    rows = data.attempts
    return Report(
        attempts=len(rows),
        finished=sum(1 for r in rows if r.status == "finished"),
        abandoned=sum(1 for r in rows if r.status == "abandoned"),
        trainees=len({r.trainee for r in rows}),
        principles=principle_lines(data.principles),
        scenarios=scenario_lines(rows),
        wrong_choices=wrong_choices(data.choices),
        first_best=first_best(rows),
        progress=progress(rows),
    )


def daily_means(report: Report) -> tuple[tuple[str, float], ...]:
    """The cohort's mean percent per day (UTC) of finished attempts, oldest first: the
    points of the trainer screen's plot of scores over time."""
    days: dict[str, list[float]] = defaultdict(list)
    for trainee in report.progress:
        for p in trainee.points:
            days[day(p.at)].append(p.percent)
    return tuple((day, _mean(values)) for day, values in sorted(days.items()))
