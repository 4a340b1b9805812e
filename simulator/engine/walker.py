"""The marked-node walker: reads composed YAML nodes into values, recording located problems.

Every reader of calmline's YAML files (scenarios, playthrough plans) builds on :class:`Walker`:
``say: No`` stays the text "No", ids are always strings, aliases are refused, and anything
unexpected becomes a :class:`~simulator.engine.problems.Problem` at its line and column.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Callable
from typing import Any

import yaml

from simulator.engine.bounds import between, digits_fit, shown_number
from simulator.engine.model import Mark
from simulator.engine.problems import Problem, excerpt

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
_INT = re.compile(r"^[-+]?[0-9]+$")
_FLOAT = re.compile(r"^[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]+)?$")
_TRUE = {"true", "yes", "on", "y"}
_FALSE = {"false", "no", "off", "n"}

_YAML_TAG = "tag:yaml.org,2002:"
#: The tags YAML gives plain values itself (and ``!!str``, which authors use to keep text).
_DATA_TAGS = frozenset(_YAML_TAG + t for t in (
    "str", "int", "float", "bool", "null", "timestamp", "seq", "map", "merge", "value"))

MappingNode = yaml.MappingNode
SequenceNode = yaml.SequenceNode
ScalarNode = yaml.ScalarNode


class Invalid(Exception):
    """The value at hand is unusable (a problem has been recorded)."""


def mark_of(node: yaml.Node) -> Mark:
    return Mark(node.start_mark.line + 1, node.start_mark.column + 1)


class Walker:
    """Turns a composed YAML tree into model objects, collecting problems as it goes."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.problems: list[Problem] = []
        self.seen: set[int] = set()

    # -- reporting -------------------------------------------------------------------------
    def problem(self, node: yaml.Node | Mark, message: str) -> None:
        m = node if isinstance(node, Mark) else mark_of(node)
        self.problems.append(Problem(self.path, m.line, m.col, message))

    def fail(self, node: yaml.Node, message: str) -> Invalid:
        self.problem(node, message)
        return Invalid()

    # -- shapes ----------------------------------------------------------------------------
    def _visit(self, node: yaml.Node) -> None:
        if id(node) in self.seen:
            raise self.fail(node, "this value is reused through an alias (&anchor / *alias); "
                                  "aliases are not allowed in scenario files")
        self.seen.add(id(node))
        tag = str(node.tag)
        if tag not in _DATA_TAGS and not (tag.startswith("!") and not tag.startswith("!!")):
            shown = "!!" + tag[len(_YAML_TAG):] if tag.startswith(_YAML_TAG) else tag
            raise self.fail(node, f"{excerpt(shown)!r} is a YAML type tag: scenario files are "
                                  "plain data and take none (remove it, or put the whole text "
                                  "in quotes)")

    def mapping(
        self,
        node: yaml.Node,
        what: str,
        required: tuple[str, ...],
        optional: tuple[str, ...] = (),
    ) -> dict[str, yaml.Node]:
        """Check a mapping with a closed set of keys; return key -> value node."""
        self._visit(node)
        if not isinstance(node, MappingNode):
            raise self.fail(node, f"{what} must be a mapping of fields")
        fields: dict[str, yaml.Node] = {}
        allowed = required + optional
        for key_node, value_node in node.value:
            if self.glued(key_node, value_node):
                continue
            key = self.key(key_node)
            if key in fields:
                self.problem(key_node, f"duplicate field {key!r} in {what}")
                continue
            if key not in allowed:
                hint = difflib.get_close_matches(key, allowed, n=1)
                extra = f" (did you mean {hint[0]!r}?)" if hint else ""
                self.problem(key_node, f"unknown field {key!r} in {what}{extra}")
                continue
            fields[key] = value_node
        missing = [k for k in required if k not in fields]
        for key in missing:
            self.problem(node, f"missing field {key!r} in {what}")
        return fields

    def entries(self, node: yaml.Node, what: str) -> list[tuple[str, yaml.Node, yaml.Node]]:
        """An open mapping (id -> value); duplicate keys are reported."""
        self._visit(node)
        if not isinstance(node, MappingNode):
            raise self.fail(node, f"{what} must be a mapping")
        seen: set[str] = set()
        out = []
        for key_node, value_node in node.value:
            if self.glued(key_node, value_node):
                continue
            key = self.key(key_node)
            if key in seen:
                self.problem(key_node, f"duplicate id {key!r} in {what}")
                continue
            seen.add(key)
            out.append((key, key_node, value_node))
        return out

    def sequence(self, node: yaml.Node, what: str) -> list[yaml.Node]:
        self._visit(node)
        if not isinstance(node, SequenceNode):
            raise self.fail(node, f"{what} must be a list")
        return list(node.value)

    def key(self, node: yaml.Node) -> str:
        if not isinstance(node, ScalarNode):
            raise self.fail(node, "keys must be plain names")
        return str(node.value)

    def glued(self, key_node: yaml.Node, value_node: yaml.Node) -> bool:
        """Report ``name:value`` written without the space YAML needs after the ':'."""
        if not (isinstance(key_node, ScalarNode) and isinstance(value_node, ScalarNode)):
            return False
        name, _, rest = str(key_node.value).partition(":")
        if not rest or value_node.value not in ("", None) or key_node.style:
            return False
        self.problem(key_node, f"put a space after the ':' (write '{name}: {rest}')")
        return True

    def scalar(self, node: yaml.Node, what: str) -> ScalarNode:
        self._visit(node)
        if node.tag.startswith("!") and not node.tag.startswith("!!"):
            raise self.fail(node, f"{what} starts with {node.tag!r}, which YAML reads as a "
                                  "type tag: put the whole text in quotes")
        if not isinstance(node, ScalarNode):
            kind = "a list" if isinstance(node, SequenceNode) else "a mapping"
            raise self.fail(node, f"{what} must be a single value, not {kind}")
        return node

    # -- typed values ----------------------------------------------------------------------
    def text(self, node: yaml.Node, what: str, allow_empty: bool = False) -> str:
        s = self.scalar(node, what)
        if s.tag == "tag:yaml.org,2002:null" and not s.style:
            if allow_empty:
                return ""
            raise self.fail(node, f"{what} must not be empty")
        value = str(s.value).strip()
        if not value and not allow_empty:
            raise self.fail(node, f"{what} must not be empty")
        return value

    def ident(self, node: yaml.Node, what: str) -> str:
        value = self.text(node, what)
        if not ID_PATTERN.match(value):
            raise self.fail(
                node,
                f"{what} {value!r} is not a valid id (use lower-case letters, digits, '-' or '_')",
            )
        return value

    def integer(self, node: yaml.Node, what: str, bounds: tuple[int, int]) -> int:
        """A whole number within ``bounds``; one too long for them is refused on its digits,
        before any conversion (Python will not convert more than 4,300 digits)."""
        s = self.scalar(node, what)
        text = str(s.value)
        if s.style or not _INT.match(text):
            raise self.fail(node, f"{what} must be a whole number, got {excerpt(text)!r}")
        value = int(text, 10) if digits_fit(text, bounds) else None
        if value is None or not bounds[0] <= value <= bounds[1]:
            raise self.fail(node, f"{what} must be {between(bounds)}, got {shown_number(text)}")
        return value

    def number(self, node: yaml.Node, what: str, bounds: tuple[int, int]) -> float:
        """A number (decimals allowed) within ``bounds``."""
        s = self.scalar(node, what)
        text = str(s.value)
        if s.style or not _FLOAT.match(text):
            raise self.fail(node, f"{what} must be a number, got {excerpt(text)!r}")
        value = float(text)
        if not (math.isfinite(value) and bounds[0] <= value <= bounds[1]):
            raise self.fail(node, f"{what} must be {between(bounds)}, got {shown_number(text)}")
        return value

    def boolean(self, node: yaml.Node, what: str) -> bool:
        s = self.scalar(node, what)
        raw = str(s.value).lower()
        if not s.style and raw in _TRUE:
            return True
        if not s.style and raw in _FALSE:
            return False
        raise self.fail(node, f"{what} must be true or false, got {s.value!r}")

    def texts(self, node: yaml.Node, what: str) -> tuple[str, ...]:
        """A text, or a list of texts."""
        if isinstance(node, MappingNode):
            self._visit(node)
            raise self.fail(node, f"{what} must be a line of text, or a list of lines "
                                  "(each starting with '- '), not fields")
        if isinstance(node, SequenceNode):
            items = self.sequence(node, what)
            if not items:
                raise self.fail(node, f"{what} must not be an empty list")
            return tuple(self.text(item, what) for item in items)
        return (self.text(node, what),)

    def int_map(self, node: yaml.Node, what: str, bounds: tuple[int, int]) -> dict[str, int]:
        out: dict[str, int] = {}
        for key, _key_node, value_node in self.entries(node, what):
            value = self.attempt(self.integer, value_node, f"{what} for {key!r}", bounds)
            if value is not None:
                out[key] = value
        return out

    def attempt(self, fn: Callable[..., Any], *args: Any, default: Any = None) -> Any:
        """Call ``fn(*args)``; if the value is unusable (already reported), return default."""
        try:
            return fn(*args)
        except Invalid:
            return default

    def field(self, fields: dict[str, yaml.Node], key: str, fn: Callable[..., Any],
              *args: Any, default: Any = None) -> Any:
        """Read ``fields[key]`` with ``fn(node, *args)``; default if absent or unusable."""
        node = fields.get(key)
        if node is None:
            return default
        return self.attempt(fn, node, *args, default=default)
