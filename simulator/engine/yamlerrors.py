"""Plain-language explanations of YAML syntax errors, placed where the author made the slip.

PyYAML reports what its parser expected (``could not find expected ':'``, ``did not find
expected key``), often on the line after the mistake. Trainers are not programmers: this
module turns the common cases (a tab, a missing ``:``, an unclosed quote, text after a
closing quote, text that starts with a YAML symbol, a missing ``}``) into a sentence that
says what to change, at the place to change it. Anything unrecognised keeps PyYAML's words.
"""

from __future__ import annotations

import re

import yaml

try:  # pragma: no cover - depends on how PyYAML was built
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

_KEY_LINE = re.compile(r"^\s*(?:-\s+)?[A-Za-z0-9_-]+\s*$")
_NO_SPACE = re.compile(r"^\s*(?:-\s+)?([A-Za-z0-9_-]+):(\S.*?)\s*(?:#.*)?$")
_QUOTE_IT = "put the whole text in quotes"
NESTED_TOO_DEEPLY = "the YAML is nested too deeply"
_INDENT = ("this line is not lined up with the lines around it: check the spaces at its "
           "start (the fields of one block, and the '- ' items of one list, start in the "
           "same column)")


def _pos(mark: yaml.Mark | None) -> tuple[int, int]:
    return (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)


def _char(lines: list[str], mark: yaml.Mark | None) -> str:
    if mark is None or mark.line >= len(lines):
        return ""
    line = lines[mark.line]
    return line[mark.column] if mark.column < len(line) else ""


def _last_token(text: str, before: yaml.Mark) -> tuple[yaml.Token | None, yaml.Token | None]:
    """The last token the scanner completes before ``before`` (None if it fails first), and
    the '[' or '{' that opened the outermost flow collection it closes, if any."""
    last = opener = None
    depth = 0
    try:
        for token in yaml.scan(text, Loader=_Loader):
            end = token.end_mark
            if (end.line, end.column) > (before.line, before.column):
                break
            if isinstance(token, (yaml.FlowSequenceStartToken, yaml.FlowMappingStartToken)):
                if depth == 0:
                    opener = token
                depth += 1
            elif isinstance(token, (yaml.FlowSequenceEndToken, yaml.FlowMappingEndToken)):
                depth -= 1
            last = token
    except yaml.YAMLError:
        pass
    return last, opener


def _previous_line(lines: list[str], index: int) -> int | None:
    """The index of the nearest line above ``index`` with content (not blank, not comment)."""
    for i in range(index - 1, -1, -1):
        stripped = lines[i].strip()
        if stripped and not stripped.startswith("#"):
            return i
    return None


def _missing_colon(lines: list[str], index: int) -> tuple[int, int, str]:
    line = lines[index] if index < len(lines) else ""
    col = len(line) - len(line.lstrip()) + 1
    m = _NO_SPACE.match(line)
    if m:
        return (index + 1, col, f"put a space after the ':' (write '{m.group(1)}: "
                                f"{m.group(2)}')")
    return (index + 1, col, "this line needs a ':' after the field name (for example "
                            "'title: Charged twice'); if it continues the text above, "
                            "indent it further")


def _quoted_scalar(token: yaml.Token, problem: yaml.Mark) -> tuple[int, int, str] | None:
    """Explain an error that follows a quoted text, or None if no quote is involved."""
    if not isinstance(token, yaml.ScalarToken) or token.style not in ("'", '"'):
        return None
    start, end = token.start_mark, token.end_mark
    if start.line != end.line:
        return (*_pos(start), f"the quote {token.style} that opens this text is not closed on "
                              "its line: end the text with the same quote")
    if end.line == problem.line:
        if token.style == '"':
            hint = ("to use \" inside the text, wrap the whole text in single quotes "
                    "instead ('She said \"no\"')")
        else:
            hint = ("inside single quotes write an apostrophe as two ('can''t'), or wrap "
                    "the whole text in double quotes")
        return (*_pos(problem), f"there is more text after the closing quote: {hint}")
    return None


