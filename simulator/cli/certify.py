"""Certification and trainer commands: ``certify``, ``results``, ``report``, ``transcript``,
``export``, ``certificate`` and ``verify``. The store is imported inside each command."""

from __future__ import annotations

import argparse
import math
import os
import select
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from scoring.seal import SealKey
    from scoring.store import Store
    from scoring.store.queries import Filter
    from simulator.engine.session import Prompt


def _db(p: argparse.ArgumentParser) -> None:
    p.add_argument("--db", metavar="URL", default=None,
                   help="results store: a SQLite file or postgresql:// URL "
                        "(default: $CALMLINE_DB, else the user data folder)")


def _filters(p: argparse.ArgumentParser) -> None:
    p.add_argument("--trainee", metavar="NAME", help="only this trainee")
    p.add_argument("--scenario", metavar="ID", help="only this scenario id")
    p.add_argument("--since", metavar="DATE", help="only attempts started on or after DATE "
                   "(YYYY-MM-DD or ISO 8601; UTC unless an offset is given)")


def register(sub: Any) -> None:
    """Add the certification and trainer commands to the ``calmline`` parser."""
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
    p.add_argument("--no-animation", action="store_true", default=argparse.SUPPRESS,
                   help="show customer lines at once (no typing delay)")
    _db(p)
    p.set_defaults(func=cmd_certify)

    p = sub.add_parser("results", help="list recorded attempts")
    _filters(p)
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")
    _db(p)
    p.set_defaults(func=cmd_results)

    p = sub.add_parser("report", help="the cohort report for trainers")
    _filters(p)
    p.add_argument("--json", action="store_true", help="print JSON instead of tables")
    _db(p)
    p.set_defaults(func=cmd_report)

    p = sub.add_parser("transcript", help="replay one recorded attempt with its scores")
    p.add_argument("attempt", metavar="ATTEMPT", help="attempt number or id")
    _db(p)
    p.set_defaults(func=cmd_transcript)

    p = sub.add_parser("export", help="export results as CSV, JSON or xAPI statements")
    p.add_argument("--format", choices=("csv", "json", "xapi"), default=None,
                   help="output format (default json; xapi when --lrs is given)")
    p.add_argument("--out", metavar="FILE", help="write to FILE instead of standard output")
    p.add_argument("--lrs", metavar="URL", help="POST the xAPI statements to this LRS")
    p.add_argument("--lrs-user", metavar="USER", help="LRS basic-auth user")
    p.add_argument("--lrs-password", metavar="PASSWORD",
                   help="LRS basic-auth password (default: $CALMLINE_LRS_PASSWORD)")
    _filters(p)
    _db(p)
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("certificate", help="write the certificate of a passed certification")
    p.add_argument("attempt", metavar="ATTEMPT", help="any attempt of the certification")
    p.add_argument("--out", required=True, metavar="FILE", help="the HTML file to write")
    _db(p)
    p.set_defaults(func=cmd_certificate)

    p = sub.add_parser("verify", help="check the seals of the store, or of a certificate")
    p.add_argument("file", nargs="?", metavar="FILE", help="a certificate to check offline")
    _db(p)
    p.set_defaults(func=cmd_verify)


# -- shared plumbing -----------------------------------------------------------------------
def _error(exc: BaseException | str, code: int = 1) -> Exception:
    from simulator.cli import CommandError

    return CommandError(str(exc), code)


@contextmanager
def _store(args: argparse.Namespace, create_key: bool = True) -> Iterator[tuple[Store, SealKey]]:
    """Open the store and the seal key, close attempts left by dead processes, and turn
    store and key failures into one-line errors."""
    from scoring.seal import SealError, load_key
    from scoring.store import StoreError, open_store

    try:
        key = load_key(create=create_key)
        store = open_store(args.db)
    except (StoreError, SealError) as exc:
        raise _error(exc) from None
    try:
        store.reap(key)
        yield store, key
    except (StoreError, SealError) as exc:
        raise _error(exc) from None
    finally:
        store.close()


