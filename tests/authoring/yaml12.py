"""Read YAML the way editors do (YAML 1.2 core schema) into plain data for JSON Schema checks.

yaml-language-server parses YAML 1.2: ``No`` is text, only ``true``/``false`` are booleans,
duplicate keys and excessive aliases are errors. PyYAML speaks YAML 1.1, so the tests read
the composed node tree (through calmline's own depth-checked composer) and resolve scalars
by the 1.2 core rules. Anything an editor would refuse before validating raises
:class:`Unreadable`.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from simulator.engine.problems import ScenarioError
from simulator.engine.yamlsource import compose, read_text

_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")
_INT = re.compile(r"^[-+]?[0-9]+$")
_FLOAT = re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$")


class Unreadable(ValueError):
    """The text is not YAML an editor would validate (not text, invalid, aliases, dupes)."""


def _scalar(node: yaml.ScalarNode) -> Any:
    value = node.value
    if node.style:  # quoted or block scalars are always strings
        return value
    if _NULL.match(value):
        return None
    if _BOOL.match(value):
        return value.lower() == "true"
    if _INT.match(value):
        return int(value)
    if _FLOAT.match(value):
        return float(value)
    return value


def _convert(node: yaml.Node, seen: set[int]) -> Any:
    if id(node) in seen:
        raise Unreadable("aliases are refused")
    seen.add(id(node))
    if isinstance(node, yaml.ScalarNode):
        return _scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return [_convert(item, seen) for item in node.value]
    out: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        key = _convert(key_node, seen)
        if not isinstance(key, str):
            key = str(key)
        if key in out:
            raise Unreadable(f"duplicate key {key!r}")
        out[key] = _convert(value_node, seen)
    return out


def read(path: Path) -> Any:
    """The file as JSON-like data, as an editor's YAML 1.2 parser would see it."""
    try:
        text, _digest = read_text(path)
    except ScenarioError as exc:
        raise Unreadable(str(exc)) from None
    try:
        root = compose(text, str(path))
    except ScenarioError as exc:
        if exc.first.message == "the file is empty":
            return None
        if exc.first.message.startswith("a scenario must be a YAML mapping"):
            return _convert(yaml.compose(text, Loader=yaml.CSafeLoader), set())
        raise Unreadable(str(exc)) from None
    return _convert(root, set())


def parse(text: str) -> Any:
    """YAML text (already known to be well formed) as JSON-like data."""
    return _convert(yaml.compose(text, Loader=yaml.CSafeLoader), set())
