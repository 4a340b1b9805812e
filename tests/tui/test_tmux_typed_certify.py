"""The real installed ``calmline certify --typed`` in a tmux pane of 80x24: a shipped call
certified in typed words (one of them not recognised) to its end, then ``verify`` accepts
the store and ``transcript`` shows what was typed. Runs in CI (``.ci/run`` installs tmux)."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from simulator import library
from simulator.engine.matching import Matcher, Verdict
from simulator.engine.session import Session
from tests.store.fixtures import config_dir  # noqa: F401
from tests.training.typed_play import preferred, texts_for
from tests.tui.test_tmux import CALMLINE, Pane, open_pane

pytestmark = pytest.mark.skipif(
    shutil.which("tmux") is None and not os.environ.get("CI"),
    reason="tmux is not installed (CI installs it and never skips this test)",
)


@pytest.fixture
def db(tmp_path: Path, config_dir: Path) -> str:  # noqa: F811 - the fixture, used by name
    return str(tmp_path / "results.sqlite3")


@pytest.fixture
def pane(tmp_path: Path, db: str) -> Iterator[Pane]:
    yield from open_pane(f"calmline-typedcert-{os.getpid()}", tmp_path / "status",
                         "certify vulgar-caller --typed --trainee 'Ann Lee' --no-animation "
                         f"--db {shlex.quote(db)}")


def test_a_shipped_call_certified_in_typed_words(pane: Pane, db: str) -> None:
    scenario = library.resolve("vulgar-caller")
    screen = pane.wait_for("Your reply: type it")
    assert "Certification · turn 1" in screen
    follow = Session(scenario)  # the same path, to know the node each reply is typed at
    pane.send("-l", "banana helicopter")  # not recognised: heard as silence, no second try
    pane.send("Enter")
    follow.timeout()
    pane.wait_for("Not recognised")
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
    pane.wait_for("Call ended:")
    pane.send("q")
    assert pane.status() in (0, 1)  # passed or not, the certification was recorded
    verify = subprocess.run([str(CALMLINE), "verify", "--db", db], capture_output=True,
                            text=True, timeout=60)
    assert verify.returncode == 0, verify.stdout + verify.stderr
    transcript = subprocess.run([str(CALMLINE), "transcript", "1", "--db", db],
                                capture_output=True, text=True, timeout=60,
                                env={**os.environ, "COLUMNS": "200"})
    assert "You typed: banana helicopter" in transcript.stdout
    assert "typed replies" in transcript.stdout
