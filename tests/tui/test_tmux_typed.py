"""The real installed ``calmline play --typed`` in a tmux pane of 80x24: a shipped call
answered in typed words to its scorecard. Runs in CI (``.ci/run`` installs tmux)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from simulator import library
from simulator.engine.matching import Matcher, Verdict
from simulator.engine.session import Session
from tests.training.typed_play import preferred, texts_for
from tests.tui.test_tmux import Pane, open_pane

pytestmark = pytest.mark.skipif(
    shutil.which("tmux") is None and not os.environ.get("CI"),
    reason="tmux is not installed (CI installs it and never skips this test)",
)


@pytest.fixture
def pane(tmp_path: Path) -> Iterator[Pane]:
    yield from open_pane(f"calmline-typed-{os.getpid()}", tmp_path / "status",
                         "play vulgar-caller --typed --no-animation")


def test_a_shipped_call_typed_to_the_scorecard(pane: Pane) -> None:
    scenario = library.resolve("vulgar-caller")
    pane.wait_for("Your reply: type it")
    follow = Session(scenario)  # the same path, to know the node each reply is typed at
    while not follow.finished:
        node = scenario.nodes[follow.state]
        choice = preferred(node)[0]
        text = next(t for t in texts_for(scenario, node, choice)
                    if (m := Matcher().match(node, t)).verdict is Verdict.CONFIDENT
                    and m.ranking[0].choice_id == choice.id)
        pane.send("-l", text)
        pane.send("Enter")
        follow.choose(choice.id)
        if not follow.finished:
            pane.wait_for(f"turn {follow.turn + 1}")
    screen = pane.wait_for("Call ended:")
    assert "of the best achievable" in screen
    pane.send("q")
    assert pane.status() == 0
