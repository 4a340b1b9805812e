"""``calmline run ID --say ...``: typed replies played headless, reported per turn."""

from __future__ import annotations

import json

import pytest

from scoring.recording import Mode
from simulator import library
from simulator.cli import main
from simulator.engine.matching import Matcher, Verdict
from simulator.training.attempt import Attempt
from simulator.training.typed import TypedReplies
from tests.training.typed_play import preferred, texts_for

CLEAR = "I'm so sorry, that's not good enough. Tell me about today."
SECOND = "I can hear how angry you are, waiting in all day again"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_json_reports_each_turn_with_confidence_and_alternatives(
        capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "run", "vulgar-caller", "--say", CLEAR, "--say", SECOND,
                         "--json", "--seed", "3")
    assert code == 0, err
    data = json.loads(out)
    assert data["seed"] == 3
    assert [s["choice"] for s in data["steps"]] == ["own-the-no-show", "name-it"]
    first, second = data["typed"]
    assert (first["say"], first["node"], first["choice"], first["verdict"]) == (
        1, "opening", "own-the-no-show", "confident")
    assert first["text"] == CLEAR and 0.5 < first["confidence"] <= 1
    assert {a["id"] for a in first["alternatives"]} == {"straight-to-security",
                                                        "mind-the-language"}
    total = first["confidence"] + sum(a["share"] for a in first["alternatives"])
    assert total == pytest.approx(1, abs=0.01)
    assert second["node"] == "vent" and second["choice"] == "name-it"
    assert data["node"] == "security"  # the call goes on from where the replies left it


def test_text_output_names_what_each_reply_was_taken_as(
        capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "run", "vulgar-caller", "--say", CLEAR)
    assert code == 0
    assert "say 1 at opening" in out and "-> own-the-no-show (confident" in out


def test_an_unsure_reply_stops_with_the_two_candidates(
        capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "run", "vulgar-caller", "--say", CLEAR, "--say", "sorry",
                         "--json")
    assert code != 0 and out == ""
    assert "--say 2 ('sorry') is unsure at node 'vent'" in err
    assert err.count("\n") == 1 and "did you mean" in err and " or " in err


def test_nothing_recognised_is_one_line_naming_the_replies(
        capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "run", "vulgar-caller", "--say", "banana helicopter")
    assert code != 0 and err.count("\n") == 1
    assert "not understood at node 'opening'" in err and "mind-the-language" in err


def test_hostile_text_is_cleaned_and_shortened_in_the_error(
        capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "run", "vulgar-caller", "--say", "\x1b[2J\x00zzz " * 50_000)
    assert code != 0 and err.count("\n") == 1
    assert "\x1b" not in err and "\x00" not in err and len(err) < 400


def test_a_reply_after_the_call_ended_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    scenario = library.resolve("vulgar-caller")
    typed = TypedReplies(Attempt(scenario, Mode.PREVIEW))
    says: list[str] = []
    while not typed.attempt.finished:  # what the trainee types, found as a trainee would
        node = scenario.nodes[typed.attempt.session.state]
        choice = preferred(node)[0]
        text = next(t for t in texts_for(scenario, node, choice)
                    if Matcher().match(node, t).verdict is Verdict.CONFIDENT
                    and Matcher().match(node, t).ranking[0].choice_id == choice.id)
        typed.say(text)
        says.append(text)
    argv = [a for s in [*says, CLEAR] for a in ("--say", s)]
    code, _, err = run(capsys, "run", "vulgar-caller", *argv[:-2], "--json")
    assert code == 0, err
    code, _, err = run(capsys, "run", "vulgar-caller", *argv)
    assert code != 0 and err.count("\n") == 1
    assert f"--say {len(says) + 1}" in err and "the call already ended" in err


def test_choices_and_say_cannot_be_mixed_and_choices_still_work(
        capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "run", "vulgar-caller", "--choices", "own-the-no-show",
                       "--say", CLEAR)
    assert code != 0 and "not both" in err
    code, out, _ = run(capsys, "run", "vulgar-caller", "--choices", "own-the-no-show", "--json")
    assert code == 0 and json.loads(out)["steps"][0]["choice"] == "own-the-no-show"
    assert "typed" not in json.loads(out)
