"""Compiles a scenario into a ``transitions`` state machine: the one module that imports it.

States are node and ending ids; each choice is a trigger ``choose__<choice id>`` whose
transitions are the choice's routes, in order, guarded by their conditions. One machine is
built per scenario and every session is added to it as a model of its own.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

from transitions import Machine, MachineError

from simulator.engine.model import Choice, Scenario

logging.getLogger("transitions").setLevel(logging.WARNING)

TRIGGER_PREFIX = "choose__"


class RoutingError(RuntimeError):
    """No route of a choice could be taken (a validated scenario never raises this)."""


class Cursor:
    """The machine's model for one session: where the call is. Holds no other state."""

    def __init__(self) -> None:
        self.state: str = ""


def trigger_name(choice: Choice) -> str:
    """The machine trigger that fires ``choice``."""
    return TRIGGER_PREFIX + choice.id


class ScenarioMachine:
    """A compiled scenario. Build once, then :meth:`attach` a cursor per session."""

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self._machine = Machine(
            model=None,
            states=scenario.step_ids(),
            initial=scenario.start,
            auto_transitions=False,
            ignore_invalid_triggers=False,
            send_event=False,
        )
        for node in scenario.nodes.values():
            choices = list(node.answers)
            for choice in choices:
                for route in choice.routes:
                    cond = route.when
                    self._machine.add_transition(
                        trigger_name(choice),
                        source=node.id,
                        dest=route.target,
                        conditions=[cond] if cond is not None else None,
                    )

    def attach(self, cursor: Cursor, at: str | None = None) -> None:
        """Add ``cursor`` as a model of this machine, placed at ``at`` (default: the start)."""
        self._machine.add_model(cursor, initial=at or self.scenario.start)

    def detach(self, cursor: Cursor) -> None:
        """Remove ``cursor`` from the machine (a finished session holds no machine slot)."""
        if cursor in self._machine.models:
            self._machine.remove_model(cursor)

    def fire(self, cursor: Cursor, choice: Choice, values: Mapping[str, int]) -> str:
        """Fire ``choice`` with the variables after its effects; return the new state."""
        try:
            moved = cursor.trigger(trigger_name(choice), values)  # type: ignore[attr-defined]
        except MachineError as exc:
            raise RoutingError(str(exc)) from None
        if not moved:
            raise RoutingError(f"no route of {choice.id!r} could be taken")
        return cursor.state

    def place(self, cursor: Cursor, state: str) -> None:
        """Put ``cursor`` at ``state`` (used by undo and by starting mid-scenario)."""
        self._machine.set_state(state, model=cursor)
