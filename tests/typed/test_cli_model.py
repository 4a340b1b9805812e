"""``--model PATH`` on ``calmline match``, ``run --say`` and ``play --typed``: the blended
matcher is used; a missing or malformed folder is one line and a non-zero exit."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from simulator.cli import main
from simulator.engine.embedding import EmbeddingRanker
from simulator.engine.matching import Matcher
from tests.tui.driving import CALL
from tests.typed.toy_model import write_model

BROKEN = "It's broken, I'll post you a replacement before the weekend"
"""The blender call's 'swap' reply, in words it does not use."""
OPENING = "I'm sorry, what happens when you switch it on?"


@pytest.fixture(scope="module")
def model(tmp_path_factory: pytest.TempPathFactory) -> str:
    return str(write_model(tmp_path_factory.mktemp("toy") / "model"))


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_match_with_a_model_ranks_by_meaning(model: str,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "match", str(CALL), "facts", BROKEN, "--json")
    assert code == 0 and json.loads(out)["verdict"] == "none"
    code, out, err = run(capsys, "match", str(CALL), "facts", BROKEN, "--json", "--model", model)
    assert code == 0, err
    data = json.loads(out)
    assert (data["verdict"], data["ranking"][0]["id"]) == ("confident", "swap")
    assert set(data) == {"scenario", "node", "text", "verdict", "reason", "margin", "ranking"}
    code, out, _ = run(capsys, "match", str(CALL), "facts", BROKEN, "--model", model)
    assert code == 0 and "facts: confident" in out and "1. swap" in out


def test_run_say_with_a_model_plays_the_call_by_meaning(
        model: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "run", str(CALL), "--say", OPENING, "--say", BROKEN)
    assert code != 0 and "--say 2" in err and "not understood at node 'facts'" in err
    code, out, err = run(capsys, "run", str(CALL), "--say", OPENING, "--say", BROKEN,
                         "--model", model, "--json")
    assert code == 0, err
    data = json.loads(out)
    assert [t["choice"] for t in data["typed"]] == ["sorry-ask", "swap"]
    assert data["typed"][1]["verdict"] == "confident" and data["finished"]


@pytest.mark.parametrize("argv", [
    ["match", str(CALL), "facts", BROKEN],
    ["run", str(CALL), "--say", BROKEN],
    ["play", str(CALL), "--typed"],
])
def test_a_missing_or_bad_model_folder_is_one_line(
        argv: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("simulator.cli.play._run", lambda **_: pytest.fail("UI opened"))
    code, out, err = run(capsys, *argv, "--model", str(tmp_path / "absent"))
    assert code == 2 and out == "" and err.count("\n") == 1
    assert err.startswith("calmline: error: --model: ") and "does not exist" in err
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "vectors.vec").write_text("2 3\nthe 0.1 0.2 0.3\norder 0.1 nan 0.3\n")
    code, _, err = run(capsys, *argv, "--model", str(bad))
    assert code == 2 and err.count("\n") == 1 and f"{bad / 'vectors.vec'}:3: " in err


def test_model_needs_typed_replies(model: str, capsys: pytest.CaptureFixture[str],
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("simulator.cli.play._run", lambda **_: pytest.fail("UI opened"))
    code, _, err = run(capsys, "run", str(CALL), "--choices", "sorry-ask", "--model", model)
    assert code == 2 and "use it with --say" in err
    code, _, err = run(capsys, "play", str(CALL), "--model", model)
    assert code == 2 and "use it with --typed" in err
    code, _, err = run(capsys, "play", str(CALL), "--typed", "--mode", "certification",
                       "--trainee", "Ann", "--model", model)
    assert code == 2 and err.count("\n") == 1 and "--model is for practice" in err


def test_play_typed_hands_the_loaded_matcher_to_the_ui(
        model: str, monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[dict[str, Any]] = []

    def fake_run(**options: Any) -> int:
        opened.append(options)
        return 0

    monkeypatch.setattr("simulator.cli.play._run", fake_run)
    assert main(["play", str(CALL), "--typed", "--model", model]) == 0
    assert main(["play", str(CALL), "--typed"]) == 0
    with_model, without = opened
    matcher = with_model["matcher"]
    assert isinstance(matcher, Matcher) and isinstance(matcher.ranker, EmbeddingRanker)
    assert without["matcher"] is None
