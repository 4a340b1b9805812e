"""A word-vector model folder, as a trainer installs it for the embedding matcher, read safely.

The folder holds ``vectors.vec``: word vectors in the text format word2vec, GloVe and fastText
share (an optional header line ``COUNT DIM``, then one row per word: the word and DIM numbers,
separated by spaces; the most frequent words first). It may hold ``calmline-model.json``
(:class:`ModelSettings`), and ``vectors.bin``, the same vectors compiled for a fast start
(:mod:`simulator.engine.compiledvectors`). Only the first ``max_words`` rows are read, each at
most :data:`MAX_LINE_BYTES` long; anything malformed is a :class:`ModelError` naming
``path:line``. Nothing is ever downloaded: the folder is all there is.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from array import array
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import repeat
from operator import mul, sub
from pathlib import Path
from typing import Any, BinaryIO

VECTORS_FILE = "vectors.vec"
SETTINGS_FILE = "calmline-model.json"
COMPILED_FILE = "vectors.bin"

DEFAULT_MAX_WORDS = 20_000
MAX_WORDS = 200_000
"""The most rows ``max_words`` may ask for."""
MIN_DIM, MAX_DIM = 2, 1024
MAX_VALUES = 64_000_000
"""Words times dimensions kept in memory at most (256 MB of 32-bit floats)."""
MAX_LINE_BYTES = 64 * 1024
MAX_VALUE = 1000.0
"""The largest magnitude a vector's number may have (real models stay well under 100)."""
MAX_SETTINGS_BYTES = 64 * 1024
POOLINGS = ("max", "centroid")

_KEEP = re.compile(r"[a-z0-9]+")
"""The words the matcher can look up (its tokenizer yields no others)."""


class ModelError(ValueError):
    """A model folder that cannot be used; the message is one line, ``path:line: what``."""


@dataclass(frozen=True, slots=True)
class ModelSettings:
    """What ``calmline-model.json`` may say (every key optional)."""

    name: str = ""
    """Shown when the model is loaded (default: the folder's name)."""
    dim: int | None = None
    """The dimensions the vectors must have (checked against the file)."""
    max_words: int = DEFAULT_MAX_WORDS
    """Rows of ``vectors.vec`` read (the most frequent words come first)."""
    licence: str = ""
    """Where the vectors come from and under which licence (for the trainer's records)."""
    weight: float = 4.0
    """How much meaning counts next to shared words (0 turns the model off)."""
    floor: float = 0.3
    """Similarity (cosine) at or below which a reply gains nothing from the model."""
    pooling: str = "max"
    """How a reply's texts are compared: ``max`` (its closest text: the say or one example)
    or ``centroid`` (the mean of its texts)."""


_FIELDS: dict[str, tuple[type, float, float]] = {
    # key: (type, lowest, highest) - for strings the bounds are lengths
    "name": (str, 0, 100), "licence": (str, 0, 2000), "pooling": (str, 0, 20),
    "dim": (int, MIN_DIM, MAX_DIM), "max_words": (int, 1, MAX_WORDS),
    "weight": (float, 0.0, 20.0), "floor": (float, -1.0, 0.95),
}


def _printable(text: str) -> str:
    """``text`` with control and format characters dropped and spaces folded."""
    return " ".join("".join(" " if unicodedata.category(ch)[0] == "C" else ch
                            for ch in text).split())


def _line_of(text: str, key: str) -> int:
    at = text.find(f'"{key}"')
    return text.count("\n", 0, at) + 1 if at >= 0 else 1


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    seen: dict[str, Any] = {}
    for key, value in pairs:
        if key in seen:
            raise ValueError(f"the key {key!r} is given twice")
        seen[key] = value
    return seen


