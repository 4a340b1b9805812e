"""``calmline key``: the classroom's public key and fingerprint, to publish for verifiers."""

from __future__ import annotations

import argparse
import sys
from typing import Any


def register(sub: Any) -> None:
    """Add ``calmline key`` to the parser."""
    p = sub.add_parser("key", help="print the public key that checks this trainer's "
                                   "signatures, and its fingerprint")
    p.add_argument("--public", action="store_true", required=True,
                   help="the public key (the private key is never printed)")
    p.add_argument("--out", metavar="FILE",
                   help="also write the public key as PEM to FILE (for --public-key)")
    p.set_defaults(func=cmd_key)


def cmd_key(args: argparse.Namespace) -> int:
    from scoring.seal import SealError
    from scoring.signing import load_signing_key
    from simulator.cli import CommandError

    try:
        key = load_signing_key(create=True)
    except SealError as exc:
        raise CommandError(str(exc), 1) from None
    if args.out:
        try:
            with open(args.out, "x", encoding="ascii") as fh:
                fh.write(key.public.pem())
        except FileExistsError:
            raise CommandError(f"{args.out}: already exists; not overwritten", 1) from None
        except OSError as exc:
            raise CommandError(f"{args.out}: cannot write ({exc.strerror})", 1) from None
    print(f"public key (Ed25519): {key.public.text}")
    print(f"fingerprint: {key.public.fingerprint}")
    if args.out:
        sys.stderr.write(f"wrote {args.out}\n")
    return 0
