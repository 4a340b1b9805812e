"""Authoring commands: new, lint, analyze, graph, schema, plan and test."""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from importlib import resources
from pathlib import Path
from typing import Any

from simulator import library
from simulator.cli.core import seed_arg
from simulator.engine.problems import Problem, ScenarioError


def register(sub: Any) -> None:
    """Add the authoring commands to the ``calmline`` parser."""
    p = sub.add_parser("new", help="write a commented starter scenario ID.yaml here")
    p.add_argument("id", metavar="ID", help="the new scenario's id (also its file name)")
    p.add_argument("--from", dest="template", metavar="TEMPLATE",
                   help="start from this library scenario (by id) instead of the starter")
    p.set_defaults(func=cmd_new)

    p = sub.add_parser("lint", help="advice beyond errors: weak, dead or unbalanced parts")
    p.add_argument("paths", nargs="*", metavar="PATH", help="scenario files or folders")
    p.add_argument("--strict", action="store_true", help="fail (exit 1) on warnings too")
    p.add_argument("--codes", action="store_true", help="list the warning codes and exit")
    p.add_argument("--show-allowed", action="store_true",
                   help="also list the warnings each file allows (lint: {allow: ...}), with "
                        "the reason given")
    p.set_defaults(func=cmd_lint)

    p = sub.add_parser("analyze", help="path counts, best and worst paths, endings, size")
    p.add_argument("scenario", metavar="SCENARIO", help="a library id or a YAML path")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=cmd_analyze)

    p = sub.add_parser("graph", help="the scenario as a Mermaid or Graphviz DOT graph")
    p.add_argument("scenario", metavar="SCENARIO", help="a library id or a YAML path")
    p.add_argument("--format", choices=("mermaid", "dot"), default="mermaid",
                   help="output format (default mermaid)")
    p.set_defaults(func=cmd_graph)

    p = sub.add_parser("schema", help="print the JSON Schema of the scenario format")
    p.add_argument("--path", action="store_true",
                   help="print where the schema file is installed instead")
    p.set_defaults(func=cmd_schema)

    p = sub.add_parser("plan", help="write a playthrough plan for a path, as it plays today")
    p.add_argument("scenario", metavar="SCENARIO", help="a library id or a YAML path")
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument("--best", action="store_true", help="the best path")
    which.add_argument("--worst", action="store_true", help="the worst path")
    which.add_argument("--choices", metavar="ID,ID,...", help="these choice ids")
    p.add_argument("--seed", type=seed_arg, default=0, help="seed for line variants (default 0)")
    p.add_argument("-o", "--output", metavar="FILE",
                   help="write the plan to FILE (refuses to overwrite) instead of printing it")
    p.set_defaults(func=cmd_plan)

    p = sub.add_parser("test", help="replay playthrough plans; fail on any difference")
    p.add_argument("paths", nargs="+", metavar="PLAN",
                   help="*.plan.yaml files, or folders of them")
    p.add_argument("--round-trip", action="store_true",
                   help="also save and reload the session after every answer")
    p.set_defaults(func=cmd_test)


def _error(message: str, code: int = 2) -> Exception:
    from simulator.cli import CommandError

    return CommandError(message, code)


# -- new ----------------------------------------------------------------------------------

def _schema_ref(target_dir: Path) -> str:
    """The schema path to write in a new file's editor comment: relative when the new file
    is inside the checkout (or install) that holds the schema, else a file URI."""
    from simulator.authoring.schema import schema_path

    schema = schema_path().resolve()
    here = target_dir.resolve()
    root = schema.parents[2]  # <root>/simulator/engine/scenario.schema.json
    if not here.is_relative_to(root):
        return schema.as_uri()
    return Path(os.path.relpath(schema, here)).as_posix()


_SCHEMA_LINE = re.compile(r"^# yaml-language-server: \$schema=.*$", re.M)
_ID_LINE = re.compile(r"^id:[ \t]*[^\s#]+", re.M)


