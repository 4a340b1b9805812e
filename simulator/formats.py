"""Small text formats shared by the command line and the terminal UI."""

from __future__ import annotations


def signed(n: int) -> str:
    """A delta with its sign: ``+2``, ``-1``, ``0``."""
    return f"+{n}" if n > 0 else str(n)
