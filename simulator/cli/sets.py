"""``calmline sets``: approve, list and retire certification sets; ``calmline anchor``: keep
the chain head outside the store."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from simulator.cli.storeargs import add_db, error, open_store_for


def register(sub: Any) -> None:
    """Add ``calmline sets`` and ``calmline anchor`` to the parser."""
    p = sub.add_parser("sets", help="approved certification sets (scenario files pinned)")
    verbs = p.add_subparsers(dest="verb", metavar="VERB", required=True)
    q = verbs.add_parser("add", help="approve a set: pin each scenario's file (SHA-256) and "
                                     "the rubric version now")
    q.add_argument("name", metavar="NAME", help="the set's name, e.g. onboarding-2027")
    q.add_argument("scenarios", nargs="+", metavar="SCENARIO",
                   help="library ids or YAML paths, played in this order")
    q.add_argument("--min-mean", type=float, default=0.0, metavar="PERCENT",
                   help="pass rule: every scenario passed and a mean of at least PERCENT")
    q.add_argument("--typed", action="store_true",
                   help="the trainee answers every call in their own words (typed replies, "
                        "matched to the authored ones; no list to read; twice the time per "
                        "reply)")
    add_db(q)
    q.set_defaults(func=cmd_sets_add)
    q = verbs.add_parser("list", help="the approved sets and what each pinned")
    q.add_argument("--all", action="store_true", help="include retired sets")
    add_db(q)
    q.set_defaults(func=cmd_sets_list)
    q = verbs.add_parser("retire", help="stop offering a set (its certificates stay valid)")
    q.add_argument("name", metavar="NAME")
    add_db(q)
    q.set_defaults(func=cmd_sets_retire)

    p = sub.add_parser("anchor", help="append the store's chain head to an anchor file kept "
                                      "elsewhere ('calmline verify --anchor FILE' then shows "
                                      "records cut from the end)")
    p.add_argument("file", metavar="FILE", help="the anchor file (appended to, never rewritten)")
    add_db(p)
    p.set_defaults(func=cmd_anchor)


def cmd_sets_add(args: argparse.Namespace) -> int:
    from scoring import sets
    from scoring.store import StoreError
    from simulator import library

    if not 0 <= args.min_mean <= 100:
        raise error("--min-mean must be a percentage between 0 and 100", 2)
    files = []
    for ref in args.scenarios:
        scenario = library.resolve(ref)
        try:
            data = Path(scenario.path).read_bytes()
        except OSError as exc:
            raise error(f"{scenario.path}: cannot read ({exc.strerror})") from None
        import hashlib

        if hashlib.sha256(data).hexdigest() != scenario.sha256:
            raise error(f"{scenario.path}: changed while it was being read; try again")
        files.append((scenario, data))
    with open_store_for(args) as (store, key):
        try:
            approved = sets.add(store, key, args.name, files, args.min_mean, args.typed)
        except StoreError as exc:
            raise error(exc) from None
    print(f"approved set {approved.name}: {len(approved.scenarios)} scenario"
          f"{'s' if len(approved.scenarios) != 1 else ''}, minimum mean "
          f"{approved.min_mean:g}%, rubric {approved.rubric_version}{_typed(approved)}")
    for p in approved.scenarios:
        print(f"  {p.scenario_id}  sha256 {p.sha256}")
    return 0


def cmd_sets_list(args: argparse.Namespace) -> int:
    from scoring import sets

    with open_store_for(args) as (store, _key):
        found = sets.all_sets(store, include_retired=args.all)
    if not found:
        print("no approved sets (add one with 'calmline sets add NAME SCENARIO...')")
        return 1
    for s in found:
        state = f", retired {s.retired_at[:10]}" if s.retired_at else ""
        print(f"{s.name}: minimum mean {s.min_mean:g}%, rubric {s.rubric_version}, approved "
              f"{s.created_at[:10]}{_typed(s)}{state}")
        for p in s.scenarios:
            print(f"  {p.scenario_id}  {p.title}  sha256 {p.sha256}")
    return 0


def _typed(approved: Any) -> str:
    return ", typed (answered in the trainee's own words)" if approved.typed else ""


def cmd_sets_retire(args: argparse.Namespace) -> int:
    from scoring import sets
    from scoring.store import StoreError

    with open_store_for(args) as (store, _key):
        try:
            sets.retire(store, args.name)
        except StoreError as exc:
            raise error(exc) from None
    print(f"retired set {args.name}")
    return 0


def cmd_anchor(args: argparse.Namespace) -> int:
    from scoring import anchor
    from scoring.seal import SealError

    with open_store_for(args) as (store, key):
        try:
            line = anchor.append(Path(args.file), store, key)
        except SealError as exc:
            raise error(exc) from None
    sys.stderr.write(f"anchored chain position {line['seq']} in {args.file}\n")
    return 0