def explain(exc: yaml.MarkedYAMLError, text: str) -> tuple[int, int, str]:
    """Line, column and a plain-language message for a YAML syntax error in ``text``."""
    problem = exc.problem_mark or exc.context_mark
    context = exc.context_mark
    what = str(exc.problem or "")
    where = str(exc.context or "")
    lines = text.splitlines()
    line, col = _pos(problem)
    char = _char(lines, problem)

    if "nesting depth" in what or "nested too deeply" in what:
        # libyaml (PyYAML 6.0.4 on) enforces a depth limit of its own; the wording is ours.
        return (line, col, NESTED_TOO_DEEPLY)
    if char == "\t" or (what.startswith("found character") and "\t" in char):
        return (line, col, "a tab character: indent with spaces, never tabs (most editors "
                           "can be set to insert spaces)")
    if "cannot start any token" in what:
        return (line, col, f"text cannot start with {char!r}: {_QUOTE_IT}")
    if "anchor" in where or "alias" in where or "undefined alias" in what:
        start = context or problem
        symbol = _char(lines, start) or "*"
        return (*_pos(start), f"text cannot start with {symbol!r} (YAML reads it as a "
                              f"reference): {_QUOTE_IT}")
    if "block scalar" in where:
        return (*_pos(context), "after '|' or '>' the text starts on the next line, "
                                "indented; or, for a short text, put it in quotes instead")
    if what.startswith(("mapping keys are not allowed", "block sequence entries are not")):
        return (line, col, f"text cannot start with {char!r}: {_QUOTE_IT}")
    if "quoted scalar" in where and "end of stream" in what:
        return (*_pos(context), "this quote is never closed: end the text with the same quote")
    if "quoted scalar" in where and ("escape" in what or "hexdecimal" in what):
        return (line, col, "a backslash inside double quotes starts a special character: "
                           "write \\\\ for one backslash, or use single quotes")
    if "simple key" in where and "expected ':'" in what and context is not None:
        return _missing_colon(lines, context.line)
    if what == "mapping values are not allowed in this context" and problem is not None:
        current = lines[problem.line] if problem.line < len(lines) else ""
        if _KEY_LINE.match(current[: problem.column]):
            above = _previous_line(lines, problem.line)
            if above is not None:
                return _missing_colon(lines, above)
        return (line, col, f"': ' (a colon and a space) inside text: {_QUOTE_IT}")
    if what.startswith("did not find expected ',' or"):
        bracket = "{" if what.endswith("'}'") else "["
        closer = "}" if bracket == "{" else "]"
        if context is not None and problem is not None and context.line != problem.line:
            return (*_pos(context), f"the '{bracket}' here is never closed: end it with "
                                    f"'{closer}' on the same line")
        return (line, col, f"inside {bracket} {closer} separate the entries with commas "
                           f"(and a space after each ':')")
    if what == "did not find expected node content":
        return (line, col, "a value is missing here (two commas in a row?)")
    if what.startswith(("did not find expected key", "did not find expected '-'",
                        "expected <block end>")) and problem is not None:
        token, opener = _last_token(text, problem)
        if token is not None:
            quoted = _quoted_scalar(token, problem)
            if quoted is not None:
                return quoted
            if isinstance(token, (yaml.FlowSequenceEndToken, yaml.FlowMappingEndToken)) \
                    and token.end_mark.line == problem.line:
                if char in ("]", "}"):
                    return (line, col, f"an extra {char!r} with nothing to close")
                start = opener.start_mark if opener is not None else token.start_mark
                return (*_pos(start), "text that starts with '[' or '{' is read as a list "
                                      f"or a mapping: {_QUOTE_IT}")
        if lines and problem.line < len(lines) and lines[problem.line].lstrip() \
                .startswith("-") and not lines[problem.line].lstrip().startswith("- "):
            return (line, col, "a list item starts with '- ' (a dash and a space)")
        return (line, col, _INDENT)
    reason = " ".join((what or where or "invalid YAML").split())
    return (line, col, f"invalid YAML: {reason}")
