"""Reads the sections of one scenario file into the parts of the model.

Graph-wide checks (links, reachability, principles against the format's ids) live in
:mod:`simulator.engine.validate`.
"""

from __future__ import annotations

import difflib
import re
from typing import Any

import yaml

from simulator.engine import expr
from simulator.engine.bounds import (
    FORMAT_RANGE,
    MAX_TURNS_RANGE,
    ORDER_VALUE_RANGE,
    PASS_MARK_RANGE,
    RESPONSE_SECONDS_RANGE,
    SCORE_RANGE,
    VARIABLE_RANGE,
)
from simulator.engine.model import (
    DIFFICULTIES,
    ENGINE_OUTCOMES,
    OUTCOMES,
    SILENCE,
    Allowance,
    Choice,
    Ending,
    Mark,
    Narration,
    Node,
    Persona,
    Route,
    Variable,
)
from simulator.engine.problems import Problem, excerpt
from simulator.engine.walker import (
    ID_PATTERN,
    Invalid,
    MappingNode,
    ScalarNode,
    SequenceNode,
    Walker,
    mark_of,
)

# -- the sections of a scenario --------------------------------------------------------------

_TOP_REQUIRED = (
    "format", "id", "title", "summary", "difficulty", "principles", "pass_mark", "persona",
    "variables", "start", "nodes", "endings",
)
_TOP_OPTIONAL = ("tags", "max_turns", "response_seconds", "lint")
#: How a node's replies are ordered on screen: seeded shuffle (default) or as written.
ORDERS = ("shuffled", "fixed")
_CHOICE_FIELDS = ("id", "say", "scores", "feedback", "next")
_CHOICE_OPTIONAL = ("effects", "critical", "examples")
_VARIABLE_NAME = re.compile(r"^[a-z_][a-z0-9_]*$")


