"""The compiled form of a model folder (``calmline model PATH --compile``): the same vectors
as the text, used only while it matches the text it was compiled from, and checked on
reading like the text (a damaged file is one line naming it)."""

from __future__ import annotations

import math
import os
import struct
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulator.cli import main
from simulator.engine.compiledvectors import write_compiled
from simulator.engine.embedding import load_matcher
from simulator.engine.wordvectors import ModelError, load_model
from tests.typed.test_embedding import PARAPHRASE
from tests.typed.test_matching import NODE
from tests.typed.toy_model import vectors, write_model

HEADER = 8 + struct.calcsize("<QqIIIII")


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    folder = write_model(tmp_path / "model", settings={"name": "toy"})
    write_compiled(load_model(folder))
    return folder


def layout(folder: Path) -> dict[str, int]:
    """Where each part of the compiled file starts."""
    v = load_model(folder, compiled=False).vectors
    words = len("\n".join(v.words()))
    mean = HEADER
    ranks = mean + 8 * v.dim
    text = ranks + 4 * len(v)
    table = text + words
    return {"dim": v.dim, "count": len(v), "mean": mean, "ranks": ranks, "words": text,
            "table": table}


def test_the_compiled_form_holds_the_same_model(folder: Path) -> None:
    text = load_model(folder, compiled=False)
    compiled = load_model(folder)
    assert (text.source.name, compiled.source.name) == ("vectors.vec", "vectors.bin")
    a, b = text.vectors, compiled.vectors
    assert (a.dim, a.rows, a.words()) == (b.dim, b.rows, b.words())
    assert list(a.ranks) == list(b.ranks) and a.table == b.table and a.mean == b.mean
    for word in ("purchase", "order", "common3"):
        assert a.unit(word) == b.unit(word) and a.weight(word) == b.weight(word)
    assert load_matcher(folder)[0].match(NODE, PARAPHRASE) == \
        load_matcher(folder)[0].match(NODE, PARAPHRASE)


def test_a_changed_text_or_max_words_is_read_instead(folder: Path) -> None:
    vec = folder / "vectors.vec"
    stat = vec.stat()
    os.utime(vec, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert load_model(folder).source.name == "vectors.vec"
    write_compiled(load_model(folder, compiled=False))
    assert load_model(folder).source.name == "vectors.bin"
    (folder / "calmline-model.json").write_text('{"max_words": 100}')
    model = load_model(folder)
    assert model.source.name == "vectors.vec" and model.vectors.rows == 100


def _damage(folder: Path, at: str | int, data: bytes, delta: int = 0) -> None:
    path = folder / "vectors.bin"
    raw = bytearray(path.read_bytes())
    spot = (layout(folder)[at] if isinstance(at, str) else at) + delta
    raw[spot:spot + len(data)] = data
    path.write_bytes(bytes(raw))


@pytest.mark.parametrize(("at", "data", "delta", "fragment"), [
    (0, b"NOTMAGIC", 0, "not a compiled vectors file"),
    (28, struct.pack("<I", 0), 0, "0 dimensions"),
    (28, struct.pack("<I", 5000), 0, "5000 dimensions"),
    (32, struct.pack("<I", 10**9), 0, "is not a model calmline compiles"),
    (36, struct.pack("<I", 10**6), 0, "is not a model calmline compiles"),
    (40, struct.pack("<I", 1), 0, "bytes of words"),
    ("mean", struct.pack("<d", math.nan), 0, "mean vector is not finite"),
    ("ranks", struct.pack("<i", 10**6), 0, "not in file order"),
    ("ranks", struct.pack("<i", -1), 0, "not in file order"),
    ("words", b"C", 0, "not lower-case letters and digits"),
    ("words", b"\n", 2, "different words expected"),
    ("table", struct.pack("<f", math.inf), 4, "not finite or is beyond"),
    ("table", struct.pack("<f", math.nan), 0, "not finite or is beyond"),
    ("table", struct.pack("<f", -5000.0), 8, "not finite or is beyond"),
])
def test_a_damaged_compiled_file_is_one_line_naming_it(folder: Path, at: str | int,
                                                       data: bytes, delta: int,
                                                       fragment: str) -> None:
    _damage(folder, at, data, delta)
    with pytest.raises(ModelError) as caught:
        load_model(folder)
    message = str(caught.value)
    assert message.startswith(f"{folder / 'vectors.bin'}: ") and fragment in message, message
    assert "\n" not in message


def test_a_cut_or_padded_compiled_file_is_refused(folder: Path) -> None:
    path = folder / "vectors.bin"
    whole = path.read_bytes()
    for changed in (whole[:-1], whole + b"\0", whole[:HEADER], whole[:10]):
        path.write_bytes(changed)
        with pytest.raises(ModelError, match="vectors.bin: "):
            load_model(folder)


@settings(max_examples=80, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.integers(0, 3_000), st.integers(0, 255)), min_size=1,
                max_size=4))
def test_any_damage_loads_or_is_refused_never_raised_otherwise(
        tmp_path_factory: pytest.TempPathFactory, flips: list[tuple[int, int]]) -> None:
    folder = write_model(tmp_path_factory.mktemp("fuzz") / "m", vectors()[:40])
    write_compiled(load_model(folder))
    raw = bytearray((folder / "vectors.bin").read_bytes())
    for spot, value in flips:
        raw[spot % len(raw)] = value
    (folder / "vectors.bin").write_bytes(bytes(raw))
    try:
        model = load_model(folder)
    except ModelError as exc:
        assert "\n" not in str(exc)
        return
    unit = model.vectors.unit(model.vectors.words()[0])
    assert unit is None or math.isclose(math.hypot(*unit), 1.0, rel_tol=1e-6)


def test_calmline_model_checks_and_compiles_a_folder(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = write_model(tmp_path / "m", settings={"name": "toy", "licence": "made here"})
    assert main(["model", str(folder)]) == 0
    out = capsys.readouterr().out
    assert "model 'toy'" in out and "read from vectors.vec" in out and "32 dimensions" in out
    assert "licence: made here" in out and "--compile" in out
    assert not (folder / "vectors.bin").exists()  # nothing is written unless asked
    assert main(["model", str(folder), "--compile"]) == 0
    assert "wrote " in capsys.readouterr().out and (folder / "vectors.bin").is_file()
    assert main(["model", str(folder)]) == 0
    assert "read from vectors.bin" in capsys.readouterr().out
    assert sorted(p.name for p in folder.iterdir()) == ["calmline-model.json", "vectors.bin",
                                                        "vectors.vec"]
    assert main(["model", str(tmp_path / "absent")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "does not exist" in err
