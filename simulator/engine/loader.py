"""Load scenario YAML into the frozen model, keeping line and column of every value.

The file is composed (not constructed) with PyYAML's safe C loader where available, so the
walker sees every node with its position and decides types itself: ``say: No`` stays the text
"No", ids are always strings, and anything unexpected is a :class:`Problem` with a place.
Aliases are refused (no alias bombs), and so are files too large or too deep to be scenarios.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from simulator.engine import expr, yamlerrors
from simulator.engine.model import (
    DIFFICULTIES,
    ENGINE_OUTCOMES,
    OUTCOMES,
    Choice,
    Ending,
    Mark,
    Node,
    Persona,
    Route,
    Scenario,
    Variable,
)
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
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
_INT = re.compile(r"^[-+]?[0-9]+$")
_FLOAT = re.compile(r"^[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]+)?$")
_TRUE = {"true", "yes", "on", "y"}
_FALSE = {"false", "no", "off", "n"}

MappingNode = yaml.MappingNode
SequenceNode = yaml.SequenceNode
ScalarNode = yaml.ScalarNode


class _Invalid(Exception):
    """Internal: the value at hand is unusable (a problem has been recorded)."""


def _mark(node: yaml.Node) -> Mark:
    return Mark(node.start_mark.line + 1, node.start_mark.column + 1)


class _Walker:
    """Turns a composed YAML tree into model objects, collecting problems as it goes."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.problems: list[Problem] = []
        self.seen: set[int] = set()

    # -- reporting -------------------------------------------------------------------------
    def problem(self, node: yaml.Node | Mark, message: str) -> None:
        m = node if isinstance(node, Mark) else _mark(node)
        self.problems.append(Problem(self.path, m.line, m.col, message))

    def fail(self, node: yaml.Node, message: str) -> _Invalid:
        self.problem(node, message)
        return _Invalid()

    # -- shapes ----------------------------------------------------------------------------
    def _visit(self, node: yaml.Node) -> None:
        if id(node) in self.seen:
            raise self.fail(node, "this value is reused through an alias (&anchor / *alias); "
                                  "aliases are not allowed in scenario files")
        self.seen.add(id(node))

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

    def integer(self, node: yaml.Node, what: str, low: int | None = None,
                high: int | None = None) -> int:
        s = self.scalar(node, what)
        if s.style or not _INT.match(str(s.value)):
            raise self.fail(node, f"{what} must be a whole number, got {s.value!r}")
        value = int(str(s.value), 10)
        if (low is not None and value < low) or (high is not None and value > high):
            lo = "" if low is None else str(low)
            hi = "" if high is None else str(high)
            raise self.fail(node, f"{what} must be between {lo} and {hi}, got {value}")
        return value

    def number(self, node: yaml.Node, what: str) -> float:
        s = self.scalar(node, what)
        if s.style or not _FLOAT.match(str(s.value)):
            raise self.fail(node, f"{what} must be a number, got {s.value!r}")
        return float(str(s.value))

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

    def int_map(self, node: yaml.Node, what: str) -> dict[str, int]:
        out: dict[str, int] = {}
        for key, _key_node, value_node in self.entries(node, what):
            value = self.attempt(self.integer, value_node, f"{what} for {key!r}")
            if value is not None:
                out[key] = value
        return out

    def attempt(self, fn: Callable[..., Any], *args: Any, default: Any = None) -> Any:
        """Call ``fn(*args)``; if the value is unusable (already reported), return default."""
        try:
            return fn(*args)
        except _Invalid:
            return default

    def field(self, fields: dict[str, yaml.Node], key: str, fn: Callable[..., Any],
              *args: Any, default: Any = None) -> Any:
        """Read ``fields[key]`` with ``fn(node, *args)``; default if absent or unusable."""
        node = fields.get(key)
        if node is None:
            return default
        return self.attempt(fn, node, *args, default=default)


# -- the sections of a scenario --------------------------------------------------------------

_TOP_REQUIRED = (
    "format", "id", "title", "summary", "difficulty", "principles", "pass_mark", "persona",
    "variables", "start", "nodes", "endings",
)
_TOP_OPTIONAL = ("tags", "max_turns", "response_seconds")
_CHOICE_FIELDS = ("id", "say", "scores", "feedback", "next")
_CHOICE_OPTIONAL = ("effects", "critical", "examples")
_VARIABLE_NAME = re.compile(r"^[a-z_][a-z0-9_]*$")


