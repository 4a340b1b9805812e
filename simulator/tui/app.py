"""The calmline Textual app, and :func:`create_app`, the one factory the CLI and the tests use.

The app holds what outlives a screen (the launch options, the trainee's name, best scores in
this run) and moves between screens. Everything a screen shows comes from an
:class:`~simulator.training.attempt.Attempt`; nothing here scores or routes a call.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Iterable
from dataclasses import replace
from functools import partial
from typing import TYPE_CHECKING, Any

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.filter import NoColor
from textual.screen import Screen

from scoring.recording import Mode
from simulator.engine.model import Scenario
from simulator.training.attempt import Attempt
from simulator.tui.hangup import HangupWatch, watch_hangup
from simulator.tui.launch import Launch
from simulator.tui.screens.call import CallScreen

if TYPE_CHECKING:
    from simulator.tui.screens.end import EndScreen
    from simulator.tui.screens.home import HomeScreen
    from simulator.tui.watch import FileWatch


#: Terminals that take no colour (``TERM`` values that Rich also treats as dumb).
DUMB_TERMINALS = frozenset({"dumb", "unknown"})


class CalmlineApp(App[None]):
    """Practise a call end to end. Build it with :func:`create_app`."""

    CSS_PATH = "app.tcss"
    TITLE = "calmline"
    BINDINGS = [Binding("f1", "help", "Help", show=False),
                Binding("f4", "trainer", "Trainer report", show=False)]

    def __init__(self, launch: Launch) -> None:
        super().__init__()
        if os.environ.get("TERM", "").strip().lower() in DUMB_TERMINALS:
            # Textual sends 24-bit colour to every terminal; a dumb one gets none (as with
            # NO_COLOR, the highlighted reply is underlined instead).
            self.no_color = True
            self._filters.append(NoColor())
        self.launch = launch
        self.trainee = launch.trainee
        self.best: dict[str, float] = {}
        """The best percentage per scenario id in this run of the app."""
        self.file_watch: FileWatch | None = None
        if launch.watch and launch.scenario and launch.scenario.path:
            from simulator.tui.watch import FileWatch

            self.file_watch = FileWatch(launch.scenario.path)
        self.hangup_watch: HangupWatch | None = None
        """Exits the app when its terminal goes away (see :mod:`simulator.tui.hangup`)."""

    # -- screens ---------------------------------------------------------------------------
    # The stack always starts with a blank base screen, so every real screen was pushed and
    # can be switched or popped; the app exits when the trainee leaves down to the base.
    async def on_mount(self) -> None:
        self.hangup_watch = watch_hangup(self)
        launch = self.launch
        if launch.scenario is not None and (launch.mode == Mode.PRACTICE or self.trainee):
            attempt = self._attempt(launch.scenario, launch.mode, first=True,
                                    typed=launch.typed)
            await self.push_screen(self._call_screen(attempt))
        else:
            await self.push_screen(self._home())
            if launch.scenario is not None:
                self.start_call(launch.scenario, launch.mode, launch.typed)
        if launch.after_first_frame is not None:
            self.call_after_refresh(launch.after_first_frame)
        if launch.exit_after_first_frame:
            self.call_after_refresh(self.exit)

    def on_unmount(self) -> None:
        if self.hangup_watch is not None:
            self.hangup_watch.stop()

    def _home(self) -> Screen[Any]:
        from simulator.tui.screens.home import HomeScreen

        return HomeScreen(self.launch.mode, self.launch.library, self.best,
                          typed=self.launch.typed)

    def _attempt(self, scenario: Scenario, mode: Mode, first: bool = False,
                 typed: bool = False) -> Attempt:
        launch = self.launch
        direct = first and scenario is launch.scenario
        return Attempt(
            scenario, mode,
            seed=launch.seed if mode == Mode.PRACTICE else None,
            start=launch.start if direct else None,
            start_values=launch.start_values if direct else None,
            trainee=self.trainee, recorder_factory=launch.recorder_factory, clock=launch.clock,
            typed=typed)

    def _call_screen(self, attempt: Attempt) -> CallScreen:
        watched = (self.file_watch is not None and attempt.mode == Mode.PRACTICE
                   and attempt.scenario.path == str(self.file_watch.path))
        options: dict[str, Any] = dict(
            typing=self.launch.animation, tick_seconds=self.launch.tick_seconds,
            watch=self.file_watch if watched else None, poll_seconds=self.launch.poll_seconds)
        if attempt.typed:
            from simulator.tui.screens.typed_call import TypedCallScreen

            # A model (--model) is for practice: certification matches alike for everyone.
            matcher = self.launch.matcher if attempt.mode != Mode.CERTIFICATION else None
            return TypedCallScreen(attempt, matcher=matcher, **options)
        return CallScreen(attempt, **options)

    def start_call(self, scenario: Scenario, mode: Mode, typed: bool | None = None) -> None:
        """Open a call on ``scenario`` (``typed``: answered in the trainee's own words; None:
        as the app was opened, ``--typed`` or not); certification first asks for the
        trainee's name."""
        if typed is None:
            typed = self.launch.typed
        if mode == Mode.CERTIFICATION and not self.trainee:
            from simulator.tui.screens.trainee import TraineeScreen

            def named(name: str | None) -> None:
                if name:
                    self.trainee = name
                    self.start_call(scenario, mode, typed)

            self.push_screen(TraineeScreen(), named)
            return
        self.push_screen(self._call_screen(self._attempt(scenario, mode, typed=typed)))

    def _uncover(self, kind: type[Screen[Any]]) -> None:
        """Close the dialogs over the top screen of ``kind`` (help, a confirmation)."""
        while not isinstance(self.screen, kind) and len(self.screen_stack) > 1:
            self.pop_screen()

    # -- what the screens report -------------------------------------------------------------
    def on_home_screen_call_picked(self, message: HomeScreen.CallPicked) -> None:
        self.start_call(message.scenario, message.mode, message.typed)

    def on_call_screen_ended(self, message: CallScreen.Ended) -> None:
        from simulator.tui.screens.end import EndScreen

        attempt = message.attempt
        if attempt.scorecard is not None:
            sid = attempt.scenario.id
            self.best[sid] = max(self.best.get(sid, 0.0), attempt.scorecard.percent)
        self._uncover(CallScreen)
        self.switch_screen(EndScreen(attempt))

    def on_call_screen_left(self, message: CallScreen.Left) -> None:
        self._uncover(CallScreen)
        self.pop_screen()
        if len(self.screen_stack) <= 1:
            self.exit()

    def on_end_screen_retry_picked(self, message: EndScreen.RetryPicked) -> None:
        from simulator.tui.screens.end import EndScreen

        self._uncover(EndScreen)
        self.switch_screen(self._call_screen(message.attempt.fresh()))

    def on_end_screen_catalogue_picked(self, message: EndScreen.CataloguePicked) -> None:
        from simulator.tui.screens.end import EndScreen
        from simulator.tui.screens.home import HomeScreen

        self._uncover(EndScreen)
        self.pop_screen()
        if not isinstance(self.screen, HomeScreen):
            self.push_screen(self._home())

    def action_help(self) -> None:
        """Open the help over the current screen."""
        from simulator.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_trainer(self) -> None:
        """Open the trainer's cohort report (results store: ``--db``, else ``$CALMLINE_DB``
        or the default)."""
        from simulator.tui.screens.trainer import TrainerScreen

        if not isinstance(self.screen, TrainerScreen):
            self.push_screen(TrainerScreen(self.launch.db))

    # -- command palette ---------------------------------------------------------------------
    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """The current screen's actions (those it allows now), then Textual's own commands.
        An action with arguments is one key's variant (reply 1, move up): run from the
        palette it would act without the trainee choosing, so it is left out."""
        seen: set[str] = set()
        for binding in Binding.make_bindings(type(screen).BINDINGS):
            if not binding.description or binding.action in seen or "(" in binding.action:
                continue
            action = binding.action.split("(")[0]
            if screen.check_action(action.split(".")[-1], ()) is not True:
                continue
            seen.add(binding.action)
            key = binding.key_display or binding.key
            yield SystemCommand(binding.description, binding.tooltip or f"key: {key}",
                                partial(screen.run_action, binding.action))
        yield from super().get_system_commands(screen)


def create_app(scenario: Scenario | None = None, **options: Any) -> CalmlineApp:
    """The app: the call screen for ``scenario``, else the catalogue. ``options`` are the
    fields of :class:`~simulator.tui.launch.Launch` (mode, seed, trainee, recorder_factory,
    animation, watch, start, start_values, library, tick_seconds, clock, ...)."""
    launch = replace(Launch(), scenario=scenario, **options)
    return CalmlineApp(launch)


def route_logging() -> None:
    """Send Python logging (and warnings) to Textual's log, so nothing writes over the UI."""
    from textual.logging import TextualHandler

    root = logging.getLogger()
    for handler in list(root.handlers):
        stream = getattr(handler, "stream", None)
        if stream in (sys.stderr, sys.stdout):
            root.removeHandler(handler)
    if not any(isinstance(h, TextualHandler) for h in root.handlers):
        root.addHandler(TextualHandler())
    logging.captureWarnings(True)
