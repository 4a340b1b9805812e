"""Per-file lint suppressions: ``lint: {allow: {CODE: REASON}}`` sets a warning aside with
its reason, ``--show-allowed`` lists it, ``--strict`` still fails on an unexplained warning,
and an unknown code or an empty reason is an error at its line."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest

from simulator.authoring.lint import lint_file, lint_file_result
from simulator.cli import main
from simulator.engine.loader import load
from simulator.engine.problems import ScenarioError

LINT = Path(__file__).parent.parent / "data" / "lint"
BASE = (LINT / "no-core-score.yaml").read_text(encoding="utf-8")
REASON = "the account question is a routine step, scored on follow-up"
#: The lint-clean starter with one warning: a silence feedback too short to teach.
STARTER = (resources.files("simulator.templates") / "starter.yaml").read_text("utf-8").replace(
    "{{id}}", "case").replace("{{schema}}", "x.json").replace(
    "feedback: Silence on the line sounds like nobody is listening. Say that you are checking.",
    "feedback: Say something.")


def with_lint(tmp_path: Path, block: str, base: str = BASE) -> Path:
    path = tmp_path / "case.yaml"
    path.write_text(base.replace("\nstart: ", f"\n{block}\nstart: ", 1), encoding="utf-8")
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_an_allowed_warning_is_set_aside_with_its_reason_and_strict_passes(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plain = with_lint(tmp_path, "", STARTER)
    assert [p.code for p in lint_file(plain)] == ["short-feedback"]
    reason = "the silence prompt is a reminder, not a lesson"
    path = with_lint(tmp_path, f'lint:\n  allow:\n    short-feedback: "{reason}"', STARTER)
    assert load(path).allowed[0].code == "short-feedback"
    result = lint_file_result(path)
    assert result.problems == [] and [a.warning.code for a in result.allowed] == [
        "short-feedback"]
    code, out, err = run(capsys, "lint", "--strict", str(path))
    assert code == 0 and out == "" and "1 allowed by the file (--show-allowed lists them)" in err
    code, out, _ = run(capsys, "lint", "--strict", "--show-allowed", str(path))
    assert code == 0 and out.count("allowed:") == 1
    assert out.startswith(f"{path}:72:7: allowed: the feedback of the silence")
    assert out.rstrip().endswith(f"[short-feedback] (reason: {reason})")


def test_strict_still_fails_on_a_warning_nobody_explained(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = with_lint(tmp_path, f'lint: {{allow: {{no-core-score: "{REASON}"}}}}', STARTER)
    assert sorted(p.code for p in lint_file(path)) == ["short-feedback", "unused-allow"]
    code, out, _ = run(capsys, "lint", "--strict", str(path))
    assert code == 1 and "[short-feedback]" in out and "allowed:" not in out


@pytest.mark.parametrize(("block", "message"), [
    ('lint:\n  allow:\n    no-core-scores: "x y"',
     "18:5: lint.allow: unknown warning code 'no-core-scores' (did you mean 'no-core-score'?); "
     "'calmline lint --codes' lists them"),
    ('lint:\n  allow:\n    unused-allow: "quiet"',
     "18:5: lint.allow: 'unused-allow' cannot be allowed: remove the allowance that allows "
     "nothing"),
])
def test_an_unknown_code_is_an_error_at_its_line(tmp_path: Path, block: str,
                                                 message: str,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    path = with_lint(tmp_path, block)
    problems = lint_file(path)
    assert [f"{p.line}:{p.col}: {p.message}" for p in problems if p.severity == "error"] == [
        message]
    code, _, err = run(capsys, "lint", str(path))
    assert code == 1 and "1 error" in err


@pytest.mark.parametrize(("block", "message"), [
    ('lint:\n  allow:\n    no-core-score: ""',
     "18:20: lint.allow: the reason for allowing 'no-core-score' is empty: say why this "
     "warning is acceptable here"),
    ("lint:\n  allow:\n    no-core-score:",
     "18:19: lint.allow: the reason for allowing 'no-core-score' is empty: say why this "
     "warning is acceptable here"),
    ("lint:\n  allow: [no-core-score]",
     "17:10: lint.allow maps each warning code to the reason it is acceptable in this file, "
     'e.g. no-core-score: "grief call scored on listening"'),
    ("lint:\n  allowed: {}", "17:3: unknown field 'allowed' in lint (did you mean 'allow'?)"),
])
def test_an_empty_reason_or_a_wrong_shape_is_a_located_error(tmp_path: Path, block: str,
                                                             message: str) -> None:
    path = with_lint(tmp_path, block)
    with pytest.raises(ScenarioError) as caught:
        load(path)
    assert [f"{p.line}:{p.col}: {p.message}" for p in caught.value.problems] == [message]
