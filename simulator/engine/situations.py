"""Seeded situations: variables whose ``start`` is a list, one value drawn per session.

A *situation* is the start values of those variables (``{"scene": 1}``). The draw comes from
the session seed, so replay, saved sessions and recorded certifications (which keep their
seed and their start values) reproduce it. Scoring is per situation: the best achievable
score is that of the situation the attempt started in (:func:`analysis_for`).
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Mapping

from simulator.engine.analysis import Analysis, analyze
from simulator.engine.model import Scenario

#: The most situations (the product of the start lists' lengths) a scenario may have.
MAX_SITUATIONS = 64


def drawn(scenario: Scenario) -> list[str]:
    """The variables whose start is drawn, in written order."""
    return [name for name, v in scenario.variables.items() if v.starts]


def situations(scenario: Scenario) -> list[dict[str, int]]:
    """Every situation, in written order (``[{}]`` when no start is drawn)."""
    names = drawn(scenario)
    lists = [scenario.variables[n].starts for n in names]
    return [dict(zip(names, combo, strict=True)) for combo in itertools.product(*lists)]


def draw(scenario: Scenario, seed: int) -> dict[str, int]:
    """The situation a session with ``seed`` plays (each drawn variable uniformly)."""
    return {name: random.Random(f"{seed}:situation:{name}").choice(
        scenario.variables[name].starts) for name in drawn(scenario)}


def situation_of(scenario: Scenario, values: Mapping[str, int]) -> dict[str, int]:
    """The situation of a call that started with ``values``."""
    return {name: int(values[name]) for name in drawn(scenario) if name in values}


def describe(situation: Mapping[str, int]) -> str:
    """A situation for people: ``scene=1, mood=2`` ("" when there is none)."""
    return ", ".join(f"{k}={v}" for k, v in situation.items())


def analysis_for(scenario: Scenario, start_values: Mapping[str, int],
                 analysis: Analysis | None = None) -> Analysis:
    """The analysis of the situation a call started in: ``analysis`` when it is that one
    (or the scenario draws nothing), else a fresh one."""
    situation = situation_of(scenario, start_values)
    if analysis is not None and (not situation or analysis.situation == situation):
        return analysis
    return analyze(scenario, situation)
