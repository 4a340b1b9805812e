"""The embedding matcher: a model folder is read (or refused, located, in one line), and a
paraphrase in words no example uses finds its reply by meaning where BM25 alone cannot, with
the verdict, shares, margin and rules of the lexical matcher unchanged."""

from __future__ import annotations

import math
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulator.engine.embedding import EmbeddingRanker, load_matcher
from simulator.engine.matching import Candidate, Match, Matcher, Verdict
from simulator.engine.wordvectors import ModelError, load_model
from tests.typed.test_matching import NODE
from tests.typed.toy_model import vectors, write_model

ROOT = Path(__file__).resolve().parents[2]
PARAPHRASE = "Could you read me the purchase reference?"
"""check-order, in words none of its texts use: purchase = order, reference = number."""


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_model(tmp_path_factory.mktemp("toy") / "model")


@pytest.fixture(scope="module")
def blended(folder: Path) -> Matcher:
    return load_matcher(folder)[0]


# -- the model folder ------------------------------------------------------------------------
def test_a_folder_loads_with_its_header_its_words_and_its_settings(tmp_path: Path) -> None:
    rows = vectors()
    model = load_model(write_model(tmp_path / "m", rows, settings={
        "name": "toy\x1b[2J vectors", "dim": 32, "licence": "made by the tests",
        "weight": 2.5, "floor": 0.1, "pooling": "centroid"}))
    assert model.name == "toy [2J vectors"  # control characters never reach the terminal
    assert (model.vectors.dim, model.vectors.rows, len(model.vectors)) == (32, len(rows),
                                                                           len(rows))
    assert "purchase" in model.vectors and "nowhere" not in model.vectors
    ranker = load_matcher(tmp_path / "m")[0].ranker
    assert isinstance(ranker, EmbeddingRanker)
    assert (ranker.weight, ranker.floor, ranker.pooling) == (2.5, 0.1, "centroid")
    # Without a header or settings: the first row gives the dimensions, the defaults apply.
    bare = load_model(write_model(tmp_path / "bare", rows, header=False))
    assert bare.name == "bare" and bare.vectors.dim == 32 and len(bare.vectors) == len(rows)


def test_unit_vectors_are_centred_and_words_of_one_meaning_are_close(folder: Path) -> None:
    v = load_model(folder).vectors
    order, purchase, banana = (v.unit(w) for w in ("order", "purchase", "banana"))
    assert order is not None and purchase is not None and banana is not None
    assert math.isclose(math.hypot(*order), 1.0)
    assert sum(a * b for a, b in zip(order, purchase, strict=True)) > 0.8
    assert abs(sum(a * b for a, b in zip(order, banana, strict=True))) < 0.5
    assert v.unit("nowhere") is None and v.weight("nowhere") == 0.0
    # The first rows are the most frequent words: they weigh least.
    assert v.weight("common0") < v.weight("common150") < v.weight("purchase") <= 1.0


def test_max_words_reads_only_the_first_rows_and_words_are_folded(tmp_path: Path) -> None:
    rows = [("The", [1.0, 0.0, 0.5]), ("the", [0.0, 1.0, 0.5]), ("New_York", [1.0, 1.0, 1.0]),
            (",", [0.5, 0.5, 0.0]), ("order", [0.2, 0.3, 0.1]), ("late", [0.9, 0.1, 0.1])]
    folder = write_model(tmp_path / "m", rows, settings={"max_words": 5})
    v = load_model(folder).vectors
    assert v.rows == 5  # "late" is past the cap
    assert len(v) == 2 and "the" in v and "order" in v  # "New_York" and "," are never looked up
    assert "late" not in v and "new_york" not in v
    # The first row of a word wins ("The", folded to lower case): centred on the mean of the
    # two kept rows, its vector leans along the first axis (the second row's would not).
    the = v.unit("the")
    assert the is not None and the[0] > 0.5 > the[1]


def _vec(folder: Path, text: str | bytes) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    data = text.encode("utf-8") if isinstance(text, str) else text
    (folder / "vectors.vec").write_bytes(data)
    return folder / "vectors.vec"


GOOD = "the 0.1 0.2 0.3\norder 0.3 -0.2 0.1\n"