class ScenarioReader(Walker):
    """Reads the sections of one scenario file. Graph checks live in ``validate``."""

    def __init__(self, path: str) -> None:
        super().__init__(path)
        #: Principle ids listed at the top, with their marks.
        self.principle_marks: list[tuple[str, Mark]] = []
        #: Score and effect keys with their marks, checked against principles / variables later.
        self.score_keys: list[tuple[str, Mark]] = []
        self.effect_keys: list[tuple[str, Mark]] = []
        self.condition_marks: dict[int, Mark] = {}
        #: Every variable declared, including those whose definition has a problem (so that
        #: their uses are not also reported as undeclared).
        self.declared_variables: set[str] = set()

    def read(self, root: yaml.Node) -> dict[str, Any]:
        top = self.mapping(root, "the scenario", _TOP_REQUIRED, _TOP_OPTIONAL)
        root_mark = mark_of(root)
        fmt = self.field(top, "format", self.integer, "format", FORMAT_RANGE)
        if fmt is not None and fmt != 1:
            self.problem(top["format"], f"format {fmt} is not supported (this calmline reads 1)")
        return {
            "mark": root_mark,
            "id": self.field(top, "id", self.ident, "id", default=""),
            "title": self.field(top, "title", self.text, "title", default=""),
            "summary": self.field(top, "summary", self.text, "summary", default=""),
            "difficulty": self.field(top, "difficulty", self.difficulty, default="medium"),
            "principles": self.field(top, "principles", self.principle_list, default=()),
            "principles_mark": mark_of(top["principles"]) if "principles" in top else root_mark,
            "pass_mark": self.field(top, "pass_mark", self.integer, "pass_mark",
                                    PASS_MARK_RANGE, default=70),
            "max_turns": self.field(top, "max_turns", self.integer, "max_turns",
                                    MAX_TURNS_RANGE, default=40),
            "response_seconds": self.field(top, "response_seconds", self.integer,
                                           "response_seconds", RESPONSE_SECONDS_RANGE),
            "tags": self.field(top, "tags", self.texts, "tags", default=()),
            "persona": self.field(top, "persona", self.persona),
            "variables": self.field(top, "variables", self.variables, default={}),
            "start": self.field(top, "start", self.ident, "start", default=""),
            "start_mark": mark_of(top["start"]) if "start" in top else root_mark,
            "nodes": self.field(top, "nodes", self.nodes, default={}),
            "endings": self.field(top, "endings", self.endings, default={}),
            "allowed": self.field(top, "lint", self.lint_section, default=()),
        }

    def lint_section(self, node: yaml.Node) -> tuple[Allowance, ...]:
        """``lint: {allow: {CODE: REASON}}``: warnings the author accepts here, and why (the
        codes themselves are checked by ``calmline lint``, which knows them)."""
        f = self.mapping(node, "lint", (), ("allow",))
        if "allow" not in f:
            return ()
        allow = f["allow"]
        if not isinstance(allow, MappingNode):
            self._visit(allow)
            raise self.fail(allow, "lint.allow maps each warning code to the reason it is "
                                   "acceptable in this file, e.g. no-core-score: \"grief call "
                                   "scored on listening\"")
        out = []
        for code, key_node, value_node in self.entries(allow, "lint.allow"):
            reason = self.attempt(self.text, value_node, "reason", True)
            if reason is None:
                continue
            if not reason:
                self.problem(value_node, f"lint.allow: the reason for allowing {code!r} is "
                                         "empty: say why this warning is acceptable here")
                continue
            out.append(Allowance(code, reason, mark_of(key_node)))
        return tuple(out)

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
                self.principle_marks.append((pid, mark_of(item)))
        return tuple(out)

    def persona(self, node: yaml.Node) -> Persona:
        f = self.mapping(node, "persona", ("name", "product", "order_value"),
                         ("currency", "description"))
        return Persona(
            self.field(f, "name", self.text, "persona name", default=""),
            self.field(f, "product", self.text, "product", default=""),
            self.field(f, "order_value", self.number, "order_value", ORDER_VALUE_RANGE,
                       default=0.0),
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
            self.declared_variables.add(name)
            var = self.attempt(self.variable, name, value_node)
            if var is not None:
                out[name] = var
        if "anger" not in self.declared_variables:
            self.problem(node, "variables must declare 'anger' (the customer's anger, 0-100)")
        return out

    def variable(self, name: str, node: yaml.Node) -> Variable:
        f = self.mapping(node, f"variable {name!r}", ("min", "max", "start"), ("description",))
        low = self.field(f, "min", self.integer, f"variable {name!r}: min", VARIABLE_RANGE)
        high = self.field(f, "max", self.integer, f"variable {name!r}: max", VARIABLE_RANGE)
        drawn = "start" in f and isinstance(f["start"], SequenceNode)
        starts = self.field(f, "start", self.start_list, name, default=()) if drawn else ()
        start = starts[0] if starts else None if drawn else self.field(
            f, "start", self.integer, f"variable {name!r}: start", VARIABLE_RANGE)
        desc = self.field(f, "description", self.text, "description", True, default="")
        if low is None or high is None or start is None:
            raise Invalid()
        if low >= high:
            raise self.fail(f["max"], f"variable {name!r}: max must be greater than min")
        for value in starts or (start,):
            if not low <= value <= high:
                raise self.fail(f["start"], f"variable {name!r}: start {value} is outside "
                                            f"{low}..{high}")
        return Variable(name, low, high, start, desc, starts)

    def start_list(self, node: yaml.Node, name: str) -> tuple[int, ...]:
        """``start: [a, b, ...]``: the situations a session draws one of from its seed."""
        items = self.sequence(node, f"variable {name!r}: start")
        values = [self.integer(item, f"variable {name!r}: start", VARIABLE_RANGE)
                  for item in items]
        if len(values) < 2:
            raise self.fail(node, f"variable {name!r}: a start list needs at least two values "
                                  "(one drawn per session); a single start is a plain number")
        if len(set(values)) != len(values):
            raise self.fail(node, f"variable {name!r}: the start list repeats a value (each "
                                  "situation once; the draw is uniform)")
        return tuple(values)

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
        f = self.mapping(node, f"node {nid!r}", ("customer", "choices"),
                         ("silence", "order", "narration"))
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
        fixed = self.field(f, "order", self.order, f"the order of node {nid!r}",
                           default="shuffled") == "fixed"
        narration = self.field(f, "narration", self.narration, nid, default=())
        return Node(nid, lines, tuple(choices), silence, mark_of(key_node), fixed, narration)

    def narration(self, node: yaml.Node, nid: str) -> tuple[Narration, ...]:
        """``narration:`` a text, or a list of ``{when: CONDITION, text: TEXT}`` variants (the
        first that holds is shown; ``when`` may be left out on the last, the fallback)."""
        if not isinstance(node, SequenceNode):
            if isinstance(node, MappingNode):
                self._visit(node)
                raise self.fail(node, f"the narration of {nid!r} is a line of text, or a list "
                                      "of variants ('- when: CONDITION' with 'text: ...')")
            return (Narration(self.text(node, "narration"), None, mark_of(node)),)
        items = self.sequence(node, "narration")
        if not items:
            raise self.fail(node, "narration must not be an empty list")
        out: list[Narration] = []
        for i, item in enumerate(items):
            f = self.attempt(self.mapping, item, "a narration variant", ("text",), ("when",))
            if f is None or "text" not in f:
                continue
            text = self.field(f, "text", self.text, "narration text")
            cond = self.field(f, "when", self.condition) if "when" in f else None
            if "when" in f and cond is None:
                continue
            if cond is None and i < len(items) - 1:
                self.problem(item, "only the last narration variant may omit 'when' (the "
                                   "variants after it could never be shown)")
            if text is not None:
                out.append(Narration(text, cond, mark_of(item)))
        return tuple(out)

    def order(self, node: yaml.Node, what: str) -> str:
        value = self.text(node, what)
        if value not in ORDERS:
            raise self.fail(node, f"{what} must be 'fixed' (replies shown as written) or "
                                  f"'shuffled' (the default), not {value!r}")
        return value

    def choice(self, node: yaml.Node, nid: str, silence: bool = False) -> Choice:
        what = f"the silence response of {nid!r}" if silence else f"a choice in {nid!r}"
        required = _CHOICE_FIELDS[2:] if silence else _CHOICE_FIELDS
        optional = ("say", *_CHOICE_OPTIONAL) if silence else _CHOICE_OPTIONAL
        f = self.mapping(node, what, required, optional)
        cid = SILENCE if silence else self.field(f, "id", self.ident, "choice id")
        if cid is None:
            raise Invalid()
        for key, keys in (("scores", self.score_keys), ("effects", self.effect_keys)):
            if key in f:
                keys.extend((k, m) for k, m in self._keys(f[key]))
        routes = self.field(f, "next", self.routes, default=())
        if "next" in f and not routes:
            raise Invalid()
        return Choice(
            cid,
            self.field(f, "say", self.text, "say", default=""),
            self.field(f, "scores", self.int_map, "scores", SCORE_RANGE, default={}),
            self.field(f, "effects", self.int_map, "effects", SCORE_RANGE, default={}),
            self.field(f, "feedback", self.text, "feedback", default=""),
            routes,
            self.field(f, "critical", self.boolean, "critical", default=False),
            self.field(f, "examples", self.texts, "examples", default=()),
            mark_of(node),
        )

    @staticmethod
    def _keys(node: yaml.Node) -> list[tuple[str, Mark]]:
        if not isinstance(node, MappingNode):
            return []
        return [(str(k.value), mark_of(k)) for k, v in node.value
                if isinstance(k, ScalarNode)
                and not (":" in str(k.value) and isinstance(v, ScalarNode) and not v.value)]

    def routes(self, node: yaml.Node) -> tuple[Route, ...]:
        if isinstance(node, ScalarNode):
            return (Route(self.ident(node, "next"), None, mark_of(node)),)
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
                out.append(Route(target, cond, mark_of(item)))
        if out and out[-1].when is not None and len(out) == len(items):
            self.problem(items[-1], "the last route needs no 'when': it is the fallback taken "
                                    "when no condition holds")
        return tuple(out)

    def condition(self, node: yaml.Node) -> expr.Condition:
        text = self.text(node, "when")
        try:
            cond = expr.parse(text)
        except expr.ExprError as exc:
            m = mark_of(node)
            # Columns inside a quoted scalar are shifted by its opening quote.
            shift = 1 if node.style in ("'", '"') else 0  # type: ignore[attr-defined]
            one_line = node.start_mark.line == node.end_mark.line
            col = m.col + shift + exc.offset if one_line else m.col
            quoted = excerpt(text)
            self.problems.append(Problem(self.path, m.line, col,
                                         f"malformed condition {quoted!r}: {exc.message}"))
            raise Invalid() from exc
        self.condition_marks[id(cond)] = mark_of(node)
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
            raise Invalid()
        return Ending(eid, outcome, debrief, line, mark_of(key_node))

    def outcome(self, node: yaml.Node) -> str:
        value = self.text(node, "outcome")
        allowed = [o for o in OUTCOMES if o not in ENGINE_OUTCOMES]
        if value not in allowed:
            hint = difflib.get_close_matches(value, allowed, n=1)
            extra = f" (did you mean {hint[0]!r}?)" if hint else ""
            raise self.fail(node, f"unknown outcome {value!r}{extra}; use one of "
                                  f"{', '.join(allowed)}")
        return value
