"""The ``calmline`` command: argument parsing and dispatch to one module per command group.

Each module in :data:`COMMAND_MODULES` has ``register(subparsers)``, which adds its
sub-commands and sets ``func`` on them. Heavy imports (Textual, databases) happen inside the
command functions, so ``calmline list`` starts fast.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from typing import NoReturn

from simulator.engine.analysis import AnalysisError
from simulator.engine.problems import ScenarioError
from simulator.engine.session import SessionError

COMMAND_MODULES = (
    "simulator.cli.core",
    "simulator.cli.authoring",
    "simulator.cli.audit",
    "simulator.cli.play",
    "simulator.cli.certify",
    "simulator.cli.records",
    "simulator.cli.typed",
    "simulator.cli.items",
    "simulator.cli.keys",
    "simulator.cli.verify",
    "simulator.cli.classroom",
    "simulator.cli.sets",
)


class CommandError(Exception):
    """A user-facing failure: printed as one line, exit code ``code``."""

    def __init__(self, message: str, code: int = 2) -> None:
        super().__init__(message)
        self.code = code


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line and exit 2."""

    def error(self, message: str) -> NoReturn:
        sys.stderr.write(f"{self.prog}: error: {message} (see '{self.prog} --help')\n")
        raise SystemExit(2)


class _Version(argparse.Action):
    """``--version``, reading the package metadata only when asked."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: object, option_string: str | None = None) -> None:
        from simulator import __version__

        sys.stdout.write(f"calmline {__version__}\n")
        parser.exit()


def build_parser() -> argparse.ArgumentParser:
    """The full ``calmline`` parser with every command group registered."""
    parser = _Parser(prog="calmline", description="Practise the hardest customer calls, "
                     "scored against the principles of de-escalation.")
    parser.add_argument("--version", action=_Version, nargs=0,
                        help="show the calmline version and exit")
    parser.add_argument("--no-animation", action="store_true",
                        help="show customer lines at once (no typing delay)")
    from simulator.cli.play import add_db_option

    add_db_option(parser)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``calmline`` command; return its exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    func = getattr(args, "func", None)
    try:
        if func is None:
            from simulator.cli.play import open_home

            return open_home(args)
        return int(func(args) or 0)
    except CommandError as exc:
        sys.stderr.write(f"calmline: error: {exc}\n")
        return exc.code
    except ScenarioError as exc:
        sys.stderr.write(f"{exc}\n")
        return 1
    except (SessionError, AnalysisError) as exc:
        sys.stderr.write(f"calmline: error: {exc}\n")
        return 2
    except KeyboardInterrupt:
        sys.stderr.write("calmline: interrupted\n")
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
