"""The analysis report: paths, extremes, endings, size and play time."""

from __future__ import annotations

import json
from pathlib import Path

from simulator.authoring.stats import (
    READING_WORDS_PER_MINUTE,
    SPOKEN_WORDS_PER_MINUTE,
    play_minutes,
    report,
    size,
)
from simulator.engine.loader import load

DATA = Path(__file__).parent.parent / "data"


def test_report_of_tiny() -> None:
    r = report(load(DATA / "tiny.yaml"))
    assert (r.paths, r.plays_within_guard, r.has_loops, r.tracked) == (3, 3, False, ("anger",))
    assert r.best is not None
    assert r.best.choices == ("sorry", "replace")
    assert [(t.node, t.choice, t.total) for t in r.best.turns] == [
        ("opening", "sorry", 3), ("fix", "replace", 2)]
    assert (r.best.total, r.best.percent, r.best.passed, r.best.ending) == (5, 100.0, True,
                                                                            "done")
    assert (r.worst.choices, r.worst.total, r.worst.passed) == (("argue",), -2, False)
    by_id = {e.id: e for e in r.endings}
    assert (by_id["done"].best_total, by_id["done"].best_percent) == (5, 100.0)
    assert (by_id["hangup"].best_total, by_id["hangup"].best_percent) == (2, 40.0)
    assert not any(e.critical_only or not e.reachable for e in r.endings)


def test_report_of_a_loop_counts_plays_within_the_guard() -> None:
    r = report(load(DATA / "loop.yaml"))
    assert r.has_loops and r.paths is None and r.plays_within_guard > 0
    assert r.best is not None and r.best.ending == "resolved"


def test_size_counts_every_text() -> None:
    s = load(DATA / "tiny.yaml")
    z = size(s)
    assert (z.nodes, z.choices, z.endings, z.customer_lines, z.critical_choices) == (2, 4, 2, 3,
                                                                                    0)
    texts = [s.title, s.summary, *(line for n in s.nodes.values() for line in n.lines),
             *(t for n in s.nodes.values() for c in n.choices for t in (c.say, c.feedback)),
             *(t for e in s.endings.values() for t in (e.line, e.debrief))]
    assert z.words == sum(len(t.split()) for t in texts)


def test_play_minutes_reads_options_and_hears_lines() -> None:
    s = load(DATA / "tiny.yaml")
    opening, fix, done = s.nodes["opening"], s.nodes["fix"], s.endings["done"]
    spoken = (sum(len(x.split()) for x in opening.lines) / 2 + len(fix.lines[0].split())
              + len(done.line.split()))
    read = (sum(len(c.say.split()) for c in (*opening.choices, *fix.choices))
            + len(opening.choices[0].feedback.split()) + len(fix.choices[0].feedback.split())
            + len(done.debrief.split()))
    expected = round(spoken / SPOKEN_WORDS_PER_MINUTE + read / READING_WORDS_PER_MINUTE, 1)
    assert play_minutes(s, [("opening", "sorry"), ("fix", "replace")], "done") == expected


def test_report_is_json_ready() -> None:
    data = report(load(DATA / "tiny.yaml")).to_dict()
    assert json.loads(json.dumps(data)) == data
    assert data["best"]["choices"] == ["sorry", "replace"]
