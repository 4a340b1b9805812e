"""Load scenario YAML into the frozen model, keeping line and column of every value.

The source is read and composed by :mod:`~simulator.engine.yamlsource`, its sections read by
:mod:`~simulator.engine.reader` and the whole checked by :mod:`~simulator.engine.validate`.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from simulator.engine import validate, yamlerrors
from simulator.engine.model import Persona, Scenario
from simulator.engine.problems import Problem, ScenarioError
from simulator.engine.reader import ScenarioReader
from simulator.engine.walker import Invalid
from simulator.engine.yamlsource import MAX_BYTES, compose, read_text


def loads(text: str, path: str = "<string>", sha256: str = "") -> Scenario:
    """Load and validate a scenario from YAML text; raise :class:`ScenarioError` on problems."""
    if len(text) > MAX_BYTES:
        raise ScenarioError([Problem(path, 0, 0, "the text is too large for a scenario")])
    root = compose(text, path)
    reader = ScenarioReader(path)
    try:
        parts = reader.read(root)
    except Invalid:
        raise ScenarioError(reader.problems) from None
    except RecursionError:
        raise ScenarioError([Problem(path, 1, 1, yamlerrors.NESTED_TOO_DEEPLY)]) from None
    problems = list(reader.problems)
    scenario = Scenario(
            id=parts["id"], title=parts["title"], summary=parts["summary"],
            difficulty=parts["difficulty"], principles=tuple(parts["principles"]),
            pass_mark=parts["pass_mark"], persona=parts["persona"] or Persona("", "", 0.0),
            variables=parts["variables"], start=parts["start"], nodes=parts["nodes"],
            endings=parts["endings"], max_turns=parts["max_turns"],
            response_seconds=parts["response_seconds"], path=path,
            sha256=sha256 or hashlib.sha256(text.encode("utf-8")).hexdigest(),
            tags=tuple(parts["tags"]), mark=parts["mark"], allowed=tuple(parts["allowed"]),
    )
    problems += validate.check(scenario, reader, parts)
    if problems:
        raise ScenarioError(problems)
    return scenario


def load(path: str | Path) -> Scenario:
    """Load and validate the scenario file at ``path``."""
    text, digest = read_text(path)
    return loads(text, str(path), digest)
