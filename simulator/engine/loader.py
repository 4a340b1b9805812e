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

from simulator.engine import expr
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

    def scalar(self, node: yaml.Node, what: str) -> ScalarNode:
        self._visit(node)
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
        if isinstance(node, SequenceNode):
            items = self.sequence(node, what)
            if not items:
                raise self.fail(node, f"{what} must not be an empty list")
            return tuple(self.text(item, what) for item in items)
        return (self.text(node, what),)

    def int_map(self, node: yaml.Node, what: str) -> dict[str, int]:
        out: dict[str, int] = {}
        for key, key_node, value_node in self.entries(node, what):
            value = self.attempt(lambda v=value_node, k=key: self.integer(v, f"{what} for {k!r}"))
            if value is not None:
                out[key] = value
        return out

    def attempt(self, fn: Callable[[], Any], default: Any = None) -> Any:
        try:
            return fn()
        except _Invalid:
            return default


# -- the sections of a scenario --------------------------------------------------------------

_TOP_REQUIRED = (
    "format", "id", "title", "summary", "difficulty", "principles", "pass_mark", "persona",
    "variables", "start", "nodes", "endings",
)
_TOP_OPTIONAL = ("tags", "max_turns", "response_seconds")
_CHOICE_FIELDS = ("id", "say", "scores", "feedback", "next")
_CHOICE_OPTIONAL = ("effects", "critical", "examples")


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
        out: dict[str, Any] = {"mark": _mark(root)}

        def get(name: str, fn: Callable[[yaml.Node], Any], default: Any = None) -> Any:
            node = top.get(name)
            if node is None:
                return default
            return self.attempt(lambda: fn(node), default)

        fmt = get("format", lambda n: self.integer(n, "format"))
        if fmt is not None and fmt != 1:
            self.problem(top["format"], f"format {fmt} is not supported (this calmline reads 1)")
        out["id"] = get("id", lambda n: self.ident(n, "id"), "")
        out["title"] = get("title", lambda n: self.text(n, "title"), "")
        out["summary"] = get("summary", lambda n: self.text(n, "summary"), "")
        out["difficulty"] = get("difficulty", self.difficulty, "medium")
        out["principles"] = get("principles", self.principle_list, ())
        out["principles_mark"] = _mark(top["principles"]) if "principles" in top else out["mark"]
        out["pass_mark"] = get("pass_mark", lambda n: self.integer(n, "pass_mark", 1, 100), 70)
        out["max_turns"] = get("max_turns", lambda n: self.integer(n, "max_turns", 1, 1000), 40)
        out["response_seconds"] = get(
            "response_seconds", lambda n: self.integer(n, "response_seconds", 5, 3600)
        )
        out["tags"] = get("tags", lambda n: self.texts(n, "tags"), ())
        out["persona"] = get("persona", self.persona)
        out["variables"] = get("variables", self.variables, {})
        out["start"] = get("start", lambda n: self.ident(n, "start"), "")
        out["start_mark"] = _mark(top["start"]) if "start" in top else out["mark"]
        out["nodes"] = get("nodes", self.nodes, {})
        out["endings"] = get("endings", self.endings, {})
        return out

    def difficulty(self, node: yaml.Node) -> str:
        value = self.text(node, "difficulty")
        if value not in DIFFICULTIES:
            raise self.fail(node, f"difficulty must be one of {', '.join(DIFFICULTIES)}")
        return value

    def principle_list(self, node: yaml.Node) -> tuple[str, ...]:
        items = self.sequence(node, "principles")
        out = []
        for item in items:
            pid = self.attempt(lambda item=item: self.text(item, "a principle id"))
            if pid is not None:
                out.append(pid)
                self.principle_marks.append((pid, _mark(item)))
        return tuple(out)

    def persona(self, node: yaml.Node) -> Persona | None:
        f = self.mapping(node, "persona", ("name", "product", "order_value"),
                         ("currency", "description"))
        name = self.attempt(lambda: self.text(f["name"], "persona name"), "") if "name" in f else ""
        product = (self.attempt(lambda: self.text(f["product"], "product"), "")
                   if "product" in f else "")
        value = (self.attempt(lambda: self.number(f["order_value"], "order_value"), 0.0)
                 if "order_value" in f else 0.0)
        currency = (self.attempt(lambda: self.text(f["currency"], "currency"), "USD")
                    if "currency" in f else "USD")
        desc = (self.attempt(lambda: self.text(f["description"], "description", True), "")
                if "description" in f else "")
        return Persona(name, product, value, currency, desc)

    def variables(self, node: yaml.Node) -> dict[str, Variable]:
        out: dict[str, Variable] = {}
        for name, key_node, value_node in self.entries(node, "variables"):
            if not re.match(r"^[a-z_][a-z0-9_]*$", name):
                self.problem(key_node, f"variable name {name!r} must be lower-case letters, "
                                       "digits and '_'")
                continue
            f = self.attempt(lambda v=value_node: self.mapping(
                v, f"variable {name!r}", ("min", "max", "start"), ("description",)))
            if f is None:
                continue
            low = self.attempt(lambda f=f: self.integer(f["min"], "min")) if "min" in f else None
            high = self.attempt(lambda f=f: self.integer(f["max"], "max")) if "max" in f else None
            start = (self.attempt(lambda f=f: self.integer(f["start"], "start"))
                     if "start" in f else None)
            desc = (self.attempt(lambda f=f: self.text(f["description"], "description", True), "")
                    if "description" in f else "")
            if low is None or high is None or start is None:
                continue
            if low >= high:
                self.problem(f["max"], f"variable {name!r}: max must be greater than min")
                continue
            if not low <= start <= high:
                self.problem(f["start"], f"variable {name!r}: start {start} is outside "
                                         f"{low}..{high}")
                continue
            out[name] = Variable(name, low, high, start, desc)
        if "anger" not in out and not any(p.message.startswith("variable 'anger'")
                                          for p in self.problems):
            self.problem(node, "variables must declare 'anger' (the customer's anger, 0-100)")
        return out

    def nodes(self, node: yaml.Node) -> dict[str, Node]:
        out: dict[str, Node] = {}
        for nid, key_node, value_node in self.entries(node, "nodes"):
            if not ID_PATTERN.match(nid):
                self.problem(key_node, f"node id {nid!r} is not a valid id (use lower-case "
                                       "letters, digits, '-' or '_')")
                continue
            built = self.attempt(lambda n=value_node, i=nid, k=key_node: self.node(i, n, k))
            if built is not None:
                out[nid] = built
        return out

    def node(self, nid: str, node: yaml.Node, key_node: yaml.Node) -> Node:
        f = self.mapping(node, f"node {nid!r}", ("customer", "choices"), ("silence",))
        lines = (self.attempt(lambda: self.texts(f["customer"], "customer"), ())
                 if "customer" in f else ())
        choices: list[Choice] = []
        ids: set[str] = set()
        if "choices" in f:
            items = self.attempt(lambda: self.sequence(f["choices"], "choices"), [])
            if "choices" in f and not items and isinstance(f["choices"], SequenceNode):
                self.problem(f["choices"], f"node {nid!r} has no choices: a node needs at "
                                           "least one (use an ending to finish the call)")
            for item in items:
                c = self.attempt(lambda item=item: self.choice(item, nid))
                if c is None:
                    continue
                if c.id in ids:
                    self.problem(c.mark, f"duplicate choice id {c.id!r} in node {nid!r}")
                    continue
                ids.add(c.id)
                choices.append(c)
        silence = None
        if "silence" in f:
            silence = self.attempt(lambda: self.choice(f["silence"], nid, silence=True))
        return Node(nid, lines, tuple(choices), silence, _mark(key_node))

    def choice(self, node: yaml.Node, nid: str, silence: bool = False) -> Choice:
        what = f"the silence response of {nid!r}" if silence else f"a choice in {nid!r}"
        required = _CHOICE_FIELDS[2:] if silence else _CHOICE_FIELDS
        optional = ("say", *_CHOICE_OPTIONAL) if silence else _CHOICE_OPTIONAL
        f = self.mapping(node, what, required, optional)
        cid = "silence" if silence else self.attempt(lambda: self.ident(f["id"], "choice id"))
        if cid is None:
            raise _Invalid()
        say = self.attempt(lambda: self.text(f["say"], "say"), "") if "say" in f else ""
        scores = self.attempt(lambda: self.int_map(f["scores"], "scores"), {}) \
            if "scores" in f else {}
        if "scores" in f:
            for key, _kn, _vn in self._keys(f["scores"]):
                self.score_keys.append((key, _mark(_kn)))
        effects = self.attempt(lambda: self.int_map(f["effects"], "effects"), {}) \
            if "effects" in f else {}
        if "effects" in f:
            for key, _kn, _vn in self._keys(f["effects"]):
                self.effect_keys.append((key, _mark(_kn)))
        feedback = self.attempt(lambda: self.text(f["feedback"], "feedback"), "") \
            if "feedback" in f else ""
        critical = self.attempt(lambda: self.boolean(f["critical"], "critical"), False) \
            if "critical" in f else False
        examples = self.attempt(lambda: self.texts(f["examples"], "examples"), ()) \
            if "examples" in f else ()
        routes = self.attempt(lambda: self.routes(f["next"]), ()) if "next" in f else ()
        if "next" in f and not routes:
            raise _Invalid()
        return Choice(cid, say, scores, effects, feedback, routes, critical, examples,
                      _mark(node))

    @staticmethod
    def _keys(node: yaml.Node) -> list[tuple[str, yaml.Node, yaml.Node]]:
        if not isinstance(node, MappingNode):
            return []
        return [(str(k.value), k, v) for k, v in node.value if isinstance(k, ScalarNode)]

    def routes(self, node: yaml.Node) -> tuple[Route, ...]:
        if isinstance(node, ScalarNode):
            return (Route(self.ident(node, "next"), None, _mark(node)),)
        items = self.sequence(node, "next")
        if not items:
            raise self.fail(node, "next must name a node or ending, or list routes")
        out: list[Route] = []
        for i, item in enumerate(items):
            f = self.attempt(lambda item=item: self.mapping(item, "a route", ("goto",), ("when",)))
            if f is None or "goto" not in f:
                continue
            target = self.attempt(lambda f=f: self.ident(f["goto"], "goto"))
            cond = None
            if "when" in f:
                cond = self.attempt(lambda f=f: self.condition(f["when"]))
                if cond is None:
                    continue
            elif i < len(items) - 1:
                self.problem(item, "only the last route may omit 'when' (the routes after it "
                                   "could never be taken)")
            if target is not None:
                route = Route(target, cond, _mark(item))
                out.append(route)
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
            f = self.attempt(lambda v=value_node, e=eid: self.mapping(
                v, f"ending {e!r}", ("outcome", "debrief"), ("customer",)))
            if f is None:
                continue
            outcome = self.attempt(lambda f=f: self.outcome(f["outcome"])) \
                if "outcome" in f else None
            debrief = self.attempt(lambda f=f: self.text(f["debrief"], "debrief"), "") \
                if "debrief" in f else ""
            line = self.attempt(lambda f=f: self.text(f["customer"], "customer"), "") \
                if "customer" in f else ""
            if outcome is not None:
                out[eid] = Ending(eid, outcome, debrief, line, _mark(key_node))
        return out

    def outcome(self, node: yaml.Node) -> str:
        value = self.text(node, "outcome")
        allowed = [o for o in OUTCOMES if o not in ENGINE_OUTCOMES]
        if value not in allowed:
            hint = difflib.get_close_matches(value, allowed, n=1)
            extra = f" (did you mean {hint[0]!r}?)" if hint else ""
            raise self.fail(node, f"unknown outcome {value!r}{extra}; use one of "
                                  f"{', '.join(allowed)}")
        return value


def compose(text: str, path: str) -> yaml.Node:
    """Compose YAML text into a node tree or raise :class:`ScenarioError` with one problem."""
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        reason = " ".join(str(exc.problem or exc.context or "invalid YAML").split())
        raise ScenarioError([Problem(path, line, col, f"invalid YAML: {reason}")]) from None
    except yaml.YAMLError as exc:
        reason = " ".join(str(exc).split())
        raise ScenarioError([Problem(path, 1, 1, f"invalid YAML: {reason}")]) from None
    except RecursionError:
        raise ScenarioError([Problem(path, 1, 1, "the YAML is nested too deeply")]) from None
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
        size = p.stat().st_size
        if size > MAX_BYTES:
            raise ScenarioError([Problem(name, 0, 0, f"the file is too large for a scenario "
                                                     f"({size:,} bytes; limit {MAX_BYTES:,})")])
        data = p.read_bytes()
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
        raise ScenarioError([Problem(path, 1, 1, "the YAML is nested too deeply")]) from None
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
