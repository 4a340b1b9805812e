"""The labelled set of typed replies: every file names replies the library has, and the
matcher keeps understanding most of them (the full figures come from
benchmarks/bench_matching.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator import library
from simulator.authoring.typed_eval import LabelError, evaluate, read_cases

LABELS = Path(__file__).resolve().parent.parent / "data" / "typed"
FILES = sorted(LABELS.glob("*.yaml"))


@pytest.fixture(scope="module")
def scenarios() -> dict:
    return dict(library.catalogue().scenarios)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_each_labelled_file_names_real_replies_and_is_mostly_understood(
        path: Path, scenarios: dict) -> None:
    cases = read_cases(path, scenarios)
    assert len(cases) >= 20
    out = evaluate(cases, scenarios)
    # A floor well under the benchmark's goal: a regression in the matcher or in a
    # scenario's examples shows here; the goal itself is the benchmark's to report.
    assert out.share(out.top1) >= 0.75, out.confusions.most_common(5)


def test_a_label_naming_a_missing_reply_is_refused(tmp_path: Path, scenarios: dict) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("scenario: privacy-threat\ncases:\n  opening:\n    no-such-reply: [hi]\n")
    with pytest.raises(LabelError, match="no reply 'no-such-reply'"):
        read_cases(bad, scenarios)
    bad.write_text("scenario: privacy-threat\ncases:\n  nowhere:\n    x: [hi]\n")
    with pytest.raises(LabelError, match="no node 'nowhere'"):
        read_cases(bad, scenarios)
