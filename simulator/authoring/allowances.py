"""Per-file lint suppressions: ``lint: {allow: {CODE: REASON}}`` in a scenario.

A warning whose code the file allows is set aside with the author's reason (``calmline lint
--show-allowed`` lists it), so ``--strict`` fails only on warnings nobody has explained. An
allowance for a code that does not exist is an error at its line; one that allows nothing
in the file is itself a warning, so stale suppressions do not pile up.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from simulator.engine.model import Scenario
from simulator.engine.problems import Problem

#: The warning code for an allowance that matches no warning in its file.
UNUSED = "unused-allow"


@dataclass(frozen=True, slots=True)
class Allowed:
    """A warning set aside by the file's ``lint.allow``, with the author's reason."""

    warning: Problem
    reason: str

    def __str__(self) -> str:
        w = self.warning
        where = f"{w.path}:{w.line}:{w.col}" if w.line else w.path
        return f"{where}: allowed: {w.message} [{w.code}] (reason: {self.reason})"


@dataclass(frozen=True, slots=True)
class LintResult:
    """What lint found in one file: the problems to show, and the warnings allowed."""

    problems: list[Problem]
    allowed: list[Allowed] = field(default_factory=list)


def apply_allowances(scenario: Scenario, warnings: Sequence[Problem],
                     codes: Mapping[str, str]) -> LintResult:
    """Set aside the warnings ``scenario`` allows; report unknown and unused allowances."""
    path = scenario.path
    known = {a.code: a for a in scenario.allowed if a.code in codes and a.code != UNUSED}
    shown: list[Problem] = []
    allowed: list[Allowed] = []
    for a in scenario.allowed:
        if a.code == UNUSED:
            shown.append(Problem(path, a.mark.line, a.mark.col, f"lint.allow: {UNUSED!r} "
                                 "cannot be allowed: remove the allowance that allows nothing"))
        elif a.code not in codes:
            hint = difflib.get_close_matches(a.code, list(codes), n=1)
            extra = f" (did you mean {hint[0]!r}?)" if hint else ""
            shown.append(Problem(path, a.mark.line, a.mark.col, f"lint.allow: unknown warning "
                                 f"code {a.code!r}{extra}; 'calmline lint --codes' lists them"))
    for w in warnings:
        allowance = known.get(w.code)
        if allowance is not None and w.severity == "warning":
            allowed.append(Allowed(w, allowance.reason))
        else:
            shown.append(w)
    used = {x.warning.code for x in allowed}
    for code, allowance in known.items():
        if code not in used:
            mark = allowance.mark
            shown.append(Problem(path, mark.line, mark.col, f"lint.allow: {code!r} allows "
                                 "nothing in this file (no such warning here): remove it",
                                 severity="warning", code=UNUSED))
    return LintResult(sorted(shown), allowed)
