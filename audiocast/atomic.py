"""Write-then-rename: an output appears only when complete; an earlier one survives a failure."""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType
from typing import TypeVar

from .errors import AudiocastError, OutputError
from .leftovers import owned_prefix
from .signals import raise_if_stop_requested

_Work = TypeVar("_Work", bound="AllOrNothing")

FULL_HINT = "free some space there, or write elsewhere with -o"
NAME_MAX = 255
"""The longest file name (in bytes) of the file systems we write to."""


def check_writable(dest: Path) -> None:
    """Fail early, before any slow work, when ``dest`` cannot be written.

    The folder is probed by creating (and removing) a temporary file in it: permission bits
    say nothing to root, nor about a read-only file system or a pseudo file system like /proc.
    """
    if len(os.fsencode(dest.name)) > NAME_MAX:
        raise OutputError(
            f"file name too long ({len(os.fsencode(dest.name))} bytes, at most {NAME_MAX})",
            path=dest,
            hint="choose a shorter -o",
        )
    if dest.is_dir():
        raise OutputError(
            "output path is a directory", path=dest, hint="give a file name such as episode.mp3"
        )
    folder = dest.parent if str(dest.parent) else Path(".")
    blocker = next((p for p in (folder, *folder.parents) if p.exists()), None)
    if blocker is not None and not blocker.is_dir():
        raise OutputError(
            "cannot write there: a file is in the way of the folder",
            path=blocker,
            hint="choose another -o",
        )
    if not folder.exists():
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OutputError(
                f"cannot create folder: {exc.strerror}", path=folder, hint="choose another -o"
            ) from None
    try:
        fd, probe = tempfile.mkstemp(prefix=owned_prefix(), suffix=".probe", dir=folder)
    except OSError as exc:
        raise OutputError(
            f"folder is not writable: {exc.strerror}",
            path=folder,
            hint="choose another -o or fix its permissions",
        ) from None
    os.close(fd)
    os.unlink(probe)


@contextlib.contextmanager
def atomic_path(dest: Path, suffix: str | None = None) -> Iterator[Path]:
    """Yield a temporary path beside ``dest``; rename it over ``dest`` when the block succeeds.

    On any exception (KeyboardInterrupt included) the temporary file is removed and ``dest`` is
    left as it was. The temporary name is short and names this process (``leftovers``); it
    keeps ``dest``'s suffix so encoders pick the right format.
    """
    dest = Path(dest)
    check_writable(dest)
    try:
        fd, tmp_name = tempfile.mkstemp(
            prefix=owned_prefix(),
            suffix=suffix if suffix is not None else dest.suffix,
            dir=dest.parent if str(dest.parent) else ".",
        )
    except OSError as exc:
        raise OutputError(f"cannot write: {exc.strerror}", path=dest) from None
    os.close(fd)
    tmp = Path(tmp_name)
    # mkstemp makes the file private (0600); a finished episode gets the usual permissions.
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)
    try:
        yield tmp
        raise_if_stop_requested()
        os.replace(tmp, dest)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        if exc.errno == errno.ENOSPC:
            raise OutputError("no space left on device", path=dest, hint=FULL_HINT) from None
        raise
    except AudiocastError as exc:
        tmp.unlink(missing_ok=True)
        if exc.path == str(tmp):
            exc.path = str(dest)  # the user named dest; the temporary name means nothing to them
        raise
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_text_atomic(dest: Path, text: str) -> None:
    with atomic_path(dest) as tmp:
        tmp.write_text(text, encoding="utf-8")


class AllOrNothing:
    """A context manager for work that completes or leaves nothing behind: leaving the block
    normally calls ``finish``, leaving it by an exception calls ``undo`` with it (which may
    raise a clearer one)."""

    def __enter__(self: _Work) -> _Work:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc is None:
            self.finish()
        else:
            self.undo(exc)

    def finish(self) -> None:
        """What a clean exit does (nothing unless a subclass says)."""

    def undo(self, exc: BaseException) -> None:
        """Remove what the work left; ``exc`` is why."""
