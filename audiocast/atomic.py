"""Write-then-rename: an output appears only when complete; an earlier one survives a failure."""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from .errors import OutputError


def check_writable(dest: Path) -> None:
    """Fail early, before any slow work, when ``dest`` cannot be written."""
    if dest.is_dir():
        raise OutputError(
            "output path is a directory", path=dest, hint="give a file name such as episode.mp3"
        )
    folder = dest.parent if str(dest.parent) else Path(".")
    if not folder.exists():
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OutputError(
                f"cannot create folder: {exc.strerror}", path=folder, hint="choose another -o"
            ) from None
    if not os.access(folder, os.W_OK):
        raise OutputError(
            "folder is not writable", path=folder, hint="choose another -o or fix its permissions"
        )


@contextlib.contextmanager
def atomic_path(dest: Path, suffix: str | None = None) -> Iterator[Path]:
    """Yield a temporary path beside ``dest``; rename it over ``dest`` when the block succeeds.

    On any exception (KeyboardInterrupt included) the temporary file is removed and ``dest`` is
    left as it was. The temporary name keeps ``dest``'s suffix so encoders pick the right format.
    """
    dest = Path(dest)
    check_writable(dest)
    fd, tmp_name = tempfile.mkstemp(
        prefix=f".{dest.name}.",
        suffix=suffix if suffix is not None else dest.suffix,
        dir=dest.parent if str(dest.parent) else ".",
    )
    os.close(fd)
    tmp = Path(tmp_name)
    # mkstemp makes the file private (0600); a finished episode gets the usual permissions.
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)
    try:
        yield tmp
        os.replace(tmp, dest)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        if exc.errno == errno.ENOSPC:
            raise OutputError("no space left on device", path=dest, hint="free space") from None
        raise
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_text_atomic(dest: Path, text: str) -> None:
    with atomic_path(dest) as tmp:
        tmp.write_text(text, encoding="utf-8")
