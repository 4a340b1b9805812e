"""The real installed ``calmline`` in tmux panes of 80x24, answered in typed words: every
shipped scenario typed to its scorecard in one calmline (``play FIRST --typed --seed 0``, then
each other scenario from the catalogue of the same app; each call's first reply typed key by
key, the others pasted), and typed replies chosen in the catalogue with F5. Runs in CI
(``.ci/run`` installs tmux)."""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from simulator import library
from simulator.engine.session import Session
from simulator.tui.wording import persona_line
from tests.training.typed_play import own_words
from tests.tui.test_tmux import Pane, open_pane

pytestmark = pytest.mark.skipif(
    shutil.which("tmux") is None and not os.environ.get("CI"),
    reason="tmux is not installed (CI installs it and never skips this test)",
)

#: The attempts' seed: it draws the situation of a scenario that has several, so the test
#: knows which node each reply is typed at.
SEED = 0
SHIPPED = sorted(library.catalogue().scenarios)


@pytest.fixture
def every_call(tmp_path: Path) -> Iterator[Pane]:
    """``calmline play FIRST --typed --seed 0`` in a pane: after it, the catalogue of the same
    app plays every other scenario typed, with the same seed."""
    yield from open_pane(f"calmline-typed-{os.getpid()}", tmp_path / "status",
                         f"play {SHIPPED[0]} --typed --no-animation --seed {SEED}")


def wait_all(pane: Pane, *texts: str, timeout: float = 20.0) -> str:
    """The screen once every one of ``texts`` is on it."""
    deadline = time.monotonic() + timeout
    screen = ""
    while time.monotonic() < deadline:
        screen = pane.capture()
        if all(text in screen for text in texts):
            return screen
        time.sleep(0.05)
    raise AssertionError(f"{texts!r} did not all appear; the screen was:\n{screen}")


def type_reply(pane: Pane, text: str, keys: bool) -> None:
    """Put ``text`` in the reply box: key by key as the terminal sends typing, or as one
    bracketed paste (quicker to test), then press Enter."""
    if keys:
        pane.send("-l", text)
    else:
        pane.run("set-buffer", "-b", "reply", "--", text)
        pane.run("paste-buffer", "-p", "-d", "-b", "reply", "-t", "call")
    pane.send("Enter")


def test_every_shipped_scenario_typed_to_the_scorecard(every_call: Pane) -> None:
    # One calmline for all: the first call from `play`, then "b" to the catalogue (typed
    # replies on, as `play --typed` opened it) and each next scenario filtered and started.
    pane = every_call
    for n, scenario_id in enumerate(SHIPPED):
        scenario = library.resolve(scenario_id)
        if n:
            pane.send("-l", scenario_id)
            pane.wait_for(f" {scenario.title}  [")  # listed (the library has been read)
            pane.send("Enter")
        wait_all(pane, persona_line(scenario.persona)[:24], "Practice · turn 1",
                 "Your reply: type it")
        follow = Session(scenario, seed=SEED)  # the same path: the node of each reply
        while not follow.finished:
            words = own_words(scenario, scenario.nodes[follow.state])
            type_reply(pane, words.text, keys=follow.turn == 0)
            if words.asked:
                pane.wait_for("Did you mean one of these?")
                pane.send(str(words.number))
            follow.choose(words.choice.id)
            if not follow.finished:
                pane.wait_for(f"Practice · turn {follow.turn + 1}")
        screen = pane.wait_for("Call ended:")
        assert "of the best achievable" in screen, scenario_id
        pane.send("b")
        screen = pane.wait_for("(•) Typed, in your own words")
        if n:  # back to the same catalogue: its filter still names the last scenario
            pane.send("Escape")
            pane.wait_for("Type to filter")
    pane.send("Escape")  # an empty filter: quit
    assert pane.status() == 0


@pytest.fixture
def catalogue(tmp_path: Path) -> Iterator[Pane]:
    yield from open_pane(f"calmline-typed-home-{os.getpid()}", tmp_path / "status",
                         "--no-animation")


def test_typed_replies_chosen_in_the_catalogue(catalogue: Pane) -> None:
    pane = catalogue
    pane.send("F5")
    pane.wait_for("(•) Typed, in your own words")
    pane.send("-l", "vulgar")
    pane.wait_for(library.resolve("vulgar-caller").title)  # the library has been read
    pane.send("Enter")
    screen = pane.wait_for("Your reply: type it")
    assert "Practice · turn 1" in screen and "esc Leave" in screen
    pane.send("-l", "qurq sorry")  # letters go into the box, never to a shortcut
    screen = pane.wait_for("qurq sorry")
    assert "Practice · turn 1" in screen
    pane.send("Enter")
    pane.wait_for("Did you mean one of these?")
    pane.send("-l", "qurq")  # ignored while asked
    pane.send("Escape")
    screen = pane.wait_for("Type what you would say, then Enter.")
    assert "Practice · turn 1" in screen and "Leave this call?" not in screen
    pane.send("Escape")
    pane.wait_for("Leave this call?")
    pane.send("y")
    screen = pane.wait_for("(•) Typed, in your own words")  # back, still typed
    pane.send("F2")
    pane.wait_for("twice the time per reply")  # typed certification, explained
    pane.send("Escape")  # clears the filter ("vulgar"), then quits
    pane.wait_for("Type to filter")
    pane.send("Escape")
    assert pane.status() == 0
