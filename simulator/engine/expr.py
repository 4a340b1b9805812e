"""The safe condition grammar used by ``when`` routes: parsed here, never ``eval``-ed.

Grammar (keywords are lower case)::

    expr       := and_expr ("or" and_expr)*
    and_expr   := not_expr ("and" not_expr)*
    not_expr   := "not" not_expr | "(" expr ")" | comparison
    comparison := operand OP operand          OP is one of == != < <= > >=
    operand    := NAME | INTEGER              e.g. anger, trust, -5, 85
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

_OPS: dict[str, Callable[[int, int], bool]] = {
    "==": operator.eq,
    "!=": operator.ne,
    "<=": operator.le,
    ">=": operator.ge,
    "<": operator.lt,
    ">": operator.gt,
}
_KEYWORDS = frozenset({"and", "or", "not"})
_TOKEN = re.compile(
    r"\s*(?:(?P<num>-?\d+)|(?P<name>[A-Za-z_][A-Za-z0-9_]*)|(?P<op>==|!=|<=|>=|<|>)|(?P<paren>[()]))"
)

Evaluator = Callable[[Mapping[str, int]], bool]


class ExprError(ValueError):
    """A malformed condition; ``offset`` is the 0-based character position of the problem."""

    def __init__(self, message: str, offset: int) -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset


@dataclass(frozen=True, slots=True)
class Condition:
    """A parsed condition: its source text, the variables it reads, and how to evaluate it."""

    source: str
    names: frozenset[str]
    evaluate: Evaluator

    def __call__(self, values: Mapping[str, int]) -> bool:
        return self.evaluate(values)


#: Signs authors borrow from spreadsheets, programming or maths, with what to write instead.
_INSTEAD = {
    "=>": "'=>' is not a comparison: write '>=' (at least)",
    "=<": "'=<' is not a comparison: write '<=' (at most)",
    "&&": "write 'and' instead of '&&'",
    "||": "write 'or' instead of '||'",
    "<>": "write '!=' (is not) instead of '<>'",
    "≥": "write '>=' instead of '≥'",
    "≤": "write '<=' instead of '≤'",
    "≠": "write '!=' instead of '≠'",
    "=": "write '==' to compare (a single '=' is not a comparison)",
    "!": "write 'not' instead of '!'",
    "%": "numbers in conditions are plain whole numbers, without '%'",
    "&": "write 'and' instead of '&'",
    "|": "write 'or' instead of '|'",
}


def _unexpected(text: str, at: int) -> str:
    for sign, advice in _INSTEAD.items():
        if text.startswith(sign, at):
            return advice
    return (f"unexpected character {text[at]!r} in condition (conditions use variable names, "
            "whole numbers, == != < <= > >=, and, or, not, and brackets)")


def _tokenize(text: str) -> list[tuple[str, str, int]]:
    tokens: list[tuple[str, str, int]] = []
    pos = 0
    while pos < len(text):
        if text[pos:].strip() == "":
            break
        m = _TOKEN.match(text, pos)
        if m is None or m.group("op") == "<" and text.startswith("<>", m.start("op")):
            bad = len(text) - len(text[pos:].lstrip())
            raise ExprError(_unexpected(text, bad), bad)
        kind = m.lastgroup or ""
        value = m.group(kind)
        start = m.start(kind)
        if kind == "name" and value in _KEYWORDS:
            kind = value
        elif kind == "name" and value.lower() in _KEYWORDS:
            raise ExprError(f"write {value.lower()!r} in lower case", start)
        tokens.append((kind, value, start))
        pos = m.end()
    tokens.append(("end", "", len(text)))
    return tokens


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens = _tokenize(text)
        self.i = 0
        self.names: set[str] = set()

    def peek(self) -> tuple[str, str, int]:
        return self.tokens[self.i]

    def take(self) -> tuple[str, str, int]:
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def expr(self) -> Evaluator:
        parts = [self.and_expr()]
        while self.peek()[0] == "or":
            self.take()
            parts.append(self.and_expr())
        if len(parts) == 1:
            return parts[0]

        def any_of(v: Mapping[str, int], ps: tuple[Evaluator, ...] = tuple(parts)) -> bool:
            return any(p(v) for p in ps)

        return any_of

    def and_expr(self) -> Evaluator:
        parts = [self.not_expr()]
        while self.peek()[0] == "and":
            self.take()
            parts.append(self.not_expr())
        if len(parts) == 1:
            return parts[0]

        def all_of(v: Mapping[str, int], ps: tuple[Evaluator, ...] = tuple(parts)) -> bool:
            return all(p(v) for p in ps)

        return all_of

    def not_expr(self) -> Evaluator:
        kind, _, pos = self.peek()
        if kind == "not":
            self.take()
            inner = self.not_expr()
            return lambda v: not inner(v)
        if kind == "paren" and self.peek()[1] == "(":
            self.take()
            inner = self.expr()
            kind, value, pos = self.take()
            if kind != "paren" or value != ")":
                raise ExprError("expected ')'", pos)
            return inner
        return self.comparison()

    def operand(self) -> Callable[[Mapping[str, int]], int]:
        kind, value, pos = self.take()
        if kind == "num":
            n = int(value)
            return lambda v: n
        if kind == "name":
            self.names.add(value)
            return lambda v: v[value]
        what = "end of condition" if kind == "end" else repr(value)
        raise ExprError(f"expected a variable or a number, found {what}", pos)

    def comparison(self) -> Evaluator:
        left = self.operand()
        kind, value, pos = self.take()
        if kind != "op":
            what = "end of condition" if kind == "end" else repr(value)
            raise ExprError(f"expected a comparison (== != < <= > >=), found {what}", pos)
        op = _OPS[value]
        right = self.operand()
        return lambda v: op(left(v), right(v))


def parse(text: str) -> Condition:
    """Parse ``text`` into a :class:`Condition`; raise :class:`ExprError` if malformed."""
    if not text.strip():
        raise ExprError("empty condition", 0)
    parser = _Parser(text)
    evaluator = parser.expr()
    kind, value, pos = parser.peek()
    if kind != "end":
        raise ExprError(f"unexpected {value!r} after a complete condition", pos)
    return Condition(text, frozenset(parser.names), evaluator)
