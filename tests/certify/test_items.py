"""Item analysis on stores filled with simulated cohorts (both backends): a planted dead
distractor and a planted mis-keyed reply are flagged once enough trainees reached them, and
nothing is flagged, or figured, below the thresholds."""

from __future__ import annotations

import json
import math
import random
from pathlib import Path

import pytest

from scoring.items import (
    DEAD,
    LOW,
    MIN_TRAINEES,
    SUSPECT_KEY,
    ItemReport,
    build_items,
    point_biserial,
)
from scoring.record import CertificationRun
from scoring.seal import SealKey
from scoring.store import Store, open_store
from scoring.store.item_tallies import item_data
from scoring.store.queries import Filter
from simulator.cli import main
from simulator.engine.loader import load
from simulator.engine.model import Scenario
from simulator.engine.session import Prompt
from simulator.training import play_certification
from tests.store.helpers import certify

ITEMS = Path(__file__).parent / "data" / "items.yaml"


def pick(prompt: Prompt, skill: float, rng: random.Random) -> str:
    """A simulated trainee of ``skill`` (0-1): the keyed reply more often the stronger the
    trainee (a logistic curve), except at the planted points: nobody gives ``dead3``, and
    strong trainees prefer ``trap4``."""
    ids = [o.id for o in prompt.options]
    key = next(i for i in ids if i.startswith(("own", "key")))
    if prompt.node == "p4":
        if skill > 0.5:
            return "trap4" if rng.random() < 0.9 else key
        return rng.choice([key, key, "off4", "trap4"])
    if rng.random() < 1 / (1 + math.exp(-8 * (skill - 0.5))):
        return key
    others = [i for i in ids if i != key and i != "dead3"]
    return rng.choice(others)


def cohort(store: Store, key: SealKey, sc: Scenario, trainees: int, attempts: int = 1,
           seed: int = 5) -> None:
    """Record ``attempts`` certifications of ``sc`` by each of ``trainees`` trainees whose
    skills spread evenly from weak to strong."""
    rng = random.Random(seed)
    for i in range(trainees):
        skill = (i + 0.5) / trainees
        for _ in range(attempts):
            run = CertificationRun(store, key, f"Trainee {i:02d}", [sc])

            def answer(prompt: Prompt, seconds: int, skill: float = skill) -> str:
                return pick(prompt, skill, rng)

            play_certification(run, sc, answer, seed=rng.randrange(2**31))
            run.close()


def report_of(url: str, sc: Scenario, flt: Filter | None = None) -> ItemReport:
    with open_store(url) as store:
        return build_items(item_data(store, flt), [sc])


def flags_of(report: ItemReport) -> set[tuple[str, str, str]]:
    return {(node, f.code, f.choice) for _, node, f in report.flags()}


def test_a_cohort_flags_the_planted_dead_distractor_and_the_mis_keyed_reply(
        store_url: str, seal_key: SealKey) -> None:
    sc = load(ITEMS)
    with open_store(store_url) as store:
        cohort(store, seal_key, sc, 60)
    report = report_of(store_url, sc)
    (only,) = report.scenarios
    assert only.found and only.attempts == 60
    items = {i.node: i for i in only.items}
    assert all(i.reached == 60 and i.trainees == 60 and i.enough for i in items.values())
    flags = flags_of(report)
    assert ("p3", DEAD, "dead3") in flags
    assert ("p4", SUSPECT_KEY, "trap4") in flags
    # Only the planted points are flagged (the mis-keyed point's key does not discriminate
    # either), and the honest keys discriminate.
    assert flags == {("p3", DEAD, "dead3"), ("p4", SUSPECT_KEY, "trap4"),
                     ("p4", LOW, "key4")}
    for node in ("p1", "p2", "p3", "p5"):
        assert items[node].discrimination is not None
        assert items[node].discrimination >= 0.2, (node, items[node])
    dead = next(r for r in items["p3"].replies if r.choice == "dead3")
    assert dead.picks == 0 and dead.share == 0.0
    trap = next(r for r in items["p4"].replies if r.choice == "trap4")
    assert trap.discrimination is not None and trap.discrimination > 0.3
    assert items["p4"].keyed == ("key4",) and items["p4"].discrimination < 0
    shares = [r.share for r in items["p1"].replies]
    assert sum(s for s in shares if s is not None) == pytest.approx(100.0, abs=0.2)


def test_below_the_thresholds_nothing_is_figured_or_flagged(store_url: str,
                                                            seal_key: SealKey) -> None:
    sc = load(ITEMS)
    with open_store(store_url) as store:
        cohort(store, seal_key, sc, 12, attempts=3)
    report = report_of(store_url, sc)
    assert report.flags() == []
    for item in report.scenarios[0].items:
        # 36 attempts, but by 12 trainees: repeated attempts are not more trainees.
        assert (item.reached, item.trainees, item.enough) == (36, 12, False)
        assert item.difficulty is None and item.discrimination is None
        assert all(r.share is None and r.discrimination is None for r in item.replies)
        assert item.note == f"12 trainees so far: figures from {MIN_TRAINEES}"


