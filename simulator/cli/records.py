"""The trainer commands over the results store: ``results``, ``report``, ``transcript``,
``export`` and ``certificate`` (``verify`` has its own module). The store is imported inside
each command."""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import asdict
from typing import Any

from simulator.cli.storeargs import (
    add_db,
    add_filters,
    add_out,
    console,
    error,
    filter_from,
    open_store_for,
    write_out,
)


def register(sub: Any) -> None:
    """Add the trainer commands to the ``calmline`` parser."""
    p = sub.add_parser("results", help="list recorded attempts")
    add_filters(p)
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")
    add_db(p)
    p.set_defaults(func=cmd_results)

    p = sub.add_parser("report", help="the cohort report for trainers")
    add_filters(p)
    p.add_argument("--json", action="store_true", help="print JSON instead of tables")
    add_db(p)
    p.set_defaults(func=cmd_report)

    p = sub.add_parser("transcript", help="replay one recorded attempt with its scores")
    p.add_argument("attempt", metavar="ATTEMPT", help="attempt number or id")
    add_db(p)
    p.set_defaults(func=cmd_transcript)

    p = sub.add_parser("export", help="export results as CSV, JSON or xAPI statements")
    p.add_argument("--format", choices=("csv", "json", "xapi"), default=None,
                   help="output format (default json; xapi when --lrs is given)")
    add_out(p, False, "write to FILE (a new file) instead of standard output")
    p.add_argument("--lrs", metavar="URL", help="POST the xAPI statements to this LRS")
    p.add_argument("--timeout", metavar="SECONDS", type=timeout_arg, default=30.0,
                   help="give up on the LRS after SECONDS in all (default 30)")
    p.add_argument("--lrs-user", metavar="USER", help="LRS basic-auth user")
    p.add_argument("--lrs-password", metavar="PASSWORD",
                   help="LRS basic-auth password (default: $CALMLINE_LRS_PASSWORD)")
    add_filters(p)
    add_db(p)
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("certificate", help="write the certificate of a passed certification")
    p.add_argument("attempt", metavar="ATTEMPT", help="any attempt of the certification")
    add_out(p, True, "the HTML file to write (a new file)")
    add_db(p)
    p.set_defaults(func=cmd_certificate)


def timeout_arg(text: str) -> float:
    """The ``--timeout`` argument: seconds, more than 0 and at most an hour."""
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 < value <= 3600:
        raise argparse.ArgumentTypeError("must be a number of seconds, more than 0 and at "
                                         "most 3600")
    return value


def cmd_results(args: argparse.Namespace) -> int:
    from scoring.store import queries

    flt = filter_from(args)
    with open_store_for(args) as (store, _key):
        rows = queries.attempts(store, flt)
        empty = None if rows else queries.no_match_reason(store, flt)
    if args.json:
        import json

        print(json.dumps([asdict(r) for r in rows], indent=2))
    if empty:
        raise error(empty)
    if args.json:
        return 0
    from simulator.cli.results_view import results_table

    console().print(results_table(rows))
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from scoring.reports import build_report
    from scoring.store import queries

    flt = filter_from(args)
    with open_store_for(args) as (store, _key):
        report = build_report(queries.report_data(store, flt))
        empty = None if report.attempts else queries.no_match_reason(store, flt)
    if args.json:
        import json

        print(json.dumps(asdict(report), indent=2))
    if empty:
        raise error(empty)
    if args.json:
        return 0
    from simulator.cli.results_view import report_view

    console().print(report_view(report))
    return 0


def cmd_transcript(args: argparse.Namespace) -> int:
    from scoring.seal import SealError, check
    from scoring.signing import local_keyring
    from scoring.store import queries

    with open_store_for(args) as (store, _key):
        detail = queries.attempt_detail(store, queries.find_attempt(store, args.attempt))
        try:
            checker = local_keyring().find(detail["seal"]["key_id"] or "")
        except SealError as exc:
            raise error(exc) from None
    s = detail.pop("seal")
    content = {k: v for k, v in detail.items() if k != "heartbeat_at"}
    ok = (checker is not None and check(checker, "attempt", content, s["prev"] or "",
                                        s["seal"])) if s["seal"] else None
    from simulator.cli.results_view import transcript_view

    console().print(transcript_view(detail, ok))
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    import json

    from scoring import lrs, xapi
    from scoring.store import queries

    fmt = args.format or ("xapi" if args.lrs else "json")
    if args.lrs and fmt != "xapi":
        raise error("--lrs sends xAPI statements: use it with --format xapi", 2)
    if args.lrs:
        try:
            lrs.statements_url(args.lrs)
        except lrs.LrsError as exc:
            raise error(exc, 2) from None
    flt = filter_from(args)
    with open_store_for(args) as (store, _key):
        rows = queries.export_rows(store, flt)
        if not rows:
            raise error(f"{queries.no_match_reason(store, flt)}: nothing was exported")
    if fmt == "csv":
        from scoring.export import to_csv

        write_out(args.out, to_csv(rows), args.force)
    elif fmt == "json":
        write_out(args.out, json.dumps(rows, indent=2, ensure_ascii=False) + "\n", args.force)
    else:
        statements = xapi.all_statements(rows)
        if args.out or not args.lrs:
            write_out(args.out, json.dumps(statements, indent=2, ensure_ascii=False) + "\n",
                      args.force)
        if args.lrs:
            password = args.lrs_password or os.environ.get("CALMLINE_LRS_PASSWORD")
            try:
                stored = lrs.post(args.lrs, statements, args.lrs_user, password, args.timeout)
            except lrs.LrsError as exc:
                raise error(exc) from None
            sys.stderr.write(f"posted {len(statements)} statements ({len(stored)} stored) to "
                             f"{lrs.statements_url(args.lrs)}\n")
    if args.out:
        sys.stderr.write(f"wrote {len(rows)} attempt{'s' if len(rows) != 1 else ''} to "
                         f"{args.out}\n")
    return 0


def cmd_certificate(args: argparse.Namespace) -> int:
    from scoring import certificate
    from scoring.seal import SealError
    from scoring.signing import local_keyring
    from scoring.store import queries

    with open_store_for(args) as (store, key):
        try:
            ring = local_keyring()
        except SealError as exc:
            raise error(exc) from None
        text = certificate.issue(store, key, queries.find_attempt(store, args.attempt),
                                 store.now(), ring)
    write_out(args.out, text, args.force)
    sys.stderr.write(f"wrote {args.out}\n")
    return 0
