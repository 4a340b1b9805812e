"""Secret files (keys) written once: atomically, readable by their owner only, never replaced."""

from __future__ import annotations

import os
import secrets
from pathlib import Path


def write_once(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` with mode 0600, unless the file already exists.

    The data goes to a temporary file first, which is then hard-linked into place, so no
    reader ever sees a half-written key; if another process linked its key first, theirs is
    kept. Raises OSError when the folder cannot be written.
    """
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)
    try:
        os.link(tmp, path)
    except FileExistsError:
        pass
    finally:
        tmp.unlink()
