"""The app ``calmline serve`` runs for one signed-in member (``python -m simulator.tui.served``).

Who is signed in comes from the environment the server set (never from the command line,
never asked): certification records that name. A trainee certifies only on the trainer's
approved sets, each played from the exact files the set pinned (in typed words when the set
is typed), and practises freely, from a list or in typed words; only a trainer opens the
trainer report.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Any

from textual import events

from scoring.recording import Mode
from simulator.engine.model import Scenario
from simulator.training import Attempt
from simulator.tui.app import CalmlineApp, create_app, route_logging
from simulator.tui.launch import Launch
from simulator.tui.screens.call import CallScreen
from simulator.tui.screens.classroom import ClassroomScreen, PracticeScreen

if TYPE_CHECKING:
    from scoring.record import DeferredCertification
    from simulator.tui.screens.end import EndScreen
    from simulator.tui.screens.home import HomeScreen

NAME = "CALMLINE_CLASSROOM_NAME"
ROLE = "CALMLINE_CLASSROOM_ROLE"
ADMINISTERED = "classroom"


class ClassroomApp(CalmlineApp):
    """calmline for one signed-in member of a classroom."""

    def __init__(self, launch: Launch, role: str = "trainee") -> None:
        super().__init__(launch)
        self.role = role
        self.set_run: DeferredCertification | None = None
        self.set_queue: list[Scenario] = []
        self.set_name = ""
        self.set_typed = False
        """The set being certified is typed: its calls are answered in the trainee's words."""
        self.practice_typed = False
        """Practice calls are answered in typed words (switched on the practice screen)."""

    async def on_mount(self, event: events.Mount) -> None:  # type: ignore[override]
        event.prevent_default()  # not the catalogue the plain app opens with
        await self.push_screen(self._classroom())
        if self.role == "trainer":
            self.action_trainer()

    def _classroom(self) -> ClassroomScreen:
        from scoring import sets
        from scoring.store import StoreError, open_store

        try:
            with open_store(self.launch.db) as store:
                found = sets.all_sets(store)
        except StoreError as exc:
            return ClassroomScreen(self.trainee or "", [], f"The results store is not "
                                   f"available ({exc}); certification is closed for now.")
        return ClassroomScreen(self.trainee or "", found)

    # -- practice ------------------------------------------------------------------------
    def on_classroom_screen_practice_picked(self, message: ClassroomScreen.PracticePicked
                                            ) -> None:
        message.prevent_default()  # instead of the plain app's handler
        self.push_screen(self._home())

    def on_practice_screen_typed_changed(self, message: PracticeScreen.TypedChanged) -> None:
        self.practice_typed = message.typed

    def on_home_screen_call_picked(self, message: HomeScreen.CallPicked) -> None:
        message.prevent_default()  # instead of the plain app's handler
        self.start_call(message.scenario, Mode.PRACTICE)

    def _home(self) -> PracticeScreen:
        return PracticeScreen(self.launch.library, self.best, typed=self.practice_typed)

    def _attempt(self, scenario: Scenario, mode: Mode, first: bool = False,
                 typed: bool = False) -> Attempt:
        """A certification attempt of the set being certified (typed when the set is), or a
        practice attempt (typed when asked, or when typed replies are on for practice)."""
        certifying = self.set_run is not None and mode == Mode.CERTIFICATION
        return Attempt(scenario, Mode.CERTIFICATION if certifying else Mode.PRACTICE,
                       seed=None if certifying else self.launch.seed, trainee=self.trainee,
                       recorder_factory=self.set_run.recorder_factory if certifying and
                       self.set_run else None, clock=self.launch.clock,
                       typed=self.set_typed if certifying else typed or self.practice_typed)

    # -- certification on an approved set -------------------------------------------------
    def on_classroom_screen_set_picked(self, message: ClassroomScreen.SetPicked) -> None:
        from scoring.record import DeferredCertification, open_for_recording
        from scoring.store import StoreError
        from simulator.engine.problems import ScenarioError

        approved = message.approved
        try:
            scenarios = approved.load()
        except (StoreError, ScenarioError) as exc:
            self.notify(f"Set {approved.name} cannot be played: {exc}", severity="error")
            return
        db = self.launch.db
        self.set_run = DeferredCertification(lambda: open_for_recording(db), self.trainee,
                                             scenarios, approved.min_mean, set_id=approved.id,
                                             administered=ADMINISTERED)
        self.set_queue = list(scenarios)
        self.set_name = approved.name
        self.set_typed = approved.typed
        self._next_call()

    def _next_call(self) -> None:
        if self.set_queue:
            scenario = self.set_queue.pop(0)
            self.push_screen(self._call_screen(self._attempt(scenario, Mode.CERTIFICATION)))
        else:
            self._close_set()

    def _close_set(self) -> None:
        run, self.set_run, self.set_queue = self.set_run, None, []
        self.set_typed = False
        if run is None:
            return
        outcomes = run.close()
        while len(self.screen_stack) > 2:
            self.pop_screen()
        if not outcomes:
            self.notify("You left before answering: nothing was recorded.", timeout=8)
            return
        outcome = outcomes[0]
        if outcome.status != "finished":
            self.notify(f"Certification {self.set_name} abandoned (a call was left before its "
                        "end); every answer given is recorded.", severity="warning", timeout=12)
            return
        verdict = "PASSED" if outcome.passed else "NOT PASSED"
        self.notify(f"Certification {self.set_name}: {verdict} (mean {outcome.mean:.1f}%). "
                    "Your trainer issues the certificate.", timeout=20)

    def on_call_screen_ended(self, message: CallScreen.Ended) -> None:
        message.prevent_default()  # instead of the plain app's handler
        super().on_call_screen_ended(message)
        if self.set_run is not None:
            left = len(self.set_queue)
            self.notify(f"Press b to go on: {left} call{'s' if left != 1 else ''} left in "
                        f"this certification." if left else "Press b to see the verdict.",
                        timeout=15)

    def on_call_screen_left(self, message: CallScreen.Left) -> None:
        message.prevent_default()  # instead of the plain app's handler
        if self.set_run is None:
            super().on_call_screen_left(message)
            return
        self._uncover(CallScreen)
        self.pop_screen()
        self._close_set()

    def on_end_screen_retry_picked(self, message: EndScreen.RetryPicked) -> None:
        message.prevent_default()  # instead of the plain app's handler
        if self.set_run is None:
            super().on_end_screen_retry_picked(message)
            return
        self.notify("In a certification each call is played once: on to the next.", timeout=5)
        self._go_on()

    def on_end_screen_catalogue_picked(self, message: EndScreen.CataloguePicked) -> None:
        message.prevent_default()  # instead of the plain app's handler
        if self.set_run is None:
            super().on_end_screen_catalogue_picked(message)
            return
        self._go_on()

    def _go_on(self) -> None:
        from simulator.tui.screens.end import EndScreen

        self._uncover(EndScreen)
        self.pop_screen()
        self._next_call()

    # -- trainer only ----------------------------------------------------------------------
    def action_trainer(self) -> None:
        if self.role != "trainer":
            self.notify("The trainer report is for trainers.", timeout=3)
            return
        super().action_trainer()


def served_app(name: str, role: str, **options: Any) -> ClassroomApp:
    """The classroom app for ``name`` in ``role`` (options as for ``create_app``)."""
    launch = create_app(trainee=name, **options).launch
    return ClassroomApp(launch, role)


def main() -> int:
    """Run the classroom app for the member named in the environment."""
    name, role = os.environ.get(NAME, ""), os.environ.get(ROLE, "")
    if not name or role not in ("trainee", "trainer"):
        sys.stderr.write(f"calmline: this app is started by 'calmline serve' ({NAME} and "
                         f"{ROLE} are not set)\n")
        return 2
    route_logging()
    served_app(name, role, db=os.environ.get("CALMLINE_DB") or None).run()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