def cmd_new(args: argparse.Namespace) -> int:
    from simulator.engine.loader import loads
    from simulator.engine.walker import ID_PATTERN

    new_id = args.id
    if not ID_PATTERN.match(new_id):
        raise _error(f"{new_id!r} is not a valid scenario id (use lower-case letters, digits, "
                     "'-' or '_', starting with a letter or digit, at most 64 characters)")
    target = Path.cwd() / f"{new_id}.yaml"
    if target.exists():
        raise _error(f"{target.name} already exists; pick another id or remove the file")
    schema = _schema_ref(target.parent)
    if args.template:
        source = library.resolve(args.template)
        text = Path(source.path).read_text(encoding="utf-8")
        if not _ID_LINE.search(text):
            raise _error(f"cannot find the 'id:' line in {source.path}")
        text = _ID_LINE.sub(f"id: {new_id}", text, count=1)
        line = f"# yaml-language-server: $schema={schema}"
        text = _SCHEMA_LINE.sub(line, text, count=1) if _SCHEMA_LINE.search(text) \
            else f"{line}\n{text}"
    else:
        starter = resources.files("simulator.templates") / "starter.yaml"
        text = (starter.read_text(encoding="utf-8").replace("{{id}}", new_id)
                .replace("{{schema}}", schema).replace("{{file}}", target.name))
    try:
        loads(text, target.name)  # what is written must load and play
    except ScenarioError as exc:
        raise _error(f"the new scenario would not load: {exc.first}", 1) from None
    try:
        with target.open("x", encoding="utf-8") as fh:
            fh.write(text)
    except FileExistsError:
        raise _error(f"{target.name} already exists; pick another id or remove the file") \
            from None
    except OSError as exc:
        raise _error(f"cannot write {target.name}: {exc.strerror}", 1) from None
    origin = f"a copy of {args.template!r}" if args.template else "a starter scenario"
    print(f"wrote {target.name}: {origin} with id {new_id!r}")
    print(f"next: calmline lint {target.name}   calmline run {target.name}   "
          f"calmline analyze {target.name}")
    return 0


# -- lint ---------------------------------------------------------------------------------

def cmd_lint(args: argparse.Namespace) -> int:
    from simulator.authoring.lint import CODES, lint_file_result
    from simulator.cli.core import expand_paths

    if args.codes:
        width = max(len(c) for c in CODES)
        for code, meaning in CODES.items():
            print(f"{code:<{width}}  {meaning}")
        return 0
    if not args.paths:
        raise _error("lint needs at least one scenario file or folder (see 'calmline lint "
                     "--help')")
    files, problems = expand_paths(args.paths)
    allowed = []
    for path in files:
        result = lint_file_result(path)
        problems.extend(result.problems)
        allowed.extend(result.allowed)
    errors = sum(1 for p in problems if p.severity == "error")
    warnings = len(problems) - errors
    for problem in problems:
        print(problem)
    if args.show_allowed:
        for item in allowed:
            print(item)
    summary = (f"{len(files)} file{'s' * (len(files) != 1)}: {errors} "
               f"error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}")
    if allowed:
        hint = "" if args.show_allowed else " (--show-allowed lists them)"
        summary += f", {len(allowed)} allowed by the file{'s' * (len(files) != 1)}{hint}"
    print(summary, file=sys.stderr)
    return 1 if errors or (args.strict and warnings) else 0


# -- analyze ------------------------------------------------------------------------------

def _count(n: int | None) -> str:
    if n is None:
        return "unbounded"
    return f"{n:,}" if n < 10**15 else f"{n:.3e} ({n})"