@pytest.mark.parametrize(("content", "line", "fragment"), [
    ("", 1, "no word vectors"),
    ("\n\n", 1, "no word vectors"),
    ("2 3\n", 1, "no word vectors"),
    ("New_York 0.1 0.2\n, 0.3 0.4\nzero 0 0\n", 1, "no word the matcher can look up"),
    (GOOD + "late 0.1 0.2\n", 3, "expected a word and 3 numbers, found 2"),
    (GOOD + "late 0.1 0.2 0.3 0.4\n", 3, "found 4"),
    (GOOD + "late\n", 3, "found 0"),
    (GOOD + "late 0.1 zero 0.3\n", 3, "'zero' is not a number"),
    (GOOD + "late 0.1 nan 0.3\n", 3, "not finite"),
    (GOOD + "late 0.1 -inf 0.3\n", 3, "not finite"),
    (GOOD + "late 0.1 1e999 0.3\n", 3, "not finite"),
    (GOOD + "late 1e308 1e308 0.3\n", 3, "not finite"),
    (GOOD + "late 0.1 12345.6 0.3\n", 3, "beyond +-1000"),
    (GOOD + "late 0.1 1_0 0.3\n", 3, "plain decimals"),
    (GOOD + "late 0.1 \u0661 0.3\n", 3, "plain decimals"),  # an Arabic-Indic digit one
    ("3 5000\n" + GOOD, 1, "5000 dimensions"),
    ("the 0.5\n", 1, "1 dimensions"),
    ("the " + "0.1 " * 2000 + "\n", 1, "2000 dimensions"),
    (GOOD + "late " + "1" * 70_000 + "\n", 3, "longer than 64 KiB"),
    (GOOD.encode() + b"caf\xe9 0.1 0.2 0.3\n", 3, "not UTF-8"),
], ids=lambda v: repr(v)[-32:])
def test_a_malformed_vectors_file_is_one_located_line(
        tmp_path: Path, content: str | bytes, line: int, fragment: str) -> None:
    path = _vec(tmp_path / "m", content)
    with pytest.raises(ModelError) as caught:
        load_model(tmp_path / "m")
    message = str(caught.value)
    assert message.startswith(f"{path}:{line}: ") and fragment in message, message
    assert "\n" not in message


@pytest.mark.parametrize(("settings_text", "line", "fragment"), [
    ('{"name": "x",\n "max_words": 0}', 2, "max_words must be a whole number from 1"),
    ('{"max_words": 10000000}', 1, "max_words must be a whole number"),
    ('{"max_words": 5.5}', 1, "max_words must be a whole number"),
    ('{"max_words": true}', 1, "max_words must be a whole number"),
    ('{\n\n"weight": "heavy"}', 3, "weight must be a number from 0 to 20"),
    ('{"floor": NaN}', 1, "floor must be a number"),
    ('{"floor": 1e999}', 1, "floor must be a number"),
    ('{"pooling": "mean"}', 1, "pooling must be one of max, centroid"),
    ('{"name": "' + "n" * 500 + '"}', 1, "name must be text of at most 100"),
    ('{"weight": 1,\n "colour": "blue"}', 2, "unknown key 'colour'"),
    ('{"weight": 1, "weight": 2}', 1, "given twice"),
    ('{"dim": 4}', 1, "the header says 3 dimensions, calmline-model.json says 4"),
    ('["max_words"]', 1, "expected a JSON object"),
    ('{"name": "x",\n\n  oops}', 3, "not valid JSON"),
    ("[" * 60_000, 1, "nested too deeply"),
    ('{"licence": "' + "x" * 70_000 + '"}', 1, "larger than 64 KiB"),
], ids=lambda v: repr(v)[:32])
def test_bad_settings_are_one_located_line(tmp_path: Path, settings_text: str, line: int,
                                            fragment: str) -> None:
    _vec(tmp_path / "m", "2 3\n" + GOOD)
    (tmp_path / "m" / "calmline-model.json").write_text(settings_text, encoding="utf-8")
    with pytest.raises(ModelError) as caught:
        load_model(tmp_path / "m")
    message = str(caught.value)
    target = "vectors.vec" if "header says" in fragment else "calmline-model.json"
    assert message.startswith(f"{tmp_path / 'm' / target}:{line}: ") and fragment in message
    assert "\n" not in message


def test_a_missing_folder_or_file_is_one_line(tmp_path: Path) -> None:
    cases = {tmp_path / "absent": "does not exist", tmp_path / "empty": "no vectors.vec",
             tmp_path / "file": "is not a folder"}
    (tmp_path / "empty").mkdir()
    (tmp_path / "file").write_text("the 0.1 0.2\n")
    for path, fragment in cases.items():
        with pytest.raises(ModelError, match=fragment) as caught:
            load_model(path)
        assert str(caught.value).startswith(str(path)) and "\n" not in str(caught.value)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=400) | st.text(alphabet="ab 0.1-e\n_9nIf", max_size=300))
