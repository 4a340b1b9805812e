"""The terminal UI commands: plain ``calmline`` (the catalogue) and ``calmline play SCENARIO``.

Textual is imported only when the UI is about to open, so the other commands start fast.
"""

from __future__ import annotations

import argparse
import gc
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from scoring.names import TraineeNameError, trainee_name
from scoring.recording import AttemptStart, Mode, Recorder, RecorderFactory
from simulator.cli import CommandError
from simulator.cli.core import seed_arg
from simulator.cli.typed import add_model_option, model_matcher
from simulator.engine.bounds import VARIABLE_RANGE, between, digits_fit
from simulator.engine.problems import excerpt

if TYPE_CHECKING:
    pass

#: Set to 1 to exit as soon as the first frame is drawn (start-up benchmarks).
EXIT_AFTER_FIRST_FRAME = "CALMLINE_EXIT_AFTER_FIRST_FRAME"


def register(sub: Any) -> None:
    """Add ``play`` to the ``calmline`` parser."""
    p = sub.add_parser("play", help="open the call screen for one scenario")
    p.add_argument("scenario", metavar="SCENARIO", help="a library id or a YAML path")
    p.add_argument("--no-animation", action="store_true", default=argparse.SUPPRESS,
                   help="show customer lines at once (no typing delay)")
    p.add_argument("--seed", type=seed_arg, default=None,
                   help="seed for the reply order and the customer's line variants (default: "
                        "a fresh one per attempt, shown at the end)")
    p.add_argument("--mode", choices=[m.value for m in Mode], default=Mode.PRACTICE.value,
                   help="practice (default) or certification")
    p.add_argument("--trainee", metavar="NAME", default=None,
                   help="the trainee's name (certification asks if it is missing)")
    p.add_argument("--typed", action="store_true",
                   help="answer in your own words instead of picking from a list (in "
                        "certification: recorded with the words typed)")
    add_model_option(p)
    p.add_argument("--watch", action="store_true",
                   help="reload the scenario file whenever it is saved (for authors)")
    p.add_argument("--at", metavar="NODE", default=None,
                   help="start the call at this node instead of the start")
    p.add_argument("--set", metavar="VAR=N", action="append", default=[], dest="values",
                   help="start with a variable at this value, e.g. --set anger=80 (repeatable)")
    add_db_option(p)
    p.set_defaults(func=cmd_play)


def add_db_option(p: argparse.ArgumentParser) -> None:
    """``--db``: where certification attempts played in the UI are recorded."""
    p.add_argument("--db", metavar="URL", default=argparse.SUPPRESS,
                   help="results store for certification attempts: a SQLite file or a "
                        "postgresql:// URL (default: $CALMLINE_DB, else the user data folder)")


def store_recorder_factory(url: str | None) -> RecorderFactory:
    """Records each certification attempt played in the UI, one answer at a time. The
    storage layer is imported only when a certification attempt starts, never before the
    first frame; practice attempts are not recorded."""
    real: list[RecorderFactory] = []

    def factory(start: AttemptStart) -> Recorder | None:
        if start.mode != Mode.CERTIFICATION:
            return None
        if not real:
            from scoring.record import catalogue_recorder_factory

            real.append(catalogue_recorder_factory(url))
        return real[0](start)

    return factory


def parse_values(items: list[str]) -> dict[str, int]:
    """``["anger=80", "trust=2"]`` as ``{"anger": 80, "trust": 2}``; CommandError if malformed."""
    values: dict[str, int] = {}
    for item in items:
        name, sep, number = item.partition("=")
        name, number = name.strip(), number.strip()
        shown = excerpt(item)
        if not sep or not name:
            raise CommandError(f"--set {shown!r}: expected VAR=N, e.g. --set anger=80")
        if not re.fullmatch(r"[-+]?[0-9]+", number):
            raise CommandError(f"--set {shown!r}: {excerpt(number)!r} is not a whole number")
        if not digits_fit(number, VARIABLE_RANGE):
            raise CommandError(f"--set {shown!r}: variables run {between(VARIABLE_RANGE)}")
        values[name] = int(number)
    return values


def _first_frame_only() -> bool:
    return os.environ.get(EXIT_AFTER_FIRST_FRAME, "") not in ("", "0")


@contextmanager
def _starting_up() -> Iterator[None]:
    """No garbage collection while the UI starts: start-up allocates many long-lived objects
    (Textual's, the scenario's), and collecting them over and over before the first frame
    cost about a fifth of the start time. Collection resumes after the first frame (or on
    any way out)."""
    gc.disable()
    try:
        yield
    finally:
        _resume_gc()


def _resume_gc() -> None:
    """Keep the start-up objects out of later collections, and collect as usual again."""
    gc.freeze()
    gc.enable()


def _run(**options: Any) -> int:
    from simulator.tui.app import create_app, route_logging

    route_logging()
    app = create_app(exit_after_first_frame=_first_frame_only(),
                     after_first_frame=_resume_gc, **options)
    app.run()
    return int(app.return_code or 0)


def open_home(args: argparse.Namespace) -> int:
    """Open the catalogue (plain ``calmline``)."""
    with _starting_up():
        db = getattr(args, "db", None)
        return _run(animation=not getattr(args, "no_animation", False), db=db,
                    recorder_factory=store_recorder_factory(db))


def cmd_play(args: argparse.Namespace) -> int:
    """Open the call screen for one scenario."""
    with _starting_up():
        return _play(args)


def _play(args: argparse.Namespace) -> int:
    from simulator import library
    from simulator.engine.session import Session, SessionError

    values = parse_values(args.values)
    mode = Mode(args.mode)
    scenario = library.resolve(args.scenario)
    if mode == Mode.CERTIFICATION:
        for flag, used in (("--at", args.at), ("--set", values), ("--watch", args.watch),
                           ("--seed", args.seed is not None)):
            if used:
                raise CommandError(f"{flag} cannot be used in certification: an attempt "
                                   "starts at the beginning with a seed of its own")
        if args.model is not None:
            raise CommandError("--model is for practice: certification matches typed replies "
                               "without a model, the same for every trainee")
    if args.watch and not scenario.path:
        raise CommandError("--watch needs a scenario file")
    if args.model is not None and not args.typed:
        raise CommandError("--model matches typed replies: use it with --typed")
    trainee = args.trainee
    if trainee is not None:
        try:
            trainee = trainee_name(trainee)
        except TraineeNameError as exc:
            raise CommandError(f"--trainee: {exc}") from None
    if args.at is not None or values:
        try:
            Session(scenario, start=args.at, start_values=values).close()
        except SessionError as exc:
            raise CommandError(str(exc)) from None
        for name, value in values.items():
            var = scenario.variables[name]
            if not var.low <= value <= var.high:  # the session would clamp it silently
                raise CommandError(f"--set {name}={value}: {name} runs from {var.low} to "
                                   f"{var.high} in this scenario")
    matcher = model_matcher(args.model)
    return _run(scenario=scenario, mode=mode, seed=args.seed, trainee=trainee,
                watch=args.watch, typed=args.typed, matcher=matcher, start=args.at,
                start_values=values or None,
                animation=not getattr(args, "no_animation", False),
                db=getattr(args, "db", None),
                recorder_factory=store_recorder_factory(getattr(args, "db", None)))
