"""What a trainee typed, as it may be kept: the one cleaning rule every layer applies.

Typed text reaches the matcher, the session log, the results store and exports; each of them
keeps only :func:`clean` text, so a paste of control characters, terminal escapes, invisible
format characters or megabytes of text never travels further than the input box.
"""

from __future__ import annotations

import unicodedata

#: Typed text longer than this is cut before matching (and before it is kept anywhere).
MAX_TYPED_CHARS = 600


def clean(text: str) -> str:
    """``text`` as it may be kept: control and format characters removed, spaces folded,
    length capped at :data:`MAX_TYPED_CHARS`."""
    head = text[: MAX_TYPED_CHARS * 4]  # never walk more of a huge paste than can be kept
    kept = "".join(" " if unicodedata.category(ch)[0] == "C" else ch for ch in head)
    return " ".join(kept.split())[:MAX_TYPED_CHARS]
