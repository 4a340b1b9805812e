"""Writing a command's output file: never over an existing file unless forced, and never
through a symbolic link (a link planted where an export goes cannot redirect it)."""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path


class OutFileError(Exception):
    """The output file cannot be written: one line for the trainer."""


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_new(path: str, text: str, force: bool = False) -> None:
    """Write ``text`` (UTF-8) to ``path``.

    An existing file is refused unless ``force``; then it is replaced whole (a temporary file
    in the same folder, renamed over it), so a reader never sees half a file. A symbolic link,
    a folder or a device at ``path`` is always refused, forced or not.
    """
    data = text.encode("utf-8")
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise OutFileError(f"{path}: cannot write ({exc.strerror})") from None
    if st is not None:
        if stat.S_ISLNK(st.st_mode):
            raise OutFileError(f"{path} is a symbolic link: not writing through it (give the "
                               "path of a new file)")
        if not stat.S_ISREG(st.st_mode):
            raise OutFileError(f"{path} exists and is not a regular file")
        if not force:
            raise OutFileError(f"{path} already exists: use --force to replace it")
        _replace(path, data)
        return
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags, 0o666)
    except FileExistsError:  # appeared since the check (a link or a file): never followed
        raise OutFileError(f"{path} already exists: use --force to replace it") from None
    except OSError as exc:
        raise OutFileError(f"{path}: cannot write ({exc.strerror})") from None
    _write_all(fd, data, path)


def _write_all(fd: int, data: bytes, path: str) -> None:
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
    except OSError as exc:
        raise OutFileError(f"{path}: cannot write ({exc.strerror})") from None


def _replace(path: str, data: bytes) -> None:
    """Write a temporary file beside ``path`` and rename it over ``path`` (the rename acts on
    the name itself, so a link that appeared there meanwhile is replaced, not followed)."""
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{Path(path).name}.", dir=Path(path).parent)
    except OSError as exc:
        raise OutFileError(f"{path}: cannot write ({exc.strerror})") from None
    try:
        try:
            os.fchmod(fd, 0o666 & ~_umask())
        except OSError:
            os.close(fd)
            raise
        _write_all(fd, data, path)
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise OutFileError(f"{path}: cannot write ({exc.strerror})") from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
