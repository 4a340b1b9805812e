"""Trainee names as they may be recorded: trimmed, single-spaced, visible characters only.

Control characters are refused, and so are the invisible marks that reorder text (the
bidirectional embeddings, overrides, isolates and marks: U+202A-U+202E, U+2066-U+2069,
U+200E, U+200F, U+061C), with which ``Ann\\u202eeeL`` would show in a report as another name.
"""

from __future__ import annotations

import unicodedata

MAX_LENGTH = 200
BIDI_CONTROLS = frozenset(chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A),
                                           0x200E, 0x200F, 0x061C))


class TraineeNameError(ValueError):
    """A name that cannot be recorded; the message says why, in one line."""


def _unwanted(ch: str) -> bool:
    return ch in BIDI_CONTROLS or unicodedata.category(ch) == "Cc"


def trainee_name(name: str) -> str:
    """``name`` as recorded; :class:`TraineeNameError` when it is empty, too long, or holds
    a control character or a direction mark."""
    cleaned = " ".join(str(name).split())
    if not cleaned:
        raise TraineeNameError("the trainee name is empty")
    if len(cleaned) > MAX_LENGTH:
        raise TraineeNameError(f"the trainee name is too long ({MAX_LENGTH} characters at most)")
    bad = next((ch for ch in cleaned if _unwanted(ch)), None)
    if bad is not None:
        label = unicodedata.name(bad, "a control character")
        raise TraineeNameError(f"the trainee name contains a control character (U+{ord(bad):04X}"
                               f" {label}): type the name as it is written")
    return cleaned
