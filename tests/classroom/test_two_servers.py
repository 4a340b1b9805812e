"""Scaling out: two ``calmline serve`` processes share one PostgreSQL store and one signing
key. A session opened on one works on the other (a load balancer may move a browser), and
trainees certifying through both leave one intact chain that verifies with the public key."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import aiohttp
import pytest

from scoring import sets
from scoring.signing import load_signing_key
from scoring.store import open_store
from simulator.classroom import roster
from simulator.cli import main
from simulator.engine.loader import load
from tests.classroom.conftest import Screen, serving
from tests.store.helpers import TINY


@pytest.fixture
def two_servers(pg_url: str, config_dir: Path, tmp_path: Path
                ) -> Iterator[tuple[list[str], dict[str, str]]]:
    with open_store(pg_url) as store:
        codes = {name: roster.add(store, name)[1] for name in ("Sam Ortiz", "Ann Lee")}
        sets.add(store, load_signing_key(create=True), "onboarding-2027",
                 [(load(TINY), TINY.read_bytes())], 0)
    with serving(pg_url, tmp_path / "serve0.log") as a, \
            serving(pg_url, tmp_path / "serve1.log") as b:
        yield [a, b], codes


async def _certify(base: str, other: str, code: str, name: str) -> None:
    jar = aiohttp.CookieJar(unsafe=True)
    async with aiohttp.ClientSession(cookie_jar=jar) as http:
        async with http.post(f"{base}/signin", data={"code": code},
                             allow_redirects=False) as r:
            assert r.status == 303
        # the session cookie works on the other server too
        async with http.get(f"{other}/", allow_redirects=False) as r:
            assert r.status == 200 and name in await r.text()
        async with http.ws_connect(f"{base}/ws?width=100&height=30",
                                   headers={"Origin": base}) as ws:
            screen = Screen(ws)
            assert await screen.wait_for(f"signed in as {name}"), screen.text
            await screen.keys("\r")
            assert await screen.wait_for("Time to reply"), screen.text
            for _ in range(4):
                if "Call ended" in screen.text:
                    break
                await screen.keys("1")
                await screen.wait_for("Call ended", timeout=5)
            assert "Call ended" in screen.text, screen.text
            await screen.keys("b")
            assert await screen.wait_for("Certification onboarding-2027"), screen.text


async def test_two_servers_share_one_store_and_one_key(
        two_servers: tuple[list[str], dict[str, str]], pg_url: str, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    (a, b), codes = two_servers
    await asyncio.gather(_certify(a, b, codes["Sam Ortiz"], "Sam Ortiz"),
                         _certify(b, a, codes["Ann Lee"], "Ann Lee"))
    public = tmp_path / "classroom.pem"
    public.write_text(load_signing_key(create=False).public.pem())
    capsys.readouterr()
    assert main(["verify", "--db", pg_url, "--public-key", str(public)]) == 0
    out = capsys.readouterr().out
    assert "2 sealed attempts, 2 sealed certifications, all intact" in out
    with open_store(pg_url) as store, store.read() as cur:
        store.execute(cur, "SELECT DISTINCT host, administered FROM certifications")
        assert {r[1] for r in cur.fetchall()} == {"classroom"}
