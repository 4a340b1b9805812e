"""``calmline serve`` (the classroom server) and ``calmline roster`` (who may sign in)."""

from __future__ import annotations

import argparse
import ipaddress
import sys
from pathlib import Path
from typing import Any

from simulator.cli.storeargs import add_db, error, open_store_for


def register(sub: Any) -> None:
    """Add ``calmline serve`` and ``calmline roster`` to the parser."""
    p = sub.add_parser("serve", help="serve calmline to trainees' browsers (the classroom)")
    p.add_argument("--host", default="127.0.0.1",
                   help="address to listen on (default 127.0.0.1: put a TLS reverse proxy "
                        "in front for other machines)")
    p.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    p.add_argument("--public-url", metavar="URL",
                   help="the address browsers use (https://... behind a proxy): pages, "
                        "websocket origin and secure cookies follow it")
    p.add_argument("--session-hours", type=float, default=12.0, metavar="H",
                   help="how long a browser stays signed in (default 12)")
    p.add_argument("--max-sessions", type=int, default=200, metavar="N",
                   help="app processes at most (default 200)")
    p.add_argument("--trust-proxy", action="store_true",
                   help="throttle sign-ins by the X-Forwarded-For address (only behind a "
                        "proxy that sets it)")
    p.add_argument("--anchor", metavar="FILE",
                   help="append the chain head to FILE whenever it moves (keep the file "
                        "where the store's writers cannot rewrite it; see 'verify --anchor')")
    add_db(p)
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("roster", help="the classroom roster: personal sign-in codes")
    verbs = p.add_subparsers(dest="verb", metavar="VERB", required=True)
    q = verbs.add_parser("add", help="add someone and print their sign-in code and link")
    q.add_argument("name", metavar="NAME")
    q.add_argument("--trainer", action="store_true", help="a trainer (opens the report)")
    _url(q)
    add_db(q)
    q.set_defaults(func=cmd_roster_add)
    q = verbs.add_parser("import", help="add everyone in a CSV file (a 'name' column, "
                                        "optionally 'role'); prints name,code,link as CSV")
    q.add_argument("file", metavar="FILE.csv")
    _url(q)
    add_db(q)
    q.set_defaults(func=cmd_roster_import)
    q = verbs.add_parser("list", help="who is on the roster")
    q.add_argument("--all", action="store_true", help="include revoked codes")
    add_db(q)
    q.set_defaults(func=cmd_roster_list)
    q = verbs.add_parser("revoke", help="revoke someone's code (their sessions end at once)")
    q.add_argument("name", metavar="NAME")
    add_db(q)
    q.set_defaults(func=cmd_roster_revoke)


def _url(p: argparse.ArgumentParser) -> None:
    p.add_argument("--url", default="http://127.0.0.1:8000", metavar="URL",
                   help="the classroom's public address, for the sign-in link")


def _link(url: str, code: str) -> str:
    return f"{url.rstrip('/')}/s/{code}"


def cmd_roster_add(args: argparse.Namespace) -> int:
    from scoring.store import StoreError
    from simulator.classroom import roster

    with open_store_for(args) as (store, _key):
        try:
            member, code = roster.add(store, args.name, "trainer" if args.trainer else "trainee")
        except StoreError as exc:
            raise error(exc) from None
    print(f"{member.name} ({member.role}): code {code}")
    print(f"sign-in link: {_link(args.url, code)}")
    sys.stderr.write("the code is shown once (only its hash is kept); to replace it, revoke "
                     "it and add the name again\n")
    return 0


def cmd_roster_import(args: argparse.Namespace) -> int:
    import csv

    from scoring.store import StoreError
    from simulator.classroom import roster

    with open_store_for(args) as (store, _key):
        try:
            rows = roster.read_csv(Path(args.file))
            taken = {m.name for m in roster.members(store)}
            clash = [name for name, _ in rows if name in taken]
            if clash:
                raise StoreError(f"{clash[0]} is already on the roster (nobody was added)")
            with store.batch():
                issued = [roster.add(store, name, role) for name, role in rows]
        except StoreError as exc:
            raise error(exc) from None
    out = csv.writer(sys.stdout)
    out.writerow(["name", "role", "code", "link"])
    for member, code in issued:
        out.writerow([member.name, member.role, code, _link(args.url, code)])
    sys.stderr.write(f"added {len(issued)} to the roster\n")
    return 0


def cmd_roster_list(args: argparse.Namespace) -> int:
    from simulator.classroom import roster

    with open_store_for(args, create_key=False) as (store, _key):
        found = roster.members(store, include_revoked=args.all)
    if not found:
        print("the roster is empty (add someone with 'calmline roster add NAME')")
        return 1
    for m in found:
        state = f"revoked {m.revoked_at[:16]}" if m.revoked_at else "active"
        print(f"{m.name}\t{m.role}\tadded {m.created_at[:16]}\t{state}")
    return 0


def cmd_roster_revoke(args: argparse.Namespace) -> int:
    from scoring.store import StoreError
    from simulator.classroom import roster

    with open_store_for(args, create_key=False) as (store, _key):
        try:
            member = roster.revoke(store, args.name)
        except StoreError as exc:
            raise error(exc) from None
    print(f"revoked the code of {member.name}; their browser sessions have ended")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    if not 0 < args.port < 65536:
        raise error("--port must be between 1 and 65535", 2)
    if not 0 < args.session_hours <= 24 * 30:
        raise error("--session-hours must be more than 0 and at most 720", 2)
    if not 0 < args.max_sessions <= 10_000:
        raise error("--max-sessions must be between 1 and 10000", 2)
    if args.public_url and not args.public_url.startswith(("http://", "https://")):
        raise error("--public-url must start with http:// or https://", 2)
    try:
        loopback = ipaddress.ip_address(args.host).is_loopback
    except ValueError:
        loopback = args.host == "localhost"
    if not loopback:
        sys.stderr.write(f"calmline: listening on {args.host}: sign-in codes and session "
                         "cookies travel in clear unless a TLS proxy is in front "
                         "(docs/classroom.md)\n")
    with open_store_for(args) as (store, key):
        where = store.describe()
        dialect: Any = store.dialect
        store_url = (str(Path(dialect.path).resolve()) if dialect.name == "sqlite"
                     else str(dialect.url))
    from simulator.classroom.server import ClassroomServer

    server = ClassroomServer(store_url, host=args.host, port=args.port,
                             public_url=args.public_url, session_hours=args.session_hours,
                             max_sessions=args.max_sessions, trust_proxy=args.trust_proxy,
                             anchor=Path(args.anchor) if args.anchor else None)
    sys.stderr.write(f"calmline classroom: {server.public_url} (store {where}, "
                     f"signing key {key.public.fingerprint}); Ctrl+C stops it\n")
    server.serve()
    return 0
