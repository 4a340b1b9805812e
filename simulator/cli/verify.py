"""``calmline verify``: check the store's signed chain, or a certificate, with the trainer's
public key (no secret needed), and with an anchor file, records cut from the end."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from simulator.cli.storeargs import add_db, error


def register(sub: Any) -> None:
    """Add ``calmline verify`` to the parser."""
    p = sub.add_parser("verify", help="check the signatures of the store, or of a certificate")
    p.add_argument("file", nargs="?", metavar="FILE", help="a certificate to check offline")
    p.add_argument("--public-key", metavar="FILE",
                   help="the trainer's public key (no secret is needed to verify)")
    p.add_argument("--fingerprint", metavar="FP",
                   help="the fingerprint the trainer published ('calmline key --public')")
    p.add_argument("--anchor", metavar="FILE",
                   help="an anchor file ('calmline anchor', 'calmline serve --anchor'): report "
                        "records cut from the end of the chain")
    add_db(p)
    p.set_defaults(func=cmd_verify)


def _certificate(args: argparse.Namespace, ring: Any, fingerprint: str | None) -> int:
    from scoring import certificate
    from scoring.seal import Keyring

    try:
        path = Path(args.file)
        if path.is_file() and path.stat().st_size > 10_000_000:
            raise error(f"{args.file}: too large to be a calmline certificate")
        text = path.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
        raise error(f"{args.file}: cannot read ({reason})") from None
    ok, message = certificate.verify(text, ring or Keyring(), fingerprint)
    print(f"{args.file}: {message}")
    return 0 if ok else 1


def cmd_verify(args: argparse.Namespace) -> int:
    from scoring.seal import SealError
    from scoring.signing import local_keyring, normal_fingerprint

    if args.file and args.anchor:
        raise error("--anchor checks a store, not a certificate", 2)
    try:
        fingerprint = normal_fingerprint(args.fingerprint) if args.fingerprint else None
        ring = (None if args.file and fingerprint and not args.public_key
                else local_keyring(args.public_key, args.fingerprint))
    except SealError as exc:
        raise error(exc) from None
    if args.file:
        return _certificate(args, ring, fingerprint)
    from scoring import anchor
    from scoring.store import StoreError, open_store, queries

    try:
        with open_store(args.db) as store:
            trusted = ring or local_keyring()
            found = queries.verify_store(store, trusted)
            if args.anchor:
                found.issues.extend(anchor.check_file(Path(args.anchor), store, trusted))
            where = store.describe()
    except (StoreError, SealError) as exc:
        raise error(exc) from None
    for issue in found.issues:
        print(f"{issue.kind}: {issue.message}")
    for cid in found.legacy:
        print(f"unsealed (closed before certification seals): certification {cid}")
    if found.hmac:
        k = found.hmac
        print(f"legacy: {k} record{'s' if k != 1 else ''} sealed with the HMAC key of an older "
              "calmline (checkable only with that secret); newer records are signed (Ed25519)")
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
