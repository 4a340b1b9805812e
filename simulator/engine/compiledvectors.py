"""The compiled form of a model folder's vectors (``vectors.bin``): read in a fraction of the
time the text takes, written only when the trainer asks (``calmline model PATH --compile``).

Layout (little-endian): the magic ``CALMVEC1``; the header (the source file's size and
modification time in nanoseconds, ``max_words``, dimensions, rows read, words kept, and the
byte length of the words); the mean vector (64-bit floats); the row of each kept word
(32-bit); the kept words, one per line (ASCII); their vectors (32-bit floats, ``dim`` each).
The header ties the file to the ``vectors.vec`` and ``max_words`` it was compiled from: when
either has changed it is not used. Everything is checked on reading, as the text is (sizes,
words, rows, finite numbers); a file that fails is a one-line
:class:`~simulator.engine.wordvectors.ModelError`.
"""

from __future__ import annotations

import math
import os
import struct
import sys
from array import array
from pathlib import Path

from simulator.engine.wordvectors import (
    COMPILED_FILE,
    MAX_DIM,
    MAX_LINE_BYTES,
    MAX_VALUE,
    MAX_VALUES,
    MAX_WORDS,
    MIN_DIM,
    VECTORS_FILE,
    Model,
    ModelError,
    WordVectors,
)

MAGIC = b"CALMVEC1"
_HEADER = struct.Struct("<QqIIIII")
_WORD_CHARS = frozenset(b"abcdefghijklmnopqrstuvwxyz0123456789")
_TOO_LARGE = bytes(int(b & 0x7F > 68) for b in range(256))


def _stamp(source: Path) -> tuple[int, int]:
    info = source.stat()
    return info.st_size, info.st_mtime_ns


def _little(values: array[int] | array[float]) -> None:
    if sys.byteorder == "big":  # the file is little-endian on every machine
        values.byteswap()


def write_compiled(model: Model) -> Path:
    """Write ``model``'s vectors to ``vectors.bin`` in its folder (replacing any older one
    whole); return its path."""
    v = model.vectors
    words = "\n".join(v.words()).encode("ascii")
    size, mtime = _stamp(model.path / VECTORS_FILE)
    mean, ranks, table = array("d", v.mean), array("i", v.ranks), array("f", v.table)
    for values in (mean, ranks, table):
        _little(values)
    target = model.path / COMPILED_FILE
    scratch = target.with_name(f".{COMPILED_FILE}.{os.getpid()}.tmp")
    try:
        with scratch.open("wb") as f:
            f.write(MAGIC)
            f.write(_HEADER.pack(size, mtime, model.settings.max_words, v.dim, v.rows, len(v),
                                 len(words)))
            mean.tofile(f)
            ranks.tofile(f)
            f.write(words)
            table.tofile(f)
        os.replace(scratch, target)
    except OSError as exc:
        scratch.unlink(missing_ok=True)
        raise ModelError(f"{target}: cannot be written ({exc.strerror or exc})") from None
    return target


def read_compiled(path: Path, source: Path, max_words: int) -> WordVectors | None:
    """The vectors in the compiled file ``path``, or None when it was compiled from another
    ``source`` file or ``max_words`` (then the text is read instead)."""
    try:
        with path.open("rb") as f:
            head = f.read(len(MAGIC) + _HEADER.size)
            if len(head) < len(MAGIC) + _HEADER.size or not head.startswith(MAGIC):
                raise ModelError(f"{path}: not a compiled vectors file (compile it again "
                                 "with calmline model FOLDER --compile)")
            size, mtime, words_max, dim, rows, count, words_len = _HEADER.unpack(
                head[len(MAGIC):])
            if (size, mtime) != _stamp(source) or words_max != max_words:
                return None
            _check_header(path, dim, rows, count, words_len, max_words)
            expected = len(head) + 8 * dim + 4 * count + words_len + 4 * count * dim
            if os.fstat(f.fileno()).st_size != expected:
                raise ModelError(f"{path}: {os.fstat(f.fileno()).st_size} bytes where the "
                                 f"header promises {expected}")
            mean: array[float] = array("d")
            mean.fromfile(f, dim)
            ranks: array[int] = array("i")
            ranks.fromfile(f, count)
            words = f.read(words_len)
            raw = f.read(4 * count * dim)
    except OSError as exc:
        raise ModelError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    except EOFError:
        raise ModelError(f"{path}: the file ends early") from None
    if len(words) != words_len or len(raw) != 4 * count * dim:
        raise ModelError(f"{path}: the file ends early")
    # The high byte of each little-endian float32 holds its sign and the top of its
    # exponent: at most 68 (once the sign is masked off) means finite and below 2048.
    if b"\x01" in raw[3::4].translate(_TOO_LARGE):
        raise ModelError(f"{path}: a number is not finite or is beyond +-2048")
    table: array[float] = array("f")
    table.frombytes(raw)
    for values in (mean, ranks, table):
        _little(values)
    if not all(math.isfinite(m) and abs(m) <= MAX_VALUE for m in mean):
        raise ModelError(f"{path}: the mean vector is not finite")
    slots = _check_words(path, words, count)
    _check_ranks(path, ranks, rows)
    return WordVectors(dim, rows, slots, ranks, table, list(mean))


def _check_header(path: Path, dim: int, rows: int, count: int, words_len: int,
                  max_words: int) -> None:
    if not MIN_DIM <= dim <= MAX_DIM:
        raise ModelError(f"{path}: {dim} dimensions: a model may have {MIN_DIM} to {MAX_DIM}")
    if not 0 < count <= rows <= min(max_words, MAX_WORDS) or count * dim > MAX_VALUES:
        raise ModelError(f"{path}: {count} words of {rows} rows is not a model calmline "
                         "compiles")
    if not count * 2 - 1 <= words_len <= count * MAX_LINE_BYTES:
        raise ModelError(f"{path}: {words_len} bytes of words for {count} words")


def _check_words(path: Path, blob: bytes, count: int) -> dict[str, int]:
    if not set(blob) <= _WORD_CHARS | {ord("\n")}:
        raise ModelError(f"{path}: a word that is not lower-case letters and digits")
    words = blob.decode("ascii").split("\n")
    slots = {word: i for i, word in enumerate(words)}
    if len(words) != count or len(slots) != count or "" in slots:
        raise ModelError(f"{path}: {count} different words expected, found {len(slots)}")
    return slots


def _check_ranks(path: Path, ranks: array[int], rows: int) -> None:
    if any(b <= a for a, b in zip(ranks, ranks[1:], strict=False)) or not (
            ranks[0] >= 0 and ranks[-1] < rows):
        raise ModelError(f"{path}: the words' rows are not in file order")
