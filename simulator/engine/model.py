"""The scenario model: immutable dataclasses produced by the loader."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from simulator.engine.expr import Condition

FORMAT_VERSION = 1

#: Outcome kinds an ending can have, with a short label for people.
OUTCOMES: dict[str, str] = {
    "resolved": "Resolved",
    "follow_up": "Follow-up arranged",
    "escalated": "Escalated",
    "hung_up": "Customer hung up",
    "ended_for_abuse": "Call ended for abuse",
    "unresolved": "Unresolved",
    "critical_failure": "Critical failure",
}

#: Outcome kinds the engine assigns itself; authors may not use them.
ENGINE_OUTCOMES = frozenset({"critical_failure"})

DIFFICULTIES = ("easy", "medium", "hard")

MAX_TURNS_ENDING = "max-turns"
CRITICAL_ENDING = "critical-failure"


@dataclass(frozen=True, slots=True)
class Mark:
    """Where something was written: 1-based line and column."""

    line: int
    col: int


NO_MARK = Mark(0, 0)


@dataclass(frozen=True, slots=True)
class Variable:
    """A customer variable such as ``anger``: an integer kept within ``[low, high]``."""

    name: str
    low: int
    high: int
    start: int
    description: str = ""
    starts: tuple[int, ...] = ()
    """The situations: start values one of which each session draws from its seed
    (``start: [0, 1]``); empty when the start is fixed (then ``start`` is it)."""

    def clamp(self, value: int) -> int:
        """Return ``value`` kept within this variable's range."""
        return max(self.low, min(self.high, value))


@dataclass(frozen=True, slots=True)
class Route:
    """One branch of a choice's routing: go to ``target`` when ``when`` holds (always if None)."""

    target: str
    when: Condition | None = None
    mark: Mark = NO_MARK


@dataclass(frozen=True, slots=True)
class Choice:
    """Something the trainee can say, with its scores, effects, feedback and routing."""

    id: str
    say: str
    scores: Mapping[str, int]
    effects: Mapping[str, int]
    feedback: str
    routes: tuple[Route, ...]
    critical: bool = False
    examples: tuple[str, ...] = ()
    mark: Mark = NO_MARK

    @property
    def total(self) -> int:
        """The sum of this choice's score deltas over all principles."""
        return sum(self.scores.values())

    def route_for(self, values: Mapping[str, int]) -> int | None:
        """Which route the call takes when the variables, after this choice's effects, are
        ``values``: the first whose condition holds (None when none does; a choice without
        routes, the default silence, keeps the call where it is)."""
        for k, route in enumerate(self.routes):
            if route.when is None or route.when(values):
                return k
        return None


#: The answer id of a node's silence response: what the customer hears when the trainee
#: says nothing before the reply time runs out.
SILENCE = "silence"


@dataclass(frozen=True, slots=True)
class Narration:
    """What the agent sees at a node (on screen, in the account), never said aloud: shown
    when ``when`` holds (always if None); a node's first variant that holds is shown."""

    text: str
    when: Condition | None = None
    mark: Mark = NO_MARK


@dataclass(frozen=True, slots=True)
class Node:
    """A point in the call: the customer speaks, the trainee chooses."""

    id: str
    lines: tuple[str, ...]
    choices: tuple[Choice, ...]
    silence: Choice | None = None
    mark: Mark = NO_MARK
    #: True when the replies keep their written order (``order: fixed``) instead of the
    #: seeded shuffle every mode applies.
    fixed_order: bool = False
    narration: tuple[Narration, ...] = ()

    def narration_for(self, values: Mapping[str, int]) -> str:
        """The narration shown with ``values`` (the first variant that holds), or ""."""
        for n in self.narration:
            if n.when is None or n.when(values):
                return n.text
        return ""

    @property
    def answers(self) -> tuple[Choice, ...]:
        """Every authored answer at this node: the choices, then the silence response when
        the node has one."""
        return (*self.choices, self.silence) if self.silence is not None else self.choices

    def choice(self, choice_id: str) -> Choice | None:
        """Return the choice with ``choice_id`` or None."""
        for c in self.choices:
            if c.id == choice_id:
                return c
        if self.silence is not None and self.silence.id == choice_id:
            return self.silence
        return None


@dataclass(frozen=True, slots=True)
class Ending:
    """How a call can end: an outcome kind, an optional last line and a debrief."""

    id: str
    outcome: str
    debrief: str
    line: str = ""
    mark: Mark = NO_MARK

    @property
    def outcome_label(self) -> str:
        """The outcome kind in words."""
        return OUTCOMES.get(self.outcome, self.outcome)


@dataclass(frozen=True, slots=True)
class Allowance:
    """A lint warning code the author accepts in this file (``lint: {allow: ...}``), and why."""

    code: str
    reason: str
    mark: Mark = NO_MARK


@dataclass(frozen=True, slots=True)
class Persona:
    """The customer on the line."""

    name: str
    product: str
    order_value: float
    currency: str = "USD"
    description: str = ""

    @property
    def display_name(self) -> str:
        """How the customer is named on screen: their name, or "Customer" without one."""
        return self.name or "Customer"


@dataclass(frozen=True, slots=True)
class Scenario:
    """A whole scenario as loaded and validated: immutable."""

    id: str
    title: str
    summary: str
    difficulty: str
    principles: tuple[str, ...]
    pass_mark: int
    persona: Persona
    variables: Mapping[str, Variable]
    start: str
    nodes: Mapping[str, Node]
    endings: Mapping[str, Ending]
    max_turns: int = 40
    response_seconds: int | None = None
    format: int = FORMAT_VERSION
    path: str = ""
    sha256: str = ""
    tags: tuple[str, ...] = ()
    mark: Mark = NO_MARK
    allowed: tuple[Allowance, ...] = ()
    """Lint warnings accepted in this file, each with its reason."""

    def __post_init__(self) -> None:
        for name in ("variables", "nodes", "endings"):
            value = getattr(self, name)
            if not isinstance(value, MappingProxyType):
                object.__setattr__(self, name, MappingProxyType(dict(value)))

    def start_values(self) -> dict[str, int]:
        """The variables' start values, as a fresh dict."""
        return {name: v.start for name, v in self.variables.items()}

    def step_ids(self) -> list[str]:
        """All node and ending ids."""
        return [*self.nodes, *self.endings]