def cmd_analyze(args: argparse.Namespace) -> int:
    from simulator.authoring.audit import audit
    from simulator.authoring.stats import (
        READING_WORDS_PER_MINUTE,
        SPOKEN_WORDS_PER_MINUTE,
        report,
    )
    from simulator.cli.audit import scenario_lines
    from simulator.engine.analysis import AnalysisError, analyze
    from simulator.engine.situations import describe, situations

    scenario = library.resolve(args.scenario)
    try:
        analysis = analyze(scenario)
        r = report(scenario, analysis)
        cues = audit(scenario, analysis)
        # A scenario whose start is drawn: the paths and endings of every other situation.
        others = [(s, report(scenario, analyze(scenario, s)))
                  for s in situations(scenario)[1:]]
    except AnalysisError as exc:
        raise _error(f"{scenario.path}: {exc}", 1) from None
    if args.json:
        data = {**r.to_dict(), "situation": analysis.situation, "audit": cues.to_dict()}
        if others:
            data["situations"] = [{"situation": analysis.situation, **_paths_json(r)}] + [
                {"situation": s, **_paths_json(o)} for s, o in others]
        print(json.dumps(data, indent=2))
        return 0
    out = [f"{r.title} ({r.scenario})", ""]
    if others:
        out += [f"situations     {len(others) + 1} drawn from the session seed; below: "
                f"{describe(analysis.situation)}, then each other one", ""]
    states = f"{r.states:,} states"
    if r.tracked:
        states += f" (node x {', '.join(r.tracked)})"
    out.append(f"state graph    {states}")
    if r.paths is None:
        out.append(f"paths          unbounded (the call can loop); {_count(r.plays_within_guard)}"
                   f" distinct plays within the max-turns guard of {r.max_turns}")
    else:
        out.append(f"paths          {_count(r.paths)}")
        if r.plays_within_guard != r.paths:
            out.append(f"               {_count(r.plays_within_guard)} within the max-turns "
                       f"guard of {r.max_turns}")
    out += _paths_lines(r)
    for situation, other in others:
        out += ["", f"situation {describe(situation)}", *_paths_lines(other)]
    s = r.size
    out.append("")
    out.append(f"size           {s.nodes} nodes, {s.choices} choices ({s.critical_choices} "
               f"critical), {s.endings} endings, {s.customer_lines} customer lines, "
               f"{s.words:,} words")
    times = sorted({p.minutes for p in (r.best, r.worst) if p is not None})
    span = " to ".join(f"{t}" for t in times)
    out.append(f"play time      about {span} min (customer lines heard at "
               f"{SPOKEN_WORDS_PER_MINUTE} words/min, the rest read at "
               f"{READING_WORDS_PER_MINUTE})")
    out.append("")
    out.extend(scenario_lines(cues))
    print("\n".join(out))
    return 0


def _paths_lines(r: Any) -> list[str]:
    """The best and worst paths and the endings of one analysis report, as text lines."""
    out = []
    for label, path in (("best", r.best), ("worst", r.worst)):
        out.append("")
        if path is None:
            out.append(f"{label} path      none: no play without a critical choice reaches an "
                       "ending")
            continue
        verdict = "pass" if path.passed else "fail"
        out.append(f"{label} path      {path.total:+d} ({path.percent}%, {verdict}) -> "
                   f"{path.ending} [{path.outcome}], {len(path.turns)} turns, "
                   f"about {path.minutes} min")
        for t in path.turns:
            flag = "  CRITICAL" if t.critical else ""
            out.append(f"  {t.node:<22} {t.choice:<28} {t.total:+d}{flag}")
    out.append("")
    out.append(f"endings (pass mark {r.pass_mark}%)")
    for e in r.endings:
        if not e.reachable:
            best = "never reached"
        elif e.critical_only:
            best = "reached only through a critical choice"
        else:
            best = f"best {e.best_total:+d} ({e.best_percent}%)"
        out.append(f"  {e.id:<22} {e.outcome:<16} {best}")
    return out


def _paths_json(r: Any) -> dict[str, Any]:
    """The per-situation part of an analysis report, as JSON-ready data."""
    data = r.to_dict()
    return {k: data[k] for k in ("best", "worst", "endings")}


