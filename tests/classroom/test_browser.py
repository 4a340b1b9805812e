"""A real browser (Debian's chromium, headless, driven by playwright) against a real
``calmline serve``: sign in with a personal link, certify on an approved set by pressing
keys in the page's terminal, reach the end screen. The last screenshot is kept in
``build/artifacts/`` (or ``$CALMLINE_ARTIFACTS``)."""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from scoring import sets
from scoring.signing import load_signing_key
from scoring.store import open_store
from simulator.classroom import roster
from simulator.engine.loader import load
from tests.classroom.conftest import serving
from tests.store.fixtures import in_ci
from tests.store.helpers import TINY

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = ("/usr/bin/chromium", "/usr/bin/chromium-browser")


def chromium() -> str:
    for path in CHROMIUM:
        if Path(path).exists():
            return path
    found = shutil.which("chromium")
    if found:
        return found
    if in_ci():
        pytest.fail("chromium is not installed: .ci/run must install it for the browser test")
    pytest.skip("chromium is not installed (apt-get install chromium)")


@pytest.fixture
def served(tmp_path: Path, config_dir: Path) -> Iterator[tuple[str, str, str]]:
    """A running ``calmline serve`` with Sam on the roster and a one-call set: (base URL,
    Sam's code, store)."""
    db = str(tmp_path / "r.sqlite3")
    with open_store(db) as store:
        _, code = roster.add(store, "Sam Ortiz")
        sets.add(store, load_signing_key(create=True), "onboarding-2027",
                 [(load(TINY), TINY.read_bytes())], 0)
    with serving(db, tmp_path / "serve.log") as base:
        yield base, code, db
    assert "Traceback" not in (tmp_path / "serve.log").read_text()


def _attempt_status(db: str) -> str | None:
    with open_store(db) as store, store.read() as cur:
        store.execute(cur, "SELECT status FROM attempts ORDER BY id DESC")
        row = cur.fetchone()
    return row[0] if row else None


def _certification_status(db: str) -> str | None:
    with open_store(db) as store, store.read() as cur:
        store.execute(cur, "SELECT status FROM certifications ORDER BY id DESC")
        row = cur.fetchone()
    return row[0] if row else None


def test_a_trainee_signs_in_and_certifies_in_a_real_browser(
        served: tuple[str, str, str]) -> None:
    path = chromium()
    from playwright.sync_api import sync_playwright

    base, code, db = served
    artifacts = Path(os.environ.get("CALMLINE_ARTIFACTS", ROOT / "build" / "artifacts"))
    artifacts.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=path, headless=True,
                                    args=["--no-sandbox", "--disable-gpu"])
        try:
            page = browser.new_page(viewport={"width": 1100, "height": 700})
            page.goto(f"{base}/")
            assert page.url.endswith("/signin")  # nothing without a sign-in
            page.fill("#code", "not-a-code")
            page.click("button[type=submit]")
            assert "not valid" in page.inner_text("body")
            page.goto(f"{base}/s/{code}")  # the personal link
            page.wait_for_selector("#terminal canvas, .xterm-screen", timeout=30_000)
            cookie = next(c for c in page.context.cookies() if c["name"] == "calmline_session")
            assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
            assert page.evaluate("document.cookie") == ""  # HttpOnly: not readable by scripts
            time.sleep(2)  # the app's first screen
            page.click("#terminal")  # keys reach the app once the terminal has focus
            page.keyboard.press("Enter")  # the approved set, listed first
            deadline = time.monotonic() + 60
            while _attempt_status(db) != "finished" and time.monotonic() < deadline:
                page.keyboard.press("1")  # answer a reply
                time.sleep(1.0)
            assert _attempt_status(db) == "finished"
            time.sleep(1.5)  # the end screen
            page.screenshot(path=str(artifacts / "classroom-end-screen.png"))
            page.keyboard.press("b")  # on to the verdict
            deadline = time.monotonic() + 20
            while _certification_status(db) != "finished" and time.monotonic() < deadline:
                time.sleep(0.2)
            assert _certification_status(db) == "finished"
        finally:
            browser.close()
    assert (artifacts / "classroom-end-screen.png").stat().st_size > 10_000
