"""Helpers for recording certifications in tests without any UI."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from scoring.record import CertificationRun, Outcome
from scoring.recording import Mode
from scoring.seal import SealKey
from scoring.store import Store
from simulator.engine.loader import load
from simulator.engine.model import Scenario
from simulator.engine.session import Prompt
from simulator.training import Attempt, play_certification

ROOT = Path(__file__).resolve().parents[2]
LINE = ROOT / "tests" / "certify" / "data" / "line.yaml"
QUICK = ROOT / "tests" / "certify" / "data" / "quick.yaml"
TINY = ROOT / "tests" / "data" / "tiny.yaml"

GOOD = ("calm1", "calm2", "calm3", "fix")
POOR = ("snap1", "snap2", "snap3", "shrug")


def scenario(path: Path = LINE) -> Scenario:
    """A test scenario, loaded."""
    return load(path)


def scripted(choices: Sequence[str | None]):  # type: ignore[no-untyped-def]
    """An answerer replying with ``choices`` in order (None = let the time run out)."""
    it = iter(choices)

    def answer(prompt: Prompt, seconds: int) -> str | None:
        choice = next(it)
        assert choice is None or choice in [o.id for o in prompt.options], (choice, prompt)
        return choice

    return answer


def certify(store: Store, key: SealKey, trainee: str, plays: Sequence[tuple[Scenario,
            Sequence[str | None]]], min_mean: float = 0.0, seed: int = 7) -> Outcome:
    """Record one whole certification: each scenario played with its scripted replies."""
    run = CertificationRun(store, key, trainee, [s for s, _ in plays], min_mean)
    for sc, choices in plays:
        play_certification(run, sc, scripted(choices), seed=seed)
    return run.close()


def certification_attempt(run: CertificationRun, sc: Scenario, seed: int | None = None,
                          trainee: str | None = "Ann", mode: Mode = Mode.CERTIFICATION
                          ) -> Attempt:
    """An attempt of ``run`` at ``sc`` through the training service, its recorder made by
    the run (None for a mode the run does not record)."""
    return Attempt(sc, mode, seed=seed, trainee=trainee, recorder_factory=run.recorder_factory)
