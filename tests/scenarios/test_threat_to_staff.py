"""The threat-to-staff scenario: a threat of violence ends the call at once and is reported;
anything that helps the caller reach the colleague, or leaves the threat unreported, fails."""

from __future__ import annotations

import json

import pytest

from simulator.cli import main
from simulator.library import resolve

BEST = "sorry-ask,ack-and-verify,explain-offer,no-details-complaint,end-and-report,refuse-and-end"


def run_json(capsys: pytest.CaptureFixture[str], choices: str) -> dict:
    assert main(["run", "threat-to-staff", "--choices", choices, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_the_best_play_ends_the_call_at_the_first_threat_and_again_on_the_call_back(
        capsys: pytest.CaptureFixture[str]) -> None:
    data = run_json(capsys, BEST)
    assert data["ending"]["id"] == "reported" and data["ending"]["outcome"] == "ended_for_abuse"
    assert data["score"]["percent"] == 100.0 and data["score"]["passed"]
    assert "recover" in resolve("threat-to-staff").endings["reported"].debrief


def test_a_warning_first_treats_a_threat_like_swearing_and_scores_less(
        capsys: pytest.CaptureFixture[str]) -> None:
    warned = BEST.replace("end-and-report", "warn-first,end-now")
    data = run_json(capsys, warned)
    assert data["ending"]["id"] == "reported"
    assert 70 <= data["score"]["percent"] < 100


@pytest.mark.parametrize(("node", "choice"), [
    ("name-demand", "shift-hint"),       # when and where to find her
    ("emboldened", "give-shift"),        # her next shift, to the man who threatened her
    ("rings-back", "transfer-store"),    # the caller put through to her shop
    ("rings-back", "hang-up-next-call"), # the threat never reported
    ("story", "read-it-out"),            # account details before verification
    ("threat", "dare-back"),             # provoking a threatening caller
])
def test_what_a_qa_scorecard_fails_is_critical(node: str, choice: str) -> None:
    found = resolve("threat-to-staff").nodes[node].choice(choice)
    assert found is not None and found.critical
