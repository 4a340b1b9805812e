"""Options and plumbing shared by the commands that use the results store."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from simulator.cli.outfile import OutFileError, write_new

if TYPE_CHECKING:
    from scoring.signing import SigningKey
    from scoring.store import Store
    from scoring.store.queries import Filter


def add_db(p: argparse.ArgumentParser) -> None:
    """The ``--db`` option."""
    p.add_argument("--db", metavar="URL", default=None,
                   help="results store: a SQLite file or postgresql:// URL "
                        "(default: $CALMLINE_DB, else the user data folder)")


def add_filters(p: argparse.ArgumentParser) -> None:
    """The options that narrow which attempts a trainer command reads."""
    p.add_argument("--trainee", metavar="NAME", help="only this trainee")
    p.add_argument("--scenario", metavar="ID", help="only this scenario id")
    p.add_argument("--since", metavar="DATE", help="only attempts started on or after DATE "
                   "(YYYY-MM-DD or ISO 8601; UTC unless an offset is given)")


def error(exc: BaseException | str, code: int = 1) -> Exception:
    """A one-line command error (exit ``code``) to raise."""
    from simulator.cli import CommandError

    return CommandError(str(exc), code)


@contextmanager
def open_store_for(args: argparse.Namespace, create_key: bool = True
                   ) -> Iterator[tuple[Store, SigningKey]]:
    """Open the store and the signing key (created on first use), close attempts left by
    dead processes, and turn store and key failures into one-line errors. A command that
    only reads (``create_key`` false) runs without a key where there is none, and then
    leaves attempts of dead processes for a command that can sign."""
    from scoring.seal import SealError
    from scoring.signing import key_path, load_signing_key
    from scoring.store import StoreError, open_store

    try:
        key = (load_signing_key(create=create_key) if create_key or key_path().exists()
               else None)
        store = open_store(args.db)
    except (StoreError, SealError) as exc:
        raise error(exc) from None
    try:
        if key is not None:
            store.reap(key)
        yield store, key  # type: ignore[misc]
    except (StoreError, SealError) as exc:
        raise error(exc) from None
    finally:
        store.close()


def parse_since(text: str | None) -> str | None:
    """A ``--since`` value as the store's UTC text; naive values are taken as UTC."""
    if not text:
        return None
    from simulator.engine.moments import iso, parse_iso

    try:
        moment = parse_iso(text)
    except ValueError:
        raise error(f"--since: {text!r} is not a date (use YYYY-MM-DD or ISO 8601)", 2
                     ) from None
    return iso(moment)


def filter_from(args: argparse.Namespace) -> Filter:
    from scoring.store.queries import Filter

    return Filter(args.trainee, args.scenario, parse_since(args.since))


def console() -> Any:
    from rich.console import Console

    return Console()


def say(text: str) -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def add_out(p: argparse.ArgumentParser, required: bool, what: str) -> None:
    """The ``--out FILE`` and ``--force`` options of a command that writes a file."""
    p.add_argument("--out", required=required, metavar="FILE", help=what)
    p.add_argument("--force", action="store_true",
                   help="replace FILE if it exists (a symbolic link is never written through)")


def write_out(path: str | None, text: str, force: bool = False) -> None:
    """``text`` to standard output, or to the new file ``path`` (see :mod:`outfile`)."""
    if not path:
        sys.stdout.write(text)
        return
    try:
        write_new(path, text, force)
    except OutFileError as exc:
        raise error(exc) from None