def read_settings(folder: Path) -> ModelSettings:
    """The settings in ``folder/calmline-model.json``, or the defaults when there is none."""
    path = folder / SETTINGS_FILE
    if not path.is_file():
        return ModelSettings()
    with path.open("rb") as f:
        raw = f.read(MAX_SETTINGS_BYTES + 1)
    if len(raw) > MAX_SETTINGS_BYTES:
        raise ModelError(f"{path}:1: larger than {MAX_SETTINGS_BYTES // 1024} KiB")
    try:
        text = raw.decode("utf-8")
        data = json.loads(text, object_pairs_hook=_no_duplicates)
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise ModelError(f"{path}:{line}: not UTF-8") from None
    except json.JSONDecodeError as exc:
        raise ModelError(f"{path}:{exc.lineno}: not valid JSON ({exc.msg})") from None
    except RecursionError:
        raise ModelError(f"{path}:1: nested too deeply") from None
    except ValueError as exc:
        raise ModelError(f"{path}:1: {exc}") from None
    if not isinstance(data, dict):
        raise ModelError(f"{path}:1: expected a JSON object of settings")
    found: dict[str, Any] = {}
    for key, value in data.items():
        where = f"{path}:{_line_of(text, key)}"
        if key not in _FIELDS:
            shown = key if len(key) <= 40 else key[:40] + "..."
            raise ModelError(f"{where}: unknown key {shown!r} (known: {', '.join(_FIELDS)})")
        kind, low, high = _FIELDS[key]
        if kind is str:
            if not isinstance(value, str) or not low <= len(value) <= high:
                raise ModelError(f"{where}: {key} must be text of at most {high:.0f} "
                                 "characters")
            if key == "pooling" and value not in POOLINGS:
                raise ModelError(f"{where}: pooling must be one of {', '.join(POOLINGS)}")
            found[key] = _printable(value)
            continue
        allowed = (int,) if kind is int else (int, float)
        if (not isinstance(value, allowed) or isinstance(value, bool)
                or not math.isfinite(value) or not low <= value <= high):
            what = "a whole number" if kind is int else "a number"
            raise ModelError(f"{where}: {key} must be {what} from {low:g} to {high:g}")
        found[key] = kind(value)
    return ModelSettings(**found)


class WordVectors:
    """The vectors of the words read, in one compact table, looked up by word.

    :meth:`unit` gives a word's vector with the mean of all the vectors read taken away (the
    direction every word shares says nothing about meaning), scaled to length 1;
    :meth:`weight` weighs a word by how rare it is (smooth inverse frequency, from its row:
    the files list the most frequent words first).
    """

    SIF_A = 1e-3

    def __init__(self, dim: int, rows: int, slots: dict[str, int], ranks: array[int],
                 table: array[float], mean: list[float] | None = None) -> None:
        self.dim = dim
        self.rows = rows
        """Rows of the file read (the words kept, and those the matcher never looks up)."""
        self.ranks = ranks
        """The row each kept word was read from, in the order the words were kept."""
        self.table = table
        """The kept words' vectors one after another, ``dim`` numbers each (32-bit)."""
        self._slots = slots
        count = len(slots)
        self.mean = mean if mean is not None else [
            sum(table[i::dim]) / count if count else 0.0 for i in range(dim)]
        """The mean of the kept vectors (taken away from each: :meth:`unit`)."""
        self._zipf = math.log(1.78 * max(rows, 2))

    def __len__(self) -> int:
        return len(self._slots)

    def __contains__(self, word: object) -> bool:
        return word in self._slots

    def words(self) -> list[str]:
        """The kept words, in the order they were kept (the order of :attr:`ranks`)."""
        return list(self._slots)

    def unit(self, word: str, scale: float = 1.0) -> array[float] | None:
        """``word``'s centred vector scaled to length ``scale``, or None for a word the model
        lacks (or whose vector is the mean itself)."""
        slot = self._slots.get(word)
        if slot is None:
            return None
        start = slot * self.dim
        centred = list(map(sub, self.table[start:start + self.dim], self.mean))
        norm = math.hypot(*centred)
        return array("d", map(mul, centred, repeat(scale / norm))) if norm > 1e-9 else None

    def weight(self, word: str) -> float:
        """The smooth-inverse-frequency weight ``a / (a + p(word))``, ``p`` from the word's
        row by Zipf's law (close to 1 for rare words, small for the most frequent)."""
        slot = self._slots.get(word)
        if slot is None:
            return 0.0
        p = 1.0 / ((self.ranks[slot] + 1) * self._zipf)
        return self.SIF_A / (self.SIF_A + p)


def _numbers(rest: str, dim: int, where: str) -> list[float]:
    """The DIM numbers of a row (after its word), checked."""
    if not rest.isascii() or "_" in rest:
        raise ModelError(f"{where}: the numbers must be plain decimals (ASCII, no '_')")
    fields = rest.split()
    if len(fields) != dim:
        raise ModelError(f"{where}: expected a word and {dim} numbers, found {len(fields)} "
                         "numbers")
    try:
        values = list(map(float, fields))
    except ValueError:
        bad = next(f for f in fields if not _is_float(f))
        shown = bad if len(bad) <= 20 else bad[:20] + "..."
        raise ModelError(f"{where}: {shown!r} is not a number") from None
    if not math.isfinite(sum(values)):  # a nan or an inf anywhere makes the sum one
        raise ModelError(f"{where}: a number is not finite (nan or inf) or far too large")
    if max(values) > MAX_VALUE or min(values) < -MAX_VALUE:
        raise ModelError(f"{where}: a number is beyond +-{MAX_VALUE:g}")
    return values