def parse_since(text: str | None) -> str | None:
    """A ``--since`` value as the store's UTC text; naive values are taken as UTC."""
    if not text:
        return None
    from scoring.store import iso

    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise _error(f"--since: {text!r} is not a date (use YYYY-MM-DD or ISO 8601)", 2
                     ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return iso(moment)


def _filter(args: argparse.Namespace) -> Filter:
    from scoring.store.queries import Filter

    return Filter(args.trainee, args.scenario, parse_since(args.since))


def _console() -> Any:
    from rich.console import Console

    return Console()


# -- certify ---------------------------------------------------------------------------------
class LineReader:
    """Reads lines from a file descriptor with a deadline (for the reply countdown)."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.buffer = b""
        self.ended = False

    def readline(self, timeout: float) -> str | None:
        """The next line without its newline; None when ``timeout`` seconds pass first.
        EOFError once the input has ended."""
        deadline = time.monotonic() + timeout
        while True:
            if b"\n" in self.buffer:
                line, self.buffer = self.buffer.split(b"\n", 1)
                return line.decode("utf-8", "replace").strip()
            if self.ended:
                if self.buffer:
                    line, self.buffer = self.buffer, b""
                    return line.decode("utf-8", "replace").strip()
                raise EOFError
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            ready, _, _ = select.select([self.fd], [], [], left)
            if not ready:
                return None
            chunk = os.read(self.fd, 4096)
            if chunk:
                self.buffer += chunk
            else:
                self.ended = True


def _say(text: str) -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def headless_answerer(reader: LineReader, persona: str) -> Any:
    """An answerer for :func:`scoring.record.play_headless` that prints each prompt and
    reads the reply (a number or a choice id) before the countdown runs out."""

    def answer(prompt: Prompt, seconds: int) -> str | None:
        _say(f"turn {prompt.turn + 1} - {persona}: {prompt.line}")
        for i, option in enumerate(prompt.options, 1):
            _say(f"  {i}. [{option.id}] {option.say}")
        deadline = time.monotonic() + seconds
        ids = [o.id for o in prompt.options]
        while True:
            left = max(0.0, deadline - time.monotonic())
            _say(f"reply ({math.ceil(left)} s)>")
            line = reader.readline(left)
            if line is None:
                _say("time is up: the customer heard silence")
                return None
            if line.isdigit() and 1 <= int(line) <= len(ids):
                return ids[int(line) - 1]
            if line in ids:
                return line
            shown = line if len(line) <= 40 else line[:40] + "..."
            _say(f"unknown reply {shown!r}: type a number 1-{len(ids)} or a choice id")

    return answer


def cmd_certify(args: argparse.Namespace) -> int:
    from scoring.store import clean_trainee
    from scoring.store.dialect import StoreError
    from simulator import library

    try:
        trainee = clean_trainee(args.trainee)
    except StoreError as exc:
        raise _error(f"--trainee: {exc}", 2) from None
    if not 0 <= args.min_mean <= 100:
        raise _error("--min-mean must be a percentage between 0 and 100", 2)
    scenarios = [library.resolve(ref) for ref in args.scenarios]
    ids = [s.id for s in scenarios]
    if len(set(ids)) != len(ids):
        raise _error("a scenario is named twice; each is played once per certification", 2)
    if args.headless:
        return _certify_headless(args, trainee, scenarios)
    return _certify_tui(args, trainee, scenarios)


def _certify_headless(args: argparse.Namespace, trainee: str, scenarios: list[Any]) -> int:
    from scoring.record import CertificationRun, play_headless, response_seconds

    reader = LineReader(sys.stdin.fileno())
    with _store(args) as (store, key):
        run = CertificationRun(store, key, trainee, scenarios, args.min_mean)
        _say(f"certification {run.id} of {trainee}: {len(scenarios)} scenario"
             f"{'s' if len(scenarios) != 1 else ''}, recorded in {store.describe()}")
        try:
            for i, scenario in enumerate(scenarios, 1):
                _say(f"scenario {i}/{len(scenarios)}: {scenario.title} ({scenario.id}), "
                     f"{response_seconds(scenario)} s per reply")
                rec = play_headless(run, scenario, headless_answerer(
                    reader, scenario.persona.name or "Customer"))
                card = rec.scorecard
                assert card is not None
                _say(f"attempt {rec.id}: {card.percent:.1f}% "
                     f"({'passed' if card.passed else 'not passed'}; ending {card.ending})")
        except EOFError:
            outcome = run.close()
            raise _error("the input ended before the call did; the attempt was recorded as "
                         f"abandoned (certification {outcome.certification})") from None
        except KeyboardInterrupt:
            run.close()
            raise
        outcome = run.close()
    verdict = "PASSED" if outcome.passed else "NOT PASSED"
    rule = f", minimum {args.min_mean:g}%" if args.min_mean else ""
    _say(f"certification {outcome.certification}: {verdict} (mean {outcome.mean:.1f}%{rule})")
    return 0 if outcome.passed else 1


def _certify_tui(args: argparse.Namespace, trainee: str, scenarios: list[Any]) -> int:
    """Play the set in the terminal UI, one call screen per scenario, in order; stop at the
    first call the trainee leaves before its end."""
    from scoring.record import DeferredCertification
    from scoring.recording import Mode

    with _store(args) as (store, key):
        cert = DeferredCertification(lambda: (store, key), trainee, scenarios, args.min_mean)
        try:
            for scenario in scenarios:
                app = _tui_app(scenario=scenario, mode=Mode.CERTIFICATION, trainee=trainee,
                               recorder_factory=cert.recorder_factory,
                               animation=not getattr(args, "no_animation", False))
                app.run()
                run = cert.run
                if run is None or not any(r.scenario.id == scenario.id and r.scorecard
                                          for r in run.recorders):
                    break
        finally:
            outcomes = cert.close()
    if not outcomes:
        _say("the trainee left before answering: nothing was recorded")
        return 1
    outcome = outcomes[0]
    if outcome.status != "finished":
        _say(f"certification {outcome.certification}: ABANDONED (the trainee left a call "
             "before its end; every answer given is recorded)")
        return 1
    verdict = "PASSED" if outcome.passed else "NOT PASSED"
    rule = f", minimum {args.min_mean:g}%" if args.min_mean else ""
    _say(f"certification {outcome.certification} of {trainee}: {verdict} (mean "
         f"{outcome.mean:.1f}%{rule}); attempts {', '.join(map(str, outcome.attempts))}")
    return 0 if outcome.passed else 1


def _tui_app(**options: Any) -> Any:
    """The terminal UI app (imported only when it is about to open)."""
    from simulator.tui.app import create_app, route_logging

    route_logging()
    return create_app(**options)


# -- trainer commands --------------------------------------------------------------------
def cmd_results(args: argparse.Namespace) -> int:
    from scoring.store import queries

    flt = _filter(args)
    with _store(args) as (store, _key):
        rows = queries.attempts(store, flt)
        empty = None if rows else queries.no_match_reason(store, flt)
    if args.json:
        import json

        print(json.dumps([asdict(r) for r in rows], indent=2))
    if empty:
        raise _error(empty)
    if args.json:
        return 0
    from simulator.cli.results_view import results_table

    _console().print(results_table(rows))
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from scoring.reports import build_report
    from scoring.store import queries

    flt = _filter(args)
    with _store(args) as (store, _key):
        report = build_report(queries.report_data(store, flt))
        empty = None if report.attempts else queries.no_match_reason(store, flt)
    if args.json:
        import json

        print(json.dumps(asdict(report), indent=2))
    if empty:
        raise _error(empty)
    if args.json:
        return 0
    from simulator.cli.results_view import report_view

    _console().print(report_view(report))
    return 0


def cmd_transcript(args: argparse.Namespace) -> int:
    from scoring.seal import check
    from scoring.store import queries

    with _store(args) as (store, key):
        detail = queries.attempt_detail(store, queries.find_attempt(store, args.attempt))
    s = detail.pop("seal")
    content = {k: v for k, v in detail.items() if k != "heartbeat_at"}
    ok = check(key, "attempt", content, s["prev"] or "", s["seal"]) if s["seal"] else None
    from simulator.cli.results_view import transcript_view

    _console().print(transcript_view(detail, ok))
    return 0


def _write_out(path: str | None, text: str) -> None:
    if not path:
        sys.stdout.write(text)
        return
    try:
        Path(path).write_text(text, encoding="utf-8", newline="")
    except OSError as exc:
        raise _error(f"{path}: cannot write ({exc.strerror})") from None


def cmd_export(args: argparse.Namespace) -> int:
    import json

    from scoring import xapi
    from scoring.store import queries

    fmt = args.format or ("xapi" if args.lrs else "json")
    if args.lrs and fmt != "xapi":
        raise _error("--lrs sends xAPI statements: use it with --format xapi", 2)
    if args.lrs:
        try:
            xapi.statements_url(args.lrs)
        except xapi.XapiError as exc:
            raise _error(exc, 2) from None
    flt = _filter(args)
    with _store(args) as (store, _key):
        rows = queries.export_rows(store, flt)
        if not rows:
            raise _error(f"{queries.no_match_reason(store, flt)}: nothing was exported")
    if fmt == "csv":
        from scoring.export import to_csv

        _write_out(args.out, to_csv(rows))
    elif fmt == "json":
        _write_out(args.out, json.dumps(rows, indent=2, ensure_ascii=False) + "\n")
    else:
        statements = xapi.all_statements(rows)
        if args.out or not args.lrs:
            _write_out(args.out, json.dumps(statements, indent=2, ensure_ascii=False) + "\n")
        if args.lrs:
            password = args.lrs_password or os.environ.get("CALMLINE_LRS_PASSWORD")
            try:
                stored = xapi.post(args.lrs, statements, args.lrs_user, password)
            except xapi.XapiError as exc:
                raise _error(exc) from None
            sys.stderr.write(f"posted {len(statements)} statements ({len(stored)} stored) to "
                             f"{xapi.statements_url(args.lrs)}\n")
    if args.out:
        sys.stderr.write(f"wrote {len(rows)} attempt{'s' if len(rows) != 1 else ''} to "
                         f"{args.out}\n")
    return 0


def cmd_certificate(args: argparse.Namespace) -> int:
    from scoring import certificate
    from scoring.store import queries

    with _store(args) as (store, key):
        text = certificate.issue(store, key, queries.find_attempt(store, args.attempt),
                                 store.now())
    _write_out(args.out, text)
    sys.stderr.write(f"wrote {args.out}\n")
    return 0


def cmd_verify(args: argparse.Namespace) -> int:
    from scoring.seal import SealError, load_key

    if args.file:
        from scoring import certificate

        try:
            key = load_key(create=False)
            path = Path(args.file)
            if path.is_file() and path.stat().st_size > 10_000_000:
                raise _error(f"{args.file}: too large to be a calmline certificate")
            text = path.read_bytes().decode("utf-8")
        except SealError as exc:
            raise _error(exc) from None
        except (OSError, UnicodeDecodeError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
            raise _error(f"{args.file}: cannot read ({reason})") from None
        ok, message = certificate.verify(text, key)
        print(f"{args.file}: {message}")
        return 0 if ok else 1
    from scoring.store import queries

    with _store(args, create_key=False) as (store, key):
        found = queries.verify_store(store, key)
        where = store.describe()
    for issue in found.issues:
        print(f"{issue.kind}: {issue.message}")
    for cid in found.legacy:
        print(f"unsealed (closed before certification seals): certification {cid}")
    n, m = found.attempts, found.certifications
    counted = (f"{n} sealed attempt{'s' if n != 1 else ''}, {m} sealed "
               f"certification{'s' if m != 1 else ''}")
    legacy = ""
    if found.legacy:
        k = len(found.legacy)
        legacy = (f"; {k} certification{'s' if k != 1 else ''} closed before certification "
                  "seals, unsealed (verdict checked against its sealed attempts only)")
    if found.issues:
        k = len(found.issues)
        print(f"{where}: {k} problem{'s' if k != 1 else ''} in {counted}{legacy}")
        return 1
    print(f"{where}: {counted}, all intact{legacy}")
    return 0