class _ScenarioReader(_Walker):
    """Reads the sections of one scenario file. Graph checks live in ``validate``."""

    def __init__(self, path: str) -> None:
        super().__init__(path)
        #: Principle ids listed at the top, with their marks.
        self.principle_marks: list[tuple[str, Mark]] = []
        #: Score and effect keys with their marks, checked against principles / variables later.
        self.score_keys: list[tuple[str, Mark]] = []
        self.effect_keys: list[tuple[str, Mark]] = []
        self.condition_marks: dict[int, Mark] = {}

    def read(self, root: yaml.Node) -> dict[str, Any]:
        top = self.mapping(root, "the scenario", _TOP_REQUIRED, _TOP_OPTIONAL)
        root_mark = _mark(root)
        fmt = self.field(top, "format", self.integer, "format")
        if fmt is not None and fmt != 1:
            self.problem(top["format"], f"format {fmt} is not supported (this calmline reads 1)")
        return {
            "mark": root_mark,
            "id": self.field(top, "id", self.ident, "id", default=""),
            "title": self.field(top, "title", self.text, "title", default=""),
            "summary": self.field(top, "summary", self.text, "summary", default=""),
            "difficulty": self.field(top, "difficulty", self.difficulty, default="medium"),
            "principles": self.field(top, "principles", self.principle_list, default=()),
            "principles_mark": _mark(top["principles"]) if "principles" in top else root_mark,
            "pass_mark": self.field(top, "pass_mark", self.integer, "pass_mark", 1, 100,
                                    default=70),
            "max_turns": self.field(top, "max_turns", self.integer, "max_turns", 1, 1000,
                                    default=40),
            "response_seconds": self.field(top, "response_seconds", self.integer,
                                           "response_seconds", 5, 3600),
            "tags": self.field(top, "tags", self.texts, "tags", default=()),
            "persona": self.field(top, "persona", self.persona),
            "variables": self.field(top, "variables", self.variables, default={}),
            "start": self.field(top, "start", self.ident, "start", default=""),
            "start_mark": _mark(top["start"]) if "start" in top else root_mark,
            "nodes": self.field(top, "nodes", self.nodes, default={}),
            "endings": self.field(top, "endings", self.endings, default={}),
        }

    def difficulty(self, node: yaml.Node) -> str:
        value = self.text(node, "difficulty")
        if value not in DIFFICULTIES:
            raise self.fail(node, f"difficulty must be one of {', '.join(DIFFICULTIES)}")
        return value

    def principle_list(self, node: yaml.Node) -> tuple[str, ...]:
        out = []
        for item in self.sequence(node, "principles"):
            pid = self.attempt(self.text, item, "a principle id")
            if pid is not None:
                out.append(pid)
                self.principle_marks.append((pid, _mark(item)))
        return tuple(out)

    def persona(self, node: yaml.Node) -> Persona:
        f = self.mapping(node, "persona", ("name", "product", "order_value"),
                         ("currency", "description"))
        return Persona(
            self.field(f, "name", self.text, "persona name", default=""),
            self.field(f, "product", self.text, "product", default=""),
            self.field(f, "order_value", self.number, "order_value", default=0.0),
            self.field(f, "currency", self.text, "currency", default="USD"),
            self.field(f, "description", self.text, "description", True, default=""),
        )

    def variables(self, node: yaml.Node) -> dict[str, Variable]:
        out: dict[str, Variable] = {}
        for name, key_node, value_node in self.entries(node, "variables"):
            if not _VARIABLE_NAME.match(name):
                self.problem(key_node, f"variable name {name!r} must be lower-case letters, "
                                       "digits and '_'")
                continue
            var = self.attempt(self.variable, name, value_node)
            if var is not None:
                out[name] = var
        if "anger" not in out and not any(p.message.startswith("variable 'anger'")
                                          for p in self.problems):
            self.problem(node, "variables must declare 'anger' (the customer's anger, 0-100)")
        return out

    def variable(self, name: str, node: yaml.Node) -> Variable:
        f = self.mapping(node, f"variable {name!r}", ("min", "max", "start"), ("description",))
        low = self.field(f, "min", self.integer, "min")
        high = self.field(f, "max", self.integer, "max")
        start = self.field(f, "start", self.integer, "start")
        desc = self.field(f, "description", self.text, "description", True, default="")
        if low is None or high is None or start is None:
            raise _Invalid()
        if low >= high:
            raise self.fail(f["max"], f"variable {name!r}: max must be greater than min")
        if not low <= start <= high:
            raise self.fail(f["start"], f"variable {name!r}: start {start} is outside "
                                        f"{low}..{high}")
        return Variable(name, low, high, start, desc)

    def nodes(self, node: yaml.Node) -> dict[str, Node]:
        out: dict[str, Node] = {}
        for nid, key_node, value_node in self.entries(node, "nodes"):
            if not ID_PATTERN.match(nid):
                self.problem(key_node, f"node id {nid!r} is not a valid id (use lower-case "
                                       "letters, digits, '-' or '_')")
                continue
            built = self.attempt(self.node, nid, value_node, key_node)
            if built is not None:
                out[nid] = built
        return out

    def node(self, nid: str, node: yaml.Node, key_node: yaml.Node) -> Node:
        f = self.mapping(node, f"node {nid!r}", ("customer", "choices"), ("silence",))
        lines = self.field(f, "customer", self.texts, "customer", default=())
        choices: list[Choice] = []
        ids: set[str] = set()
        items = self.field(f, "choices", self.sequence, "choices", default=[])
        if "choices" in f and not items and isinstance(f["choices"], SequenceNode):
            self.problem(f["choices"], f"node {nid!r} has no choices: a node needs at "
                                       "least one (use an ending to finish the call)")
        for item in items:
            c = self.attempt(self.choice, item, nid)
            if c is None:
                continue
            if c.id in ids:
                self.problem(c.mark, f"duplicate choice id {c.id!r} in node {nid!r}")
                continue
            ids.add(c.id)
            choices.append(c)
        silence = self.field(f, "silence", self.choice, nid, True)
        return Node(nid, lines, tuple(choices), silence, _mark(key_node))

    def choice(self, node: yaml.Node, nid: str, silence: bool = False) -> Choice:
        what = f"the silence response of {nid!r}" if silence else f"a choice in {nid!r}"
        required = _CHOICE_FIELDS[2:] if silence else _CHOICE_FIELDS
        optional = ("say", *_CHOICE_OPTIONAL) if silence else _CHOICE_OPTIONAL
        f = self.mapping(node, what, required, optional)
        cid = "silence" if silence else self.field(f, "id", self.ident, "choice id")
        if cid is None:
            raise _Invalid()
        for key, keys in (("scores", self.score_keys), ("effects", self.effect_keys)):
            if key in f:
                keys.extend((k, m) for k, m in self._keys(f[key]))
        routes = self.field(f, "next", self.routes, default=())
        if "next" in f and not routes:
            raise _Invalid()
        return Choice(
            cid,
            self.field(f, "say", self.text, "say", default=""),
            self.field(f, "scores", self.int_map, "scores", default={}),
            self.field(f, "effects", self.int_map, "effects", default={}),
            self.field(f, "feedback", self.text, "feedback", default=""),
            routes,
            self.field(f, "critical", self.boolean, "critical", default=False),
            self.field(f, "examples", self.texts, "examples", default=()),
            _mark(node),
        )

    @staticmethod
    def _keys(node: yaml.Node) -> list[tuple[str, Mark]]:
        if not isinstance(node, MappingNode):
            return []
        return [(str(k.value), _mark(k)) for k, v in node.value
                if isinstance(k, ScalarNode)
                and not (":" in str(k.value) and isinstance(v, ScalarNode) and not v.value)]

    def routes(self, node: yaml.Node) -> tuple[Route, ...]:
        if isinstance(node, ScalarNode):
            return (Route(self.ident(node, "next"), None, _mark(node)),)
        items = self.sequence(node, "next")
        if not items:
            raise self.fail(node, "next must name a node or ending, or list routes")
        out: list[Route] = []
        for i, item in enumerate(items):
            f = self.attempt(self.mapping, item, "a route", ("goto",), ("when",))
            if f is None or "goto" not in f:
                continue
            target = self.field(f, "goto", self.ident, "goto")
            cond = None
            if "when" in f:
                cond = self.field(f, "when", self.condition)
                if cond is None:
                    continue
            elif i < len(items) - 1:
                self.problem(item, "only the last route may omit 'when' (the routes after it "
                                   "could never be taken)")
            if target is not None:
                out.append(Route(target, cond, _mark(item)))
        if out and out[-1].when is not None and len(out) == len(items):
            self.problem(items[-1], "the last route needs no 'when': it is the fallback taken "
                                    "when no condition holds")
        return tuple(out)

    def condition(self, node: yaml.Node) -> expr.Condition:
        text = self.text(node, "when")
        try:
            cond = expr.parse(text)
        except expr.ExprError as exc:
            m = _mark(node)
            # Columns inside a quoted scalar are shifted by its opening quote.
            shift = 1 if node.style in ("'", '"') else 0  # type: ignore[attr-defined]
            one_line = node.start_mark.line == node.end_mark.line
            col = m.col + shift + exc.offset if one_line else m.col
            self.problems.append(Problem(self.path, m.line, col,
                                         f"malformed condition {text!r}: {exc.message}"))
            raise _Invalid() from exc
        self.condition_marks[id(cond)] = _mark(node)
        return cond

    def endings(self, node: yaml.Node) -> dict[str, Ending]:
        out: dict[str, Ending] = {}
        for eid, key_node, value_node in self.entries(node, "endings"):
            if not ID_PATTERN.match(eid):
                self.problem(key_node, f"ending id {eid!r} is not a valid id")
                continue
            ending = self.attempt(self.ending, eid, value_node, key_node)
            if ending is not None:
                out[eid] = ending
        return out

    def ending(self, eid: str, node: yaml.Node, key_node: yaml.Node) -> Ending:
        f = self.mapping(node, f"ending {eid!r}", ("outcome", "debrief"), ("customer",))
        outcome = self.field(f, "outcome", self.outcome)
        debrief = self.field(f, "debrief", self.text, "debrief", default="")
        line = self.field(f, "customer", self.text, "customer", default="")
        if outcome is None:
            raise _Invalid()
        return Ending(eid, outcome, debrief, line, _mark(key_node))

    def outcome(self, node: yaml.Node) -> str:
        value = self.text(node, "outcome")
        allowed = [o for o in OUTCOMES if o not in ENGINE_OUTCOMES]
        if value not in allowed:
            hint = difflib.get_close_matches(value, allowed, n=1)
            extra = f" (did you mean {hint[0]!r}?)" if hint else ""
            raise self.fail(node, f"unknown outcome {value!r}{extra}; use one of "
                                  f"{', '.join(allowed)}")
        return value


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
    if not isinstance(root, MappingNode):
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


