"""Core commands: ``list``, ``validate`` and ``run`` (headless play by choice ids)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from simulator import library
from simulator.cli.typed import add_model_option
from simulator.engine.bounds import SEED_RANGE, between, digits_fit
from simulator.engine.problems import Problem, ScenarioError


def seed_arg(text: str) -> int:
    """The ``--seed`` argument: a whole number a results store can hold."""
    value = text.strip()
    if not value.lstrip("+").isdigit() or not digits_fit(value, SEED_RANGE) or not (
            SEED_RANGE[0] <= int(value) <= SEED_RANGE[1]):
        raise argparse.ArgumentTypeError(f"must be a whole number {between(SEED_RANGE)}")
    return int(value)


def register(sub: Any) -> None:
    """Add the core commands to the ``calmline`` parser."""
    p = sub.add_parser("list", help="list the scenario library")
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")
    p.set_defaults(func=cmd_list)

    p = sub.add_parser("validate", help="check scenario files (or folders of them)")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("run", help="play a scenario headless by choice ids or typed replies")
    p.add_argument("scenario", metavar="SCENARIO", help="a library id or a YAML path")
    p.add_argument("--choices", default=None, metavar="ID,ID,...",
                   help="the choice ids to play, comma-separated ('silence' = no reply)")
    p.add_argument("--say", action="append", default=[], metavar="TEXT",
                   help="a typed reply, matched to the node's replies (repeatable, in order)")
    p.add_argument("--seed", type=seed_arg, default=0, help="seed for line variants (default 0)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    add_model_option(p)
    p.set_defaults(func=cmd_run)


def _console() -> Any:
    from rich.console import Console

    return Console()


def cmd_list(args: argparse.Namespace) -> int:
    cat = library.catalogue()
    scenarios = sorted(cat.scenarios.values(), key=lambda s: (s.difficulty != "easy",
                                                              s.difficulty == "hard", s.id))
    if args.json:
        print(json.dumps([{"id": s.id, "title": s.title, "difficulty": s.difficulty,
                           "principles": list(s.principles), "path": s.path,
                           "summary": s.summary} for s in scenarios], indent=2))
    else:
        from simulator.render import catalogue_table

        _console().print(catalogue_table(scenarios))
    for problem in cat.problems:
        sys.stderr.write(f"{problem}\n")
    return 1 if cat.problems else 0


def expand_paths(paths: list[str]) -> tuple[list[Path], list[Problem]]:
    """Files named, plus the scenario files inside folders named."""
    files: list[Path] = []
    problems: list[Problem] = []
    for name in paths:
        p = Path(name)
        if p.is_dir():
            found = library.scenario_files(p)
            if not found:
                problems.append(Problem(name, 0, 0, "no .yaml scenario files in this folder"))
            files.extend(found)
        else:
            files.append(p)
    return files, problems


def cmd_validate(args: argparse.Namespace) -> int:
    from simulator.engine.loader import load

    files, problems = expand_paths(args.paths)
    ok = 0
    for path in files:
        try:
            load(path)
            ok += 1
        except ScenarioError as exc:
            problems.extend(exc.problems)
    for problem in problems:
        print(problem)
    bad = len(files) - ok
    summary = f"{ok} valid, {bad} with errors" if files else "nothing to check"
    print(summary, file=sys.stderr)
    return 1 if problems else 0


def cmd_run(args: argparse.Namespace) -> int:
    from scoring.recording import Mode
    from simulator.cli import CommandError
    from simulator.training import Attempt

    scenario = library.resolve(args.scenario)
    from simulator.cli.typed import model_matcher, play_typed, typed_lines

    if args.choices is not None and args.say:
        raise CommandError("give --choices or --say, not both")
    if args.model is not None and not args.say:
        raise CommandError("--model matches typed replies: use it with --say")
    matcher = model_matcher(args.model)
    attempt = Attempt(scenario, Mode.PREVIEW, seed=args.seed)
    typed = play_typed(attempt, args.say, matcher) if args.say else []
    choices = [c.strip() for c in (args.choices or "").split(",") if c.strip()]
    for i, choice in enumerate(choices, 1):
        if attempt.finished:
            ending = attempt.session.ending
            raise CommandError(f"choice {i} ({choice!r}): the call already ended at "
                               f"{ending.id!r}" if ending else "")
        if not attempt.accepts(choice):
            raise CommandError(f"choice {i} ({choice!r}) is not available at node "
                               f"{attempt.session.state!r}; valid: "
                               f"{', '.join(attempt.session.option_ids())}")
        attempt.answer(choice)
    session = attempt.session
    card = attempt.score()
    if args.json:
        out: dict[str, Any] = {
            "scenario": scenario.id,
            "sha256": scenario.sha256,
            "seed": args.seed,
            "start_values": dict(session.start_values or {}),
            "finished": session.finished,
            "ending": ({"id": session.ending.id, "outcome": session.ending.outcome}
                       if session.ending else None),
            "steps": [s.to_dict() for s in session.log],
            "score": {
                "total": card.total, "max": card.max, "percent": card.percent,
                "pass_mark": card.pass_mark, "passed": card.passed,
                "principles": card.to_dict()["principles"],
                "critical": [c.choice for c in card.critical],
                "missed": card.to_dict()["missed"],
            },
        }
        if args.say:
            out["typed"] = typed
        if not session.finished:
            prompt = session.current()
            out["node"] = prompt.node
            out["narration"] = prompt.narration
            out["customer"] = prompt.line
            out["choices"] = [o.id for o in prompt.options]
        print(json.dumps(out, indent=2))
        return 0
    from simulator.render import prompt_view, scorecard, transcript

    console = _console()
    for line in typed_lines(typed):
        console.print(line, markup=False, highlight=False, soft_wrap=True)
    console.print(transcript(scenario, session.log))
    if session.finished:
        if session.ending and session.ending.line:
            console.print(f"[bold]{scenario.persona.name}:[/bold] {session.ending.line}")
        console.print(scorecard(card, session.ending))
    else:
        console.print(prompt_view(scenario, session.current()))
    return 0
