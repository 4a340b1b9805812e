"""Narration: what the agent sees at a node (on screen, in the account), shown apart from the
customer's words in the engine, ``run`` and its JSON, plans, the UI and recorded transcripts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from simulator.authoring import plans
from simulator.cli import main
from simulator.engine.loader import load, loads
from simulator.engine.problems import ScenarioError
from simulator.engine.session import Session

DATA = Path(__file__).parent.parent / "data"
NARRATED = DATA / "narrated.yaml"
PROOF = ("The order shows a proof approved by the customer on Monday; the proof image reads "
         '"Grand Opening".')
FLAG = "The account notes a complaint flag added after the customer's last call."
SLOT = "The print queue shows a slot free this afternoon."


def test_a_node_shows_its_narration_and_the_first_variant_that_holds() -> None:
    sc = load(NARRATED)
    calm = Session(sc)
    assert calm.current().narration == PROOF and calm.current().line.startswith("My banner")
    step = calm.choose("own-it")
    assert step.narration == PROOF and step.to_dict()["narration"] == PROOF
    assert calm.current().narration == SLOT  # anger fell to 30
    angry = Session(sc)
    angry.choose("blame-proof")
    assert angry.current().narration == FLAG  # anger rose to 80
    angry.choose("vague")
    assert angry.log[-1].narration == FLAG
    # Saved and loaded, the narration replays with the answers.
    again = Session.from_dict(sc, angry.to_dict())
    assert [s.narration for s in again.log] == [PROOF, FLAG]


def test_a_node_without_narration_shows_none() -> None:
    text = NARRATED.read_text(encoding="utf-8")
    start = text.index("    narration: The order")
    sc = loads(text[:start] + text[text.index("    customer:", start):], "plain.yaml")
    assert Session(sc).current().narration == ""


@pytest.mark.parametrize(("old", "new", "message"), [
    ("      - when: anger >= 60\n        text: The account",
     "      - when: angr >= 60\n        text: The account",
     "condition uses undeclared variable 'angr' (did you mean 'anger'?)"),
    ("      - text: The print queue shows a slot free this afternoon.",
     "      - when: anger < 60\n        text: The print queue shows a slot free.\n"
     "      - text: The print queue is open.",
     None),
    ("      - when: anger >= 60\n        text: The account notes a complaint flag added after "
     "the customer's last call.",
     "      - text: The account notes a complaint flag.",
     "only the last narration variant may omit 'when' (the variants after it could never be "
     "shown)"),
    ("    narration: The order shows", "    narration: {text: The order shows",
     "the narration of 'opening' is a line of text, or a list of variants ('- when: "
     "CONDITION' with 'text: ...')"),
    ("      - when: anger >= 60\n        text: The account notes a complaint flag added after "
     "the customer's last call.\n      - text: The print queue shows a slot free this "
     "afternoon.", "      []", "narration must not be an empty list"),
])
def test_narration_mistakes_are_located(old: str, new: str, message: str | None) -> None:
    text = NARRATED.read_text(encoding="utf-8")
    assert old in text
    changed = text.replace(old, new)
    if new.startswith("    narration: {"):
        changed = changed.replace('"Grand Opening".', '"Grand Opening".}')
    if message is None:
        loads(changed, "ok.yaml")
        return
    with pytest.raises(ScenarioError) as caught:
        loads(changed, "bad.yaml")
    assert [p.message for p in caught.value.problems] == [message]
    assert all(p.line > 0 for p in caught.value.problems)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    capsys.readouterr()
    code = main(list(argv))
    return code, capsys.readouterr().out


def test_run_prints_narration_apart_from_the_customer_and_json_carries_it(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    code, out = run(capsys, "run", str(NARRATED), "--choices", "own-it")
    lines = out.splitlines()
    assert code == 0
    assert lines[0] == f"On screen: {PROOF}"
    assert lines[1] == "Dana Fitch: My banner says Grand Opneing. I open on Saturday!"
    assert f"On screen: {SLOT}" in out  # the prompt still waiting for a reply
    code, out = run(capsys, "run", str(NARRATED), "--choices", "blame-proof", "--json")
    data = json.loads(out)
    assert data["steps"][0]["narration"] == PROOF and data["steps"][0]["line"].startswith("My")
    assert data["narration"] == FLAG and data["customer"] == "So what happens now?"


def test_plans_record_and_check_the_narration(tmp_path: Path) -> None:
    sc = load(NARRATED)
    text = plans.record(sc, ["blame-proof", "vague"], ref=str(NARRATED))
    assert f"    narration: {json.dumps(FLAG)}" in text or FLAG in text
    path = tmp_path / "n.plan.yaml"
    path.write_text(text, encoding="utf-8")
    assert not plans.run(plans.load(path), sc).problems
    path.write_text(text.replace(FLAG, "Something else on screen."), encoding="utf-8")
    (problem,) = plans.run(plans.load(path), sc).problems
    assert problem.message.startswith("turn 2 at 'reprint': the narration shows 'The account")