def _is_float(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _lines(f: BinaryIO, path: Path) -> Iterator[tuple[int, str]]:
    """(line number, text) of each non-blank line, each checked for length and UTF-8."""
    number = 0
    while True:
        raw = f.readline(MAX_LINE_BYTES + 1)
        if not raw:
            return
        number += 1
        if len(raw) > MAX_LINE_BYTES:
            raise ModelError(f"{path}:{number}: line longer than {MAX_LINE_BYTES // 1024} KiB")
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise ModelError(f"{path}:{number}: not UTF-8") from None
        if text.strip():
            yield number, text


def _header(text: str) -> tuple[int, int] | None:
    fields = text.split()
    if len(fields) == 2 and all(f.isascii() and f.isdigit() and len(f) <= 12 for f in fields):
        return int(fields[0]), int(fields[1])
    return None


def read_vectors(path: Path, max_words: int = DEFAULT_MAX_WORDS,
                 dim: int | None = None) -> WordVectors:
    """The first ``max_words`` rows of a ``.vec`` file (words the matcher cannot look up,
    and later rows of a word already read, are checked and skipped)."""
    slots: dict[str, int] = {}
    ranks: array[int] = array("i")
    table: array[float] = array("f")
    rows, first = 0, True
    try:
        with path.open("rb") as f:
            for number, text in _lines(f, path):
                where = f"{path}:{number}"
                head = _header(text) if first else None
                first = False
                if head is not None:
                    if dim is not None and head[1] != dim:
                        raise ModelError(f"{where}: the header says {head[1]} dimensions, "
                                         f"{SETTINGS_FILE} says {dim}")
                    dim = head[1]
                    _check_dim(dim, max_words, where)
                    continue
                word, _, rest = text.rstrip("\r\n\t ").partition(" ")
                if dim is None:
                    dim = len(rest.split())
                    _check_dim(dim, max_words, where)
                values = _numbers(rest, dim, where)
                key = word.lower()
                if key not in slots and _KEEP.fullmatch(key) and any(values):
                    slots[key] = len(ranks)
                    ranks.append(rows)
                    table.fromlist(values)
                rows += 1
                if rows >= max_words:
                    break
    except OSError as exc:
        raise ModelError(f"{path}:1: cannot be read ({exc.strerror or exc})") from None
    if rows == 0 or dim is None:
        raise ModelError(f"{path}:1: no word vectors in the file")
    if not slots:
        raise ModelError(f"{path}:1: no word the matcher can look up (words of letters and "
                         "digits, with a vector other than zero)")
    return WordVectors(dim, rows, slots, ranks, table)


def _check_dim(dim: int, max_words: int, where: str) -> None:
    if not MIN_DIM <= dim <= MAX_DIM:
        raise ModelError(f"{where}: {dim} dimensions: a model may have {MIN_DIM} to {MAX_DIM}")
    if dim * max_words > MAX_VALUES:
        raise ModelError(f"{where}: {max_words} words of {dim} dimensions is more than "
                         f"{MAX_VALUES // 1_000_000} million numbers: lower max_words")


@dataclass(frozen=True, slots=True)
class Model:
    """A loaded model folder: its settings and its vectors."""

    path: Path
    settings: ModelSettings
    vectors: WordVectors
    source: Path
    """The file the vectors were read from: ``vectors.vec``, or its compiled form."""

    @property
    def name(self) -> str:
        return self.settings.name or self.path.name


def load_model(folder: str | Path, compiled: bool = True) -> Model:
    """Read the model folder ``folder`` (:class:`ModelError` if it is missing or malformed).

    The compiled form (``vectors.bin``, written by ``calmline model PATH --compile``) is read
    instead of ``vectors.vec`` when it was compiled from the same file with the same
    ``max_words``; otherwise (or with ``compiled=False``) the text is read, as if there were
    none."""
    path = Path(folder)
    if not path.is_dir():
        what = "is not a folder" if path.exists() else "does not exist"
        raise ModelError(f"{path}: the model folder {what} (it holds {VECTORS_FILE})")
    vec = path / VECTORS_FILE
    if not vec.is_file():
        raise ModelError(f"{path}: no {VECTORS_FILE} in the model folder")
    settings = read_settings(path)
    binary = path / COMPILED_FILE
    if compiled and binary.is_file():
        from simulator.engine.compiledvectors import read_compiled

        vectors = read_compiled(binary, vec, settings.max_words)
        if vectors is not None:
            if settings.dim is not None and vectors.dim != settings.dim:
                raise ModelError(f"{binary}: {vectors.dim} dimensions, {SETTINGS_FILE} "
                                 f"says {settings.dim}")
            return Model(path, settings, vectors, binary)
    return Model(path, settings, read_vectors(vec, settings.max_words, settings.dim), vec)
