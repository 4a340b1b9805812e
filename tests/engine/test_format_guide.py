"""The annotated example in the format guide (scenarios/README.md) is a valid, winnable call."""

from __future__ import annotations

import re
from pathlib import Path

from scoring.scorer import score
from simulator.engine.analysis import analyze
from simulator.engine.loader import loads
from simulator.engine.session import Session

GUIDE = Path(__file__).parent.parent.parent / "scenarios" / "README.md"


def test_the_guides_example_loads_and_its_best_path_passes() -> None:
    match = re.search(r"```yaml\n(.*?)```", GUIDE.read_text(encoding="utf-8"), re.S)
    assert match is not None
    scenario = loads(match.group(1), "scenarios/README.md")
    assert scenario.id == "late-parcel"
    assert scenario.nodes["opening"].silence is not None
    best = analyze(scenario).best
    session = Session(scenario)
    for choice in best.choices:
        session.choose(choice)
    card = score(scenario, session.log, session.ending)
    assert card.passed and card.percent == 100.0
