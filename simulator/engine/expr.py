"""The safe condition grammar used by ``when`` routes: parsed here, never ``eval``-ed.

Grammar (keywords are lower case)::

    expr       := and_expr ("or" and_expr)*
    and_expr   := not_expr ("and" not_expr)*
    not_expr   := "not" not_expr | "(" expr ")" | comparison
    comparison := operand OP operand          OP is one of == != < <= > >=
    operand    := NAME | INTEGER              e.g. anger, trust, -5, 85

Tokenizing and parsing take time proportional to the length of the condition, and brackets
and ``not`` may nest at most :data:`MAX_NESTING` deep, so any text within the file-size limit
is answered quickly, with the offset of the first problem.
"""

from __future__ import annotations

import gc
import operator
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from simulator.engine.bounds import VARIABLE_RANGE, between
from simulator.engine.problems import excerpt

_OPS: dict[str, Callable[[int, int], bool]] = {
    "==": operator.eq,
    "!=": operator.ne,
    "<=": operator.le,
    ">=": operator.ge,
    "<": operator.lt,
    ">": operator.gt,
}
Evaluator = Callable[[Mapping[str, int]], bool]
Token = tuple[str, str, "Evaluator | None"]
_KEYWORDS = frozenset({"and", "or", "not"})
_KEYWORD_TOKENS: dict[str, Token] = {k: (k, k, None) for k in _KEYWORDS}
_NAME = r"(?!(?i:and|or|not)\b)[A-Za-z_][A-Za-z0-9_]*"
#: Every character but spaces belongs to one match, so one ``findall`` (a loop in C) splits
#: a whole condition. A comparison is one token (the common case); the single tokens after
#: it are what the parser reads when a comparison is malformed; ``bad`` is anything else.
_TOKEN = re.compile(
    rf"\s*(?:(?:(?P<lname>{_NAME})|(?P<lnum>-?[0-9]+))\s*(?P<cop>==|!=|<=|>=|<(?!>)|>)\s*"
    rf"(?:(?P<rname>{_NAME})|(?P<rnum>-?[0-9]+))"
    r"|(?P<kw>and|or|not)\b|(?P<num>-?[0-9]+)|(?P<name>[A-Za-z_][A-Za-z0-9_]*)|(?P<ne><>)"
    r"|(?P<op>==|!=|<=|>=|<|>)|(?P<paren>[()])|(?P<bad>\S))"
)
#: How deep brackets and ``not`` may nest in one condition (a real one needs two or three).
MAX_NESTING = 50
#: Digits a number in a condition may have before it is certainly out of range.
_MAX_DIGITS = 20


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


class _Located(Exception):
    """Internal: a problem at the ``group`` of token ``index``, located only when raised."""

    def __init__(self, message: str, index: int, group: str = "") -> None:
        super().__init__(message)
        self.message, self.index, self.group = message, index, group

    def offset(self, text: str) -> int:
        """Where the problem is in ``text`` (tokens are found again, once, to say so)."""
        for i, m in enumerate(_TOKEN.finditer(text)):
            if i == self.index and self.group:
                return m.start(self.group)
            if i == self.index:
                return m.end() - len(m.group().lstrip())
        return len(text)


def _number(value: str, index: int, group: str) -> int:
    """The whole number ``value`` (token ``index``), if it is within the documented range."""
    low, high = VARIABLE_RANGE
    n = int(value) if len(value) <= _MAX_DIGITS else high + 1
    if not low <= n <= high:
        raise _Located(f"numbers in conditions must be {between(VARIABLE_RANGE)}",
                       index, group)
    return n


def _comparison(token: tuple[str, ...], index: int, names: set[str]) -> Evaluator:
    """The evaluator of one comparison token (its groups from :data:`_TOKEN`)."""
    lname, lnum, cop, rname, rnum = token[:5]
    compare = _OPS[cop]
    if lname and rnum:
        names.add(lname)
        b = _number(rnum, index, "rnum")
        return lambda v: compare(v[lname], b)
    if lname:
        names.update((lname, rname))
        return lambda v: compare(v[lname], v[rname])
    a = _number(lnum, index, "lnum")
    if rname:
        names.add(rname)
        return lambda v: compare(a, v[rname])
    fixed = compare(a, _number(rnum, index, "rnum"))
    return lambda v: fixed


