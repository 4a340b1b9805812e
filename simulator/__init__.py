"""calmline: a terminal training simulator for handling the hardest customer calls."""

from __future__ import annotations


def __getattr__(name: str) -> str:
    # The version is looked up on first use only: package metadata costs start-up time.
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            return version("calmline")
        except PackageNotFoundError:  # running from a source tree
            return "0.0.0+source"
    raise AttributeError(f"module 'simulator' has no attribute {name!r}")