def loads(text: str, path: str = "<string>", sha256: str = "") -> Scenario:
    """Load and validate a scenario from YAML text; raise :class:`ScenarioError` on problems."""
    from simulator.engine import validate

    if len(text) > MAX_BYTES:
        raise ScenarioError([Problem(path, 0, 0, "the text is too large for a scenario")])
    root = compose(text, path)
    reader = _ScenarioReader(path)
    try:
        parts = reader.read(root)
    except _Invalid:
        raise ScenarioError(reader.problems) from None
    except RecursionError:
        raise ScenarioError([Problem(path, 1, 1, yamlerrors.NESTED_TOO_DEEPLY)]) from None
    problems = list(reader.problems)
    scenario = Scenario(
            id=parts["id"], title=parts["title"], summary=parts["summary"],
            difficulty=parts["difficulty"], principles=tuple(parts["principles"]),
            pass_mark=parts["pass_mark"], persona=parts["persona"] or Persona("", "", 0.0),
            variables=parts["variables"], start=parts["start"], nodes=parts["nodes"],
            endings=parts["endings"], max_turns=parts["max_turns"],
            response_seconds=parts["response_seconds"], path=path,
            sha256=sha256 or hashlib.sha256(text.encode("utf-8")).hexdigest(),
            tags=tuple(parts["tags"]), mark=parts["mark"],
    )
    problems += validate.check(scenario, reader, parts)
    if problems:
        raise ScenarioError(problems)
    return scenario


def load(path: str | Path) -> Scenario:
    """Load and validate the scenario file at ``path``."""
    text, digest = read_text(path)
    return loads(text, str(path), digest)
