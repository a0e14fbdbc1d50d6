"""Reading input files with a ceiling: no file the user names is read until memory runs out.

A script, a settings file or a cover is small; ``/dev/zero``, an endless pipe or a file that
claims gigabytes is refused with one line naming it, after reading at most the ceiling.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from .errors import InputError

MB = 1024 * 1024
SCRIPT_LIMIT = 32 * MB
"""A script of 10,000 turns is about 1 MB."""
SETTINGS_LIMIT = 4 * MB
"""Config, show.yaml, lexicons, voice profiles."""
COVER_LIMIT = 20 * MB
"""Apple asks for artwork up to 3000 x 3000 px; a JPEG of that is a few MB."""
_CHUNK = 1 * MB


def _size(n: int) -> str:
    return f"{n / MB:,.1f} MB" if n >= MB else f"{n:,} bytes"


def read_bounded(path: Path, limit: int, what: str) -> bytes:
    """The bytes of ``path``, refused (``InputError``) past ``limit`` bytes.

    A regular file's size is checked before reading; a device is refused outright; a pipe is
    read up to the limit. Missing files and OS failures are ``OSError`` as usual, for the
    caller to word.
    """
    path = Path(path)
    with open(path, "rb") as fh:
        info = os.fstat(fh.fileno())
        if stat.S_ISCHR(info.st_mode) or stat.S_ISBLK(info.st_mode):
            raise InputError(
                f"{what} is a device, not a file", path=path, hint="give a regular file"
            )
        if stat.S_ISREG(info.st_mode) and info.st_size > limit:
            raise InputError(
                f"{what} is too large ({_size(info.st_size)}; at most {_size(limit)})",
                path=path,
                hint="is this the right file?",
            )
        parts: list[bytes] = []
        total = 0
        while chunk := fh.read(min(_CHUNK, limit + 1 - total)):
            parts.append(chunk)
            total += len(chunk)
            if total > limit:
                raise InputError(
                    f"{what} is too large (more than {_size(limit)})",
                    path=path,
                    hint="is this the right file?",
                )
    return b"".join(parts)