def _tokenize(text: str, names: set[str]) -> list[Token]:
    """Split ``text`` into (kind, text, evaluator) tokens, one per match of :data:`_TOKEN`;
    the names of the variables compared are added to ``names``."""
    tokens: list[Token] = []
    append = tokens.append
    built: dict[tuple[str, ...], Token] = {}
    for index, token in enumerate(_TOKEN.findall(text)):
        if token[2]:  # a whole comparison
            known = built.get(token)
            if known is None:
                known = built[token] = ("cmp", token[0] or token[1],
                                        _comparison(token, index, names))
            append(known)
            continue
        keyword, num, name, _ne, op, paren = token[5:11]
        if keyword:
            append(_KEYWORD_TOKENS[keyword])
        elif name:
            if name.lower() in _KEYWORDS:
                raise _Located(f"write {name.lower()!r} in lower case", index)
            append(("name", name, None))
        elif num:
            append(("num", num, None))
        elif op:
            append(("op", op, None))
        elif paren:
            append(("paren", paren, None))
        else:
            at = _Located("", index)
            at.message = _unexpected(text, at.offset(text))
            raise at
    append(("end", "", None))
    return tokens


class _Parser:
    def __init__(self, text: str) -> None:
        self.names: set[str] = set()
        self.tokens = _tokenize(text, self.names)
        self.i = 0
        self.depth = 0

    def take(self) -> Token:
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def expr(self) -> Evaluator:
        parts = [self.and_expr()]
        while self.tokens[self.i][0] == "or":
            self.i += 1
            parts.append(self.and_expr())
        if len(parts) == 1:
            return parts[0]

        def any_of(v: Mapping[str, int], ps: tuple[Evaluator, ...] = tuple(parts)) -> bool:
            return any(p(v) for p in ps)

        return any_of

    def and_expr(self) -> Evaluator:
        parts = [self.not_expr()]
        while self.tokens[self.i][0] == "and":
            self.i += 1
            parts.append(self.not_expr())
        if len(parts) == 1:
            return parts[0]

        def all_of(v: Mapping[str, int], ps: tuple[Evaluator, ...] = tuple(parts)) -> bool:
            return all(p(v) for p in ps)

        return all_of

    def enter(self) -> None:
        """Go one level deeper into brackets or ``not``; refuse past :data:`MAX_NESTING`."""
        self.depth += 1
        if self.depth > MAX_NESTING:
            raise _Located(f"brackets and 'not' nest too deeply here (the limit is "
                           f"{MAX_NESTING} levels): split the condition into several routes",
                           self.i - 1)

    def not_expr(self) -> Evaluator:
        kind, value, evaluator = self.take()
        if evaluator is not None:
            return evaluator
        if kind == "not":
            self.enter()
            inner = self.not_expr()
            self.depth -= 1
            return lambda v: not inner(v)
        if kind == "paren" and value == "(":
            self.enter()
            inner = self.expr()
            self.depth -= 1
            kind, value, _ = self.take()
            if kind != "paren" or value != ")":
                raise _Located("expected ')'", self.i - 1)
            return inner
        self.i -= 1
        return self.comparison()

    def expect(self, wanted: str, kinds: tuple[str, ...]) -> None:
        kind, value, _ = self.take()
        if kind not in kinds:
            what = "end of condition" if kind == "end" else repr(excerpt(value))
            raise _Located(f"expected {wanted}, found {what}", self.i - 1)
        if kind == "num":
            _number(value, self.i - 1, "num")

    def comparison(self) -> Evaluator:
        """Report what is wrong with a comparison the tokenizer could not read whole."""
        self.expect("a variable or a number", ("name", "num"))
        self.expect("a comparison (== != < <= > >=)", ("op",))
        self.expect("a variable or a number", ("name", "num"))
        raise _Located(f"unexpected {excerpt(self.tokens[self.i][1])!r} in condition",
                       self.i)


def parse(text: str) -> Condition:
    """Parse ``text`` into a :class:`Condition`; raise :class:`ExprError` if malformed."""
    if not text.strip():
        raise ExprError("empty condition", 0)
    collecting = gc.isenabled()
    gc.disable()  # a long condition makes many small objects and no cycles: skip the GC passes
    try:
        parser = _Parser(text)
        evaluator = parser.expr()
        kind, value, _ = parser.tokens[parser.i]
        if kind != "end":
            raise _Located(f"unexpected {excerpt(value)!r} after a complete condition",
                           parser.i)
    except _Located as problem:
        raise ExprError(problem.message, problem.offset(text)) from None
    finally:
        if collecting:
            gc.enable()
    return Condition(text, frozenset(parser.names), evaluator)
