"""Typed replies in a real browser (Debian's chromium, headless, driven by playwright) against
a real ``calmline serve``: trainees sign in, switch practice to typed replies and, between
them, finish every shipped scenario by typing in their own words; a typed approved set is
certified to its end screen, and its answers are recorded in the words typed, which
``calmline verify`` accepts. Screenshots are kept in ``build/artifacts/`` (or
``$CALMLINE_ARTIFACTS``)."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from scoring import sets
from scoring.signing import load_signing_key
from scoring.store import open_store
from scoring.store.queries import attempt_detail, certification_of
from simulator import library
from simulator.classroom import roster
from simulator.engine.model import Scenario
from tests.classroom.conftest import serving
from tests.classroom.test_browser import ROOT, chromium
from tests.classroom.typed_browser import PageTerminal, Typist, alnum

#: Trainees practising at once, each in a browser context of their own (the library is
#: shared out between them).
TRAINEES = ("Sam Ortiz", "Ana Ruiz", "Lee Chan")
#: The typed set: two shipped calls, certified in the trainee's own words.
SET_CALLS = ("vulgar-caller", "threat-to-staff")


def artifacts() -> Path:
    folder = Path(os.environ.get("CALMLINE_ARTIFACTS", ROOT / "build" / "artifacts"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@asynccontextmanager
async def classroom(db: str, log: Path) -> AsyncIterator[tuple[str, Any]]:
    """A real ``calmline serve`` on ``db`` and a headless chromium: (base URL, browser)."""
    path = chromium()
    from playwright.async_api import async_playwright

    with serving(db, log) as base:
        async with async_playwright() as p:
            browser = await p.chromium.launch(executable_path=path, headless=True,
                                              args=["--no-sandbox", "--disable-gpu"])
            try:
                yield base, browser
            finally:
                await browser.close()
    assert "Traceback" not in log.read_text()


async def sign_in(browser: Any, base: str, name: str, code: str) -> PageTerminal:
    """A page of its own (its own cookies) signed in with ``code``'s personal link, the
    terminal focused: its terminal as the browser receives it."""
    context = await browser.new_context(viewport={"width": 880, "height": 560})
    page = await context.new_page()
    term = PageTerminal(page)
    await page.goto(f"{base}/s/{code}")
    await page.wait_for_selector("#terminal canvas, .xterm-screen", timeout=30_000)
    await term.wait_for(f"signed in as {name}")
    await page.focus(".xterm-helper-textarea")  # keys reach the app, no click on it
    return term


def _members(db: str, names: tuple[str, ...]) -> dict[str, str]:
    with open_store(db) as store:
        return {name: roster.add(store, name)[1] for name in names}


async def practise(term: PageTerminal, typist: Typist, scenarios: list[Scenario]) -> None:
    """Free practice, typed replies switched on, each of ``scenarios`` played to its end."""
    keyboard = term.page.keyboard
    await keyboard.press("Enter")  # no set approved: free practice is the only choice
    await term.wait_for("F5 switches")
    await keyboard.press("F5")
    await term.wait_for("(•) Typed, in your own words")
    for scenario in scenarios:
        await keyboard.type(scenario.id)  # the filter of the catalogue
        await term.wait_for(scenario.title)  # listed: the library has been read
        await keyboard.press("Enter")
        end = await typist.play(scenario, "Practice")
        assert alnum(scenario.title) in alnum(end)
        await keyboard.press("b")  # back to the catalogue, typed replies still on
        await term.wait_for("(•) Typed, in your own words")
        await keyboard.press("Escape")  # clear the filter
        await term.wait_for("Type to filter")


async def test_trainees_practise_every_shipped_call_typed_in_a_real_browser(
        tmp_path: Path, config_dir: Path) -> None:
    db = str(tmp_path / "r.sqlite3")
    codes = _members(db, TRAINEES)
    shipped = sorted(library.catalogue().scenarios.values(), key=lambda s: s.id)
    assert len(shipped) >= 15
    shot = artifacts() / "classroom-typed-did-you-mean.png"
    shots: list[Path] = []

    async def keep(term: PageTerminal) -> None:  # the first "did you mean", as shown
        if not shots:
            shots.append(shot)
            await term.page.screenshot(path=str(shot))

    async with classroom(db, tmp_path / "serve.log") as (base, browser):
        terms = [await sign_in(browser, base, name, codes[name]) for name in TRAINEES]
        typists = [Typist(term, keep) for term in terms]
        n = len(TRAINEES)
        await asyncio.gather(*(practise(terms[i], typists[i], shipped[i::n])
                               for i in range(n)))
    assert sum(t.turns for t in typists) >= 4 * len(shipped)
    assert sum(t.prompted for t in typists) >= 1
    assert shots and shot.stat().st_size > 10_000
    with open_store(db) as store, store.read() as cur:
        store.execute(cur, "SELECT COUNT(*) FROM attempts")
        assert cur.fetchone()[0] == 0  # practice is never recorded


async def test_a_typed_set_is_certified_in_a_real_browser_and_verifies(
        tmp_path: Path, config_dir: Path) -> None:
    db = str(tmp_path / "r.sqlite3")
    codes = _members(db, TRAINEES[:1])
    calls = [library.resolve(name) for name in SET_CALLS]
    with open_store(db) as store:
        sets.add(store, load_signing_key(create=True), "typed-2027",
                 [(s, Path(s.path).read_bytes()) for s in calls], 0, typed=True)
    shot = artifacts() / "classroom-typed-certification-end.png"
    async with classroom(db, tmp_path / "serve.log") as (base, browser):
        term = await sign_in(browser, base, TRAINEES[0], codes[TRAINEES[0]])
        keyboard = term.page.keyboard
        await term.wait_for("typed in your own words")
        await keyboard.press("Enter")  # the typed set, listed first
        typist = Typist(term)
        for scenario in calls:
            end = await typist.play(scenario, "Certification")
            assert alnum(scenario.title) in alnum(end)
            if scenario is calls[-1]:
                await term.page.screenshot(path=str(shot))
            await keyboard.press("b")  # on to the next call, then the verdict
        await term.wait_for("Certification typed-2027:")
    assert shot.stat().st_size > 10_000
    with open_store(db) as store:
        cert = certification_of(store, 1)
        answers = [ans for a in cert["attempts"] for ans in attempt_detail(store, a)["answers"]]
    assert cert["status"] == "finished" and cert["set"]["typed"] is True
    assert len(cert["attempts"]) == len(calls) and len(answers) == typist.turns
    assert all(ans["typed"] and ans["match"] in ("understood", "prompted") for ans in answers)
    assert all(alnum(ans["typed"]) != alnum(ans["say"]) for ans in answers)  # own words
    calmline = str(Path(sys.executable).parent / "calmline")
    proc = subprocess.run([calmline, "verify", "--db", db], capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
