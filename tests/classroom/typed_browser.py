"""Playing typed calls in a real browser: the page's terminal read as the browser receives it
(the app's output from its websocket, fed to a pyte screen of the size the page asked for),
and a trainee who reads the customer's line, types a reply in their own words (never the
authored wording) and, at "did you mean", presses the number of the reply they meant."""

from __future__ import annotations

import asyncio
import json
import re
import time
from collections.abc import Awaitable, Callable, Iterable
from contextlib import suppress
from functools import cache, partial
from typing import Any, TypeVar
from urllib.parse import parse_qs, urlsplit

import pyte

from simulator.engine.matching import Matcher, Verdict
from simulator.engine.model import Choice, Node, Scenario
from tests.training.typed_play import preferred, texts_for

T = TypeVar("T")
DID_YOU_MEAN = "Did you mean one of these?"
REPHRASE = "Not sure what you meant"
ENDED = "Call ended:"
#: A whole "select graphic rendition" sequence: colours and styles.
SGR = re.compile(rb"\x1b\[[0-9;:]*m")


def alnum(text: str) -> str:
    """``text`` reduced to lower-case letters and digits: how lines are found on a screen
    whatever the wrapping, the borders and the punctuation."""
    return re.sub(r"[^a-z0-9]", "", text.lower())