def test_any_bytes_load_or_are_refused_never_raised_otherwise(tmp_path: Path,
                                                              content: bytes | str) -> None:
    _vec(tmp_path / "fuzz", content)
    try:
        model = load_model(tmp_path / "fuzz")
    except ModelError as exc:
        assert "\n" not in str(exc)
        return
    for word in ("a", "b", "ab"):
        unit = model.vectors.unit(word)
        assert unit is None or math.isclose(math.hypot(*unit), 1.0, rel_tol=1e-6)


# -- matching with the model -----------------------------------------------------------------
def test_a_synonym_paraphrase_is_understood_by_meaning_not_by_bm25(blended: Matcher) -> None:
    lexical = Matcher().match(NODE, PARAPHRASE)
    assert lexical.verdict is Verdict.NONE  # no word of it is in any reply's texts
    found = blended.match(NODE, PARAPHRASE)
    assert found.best is not None and found.best.choice_id == "check-order"
    assert found.verdict is Verdict.CONFIDENT
    other = blended.match(NODE, "I will compensate you completely this instant")
    assert Matcher().match(NODE, "I will compensate you completely this instant").verdict \
        is Verdict.NONE
    assert other.best is not None and other.best.choice_id == "refund-now"


def test_the_verdict_interface_is_the_lexical_one(blended: Matcher) -> None:
    for text in (PARAPHRASE, "refund order", "banana helicopter", "Look, I'll check, idiot."):
        found = blended.match(NODE, text)
        assert isinstance(found, Match) and isinstance(found.verdict, Verdict)
        assert all(isinstance(c, Candidate) for c in found.ranking)
        assert sorted(c.choice_id for c in found.ranking) == sorted(c.id for c in NODE.choices)
        assert math.isclose(sum(c.share for c in found.ranking), 1.0)
        assert found.margin == found.ranking[0].share - found.ranking[1].share
    # Unrelated words gain nothing from the model; a close pair is still "did you mean".
    assert blended.match(NODE, "banana helicopter").verdict is Verdict.NONE
    unsure = blended.match(NODE, "refund order")
    assert unsure.verdict is Verdict.UNSURE
    assert {c.choice_id for c in unsure.ranking[:2]} == {"check-order", "refund-now"}


def test_abuse_and_negation_rules_still_apply(blended: Matcher) -> None:
    found = blended.match(NODE, "Look, I'll check your purchase reference, idiot.")
    assert found.best is not None and found.best.choice_id == "snap"
    assert found.reason == "abusive words" and found.verdict is Verdict.CONFIDENT
    refusal = blended.match(NODE, "I'm afraid the policy doesn't allow a refund after 30 days")
    assert refusal.best is not None and refusal.best.choice_id == "policy"
    # A negated word counts against its meaning: "can't compensate" is further from the reply
    # that refunds than "will compensate" is.
    ranker = blended.ranker
    assert isinstance(ranker, EmbeddingRanker)
    yes = ranker.similarities(NODE, "I will compensate you")["refund-now"]
    no = ranker.similarities(NODE, "I can't compensate you")["refund-now"]
    assert yes > 0.5 > no


def test_weight_zero_is_the_lexical_matcher(folder: Path) -> None:
    off = Matcher(EmbeddingRanker(load_model(folder).vectors, weight=0.0))
    for text in (PARAPHRASE, "refund order", "sorry, what's the order number?"):
        assert off.match(NODE, text) == Matcher().match(NODE, text)


def test_max_and_centroid_pooling_both_rank_the_paraphrase(folder: Path) -> None:
    v = load_model(folder).vectors
    for pooling in ("max", "centroid"):
        found = Matcher(EmbeddingRanker(v, pooling=pooling)).match(NODE, PARAPHRASE)
        assert found.best is not None and found.best.choice_id == "check-order", pooling
    with pytest.raises(ValueError, match="pooling"):
        EmbeddingRanker(v, pooling="mean")
    with pytest.raises(ValueError, match="weight"):
        EmbeddingRanker(v, weight=float("nan"))


def test_importing_the_matcher_never_imports_the_embedding_code() -> None:
    code = ("import sys, simulator.engine.matching, simulator.training.typed, simulator.cli; "
            "from simulator.cli import main; main(['match', 'vulgar-caller', 'opening', "
            "'sorry']); "
            "bad = [m for m in ('simulator.engine.embedding', 'simulator.engine.wordvectors') "
            "if m in sys.modules]; print(bad); raise SystemExit(1 if bad else 0)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.strip().endswith("[]")
