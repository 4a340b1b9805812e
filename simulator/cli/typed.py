"""Typed-reply commands: ``match`` shows how a typed reply ranks against a node's replies."""

from __future__ import annotations

import argparse
import json
from typing import Any


def register(sub: Any) -> None:
    """Add the typed-reply commands to the ``calmline`` parser."""
    p = sub.add_parser("match", help="rank a node's replies against a typed reply "
                                     "(for authors tuning examples)")
    p.add_argument("scenario", metavar="SCENARIO", help="a library id or a YAML path")
    p.add_argument("node", metavar="NODE", help="the node whose replies are ranked")
    p.add_argument("text", metavar="TEXT", help="what the trainee typed")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=cmd_match)


def cmd_match(args: argparse.Namespace) -> int:
    from simulator import library
    from simulator.cli import CommandError
    from simulator.engine.matching import Matcher

    scenario = library.resolve(args.scenario)
    node = scenario.nodes.get(args.node)
    if node is None:
        known = ", ".join(scenario.nodes)
        raise CommandError(f"no node {args.node!r} in {scenario.id} (its nodes: {known})")
    found = Matcher().match(node, args.text)
    says = {c.id: c.say for c in node.choices}
    if args.json:
        print(json.dumps({
            "scenario": scenario.id, "node": node.id, "text": found.text,
            "verdict": found.verdict.value, "reason": found.reason,
            "margin": round(found.margin, 3),
            "ranking": [{"id": c.choice_id, "share": round(c.share, 3),
                         "score": round(c.score, 3)} for c in found.ranking],
        }, indent=2))
        return 0
    verdict = found.verdict.value + (f" ({found.reason})" if found.reason else "")
    print(f"{scenario.id} / {node.id}: {verdict}, margin {found.margin:.2f}")
    for rank, c in enumerate(found.ranking, 1):
        print(f"{rank}. {c.choice_id:<24} share {c.share:4.0%}  score {c.score:5.2f}  "
              f"{says[c.choice_id][:60]}")
    return 0
