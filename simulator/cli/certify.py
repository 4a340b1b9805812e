"""The ``certify`` command: a trainee's certification on a set of scenarios, in the terminal
UI or headless. The store is imported inside the command."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from simulator.cli.storeargs import add_db, error, open_store_for, say


def register(sub: Any) -> None:
    """Add ``certify`` to the ``calmline`` parser."""
    p = sub.add_parser("certify", help="certify a trainee on one or more scenarios")
    p.add_argument("scenarios", nargs="+", metavar="SCENARIO",
                   help="library ids or YAML paths, played in this order")
    p.add_argument("--trainee", required=True, metavar="NAME", help="who is being certified")
    p.add_argument("--min-mean", type=float, default=0.0, metavar="PERCENT",
                   help="overall pass rule: every scenario passed and a mean of at least "
                        "PERCENT (default 0: every scenario passed)")
    p.add_argument("--headless", action="store_true",
                   help="no terminal UI: print each prompt, read one reply per line from "
                        "standard input (a number or a choice id)")
    p.add_argument("--typed", action="store_true",
                   help="the trainee types each reply in their own words (no list to read); "
                        "each is matched offline to the authored replies and recorded with "
                        "the words typed; twice the usual time per reply")
    p.add_argument("--no-animation", action="store_true", default=argparse.SUPPRESS,
                   help="show customer lines at once (no typing delay)")
    add_db(p)
    p.set_defaults(func=cmd_certify)


def cmd_certify(args: argparse.Namespace) -> int:
    from scoring.store import clean_trainee
    from scoring.store.dialect import StoreError
    from simulator import library

    try:
        trainee = clean_trainee(args.trainee)
    except StoreError as exc:
        raise error(f"--trainee: {exc}", 2) from None
    if not 0 <= args.min_mean <= 100:
        raise error("--min-mean must be a percentage between 0 and 100", 2)
    scenarios = [library.resolve(ref) for ref in args.scenarios]
    ids = [s.id for s in scenarios]
    if len(set(ids)) != len(ids):
        raise error("a scenario is named twice; each is played once per certification", 2)
    if args.headless:
        return _certify_headless(args, trainee, scenarios)
    return _certify_tui(args, trainee, scenarios)


def _certify_headless(args: argparse.Namespace, trainee: str, scenarios: list[Any]) -> int:
    from scoring.record import CertificationRun
    from simulator.cli.headless import LineReader, headless_answerer, typed_headless_answerer
    from simulator.training import play_certification, play_typed_certification, reply_seconds

    reader = LineReader(sys.stdin.fileno())
    with open_store_for(args) as (store, key):
        run = CertificationRun(store, key, trainee, scenarios, args.min_mean)
        say(f"certification {run.id} of {trainee}: {len(scenarios)} scenario"
             f"{'s' if len(scenarios) != 1 else ''}, recorded in {store.describe()}")
        try:
            for i, scenario in enumerate(scenarios, 1):
                say(f"scenario {i}/{len(scenarios)}: {scenario.title} ({scenario.id}), "
                     f"{reply_seconds(scenario, args.typed)} s per reply"
                     + (", typed in your own words" if args.typed else ""))
                persona = scenario.persona.display_name
                rec = (play_typed_certification(run, scenario, typed_headless_answerer(
                           reader, persona)) if args.typed
                       else play_certification(run, scenario, headless_answerer(reader,
                                                                                persona)))
                card = rec.scorecard
                assert card is not None
                say(f"attempt {rec.id}: {card.percent:.1f}% "
                     f"({'passed' if card.passed else 'not passed'}; ending {card.ending})")
        except EOFError:
            outcome = run.close()
            raise error("the input ended before the call did; the attempt was recorded as "
                         f"abandoned (certification {outcome.certification})") from None
        except KeyboardInterrupt:
            run.close()
            raise
        outcome = run.close()
    verdict = "PASSED" if outcome.passed else "NOT PASSED"
    rule = f", minimum {args.min_mean:g}%" if args.min_mean else ""
    say(f"certification {outcome.certification}: {verdict} (mean {outcome.mean:.1f}%{rule})")
    return 0 if outcome.passed else 1


def _certify_tui(args: argparse.Namespace, trainee: str, scenarios: list[Any]) -> int:
    """Play the set in the terminal UI, one call screen per scenario, in order; stop at the
    first call the trainee leaves before its end, or when the terminal goes away."""
    from scoring.record import DeferredCertification
    from scoring.recording import Mode
    from simulator.tui.hangup import HANGUP_STATUS

    code = 0
    with open_store_for(args) as (store, key):
        cert = DeferredCertification(lambda: (store, key), trainee, scenarios, args.min_mean)
        try:
            for scenario in scenarios:
                app = _tui_app(scenario=scenario, mode=Mode.CERTIFICATION, trainee=trainee,
                               recorder_factory=cert.recorder_factory, typed=args.typed,
                               animation=not getattr(args, "no_animation", False))
                app.run()
                code = int(app.return_code or 0)
                if code:  # the terminal went away (or the app failed)
                    break
                run = cert.run
                if run is None or not any(r.scenario.id == scenario.id and r.scorecard
                                          for r in run.recorders):
                    break
        finally:
            outcomes = cert.close()
    if code == HANGUP_STATUS:
        return code  # the outcome is recorded; no terminal is left to show it
    if not outcomes:
        say("the trainee left before answering: nothing was recorded")
        return 1
    outcome = outcomes[0]
    if outcome.status != "finished":
        say(f"certification {outcome.certification}: ABANDONED (the trainee left a call "
             "before its end; every answer given is recorded)")
        return 1
    verdict = "PASSED" if outcome.passed else "NOT PASSED"
    rule = f", minimum {args.min_mean:g}%" if args.min_mean else ""
    say(f"certification {outcome.certification} of {trainee}: {verdict} (mean "
         f"{outcome.mean:.1f}%{rule}); attempts {', '.join(map(str, outcome.attempts))}")
    return 0 if outcome.passed else 1


def _tui_app(**options: Any) -> Any:
    """The terminal UI app (imported only when it is about to open)."""
    from simulator.tui.app import create_app, route_logging

    route_logging()
    return create_app(**options)
