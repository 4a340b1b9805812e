"""``calmline items``: item analysis of the recorded cohorts, per decision point."""

from __future__ import annotations

import argparse
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import RenderableType

    from scoring.items import ItemReport, ScenarioItems
    from simulator.engine.model import Scenario


def register(sub: Any) -> None:
    """Add ``calmline items`` to the parser."""
    from simulator.cli.storeargs import add_db

    p = sub.add_parser("items", help="item analysis of recorded attempts: how each decision "
                       "point and reply works across the cohort")
    p.add_argument("--scenario", metavar="ID|PATH",
                   help="only this scenario (a library id, or the YAML file it was played "
                        "from, which also supplies its keys)")
    p.add_argument("--since", metavar="DATE", help="only attempts started on or after DATE "
                   "(YYYY-MM-DD or ISO 8601; UTC unless an offset is given)")
    p.add_argument("--json", action="store_true", help="print JSON instead of tables")
    add_db(p)
    p.set_defaults(func=cmd_items)


def _scenarios(ref: str | None) -> tuple[str | None, list[Scenario]]:
    """The scenario id to filter on, and the scenario files at hand (the library, plus the
    file ``ref`` names)."""
    from pathlib import Path

    from simulator.library import SUFFIXES, catalogue, resolve

    at_hand = list(catalogue().scenarios.values())
    if ref is None:
        return None, at_hand
    if Path(ref).suffix in SUFFIXES or "/" in ref or Path(ref).is_file():
        scenario = resolve(ref)
        return scenario.id, [scenario, *at_hand]
    return ref, at_hand


def cmd_items(args: argparse.Namespace) -> int:
    from scoring.items import build_items
    from scoring.store import queries
    from scoring.store.item_tallies import item_data
    from simulator.cli.storeargs import console, error, open_store_for, parse_since

    scenario_id, at_hand = _scenarios(args.scenario)
    flt = queries.Filter(None, scenario_id, parse_since(args.since))
    with open_store_for(args, create_key=False) as (store, _key):
        report = build_items(item_data(store, flt), at_hand)
        empty = None if report.scenarios else queries.no_match_reason(store, flt)
    if empty:
        raise error(empty.replace("no attempts match", "no finished attempts match"))
    if args.json:
        import json

        print(json.dumps(items_json(report), indent=2))
        return 0
    console().print(items_view(report))
    return 0


def items_json(report: ItemReport) -> dict[str, Any]:
    """The report as JSON-ready data, with every flag listed once more at the top."""
    from scoring.items import DEAD_SHARE, LOW_DISCRIMINATION, MIN_PICKS, MIN_TRAINEES

    return {"thresholds": {"trainees": MIN_TRAINEES, "picks": MIN_PICKS,
                           "dead_share": DEAD_SHARE, "low_discrimination": LOW_DISCRIMINATION},
            "scenarios": [asdict(s) for s in report.scenarios],
            "flags": [{"scenario": s, "node": n, **asdict(f)} for s, n, f in report.flags()]}


def _signed(value: float | None) -> str:
    return "-" if value is None else f"{value:+.2f}"


def _percent(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}%"


def scenario_view(block: ScenarioItems) -> RenderableType:
    """One scenario version: a row per decision point, then its flags."""
    from rich import box
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    head = Text(f"{block.title} ({block.scenario}), version {block.sha256[:12]}: "
                f"{block.attempts} finished attempt{'s' if block.attempts != 1 else ''}",
                style="bold")
    if not block.items:
        return Group(head, Text(f"  {block.note}", style="yellow"), Text(""))
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, padding=(0, 1, 0, 0))
    for name, justify in (("point", "left"), ("reached", "right"), ("keyed", "left"),
                          ("difficulty", "right"), ("discr.", "right"),
                          ("replies (share, discrimination)", "left")):
        table.add_column(name, justify=justify, overflow="fold")  # type: ignore[arg-type]
    for item in block.items:
        reached = f"{item.reached} ({item.trainees})" if item.reached else "0"
        if item.enough:
            replies = Text("\n".join(
                f"{'*' if r.keyed else ' '} {r.choice} {_percent(r.share)}"
                + ("" if r.discrimination is None else f" {_signed(r.discrimination)}")
                for r in item.replies) + (f"\n  no reply {item.timed_out}" if item.timed_out
                                          else ""))
        else:
            replies = Text("")
        if item.note:
            replies.append(("\n" if replies.plain else "") + item.note, style="dim")
        table.add_row(Text(item.node), Text(reached), Text(" / ".join(item.keyed) or "-"),
                      Text(_percent(item.difficulty)), Text(_signed(item.discrimination)),
                      replies)
    parts: list[RenderableType] = [head, table]
    if block.note:
        parts.append(Text(block.note, style="yellow"))
    for item in block.items:
        for flag in item.flags:
            parts.append(Text(f"! {item.node} {flag.message}", style="yellow"))
    parts.append(Text(""))
    return Group(*parts)


def items_view(report: ItemReport) -> RenderableType:
    """The whole item analysis: a legend, then each scenario version."""
    from rich.console import Group
    from rich.text import Text

    from scoring.items import MIN_PICKS, MIN_TRAINEES

    flags = len(report.flags())
    legend = Text(
        f"Item analysis of {len(report.scenarios)} scenario version"
        f"{'s' if len(report.scenarios) != 1 else ''}, {flags} flag"
        f"{'s' if flags != 1 else ''}. Reached: finished attempts (distinct trainees); "
        "keyed (*): the reply the best play takes; difficulty: share choosing it; "
        "discrimination: corrected point-biserial with the score without that turn. "
        f"Figures from {MIN_TRAINEES} trainees reaching a point and {MIN_PICKS} picks of a "
        "reply.", style="dim")
    return Group(legend, Text(""), *(scenario_view(s) for s in report.scenarios))
