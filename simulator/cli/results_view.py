"""Rich renderables for recorded results: attempt lists, the cohort report, transcripts."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from rich import box
from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from scoring.reports import Report
from scoring.rubric import BY_ID
from scoring.scorer import NOTHING_TO_EARN
from scoring.store.queries import AttemptRow
from simulator.engine.moments import minute

SPARK = "▁▂▃▄▅▆▇█"


def _row(table: Table, *cells: object) -> None:
    """Add a row whose text cells are plain (never read as Rich markup)."""
    table.add_row(*(c if isinstance(c, Text) else Text(str(c)) for c in cells))


def when(stamp: str | None) -> str:
    """A stored UTC moment, shortened for a table: ``2026-03-01 14:05``."""
    return minute(stamp) if stamp else "-"


def percent(value: float | None) -> str:
    """A percentage or a dash."""
    return "-" if value is None else f"{value:.1f}%"


def verdict(row: AttemptRow) -> Text:
    """Passed, not passed, abandoned or in progress, coloured."""
    if row.status == "finished":
        return Text("passed", "green") if row.passed else Text("not passed", "red")
    return Text(row.status.replace("_", " "), "yellow")


def results_table(rows: Sequence[AttemptRow]) -> Table:
    """The attempt list of ``calmline results``."""
    count = f"{len(rows)} attempt{'s' if len(rows) != 1 else ''}"
    table = Table(title=f"calmline results ({count}; times in UTC)", box=box.SIMPLE_HEAD,
                  pad_edge=False, padding=(0, 1, 0, 0))
    # Names and ids fold onto a second line rather than shrink to an ellipsis at 80 columns.
    for name, justify in (("#", "right"), ("trainee", "left"), ("scenario", "left"),
                          ("started", "left"), ("score", "right"), ("result", "left"),
                          ("turns", "right"), ("cert", "right"), ("seal", "left")):
        folds = name in ("trainee", "scenario")
        table.add_column(name, justify=justify,  # type: ignore[arg-type]
                         no_wrap=not folds, overflow="fold" if folds else "ellipsis")
    for r in rows:
        _row(table, str(r.id), r.trainee, r.scenario, when(r.started_at), percent(r.percent),
             verdict(r), str(r.answered), str(r.certification or "-"),
             "yes" if r.sealed else "no")
    return table


def spark(values: Sequence[float]) -> str:
    """A one-line plot of percentages."""
    return "".join(SPARK[min(len(SPARK) - 1, max(0, int(v / 100 * len(SPARK))))]
                   for v in values)


def report_view(report: Report, top: int = 15) -> RenderableType:
    """The cohort report as a group of tables."""
    parts: list[RenderableType] = [Text(
        f"{report.attempts} attempts ({report.finished} finished, {report.abandoned} "
        f"abandoned) by {report.trainees} trainee{'s' if report.trainees != 1 else ''}",
        style="bold")]
    t = Table(title="Principles the cohort fails most")
    for col in ("principle", "attempts", "below pass mark", "mean"):
        t.add_column(col, justify="left" if col == "principle" else "right")
    for p in report.principles:
        _row(t, p.name, str(p.attempts), f"{p.below_pass} ({p.fail_rate:.1f}%)",
                  percent(p.mean))
    parts.append(t)
    t = Table(title="Scenarios")
    for col in ("scenario", "finished", "abandoned", "pass rate", "mean", "versions"):
        t.add_column(col, justify="left" if col == "scenario" else "right")
    for s in report.scenarios:
        _row(t, f"{s.title} ({s.scenario})", str(s.finished), str(s.abandoned),
                  f"{s.pass_rate:.1f}%", percent(s.mean), str(s.versions))
    parts.append(t)
    t = Table(title="Most common wrong choice at each node")
    for col in ("scenario", "node", "choice", "chosen", "share"):
        t.add_column(col, justify="right" if col in ("chosen", "share") else "left")
    for w in report.wrong_choices[:top]:
        _row(t, w.scenario, w.node, f"[{w.choice}] {w.say}", f"{w.count}/{w.answers}",
                  f"{w.share:.1f}%")
    parts.append(t)
    if len(report.wrong_choices) > top:
        parts.append(Text(f"... and {len(report.wrong_choices) - top} more nodes "
                          "(see --json)", style="dim"))
    t = Table(title="First attempt against best attempt")
    for col in ("trainee", "scenario", "attempts", "first", "best"):
        t.add_column(col, justify="right" if col in ("attempts", "first", "best") else "left")
    for fb in report.first_best[: top * 2]:
        _row(t, fb.trainee, fb.scenario, str(fb.attempts), percent(fb.first),
                  percent(fb.best))
    parts.append(t)
    if len(report.first_best) > top * 2:
        parts.append(Text(f"... and {len(report.first_best) - top * 2} more (see --json)",
                          style="dim"))
    t = Table(title="Progress over time")
    for col in ("trainee", "attempts", "passed", "first", "latest", "best", "scores"):
        t.add_column(col, justify="left" if col in ("trainee", "scores") else "right")
    for pr in report.progress[: top * 2]:
        _row(t, pr.trainee, str(pr.attempts), str(pr.passed), percent(pr.first),
                  percent(pr.latest), percent(pr.best),
                  spark([p.percent for p in pr.points][-30:]))
    parts.append(t)
    if len(report.progress) > top * 2:
        parts.append(Text(f"... and {len(report.progress) - top * 2} more trainees "
                          "(see --json)", style="dim"))
    return Group(*parts)


def _signed(n: int) -> str:
    return f"+{n}" if n > 0 else str(n)


def transcript_view(a: Mapping[str, Any], seal_ok: bool | None) -> RenderableType:
    """One recorded attempt replayed: provenance, every turn with its scores, the result."""
    head = Table.grid(padding=(0, 2))
    head.add_column(style="bold", no_wrap=True)
    head.add_column(overflow="fold")
    status = a["status"]
    result = ("passed" if a["passed"] else "not passed") if status == "finished" else status
    seal_text = ("intact" if seal_ok else "DOES NOT MATCH (altered)") if seal_ok is not None \
        else "not sealed yet"
    for label, value in (
        ("attempt", f"{a['id']}  ({a['uid']})"),
        ("trainee", a["trainee"]),
        ("scenario", f"{a['scenario_title']} ({a['scenario_id']})"),
        ("file", a["scenario_path"]),
        ("sha256", a["scenario_sha256"]),
        ("versions", f"rubric {a['rubric_version']}, calmline {a['calmline_version']}"),
        ("mode", f"{a['mode']}{', typed replies' if a.get('typed') else ''}, seed "
                 f"{a['seed']}, {a['response_seconds']} s per reply"),
        ("played", f"{when(a['started_at'])} to {when(a['finished_at'])} UTC"),
        ("result", f"{result}" + (f", {a['percent']:.1f}% (pass mark {a['pass_mark']}%)"
                                  if a["percent"] is not None else "")),
        ("seal", seal_text),
    ):
        _row(head, label, str(value))
    parts: list[RenderableType] = [Panel(head, title=f"Attempt {a['id']}")]
    # One grid row per turn, so wrapped lines stay indented under their turn at any width.
    turns = Table.grid(padding=(0, 1))
    turns.add_column(justify="right", no_wrap=True)
    turns.add_column(no_wrap=True, style="bold")
    turns.add_column(overflow="fold")
    for ans in a["answers"]:
        match = ans.get("match", "")
        flags = "".join(f"  {f}" for f, on in (("TIMED OUT", ans["timed_out"]),
                                               ("DID YOU MEAN", match == "prompted"),
                                               ("NOT RECOGNISED", match == "unmatched"),
                                               ("CRITICAL", ans["critical"])) if on)
        deltas = ", ".join(f"{k} {_signed(int(v))}" for k, v in sorted(ans["scores"].items())
                           if v)
        if ans.get("narration"):
            turns.add_row(Text(f"{ans['turn']}."), Text("On screen:", style="italic"),
                          Text(ans["narration"], style="italic"))
        turns.add_row(Text("" if ans.get("narration") else f"{ans['turn']}."),
                      Text("Customer:"), Text(ans["line"]))
        if ans.get("typed"):
            turns.add_row(Text(""), Text("You typed:"), Text(ans["typed"]))
            taken = "(not recognised: scored as silence)" if match == "unmatched" \
                else ans["say"] or "(no reply)"
            turns.add_row(Text(""), Text("Taken as:"), Text(taken))
        else:
            turns.add_row(Text(""), Text("You:"), Text(ans["say"] or "(no reply)"))
        turns.add_row(Text(""), Text(""), Text(f"[{ans['choice']}] {deltas}{flags}".strip(),
                                               style="dim"))
        if ans["feedback"]:
            turns.add_row(Text(""), Text(""), Text(ans["feedback"], style="italic"))
    if a["answers"]:
        parts.append(turns)
    if a["principles"]:
        t = Table(title="Principles")
        for col in ("principle", "earned", "best", "score"):
            t.add_column(col, justify="left" if col == "principle" else "right")
        for p in a["principles"]:
            name = BY_ID[p["principle"]].name if p["principle"] in BY_ID else p["principle"]
            _row(t, name, str(p["earned"]), str(p["best"]),
                 NOTHING_TO_EARN if p["best"] <= 0 else percent(p["percent"]))
        parts.append(t)
    if a.get("missed"):
        parts.append(Text("Missed chances:", style="bold"))
        missed = Table.grid(padding=(0, 1), pad_edge=True)
        missed.add_column(no_wrap=True)
        missed.add_column(overflow="fold")
        for m in a["missed"]:
            missed.add_row(Text(f"  turn {m['turn']}:"), Text(
                f"chose [{m['chose']}]; [{m['better']}] \"{m['better_say']}\" would have kept "
                f"{m['lost']} more point{'s' if m['lost'] != 1 else ''}"))
        parts.append(missed)
    return Group(*parts)
