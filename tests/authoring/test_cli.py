"""The authoring commands end to end, through ``calmline``'s own entry point."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from simulator.authoring.lint import CODES
from simulator.authoring.schema import schema_path
from simulator.cli import main
from simulator.engine import stategraph
from simulator.engine.loader import load

DATA = Path(__file__).parent.parent / "data"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def one_line_error(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err, err
    return lines[0]


# -- new ------------------------------------------------------------------------------------

def test_new_writes_a_starter_that_loads_lints_clean_and_plays(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, _ = run(capsys, "new", "late-refund")
    assert code == 0 and "wrote late-refund.yaml" in out
    written = tmp_path / "late-refund.yaml"
    scenario = load(written)
    assert scenario.id == "late-refund"
    first = written.read_text(encoding="utf-8").splitlines()[0]
    assert first == f"# yaml-language-server: $schema={schema_path().resolve().as_uri()}"
    assert run(capsys, "lint", "--strict", str(written))[0] == 0
    code, out, _ = run(capsys, "run", str(written), "--choices",
                       "sorry-and-check,explain-and-refund", "--json")
    assert code == 0 and json.loads(out)["score"]["passed"] is True


def test_new_refuses_to_overwrite(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "taken.yaml").write_text("mine", encoding="utf-8")
    code, _, err = run(capsys, "new", "taken")
    assert code == 2
    assert one_line_error(err) == ("calmline: error: taken.yaml already exists; pick another "
                                   "id or remove the file")
    assert (tmp_path / "taken.yaml").read_text(encoding="utf-8") == "mine"


@pytest.mark.parametrize("bad", ["Late_Refund", "_late", "late refund", "a" * 65, "../x"])
def test_new_refuses_invalid_ids(bad: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    code, _, err = run(capsys, "new", bad)
    assert code == 2 and "is not a valid scenario id" in one_line_error(err)
    assert list(tmp_path.iterdir()) == []


def test_new_from_a_library_scenario(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, _ = run(capsys, "new", "my-bluff", "--from", "lawsuit-bluff")
    assert code == 0 and "a copy of 'lawsuit-bluff'" in out
    copy = load(tmp_path / "my-bluff.yaml")
    original = load(Path(__file__).parents[2] / "scenarios" / "lawsuit-bluff.yaml")
    assert copy.id == "my-bluff"
    assert copy.nodes.keys() == original.nodes.keys() and copy.title == original.title
    assert (tmp_path / "my-bluff.yaml").read_text(encoding="utf-8").startswith(
        "# yaml-language-server: $schema=")


def test_new_from_an_unknown_template_is_one_line(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    code, _, err = run(capsys, "new", "x", "--from", "no-such-call")
    assert code == 1 and "no scenario with id 'no-such-call'" in one_line_error(err)


# -- lint -----------------------------------------------------------------------------------

def test_lint_prints_warnings_and_strict_fails(capsys: pytest.CaptureFixture[str]) -> None:
    path = DATA / "lint" / "fixed-order.yaml"
    code, out, err = run(capsys, "lint", str(path))
    assert code == 0
    assert out.splitlines() == [f"{path}:29:3: warning: node 'opening' shows its replies in "
                                "the written order (order: fixed): keep it only where the "
                                "wording needs it, and never with the best reply first "
                                "[fixed-order]"]
    assert err.strip() == "1 file: 0 errors, 1 warning"
    assert run(capsys, "lint", "--strict", str(path))[0] == 1


def test_lint_fails_on_errors_without_strict(capsys: pytest.CaptureFixture[str]) -> None:
    path = DATA / "broken" / "wrong-type.yaml"
    code, out, _ = run(capsys, "lint", str(path))
    assert code == 1
    assert out.splitlines() == [f"{path}:8:12: pass_mark must be a whole number, got 'high'"]


def test_lint_walks_folders(capsys: pytest.CaptureFixture[str],
                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(stategraph, "MAX_STATES", 1_000)  # the real limit takes seconds to hit
    code, out, err = run(capsys, "lint", str(DATA / "lint"))
    assert code == 0
    assert {line.rsplit("[", 1)[1].rstrip("]") for line in out.splitlines()} == set(CODES)
    assert err.startswith(f"{len(list((DATA / 'lint').glob('*.yaml')))} files: 0 errors")


def test_lint_codes_lists_every_code(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "lint", "--codes")
    assert code == 0
    assert [line.split()[0] for line in out.splitlines()] == list(CODES)
    code, _, err = run(capsys, "lint")
    assert code == 2 and one_line_error(err).startswith("calmline: error: lint needs at least")


def test_lint_missing_file_is_an_error_line(capsys: pytest.CaptureFixture[str],
                                            tmp_path: Path) -> None:
    code, out, _ = run(capsys, "lint", str(tmp_path / "nope.yaml"))
    assert code == 1 and out.strip() == f"{tmp_path / 'nope.yaml'}: no such file"


# -- analyze --------------------------------------------------------------------------------

def test_analyze_text(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "analyze", str(DATA / "tiny.yaml"))
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "Tiny test call (tiny)"
    assert "paths          3" in lines
    assert any(line.startswith("best path      +5 (100.0%, pass) -> done [resolved], 2 turns")
               for line in lines)
    assert any(line.split() == ["fix", "replace", "+2"] for line in lines)
    assert any(line.split()[:3] == ["hangup", "hung_up", "best"] for line in lines)
    assert any(line.startswith("size           2 nodes, 4 choices (0 critical), 2 endings")
               for line in lines)
    assert ("play time      about 0.1 to 0.2 min (customer lines heard at 150 words/min, the "
            "rest read at 250)") in lines
    audit = [i for i, line in enumerate(lines) if line.startswith("audit          FAILS")]
    assert len(audit) == 1 and audit[0] > lines.index(
        "play time      about 0.1 to 0.2 min (customer lines heard at 150 words/min, the "
        "rest read at 250)")


def test_analyze_json_with_loops(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "analyze", str(DATA / "loop.yaml"), "--json")
    data = json.loads(out)
    assert code == 0
    assert data["has_loops"] is True and data["paths"] is None
    assert data["plays_within_guard"] > 0
    assert data["best"]["choices"] == [t["choice"] for t in data["best"]["turns"]]
    assert data["worst"]["passed"] is False
    assert {e["id"] for e in data["endings"]} == {"resolved", "ended", "hung-up"}


def test_analyze_unknown_scenario_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "analyze", "no-such-call")
    assert code == 1 and "no scenario with id 'no-such-call'" in one_line_error(err)


# -- graph and schema -----------------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["mermaid", "dot"])
def test_graph_formats(fmt: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "graph", str(DATA / "tiny.yaml"), "--format", fmt)
    assert code == 0
    assert out.startswith("%% Tiny test call" if fmt == "mermaid" else 'digraph "tiny" {')


def test_graph_rejects_unknown_formats_in_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["graph", str(DATA / "tiny.yaml"), "--format", "png"])
    assert caught.value.code == 2
    assert "invalid choice: 'png'" in one_line_error(capsys.readouterr().err)


def test_schema_prints_the_shipped_file(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "schema")
    assert code == 0 and out == schema_path().read_text(encoding="utf-8")
    assert json.loads(out)["title"] == "calmline scenario (format 1)"
    code, out, _ = run(capsys, "schema", "--path")
    assert out.strip() == str(schema_path())


# -- plan and test --------------------------------------------------------------------------

def test_plan_then_test_round_trip(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plan = tmp_path / "tiny-best.plan.yaml"
    code, out, _ = run(capsys, "plan", str(DATA / "tiny.yaml"), "--best", "-o", str(plan))
    assert code == 0 and out.strip() == f"wrote {plan}"
    code, out, err = run(capsys, "test", str(tmp_path), "--round-trip")
    assert code == 0
    assert out.strip() == f"ok    {plan}: tiny, 2 turns -> done, 100.0% (passes)"
    assert err.strip() == "1 plan ok, 0 failed"
    assert run(capsys, "plan", str(DATA / "tiny.yaml"), "--best", "-o", str(plan))[0] == 2


def test_plan_output_folder_is_made_as_the_guide_shows(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # docs/authoring.md: calmline plan X.yaml --best -o plans/X.best.plan.yaml, in a new folder.
    plan = tmp_path / "plans" / "tiny.best.plan.yaml"
    assert run(capsys, "plan", str(DATA / "tiny.yaml"), "--best", "-o", str(plan))[0] == 0
    assert run(capsys, "test", str(plan.parent))[0] == 0
    (tmp_path / "file").write_text("", encoding="utf-8")
    code, _, err = run(capsys, "plan", str(DATA / "tiny.yaml"), "--best", "-o",
                       str(tmp_path / "file" / "x.plan.yaml"))
    assert code == 1 and "a file is in the way of its folder" in err


def test_test_reports_each_difference(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plan = tmp_path / "tiny.plan.yaml"
    run(capsys, "plan", str(DATA / "tiny.yaml"), "--choices", "sorry,shrug", "-o", str(plan))
    text = plan.read_text(encoding="utf-8")
    plan.write_text(text.replace("passed: false", "passed: true").replace("total: 2",
                                                                          "total: 9"))
    code, out, err = run(capsys, "test", str(plan))
    assert code == 1 and err.strip() == "0 plans ok, 1 failed"
    lines = out.splitlines()
    assert lines[0] == f"FAIL  {plan}"
    assert any("the total score is 2, the plan expects 9" in line for line in lines)
    assert any("the attempt fails, the plan expects it to pass" in line for line in lines)


def test_test_without_plans_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "test", str(tmp_path))
    assert code == 2 and one_line_error(err) == ("calmline: error: no plan files found (plans "
                                                 "end in .plan.yaml)")


def test_plan_with_an_unknown_choice_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "plan", str(DATA / "tiny.yaml"), "--choices", "sorry,bogus")
    assert code == 2
    assert one_line_error(err) == ("calmline: error: choice 2 ('bogus') is not available at "
                                   "'fix'; valid: shrug, replace")  # as shown, seed 0


def test_a_scenario_too_large_to_analyse_is_one_line(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(stategraph, "MAX_STATES", 1_000)  # the real limit takes seconds to hit
    path = DATA / "lint" / "too-many-states.yaml"
    for command in (["analyze", str(path)], ["plan", str(path), "--worst"]):
        code, _, err = run(capsys, *command)
        assert code == 1
        assert one_line_error(err) == (f"calmline: error: {path}: more than 1,000 distinct "
                                       "states (node x variables read by conditions): narrow "
                                       "the variables' ranges or coarsen their steps")

