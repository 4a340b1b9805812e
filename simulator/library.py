"""The scenario library: finding shipped scenarios by id and resolving a path or id."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from simulator.engine.loader import load
from simulator.engine.model import Scenario
from simulator.engine.problems import Problem, ScenarioError

SUFFIXES = (".yaml", ".yml")


def library_dir() -> Path:
    """The folder of the shipped scenarios (inside the installed package)."""
    return Path(str(resources.files("scenarios")))


def scenario_files(root: Path | None = None) -> list[Path]:
    """Every scenario file under ``root`` (default: the library), sorted by name."""
    base = root or library_dir()
    return sorted(p for p in base.rglob("*") if p.suffix in SUFFIXES and p.is_file())


@dataclass(frozen=True, slots=True)
class Catalogue:
    """The loaded library: scenarios by id, and the problems of files that failed to load."""

    scenarios: dict[str, Scenario]
    problems: list[Problem]


def catalogue(root: Path | None = None) -> Catalogue:
    """Load every scenario of the library (or of ``root``)."""
    scenarios: dict[str, Scenario] = {}
    problems: list[Problem] = []
    for path in scenario_files(root):
        try:
            scenario = load(path)
        except ScenarioError as exc:
            problems.extend(exc.problems)
            continue
        if scenario.id in scenarios:
            problems.append(Problem(str(path), scenario.mark.line, scenario.mark.col,
                                    f"duplicate scenario id {scenario.id!r} (also in "
                                    f"{scenarios[scenario.id].path})"))
            continue
        scenarios[scenario.id] = scenario
    return Catalogue(scenarios, problems)


def looks_like_path(ref: str) -> bool:
    """True when ``ref`` names a file or folder rather than a library id."""
    path = Path(ref)
    return path.suffix in SUFFIXES or path.exists() or "/" in ref


def resolve(ref: str) -> Scenario:
    """Load a scenario given a library id or a path to a YAML file."""
    if looks_like_path(ref):
        return load(Path(ref))
    for candidate in scenario_files():
        if candidate.stem == ref:
            scenario = load(candidate)
            if scenario.id == ref:
                return scenario
    found = catalogue().scenarios
    if ref in found:
        return found[ref]
    known = ", ".join(sorted(found)) or "none"
    raise ScenarioError([Problem(ref, 0, 0, f"no scenario with id {ref!r} in the library "
                                            f"(known: {known})")])
