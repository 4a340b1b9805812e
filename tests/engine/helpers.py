"""Playing sessions in tests, with a save/load round trip after every answer."""

from __future__ import annotations

import json

from simulator.engine.model import Scenario
from simulator.engine.session import Session


def play(session: Session, choices: list[str], roundtrip: bool = True) -> Session:
    """Answer ``choices`` in order; after each, save and reload the session (as JSON)."""
    for choice in choices:
        if choice == "silence":
            session.timeout()
        else:
            session.choose(choice)
        if roundtrip:
            data = json.loads(json.dumps(session.to_dict()))
            reloaded = Session.from_dict(session.scenario, data, clock=session.clock)
            assert reloaded.to_dict() == session.to_dict()
            session = reloaded
    return session


def fresh(scenario: Scenario, **kwargs: object) -> Session:
    """A new session with a fixed clock."""
    ticks = iter(range(1_800_000_000, 1_900_000_000))
    return Session(scenario, clock=lambda: float(next(ticks)), **kwargs)  # type: ignore[arg-type]
