"""What ``calmline analyze`` reports: path counts, best and worst paths, endings, and size.

Everything here is read off the analysis state graph (never by enumerating paths), so the
cost is that of :func:`simulator.engine.analysis.analyze` plus one replay of each extreme path.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from scoring.scorer import percent_of_best, score
from simulator.engine.analysis import Analysis, Edge, analyze
from simulator.engine.machine import ScenarioMachine
from simulator.engine.model import MAX_TURNS_ENDING, Scenario
from simulator.engine.session import Session

#: Customer lines are heard at speaking pace; options, feedback and debriefs are read.
SPOKEN_WORDS_PER_MINUTE = 150
READING_WORDS_PER_MINUTE = 250


def words(text: str) -> int:
    """The number of words in ``text``."""
    return len(text.split())


@dataclass(frozen=True, slots=True)
class Turn:
    """One answer on a path: where it was given and what it scored."""

    node: str
    choice: str
    total: int
    critical: bool


@dataclass(frozen=True, slots=True)
class PathReport:
    """An extreme path as a trainee would play it, with its scorecard figures."""

    turns: tuple[Turn, ...]
    total: int
    percent: float
    passed: bool
    ending: str
    outcome: str
    principles: dict[str, int]
    minutes: float

    @property
    def choices(self) -> tuple[str, ...]:
        """The choice ids, in order."""
        return tuple(t.choice for t in self.turns)


@dataclass(frozen=True, slots=True)
class EndingReport:
    """One authored ending: can a play reach it, and with what best total."""

    id: str
    outcome: str
    reachable: bool
    best_total: int | None  # the best play into it without a critical choice
    best_percent: float | None
    critical_only: bool  # reachable, but only through a critical choice


@dataclass(frozen=True, slots=True)
class Size:
    """Authoring statistics: how much there is to write and to read."""

    nodes: int
    choices: int
    endings: int
    customer_lines: int
    words: int
    critical_choices: int


@dataclass(frozen=True, slots=True)
class Report:
    """Everything ``calmline analyze`` prints about one scenario."""

    scenario: str
    title: str
    path: str
    max_turns: int
    pass_mark: int
    states: int
    tracked: tuple[str, ...]
    has_loops: bool
    paths: int | None  # distinct paths to an ending; None when loops make them unbounded
    plays_within_guard: int  # distinct plays of at most max_turns answers
    best: PathReport | None  # None when no play without a critical choice reaches an ending
    worst: PathReport
    endings: tuple[EndingReport, ...]
    size: Size

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (path counts as integers, which JSON holds exactly)."""
        data: dict[str, Any] = _lists(asdict(self))
        for key in ("best", "worst"):
            if data[key] is not None:
                data[key]["choices"] = [t["choice"] for t in data[key]["turns"]]
        return data


def _lists(value: Any) -> Any:
    """``value`` with every tuple turned into a list, as JSON has them."""
    if isinstance(value, dict):
        return {k: _lists(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_lists(v) for v in value]
    return value


def walk(analysis: Analysis, choices: tuple[str, ...]) -> list[tuple[str, Edge]]:
    """Follow ``choices`` through the state graph from the start: (node, edge) per answer."""
    out: list[tuple[str, Edge]] = []
    state = 0
    for choice in choices:
        node = analysis.states[state][0]
        edge = next(e for e in analysis.edges[state] if e.choice == choice)
        out.append((node, edge))
        if edge.next < 0:
            break
        state = edge.next
    return out


def play_minutes(scenario: Scenario, turns: list[tuple[str, str]], ending: str) -> float:
    """Estimated minutes to play ``turns`` (node, choice) to ``ending``: customer lines at
    speaking pace; the options, the feedback and the debrief at reading pace."""
    spoken = 0.0
    read = 0.0
    for node_id, choice_id in turns:
        node = scenario.nodes[node_id]
        if node.lines:
            spoken += sum(words(line) for line in node.lines) / len(node.lines)
        read += sum(words(c.say) for c in node.choices)
        chosen = node.choice(choice_id)
        if chosen is not None:
            read += words(chosen.feedback)
    end = scenario.endings.get(ending)
    if end is not None:
        spoken += words(end.line)
        read += words(end.debrief)
    minutes = spoken / SPOKEN_WORDS_PER_MINUTE + read / READING_WORDS_PER_MINUTE
    return round(minutes, 1)


def _path_report(scenario: Scenario, analysis: Analysis, choices: tuple[str, ...],
                 machine: ScenarioMachine) -> PathReport:
    steps = walk(analysis, choices)
    session = Session(scenario, clock=lambda: 0.0, machine=machine,
                      start_values=analysis.situation)
    for _node, edge in steps:
        session.choose(edge.choice)
    card = score(scenario, session.log, session.ending, analysis)
    ending = session.ending
    ending_id = ending.id if ending else MAX_TURNS_ENDING
    turns = tuple(Turn(node, e.choice, e.total, e.critical) for node, e in steps)
    return PathReport(
        turns=turns, total=card.total, percent=card.percent, passed=card.passed,
        ending=ending_id, outcome=ending.outcome if ending else "unresolved",
        principles={p.id: p.earned for p in card.principles},
        minutes=play_minutes(scenario, [(t.node, t.choice) for t in turns], ending_id),
    )


def size(scenario: Scenario) -> Size:
    """Count the scenario's nodes, choices, endings, customer lines and words."""
    total_words = 0
    n_choices = 0
    n_lines = 0
    n_critical = 0
    for node in scenario.nodes.values():
        n_lines += len(node.lines)
        total_words += sum(words(line) for line in node.lines)
        answers = list(node.answers)
        for c in answers:
            total_words += words(c.say) + words(c.feedback)
        n_choices += len(node.choices)
        n_critical += sum(1 for c in node.choices if c.critical)
    for ending in scenario.endings.values():
        total_words += words(ending.line) + words(ending.debrief)
    total_words += words(scenario.title) + words(scenario.summary)
    return Size(len(scenario.nodes), n_choices, len(scenario.endings), n_lines, total_words,
                n_critical)


def report(scenario: Scenario, analysis: Analysis | None = None) -> Report:
    """Analyse ``scenario`` for ``calmline analyze``."""
    a = analysis or analyze(scenario)
    best_path = a.best
    machine = ScenarioMachine(scenario)
    best = _path_report(scenario, a, best_path.choices, machine) if best_path.choices and \
        best_path.ending in scenario.endings else None
    worst = _path_report(scenario, a, a.worst.choices, machine)
    best_total = best_path.total if best is not None else 0
    endings = []
    for eid, ending in scenario.endings.items():
        clean = a.best_into(eid, False)
        any_play = clean if clean is not None else a.best_into(eid, True)
        endings.append(EndingReport(
            id=eid, outcome=ending.outcome, reachable=any_play is not None,
            best_total=clean,
            best_percent=(None if clean is None or best is None
                          else percent_of_best(clean, best_total)),
            critical_only=clean is None and any_play is not None,
        ))
    return Report(
        scenario=scenario.id, title=scenario.title, path=scenario.path,
        max_turns=scenario.max_turns, pass_mark=scenario.pass_mark, states=len(a.states),
        tracked=a.tracked, has_loops=not a.acyclic, paths=a.path_count(),
        plays_within_guard=a.path_count_within_guard(), best=best, worst=worst,
        endings=tuple(endings), size=size(scenario),
    )