# -- graph and schema ---------------------------------------------------------------------

def cmd_graph(args: argparse.Namespace) -> int:
    from simulator.authoring.graph import render

    scenario = library.resolve(args.scenario)
    sys.stdout.write(render(scenario, args.format))
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    from simulator.authoring.schema import schema_path, schema_text

    if args.path:
        print(schema_path())
    else:
        sys.stdout.write(schema_text())
    return 0


# -- plans --------------------------------------------------------------------------------

def cmd_plan(args: argparse.Namespace) -> int:
    from simulator.authoring import plans
    from simulator.engine.analysis import AnalysisError, analyze

    scenario = library.resolve(args.scenario)
    if args.choices is not None:
        choices = [c.strip() for c in args.choices.split(",") if c.strip()]
        what = "a chosen path"
    else:
        from simulator.engine.situations import draw

        try:  # the best (worst) path of the situation this seed draws
            a = analyze(scenario, draw(scenario, args.seed))
        except AnalysisError as exc:
            raise _error(f"{scenario.path}: {exc}", 1) from None
        path = a.best if args.best else a.worst
        if not path.choices:
            raise _error("no play without a critical choice reaches an ending", 1)
        choices = list(path.choices)
        what = "the best path" if args.best else "the worst path"
    ref = scenario.id
    if args.output and Path(args.scenario).suffix in library.SUFFIXES:
        ref = os.path.relpath(Path(args.scenario).resolve(), Path(args.output).resolve().parent)
    try:
        text = plans.record(scenario, choices, args.seed, ref=ref,
                            description=f"{what} of {scenario.id}")
    except ValueError as exc:  # AnalysisError included
        raise _error(str(exc)) from None
    if not args.output:
        sys.stdout.write(text)
        return 0
    try:
        Path(args.output).parent.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        raise _error(f"cannot write {args.output}: a file is in the way of its folder",
                     1) from None
    except OSError as exc:
        raise _error(f"cannot write {args.output}: {exc.strerror}", 1) from None
    try:
        with open(args.output, "x", encoding="utf-8") as fh:
            fh.write(text)
    except FileExistsError:
        raise _error(f"{args.output} already exists") from None
    except OSError as exc:
        raise _error(f"cannot write {args.output}: {exc.strerror}", 1) from None
    print(f"wrote {args.output}")
    return 0


def _plan_scenario(plan: Any) -> Any:
    """The scenario a plan names (a path relative to the plan, or a library id)."""
    from simulator.engine.loader import load

    path = plan.scenario_path()
    return load(path) if path is not None else library.resolve(plan.scenario)


def cmd_test(args: argparse.Namespace) -> int:
    from simulator.authoring import plans
    from simulator.engine.analysis import AnalysisError

    files = plans.plan_files(args.paths)
    if not files:
        raise _error("no plan files found (plans end in .plan.yaml)")
    passed = failed = 0
    for path in files:
        try:
            plan = plans.load(path)
            scenario = _plan_scenario(plan)
            outcome = plans.run(plan, scenario, round_trip=args.round_trip)
        except ScenarioError as exc:
            problems = list(exc.problems)
        except AnalysisError as exc:
            problems = [Problem(str(path), 0, 0, f"cannot score the scenario: {exc}")]
        else:
            problems = list(outcome.problems)
            if not problems:
                passed += 1
                verdict = "passes" if outcome.passed else "fails"
                print(f"ok    {path}: {scenario.id}, {outcome.turns} turns -> {outcome.ending}, "
                      f"{outcome.percent}% ({verdict})")
                continue
        failed += 1
        print(f"FAIL  {path}")
        for problem in problems:
            print(f"  {problem}")
    print(f"{passed} plan{'s' * (passed != 1)} ok, {failed} failed", file=sys.stderr)
    return 1 if failed else 0
