"""The core commands: list, validate, run; and one-line errors for bad arguments."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from simulator.cli import main
from simulator.engine.loader import load
from simulator.engine.session import Session
from simulator.library import catalogue

DATA = Path(__file__).parent.parent / "data"
ROOT = Path(__file__).parent.parent.parent


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_list_json_describes_every_library_scenario(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "list", "--json")
    assert code == 0
    rows = json.loads(out)
    assert {r["id"] for r in rows} == set(catalogue().scenarios)
    for row in rows:
        assert set(row) >= {"id", "title", "difficulty", "principles", "path"}
        assert Path(row["path"]).is_file()


def test_list_table(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "list")
    assert code == 0 and "calmline scenarios" in out


def test_validate_library_is_clean(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "validate", str(ROOT / "scenarios"))
    assert code == 0, out
    assert "0 with errors" in err


def test_validate_reports_problems_and_fails(capsys: pytest.CaptureFixture[str],
                                             tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text((DATA / "tiny.yaml").read_text().replace("next: done", "next: gone"))
    code, out, _ = run(capsys, "validate", str(DATA / "tiny.yaml"), str(bad),
                       str(tmp_path / "none.yaml"))
    assert code == 1
    assert out.splitlines() == [
        f"{bad}:42:15: choice 'replace' goes to 'gone', which is neither a node nor an ending"
        " (did you mean 'done'?)",
        f"{tmp_path / 'none.yaml'}: no such file",
    ]


def test_run_json_finished(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "run", str(DATA / "tiny.yaml"), "--choices", "sorry,replace",
                       "--json", "--seed", "4")
    assert code == 0
    data = json.loads(out)
    assert data["finished"] is True
    assert data["ending"] == {"id": "done", "outcome": "resolved"}
    assert [s["choice"] for s in data["steps"]] == ["sorry", "replace"]
    score = data["score"]
    assert (score["total"], score["max"], score["percent"], score["passed"]) == (5, 5, 100.0,
                                                                                 True)
    assert score["principles"]["apologize"]["earned"] == 2
    assert score["critical"] == []


def test_run_json_unfinished_lists_the_next_choices(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "run", str(DATA / "tiny.yaml"), "--choices", "sorry", "--json")
    data = json.loads(out)
    assert code == 0 and data["finished"] is False
    # Shown in the order drawn from the seed (0 unless --seed says otherwise).
    session = Session(load(DATA / "tiny.yaml"), seed=0, shuffle=True)
    session.choose("sorry")
    assert data["choices"] == session.option_ids() and data["customer"] == "So what now?"
    assert sorted(data["choices"]) == ["replace", "shrug"]


def test_run_text_shows_transcript_and_scorecard(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "run", str(DATA / "tiny.yaml"), "--choices", "sorry,shrug")
    assert code == 0
    assert "You: I'm sorry about that." in out and "NOT PASSED" in out
    assert "better: 'replace'" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["run", "tiny-nope"], "no scenario with id 'tiny-nope' in the library"),
        (["run", str(DATA / "tiny.yaml"), "--choices", "sorry,nope"],
         "calmline: error: choice 2 ('nope') is not available at node 'fix'; valid: shrug, "
         "replace"),  # in the order shown with seed 0
        (["run", str(DATA / "tiny.yaml"), "--choices", "argue,sorry"],
         "calmline: error: choice 2 ('sorry'): the call already ended at 'hangup'"),
        (["run", str(DATA / "tiny.yaml"), "--seed", "x"],
         "calmline run: error: argument --seed: must be a whole number between 0 and "
         "9,223,372,036,854,775,807"),
        (["run", str(DATA / "tiny.yaml"), "--seed", "9" * 5000],
         "calmline run: error: argument --seed: must be a whole number between 0 and "
         "9,223,372,036,854,775,807"),
        (["bogus"], "calmline: error: argument COMMAND: invalid choice: 'bogus'"),
        (["validate"], "calmline validate: error: the following arguments are required: PATH"),
    ],
)
def test_bad_input_is_one_line_and_non_zero(capsys: pytest.CaptureFixture[str],
                                            argv: list[str], message: str) -> None:
    try:
        code = main(argv)
    except SystemExit as exc:
        code = int(exc.code or 0)
    _, err = capsys.readouterr()
    assert code != 0
    assert len(err.strip().splitlines()) == 1, err
    assert message in err
    assert "Traceback" not in err
