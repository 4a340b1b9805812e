"""Helpers for the terminal UI tests: fixture scenarios, a spy recorder, playing by keys."""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scoring.recording import AttemptStart, Mode
from simulator.cli import main as cli_main
from simulator.engine.loader import load
from simulator.engine.model import Scenario
from simulator.engine.session import Session

DATA = Path(__file__).parent / "data"
CALL = DATA / "call.yaml"
LIBRARY = DATA / "library"
NAMED = ("vulgar-caller", "lawsuit-bluff", "guarantee-abuser")
SIZE = (80, 24)


def blender() -> Scenario:
    """The small fixture scenario of the UI tests (timed: 5 seconds per reply)."""
    return load(CALL)


def fixed_clock() -> Any:
    """A clock that advances one second per reading from a fixed epoch."""
    ticks = iter(range(1_800_000_000, 1_900_000_000))
    return lambda: float(next(ticks))


@dataclass
class SpyRecorder:
    """A recorder that notes what it was told, in order."""

    scenario: Scenario
    session: Session
    mode: Mode
    trainee: str | None
    events: list[tuple[str, Any]] = field(default_factory=list)

    def step(self, step: Any) -> None:
        self.events.append(("step", step.choice))

    def finish(self, session: Session, scorecard: Any) -> None:
        self.events.append(("finish", scorecard))

    def abandon(self, session: Session) -> None:
        self.events.append(("abandon", session.turn))


@dataclass
class SpyFactory:
    """A recorder factory that keeps every recorder it made."""

    made: list[SpyRecorder] = field(default_factory=list)

    def __call__(self, start: AttemptStart) -> SpyRecorder:
        spy = SpyRecorder(start.scenario, start.session, start.mode, start.trainee)
        self.made.append(spy)
        return spy


def key_for(session: Session, choice_id: str) -> str:
    """The number key that gives ``choice_id`` now ('silence' has no key)."""
    ids = session.option_ids()
    assert choice_id in ids, f"{choice_id!r} not offered at {session.state!r}: {ids}"
    n = ids.index(choice_id) + 1
    assert n <= 9
    return str(n)


def path_by(scenario: Scenario, pick: int) -> list[str]:
    """Choice ids from always taking option ``pick`` (clamped to those offered) to the end."""
    session = Session(scenario)
    made = []
    while not session.finished:
        ids = session.option_ids()
        choice = ids[min(pick, len(ids) - 1)]
        session.choose(choice)
        made.append(choice)
    return made


def cli_run(capsys: Any, scenario: Scenario, choices: list[str], seed: int = 0) -> dict[str, Any]:
    """``calmline run --json`` for these choices, parsed."""
    capsys.readouterr()
    code = cli_main(["run", scenario.path, "--choices", ",".join(choices), "--seed", str(seed),
                     "--json"])
    out = capsys.readouterr().out
    assert code == 0, out
    return json.loads(out)


_SVG_TEXT = re.compile(r'<text class="[^"]*" x="([\d.]+)" y="[\d.]+" textLength="([\d.]+)" '
                       r'clip-path="url\(#[^)]*-line-(\d+)\)">(.*?)</text>')


def screen_text(app: Any) -> str:
    """What the current screen shows, as plain text lines, read from the app's public SVG
    screenshot (each run of text sits at its column; blank runs are not drawn)."""
    rows: dict[int, list[tuple[float, float, str]]] = {}
    for x, length, line, raw in _SVG_TEXT.findall(app.export_screenshot()):
        text = html.unescape(raw).replace("\xa0", " ")
        rows.setdefault(int(line), []).append((float(x), float(length), text))
    width = next((length / len(text) for row in rows.values() for _, length, text in row
                  if text), 1.0)
    lines = []
    for n in range(app.size.height):
        line = ""
        for x, _length, text in sorted(rows.get(n, [])):
            line = line.ljust(round(x / width)) + text
        lines.append(line.ljust(app.size.width))
    return "\n".join(lines)


def sent_colours(app: Any) -> set[tuple[int, int, int]]:
    """The colours of the screen as they go to the terminal, after the app's line filters
    (NO_COLOR). Textual has no public way to read those, so this one helper reads the
    screen's compositor; textual is pinned exactly in pyproject.toml for it."""
    out = set()
    background = app.screen.styles.background
    for strip in app.screen._compositor.render_strips():
        for line_filter in app.get_line_filters():
            strip = strip.apply_filter(line_filter, background)
        for segment in strip:
            style = segment.style
            for colour in (style.color, style.bgcolor) if style else ():
                if colour is not None and not colour.is_default:
                    out.add(tuple(colour.get_truecolor()))
    return out


async def settle(pilot: Any) -> None:
    """Wait for the app's workers (the catalogue is read in one) and the screen to catch up."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def answer(pilot: Any, *choice_ids: str) -> None:
    """Press the number key of each reply, named by id, as the call screen shows it now
    (replies are shown in an order drawn from the attempt's seed)."""
    for choice_id in choice_ids:
        await pilot.press(key_for(pilot.app.screen.attempt.session, choice_id))
