"""The rows of the store as data: the sealed columns, what an attempt starts and ends with."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from scoring.names import TraineeNameError, trainee_name
from scoring.store.dialect import StoreError

#: Attempt columns covered by the seal (everything but the seal fields and the heartbeat).
ATTEMPT_FIELDS = (
    "id", "uid", "certification_id", "position", "mode", "scenario_id", "scenario_title",
    "scenario_path", "scenario_sha256", "rubric_version", "calmline_version", "seed",
    "shuffle", "stop_on_critical", "response_seconds", "pass_mark", "max_score", "min_score",
    "status", "started_at", "finished_at", "host", "pid", "proc", "answered", "ending",
    "outcome", "total", "percent", "passed", "critical", "missed",
)
ANSWER_FIELDS = (
    "turn", "node", "line", "choice", "say", "scores", "total", "effects", "values_before",
    "values_after", "target", "feedback", "critical", "timed_out", "at", "recorded_at",
)
PRINCIPLE_FIELDS = ("principle", "earned", "best", "percent")
#: Certification columns covered by its seal (with the trainee's name, its attempts and
#: the digest of the legacy list, see :meth:`Store.certification_content`).
CERTIFICATION_FIELDS = ("id", "uid", "scenarios", "min_mean", "status", "started_at",
                        "finished_at", "passed", "mean")
_JSON_FIELDS = frozenset({"missed", "scores", "effects", "values_before", "values_after"})


@dataclass(frozen=True, slots=True)
class AttemptInfo:
    """Everything known about an attempt when it starts."""

    trainee: str
    scenario_id: str
    scenario_title: str
    scenario_path: str
    scenario_sha256: str
    rubric_version: str
    calmline_version: str
    seed: int
    shuffle: bool
    stop_on_critical: bool
    response_seconds: int
    pass_mark: int
    max_score: int
    min_score: int
    mode: str = "certification"
    certification_id: int | None = None
    position: int = 1
    started_at: str | None = None
    """When the call opened (default: when the start is recorded)."""
    typed: bool = False
    """The trainee typed their replies (matched to the authored ones)."""


@dataclass(frozen=True, slots=True)
class AttemptResult:
    """How an attempt ended, with its per-principle scores."""

    ending: str | None
    outcome: str | None
    total: int
    percent: float
    passed: bool
    critical: int
    missed: Sequence[Mapping[str, Any]] = ()
    principles: Sequence[tuple[str, int, int, float]] = field(default_factory=tuple)


def clean_trainee(name: str) -> str:
    """A trainee name as stored (see :mod:`scoring.names`); StoreError when unusable."""
    try:
        return trainee_name(name)
    except TraineeNameError as exc:
        raise StoreError(str(exc)) from None


def dump(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def row_dict(names: Sequence[str], row: Sequence[Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, value in zip(names, row, strict=False):
        out[name] = json.loads(value) if name in _JSON_FIELDS and value is not None else value
    return out
