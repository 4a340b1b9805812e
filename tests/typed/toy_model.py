"""A tiny word-vector model folder built deterministically for the tests: the words of one
group (same meaning) share a direction, with a little noise; every other word points its own
way. Written in the ``.vec`` text format a real model folder uses."""

from __future__ import annotations

import json
import math
import random
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

#: Groups of words that mean the same: for the refund node of tests/typed/test_matching.py,
#: then for the blender call of the UI tests (tests/tui/data/call.yaml).
GROUPS: tuple[tuple[str, ...], ...] = (
    ("order", "orders", "purchase", "purchases", "booking"),
    ("number", "reference", "code", "id"),
    ("refund", "refunds", "refunding", "compensate", "compensation", "reimbursement"),
    ("full", "fully", "completely", "entire", "whole"),
    ("immediately", "now", "instant", "instantly", "straight", "away", "right"),
    ("look", "find", "pull", "check", "search", "locate", "read"),
    ("sorry", "apologise", "regret"),
    ("policy", "terms", "rules", "conditions"),
    ("thirty", "30", "month"),
    ("day", "days", "window", "deadline", "period"),
    ("allow", "possible", "permit", "permitted", "eligible"),
    ("outside", "beyond", "past", "after", "passed"),
    ("stop", "quit", "cease"),
    ("shouting", "yell", "yelling", "scream", "screaming", "shout"),
    ("ridiculous", "unreasonable", "absurd", "silly"),
    ("money", "cash", "funds"),
    ("questions", "question", "queries"),
    ("give", "hand"),
    ("sure", "course", "certainly", "problem"),
    ("take", "get", "have"),
    ("first", "before", "start"),
    ("say", "state", "stated"),
    ("faulty", "broken", "defective", "dead"),
    ("send", "post", "ship", "dispatch"),
    ("new", "replacement", "spare"),
    ("friday", "weekend", "saturday"),
    ("label", "sticker", "slip"),
    ("returns", "exchanges"),
    ("ten", "fortnight"),
    ("working", "business"),
)

#: Frequent words of no particular meaning: the top rows of the file (a real model lists the
#: most frequent words first, so these get the smallest weights).
COMMON = tuple(f"common{i}" for i in range(200)) + (
    "banana", "helicopter", "weather", "football", "guitar", "planet", "yellow", "kitchen")


def _unit(rng: random.Random, dim: int) -> list[float]:
    v = [rng.gauss(0.0, 1.0) for _ in range(dim)]
    norm = math.sqrt(sum(x * x for x in v))
    return [x / norm for x in v]


def vectors(groups: Iterable[Sequence[str]] = GROUPS, common: Sequence[str] = COMMON,
            dim: int = 32, seed: int = 13, noise: float = 0.2) -> list[tuple[str, list[float]]]:
    """The rows of the toy model, most frequent first: ``common`` words, then each group's."""
    rng = random.Random(seed)
    rows = [(w, [round(x, 5) for x in _unit(rng, dim)]) for w in common]
    for group in groups:
        direction = _unit(rng, dim)
        for word in group:
            jitter = _unit(rng, dim)
            rows.append((word, [round(d + noise * j, 5) for d, j in zip(direction, jitter,
                                                                         strict=True)]))
    return rows


def write_model(folder: Path, rows: Sequence[tuple[str, Sequence[float]]] | None = None, *,
                header: bool = True, settings: dict[str, Any] | None = None) -> Path:
    """Write a model folder (``vectors.vec``, and ``calmline-model.json`` if ``settings``)."""
    rows = vectors() if rows is None else rows
    folder.mkdir(parents=True, exist_ok=True)
    dim = len(rows[0][1])
    lines = [f"{len(rows)} {dim}"] if header else []
    lines += [word + " " + " ".join(str(x) for x in vec) for word, vec in rows]
    (folder / "vectors.vec").write_text("\n".join(lines) + "\n", encoding="utf-8")
    if settings is not None:
        (folder / "calmline-model.json").write_text(json.dumps(settings, indent=2),
                                                    encoding="utf-8")
    return folder