def test_a_reply_needs_ten_picks_before_its_correlation_is_shown(seal_key: SealKey,
                                                                tmp_path: Path) -> None:
    sc = load(ITEMS)
    url = str(tmp_path / "r.sqlite3")
    with open_store(url) as store:
        cohort(store, seal_key, sc, MIN_TRAINEES)
    items = {i.node: i for i in report_of(url, sc).scenarios[0].items}
    for item in items.values():
        for r in item.replies:
            assert (r.discrimination is None) == (r.picks < 10 or item.reached - r.picks < 10)


def test_point_biserial_from_sums_matches_pearson_on_the_raw_values() -> None:
    rng = random.Random(3)
    xs = [rng.random() < 0.4 for _ in range(200)]
    ys = [rng.gauss(10, 3) + (2 if x else 0) for x in xs]
    n = len(xs)
    mx, my = sum(xs) / n, sum(ys) / n
    cov = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    r = cov / math.sqrt(sum((x - mx) ** 2 for x in xs) * sum((y - my) ** 2 for y in ys))
    got = point_biserial(n, sum(xs), sum(y for x, y in zip(xs, ys, strict=True) if x),
                         sum(ys), sum(y * y for y in ys))
    assert got == pytest.approx(r)
    assert point_biserial(10, 0, 0.0, 50.0, 300.0) is None
    assert point_biserial(10, 4, 20.0, 50.0, 250.0) is None  # every score the same


def test_first_visits_only_and_trainee_filter(seal_key: SealKey, tmp_path: Path) -> None:
    sc = load(ITEMS)
    url = str(tmp_path / "r.sqlite3")
    with open_store(url) as store:
        cohort(store, seal_key, sc, 3)
    report = report_of(url, sc, Filter(trainee="trainee 01"))
    assert {i.reached for i in report.scenarios[0].items} == {1}


def test_a_version_whose_file_is_gone_says_so(seal_key: SealKey, tmp_path: Path) -> None:
    path = tmp_path / "items.yaml"
    path.write_text(ITEMS.read_text(encoding="utf-8"), encoding="utf-8")
    sc = load(path)
    url = str(tmp_path / "r.sqlite3")
    with open_store(url) as store:
        certify(store, seal_key, "Ann", [(sc, ["own1", "own2", "own3", "key4", "own5"])])
    # The same text elsewhere is the same version; else the path it was played from serves,
    # while that file is unchanged.
    assert report_of(url, load(ITEMS)).scenarios[0].found
    with open_store(url) as store:
        assert build_items(item_data(store)).scenarios[0].found
    path.write_text(path.read_text(encoding="utf-8").replace("Kettle", "Toaster"),
                    encoding="utf-8")
    with open_store(url) as store:
        gone = build_items(item_data(store)).scenarios[0]
    assert not gone.found and "--scenario PATH" in gone.note and gone.items == ()


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_calmline_items_prints_flags_and_json(seal_key: SealKey, tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "120")
    sc = load(ITEMS)
    url = str(tmp_path / "r.sqlite3")
    with open_store(url) as store:
        cohort(store, seal_key, sc, 40)
    code, out, err = run(capsys, "items", "--scenario", str(ITEMS), "--db", url)
    assert code == 0, err
    assert "dead3" in out and "trap4" in out and "check the key" in out
    code, out, _ = run(capsys, "items", "--scenario", str(ITEMS), "--json", "--db", url)
    data = json.loads(out)
    assert code == 0 and data["scenarios"][0]["scenario"] == "items"
    codes = {(f["node"], f["code"]) for f in data["flags"]}
    assert {("p3", DEAD), ("p4", SUSPECT_KEY)} <= codes
    code, _, err = run(capsys, "items", "--scenario", "nobody", "--db", url)
    assert code == 1 and "no attempts of scenario 'nobody'" in err


def test_a_typed_reply_not_recognised_counts_as_no_reply() -> None:
    from scoring.items import item_line
    from scoring.store.item_tallies import ReplyTally
    from simulator import library

    sc = library.resolve("vulgar-caller")
    node = sc.nodes["opening"]
    first, second = node.choices[0].id, node.choices[1].id

    def tally(choice: str, picks: int, timed_out: bool = False) -> ReplyTally:
        return ReplyTally(sc.id, sc.sha256, node.id, choice, timed_out, picks, 0.0, 0.0)

    line = item_line(sc, node.id, (first,), [tally(first, 3), tally(second, 2),
                                             tally("silence", 4, timed_out=True),
                                             tally("silence", 5)], 14)
    assert line.reached == 14 and line.timed_out == 9  # 4 ran out of time, 5 not recognised
    assert sum(r.picks for r in line.replies) + line.timed_out == line.reached
