"""The YAML source of a scenario or plan: size and depth limits, reading and composing.

Files are composed (not constructed) with PyYAML's safe C loader where available, so the
readers see every node with its position and decide types themselves. Files too large or too
deep to be scenarios are refused before PyYAML could crash on them.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import yaml

from simulator.engine import yamlerrors
from simulator.engine.problems import Problem, ScenarioError

try:  # pragma: no cover - depends on how PyYAML was built
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_BYTES = 2 * 1024 * 1024
#: Deepest nesting of lists and mappings accepted. A scenario needs about ten levels; PyYAML's
#: C composer recurses once per level and overflows the C stack (a crash, not an exception)
#: somewhere past thirty thousand, so the depth is checked before composing.
MAX_DEPTH = 1000
_DEEP_INDENT = re.compile(r"^ {64}", re.M)
_DEEP_INLINE = re.compile(r"(?:[-?][ \t]+){32}")


def _may_nest_deeply(text: str) -> bool:
    """False when ``text`` certainly nests no deeper than :data:`MAX_DEPTH` (a cheap bound).

    Flow nesting is at most the number of ``[`` and ``{``; block nesting is at most about
    twice the indentation plus the ``- `` / ``? `` indicators that open levels on one line.
    """
    if _DEEP_INDENT.search(text) or _DEEP_INLINE.search(text):
        return True
    return text.count("[") + text.count("{") + 2 * 64 + 32 + 2 > MAX_DEPTH


def _check_depth(text: str, path: str) -> None:
    """Raise :class:`ScenarioError` if the YAML nests deeper than :data:`MAX_DEPTH`.

    Walks the parser's events (libyaml's parser keeps its own stack; only the composer
    recurses), so it is safe on any input.
    """
    depth = 0
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                m = event.start_mark
                line, col = (m.line + 1, m.column + 1) if m is not None else (1, 1)
                raise ScenarioError([Problem(path, line, col, yamlerrors.NESTED_TOO_DEEPLY)])
        elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            depth -= 1


def compose(text: str, path: str) -> yaml.Node:
    """Compose YAML text into a node tree or raise :class:`ScenarioError` with one problem."""
    try:
        if _may_nest_deeply(text):
            _check_depth(text, path)
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        line, col, message = yamlerrors.explain(exc, text)
        raise ScenarioError([Problem(path, line, col, message)]) from None
    except yaml.YAMLError as exc:
        reason = " ".join(str(exc).split())
        raise ScenarioError([Problem(path, 1, 1, f"invalid YAML: {reason}")]) from None
    except RecursionError:
        raise ScenarioError([Problem(path, 1, 1, yamlerrors.NESTED_TOO_DEEPLY)]) from None
    if root is None:
        raise ScenarioError([Problem(path, 1, 1, "the file is empty")])
    if not isinstance(root, yaml.MappingNode):
        raise ScenarioError([Problem(path, root.start_mark.line + 1,
                                     root.start_mark.column + 1,
                                     "a scenario must be a YAML mapping of fields, "
                                     "starting with 'format: 1'")])
    return root


def read_text(path: str | Path) -> tuple[str, str]:
    """Read a scenario file as UTF-8 text; return (text, sha256 of its bytes)."""
    p = Path(path)
    name = str(path)
    try:
        if p.is_dir():
            raise ScenarioError([Problem(name, 0, 0, "is a directory, not a scenario file")])
        if p.exists() and not p.is_file():
            raise ScenarioError([Problem(name, 0, 0, "is not a regular file")])
        with p.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)
        if len(data) > MAX_BYTES:
            raise ScenarioError([Problem(name, 0, 0, f"the file is too large for a scenario "
                                                     f"(limit {MAX_BYTES:,} bytes)")])
    except FileNotFoundError:
        raise ScenarioError([Problem(name, 0, 0, "no such file")]) from None
    except PermissionError:
        raise ScenarioError([Problem(name, 0, 0, "permission denied")]) from None
    except OSError as exc:
        raise ScenarioError([Problem(name, 0, 0, f"cannot read: {exc.strerror}")]) from None
    if b"\x00" in data:
        raise ScenarioError([Problem(name, 0, 0, "is a binary file, not a YAML scenario")])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ScenarioError([Problem(name, line, 1, "is not UTF-8 text")]) from None
    return text, hashlib.sha256(data).hexdigest()