class PageTerminal:
    """What the page's terminal shows: every frame the page's websocket receives, on a pyte
    screen sized as the page asked the server (its ``resize`` messages)."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.screen = pyte.Screen(80, 24)
        self.stream = pyte.ByteStream(self.screen)
        self._text: str | None = None  # the screen as text, until the next frame
        self._rows: list[str] = []  # each row as text, redrawn when pyte marks it dirty
        page.on("websocket", self._socket)

    def _socket(self, ws: Any) -> None:
        url = urlsplit(ws.url)
        if url.path == "/ws":
            size = parse_qs(url.query)
            with suppress(KeyError, ValueError):
                self.screen.resize(int(size["height"][0]), int(size["width"][0]))
            ws.on("framesent", self._sent)
            ws.on("framereceived", self._received)

    def _sent(self, payload: str | bytes) -> None:
        if isinstance(payload, bytes):
            return
        try:
            message = json.loads(payload)
        except ValueError:
            return
        if isinstance(message, list) and len(message) == 2 and message[0] == "resize":
            self.screen.resize(int(message[1]["height"]), int(message[1]["width"]))
            self._text = None

    def _received(self, payload: str | bytes) -> None:
        if isinstance(payload, bytes):
            # Colours and styles are not read: dropping them spares pyte most of its work (a
            # sequence cut between two frames is left whole, for pyte to read on).
            self.stream.feed(SGR.sub(b"", payload))
            self._text = None

    @property
    def text(self) -> str:
        screen = self.screen
        if self._text is None:
            if len(self._rows) != screen.lines:
                self._rows = [""] * screen.lines
                screen.dirty.update(range(screen.lines))
            for y in screen.dirty:
                if 0 <= y < screen.lines:
                    row = screen.buffer[y]
                    self._rows[y] = "".join(row[x].data for x in range(screen.columns)).rstrip()
            screen.dirty.clear()
            self._text = "\n".join(self._rows)
        return self._text

    async def wait(self, found: Callable[[], T | None], what: str, timeout: float = 30.0
                   ) -> T:
        """Poll (the page's frames come in meanwhile) until ``found()`` gives something."""
        deadline = time.monotonic() + timeout
        while True:
            value = found()
            if value:
                return value
            if time.monotonic() > deadline:
                raise AssertionError(f"not on the page's terminal after {timeout:.0f} s: "
                                     f"{what}\n{self.text}")
            await asyncio.sleep(0.03)

    async def wait_for(self, *wanted: str, timeout: float = 30.0) -> str:
        """Wait until one of ``wanted`` is on screen; return it."""
        return await self.wait(lambda: next((w for w in wanted if w in self.text), None),
                               " or ".join(map(repr, wanted)), timeout)


@cache
def _matcher() -> Matcher:
    return Matcher()


def plan(scenario: Scenario, node: Node) -> tuple[Choice, str]:
    """The reply a trainee who knows what to say means at ``node`` (the best one with words
    of their own that the matcher takes for it, or offers among the two closest), and
    those words: never the authored wording."""
    for choice in preferred(node):
        for text in texts_for(scenario, node, choice):
            if alnum(text) == alnum(choice.say):
                continue
            found = _matcher().match(node, text)
            ranked = [c.choice_id for c in found.ranking]
            if (found.verdict is Verdict.CONFIDENT and ranked[:1] == [choice.id]) or (
                    found.verdict is Verdict.UNSURE and choice.id in ranked[:2]):
                return choice, text
    raise AssertionError(f"{scenario.id}/{node.id}: no reply can be typed in other words")


def _where(scenario: Scenario, candidates: Iterable[str], tail: str) -> str | None:
    """Which of the ``candidates`` (node ids) is on screen in ``tail``: its line (and its
    narration, when it has one: two nodes may share a line and differ in what the agent
    sees)."""
    hits = []
    for node_id in candidates:
        node = scenario.nodes[node_id]
        if node.narration and not any(alnum(n.text)[:40] in tail for n in node.narration):
            continue
        if any(alnum(line)[:20] in tail for line in node.lines):
            hits.append((bool(node.narration), node_id))
    hits.sort(reverse=True)
    return hits[0][1] if hits and (len(hits) == 1 or hits[0][0] != hits[1][0]) else None


def _offered_key(term: PageTerminal, choice: Choice) -> str | None:
    """The number "did you mean" shows for ``choice`` (None while it is not drawn)."""
    rows = term.text.splitlines()
    start = next((i for i, row in enumerate(rows) if "Did you mean ...?" in row), None)
    if start is None:
        return None
    for row in rows[start + 1:start + 8]:
        shown = row.strip()
        if shown[:2] in ("1 ", "2 ") and alnum(shown[2:])[:24] == alnum(choice.say)[:24]:
            return shown[0]
    return None


def _unless_asked(term: PageTerminal, led: Callable[[], str | None]) -> str | None:
    """``led()`` once "did you mean" has gone from the screen."""
    return None if DID_YOU_MEAN in term.text else led()


class Typist:
    """Plays whole calls in the page's terminal by typing (``prompted`` counts the turns
    taken after "did you mean"; ``on_prompt`` is called while one is on screen)."""

    def __init__(self, term: PageTerminal,
                 on_prompt: Callable[[PageTerminal], Awaitable[None]] | None = None) -> None:
        self.term = term
        self.prompted = 0
        self.turns = 0
        self.on_prompt = on_prompt

    async def play(self, scenario: Scenario, mode: str) -> str:
        """Play the call on screen to its end screen; return the end screen's text."""
        term, keyboard = self.term, self.term.page.keyboard
        await term.wait_for(f"{mode} · turn 1")
        node_id = await term.wait(
            lambda: _where(scenario, [scenario.start], alnum(term.text)),
            f"{scenario.id}: its first line")
        for turn in range(1, scenario.max_turns + 1):
            node = scenario.nodes[node_id]
            choice, text = plan(scenario, node)
            await keyboard.insert_text(text)
            await keyboard.press("Enter")
            self.turns += 1
            what = f"{scenario.id}: what {node.id}/{choice.id} led to"
            led = partial(self._led_to, scenario, choice, text, f"{mode} · turn {turn + 1}")
            where = await term.wait(led, what)
            if where == DID_YOU_MEAN:
                key = await term.wait(partial(_offered_key, term, choice),
                                      f"{choice.id} offered at 'did you mean'")
                if self.on_prompt is not None:
                    await self.on_prompt(term)
                await keyboard.press(key)
                self.prompted += 1
                where = await term.wait(partial(_unless_asked, term, led), what)
            if where == ENDED:
                return term.text
            node_id = where
        raise AssertionError(f"{scenario.id}: still going after {scenario.max_turns} turns")

    def _led_to(self, scenario: Scenario, choice: Choice, text: str, next_turn: str
                ) -> str | None:
        """What a reply typed as ``text`` (meaning ``choice``) led to, once on screen: the
        end screen, "did you mean", or the next node: once the header shows ``next_turn``,
        the target of ``choice`` whose line is shown after the reply in the transcript (or
        anywhere, when the reply has scrolled out of sight: all that is shown came after)."""
        screen = self.term.text
        if ENDED in screen or DID_YOU_MEAN in screen:
            return ENDED if ENDED in screen else DID_YOU_MEAN
        assert REPHRASE not in screen, f"{scenario.id}: {text!r} was not recognised"
        if next_turn not in screen:
            return None
        flat, typed = alnum(screen), alnum(text)
        at = flat.rfind(typed)  # the reply, as the transcript shows it
        targets = [r.target for r in choice.routes if r.target in scenario.nodes]
        return _where(scenario, targets, flat[at + len(typed):] if at >= 0 else flat)
