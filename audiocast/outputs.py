"""An episode and its sidecars, committed as one set: all or none replace the earlier ones.

Every file is written under a short temporary name beside its destination (``stage``). Only
when all are complete does ``commit`` put them in place: each earlier file is kept under a
hard link, a journal names the set, the new files are renamed in (the audio first), and only
then are the journal and the kept files removed. A failure at any step puts the kept files
back, so the earlier episode, captions and chapters stay together. A render killed during
the commit leaves its journal: the next render in that folder finds it (its process is gone)
and rolls the set back, then removes every temporary file a dead render left there.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import shutil
from pathlib import Path

from .atomic import FULL_HINT, AllOrNothing, check_writable
from .errors import AudiocastError, OutputError
from .leftovers import HIDDEN_PREFIX, is_orphan, remove_orphans, temp_name
from .signals import raise_if_stop_requested

_JOURNAL = ".commit"


class OutputSet(AllOrNothing):
    """Use as a context manager: leaving it by an exception removes what was staged."""

    def __init__(self) -> None:
        self._staged: list[tuple[Path, Path]] = []
        """(temporary file, destination), in commit order."""
        self._cleaned: set[Path] = set()

    def undo(self, exc: BaseException) -> None:
        self.discard()
        if isinstance(exc, AudiocastError):
            for tmp, dest in self._staged:
                if exc.path == str(tmp):
                    exc.path = str(dest)  # the temporary name means nothing to the user
        elif isinstance(exc, OSError) and exc.errno == errno.ENOSPC and self._staged:
            named = next((d for t, d in self._staged if exc.filename == str(t)), None)
            raise OutputError(
                "no space left on device", path=named or self._staged[0][1], hint=FULL_HINT
            ) from None

    def stage(self, dest: Path, suffix: str | None = None) -> Path:
        """A new empty temporary file beside ``dest`` that ``commit`` will put at ``dest``.

        Keeps ``dest``'s suffix (encoders pick the format from it) unless ``suffix`` is given.
        """
        dest = Path(dest)
        check_writable(dest)
        folder = dest.parent if str(dest.parent) else Path(".")
        if folder.resolve() not in self._cleaned:
            self._cleaned.add(folder.resolve())
            clean_folder(folder)
        tmp = folder / temp_name(suffix if suffix is not None else dest.suffix)
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except OSError as exc:
            raise OutputError(f"cannot write: {exc.strerror}", path=dest) from None
        os.close(fd)
        self._staged.append((tmp, dest))
        return tmp

    def discard(self) -> None:
        for tmp, _ in self._staged:
            tmp.unlink(missing_ok=True)

    def commit(self) -> None:
        """Put every staged file at its destination, or none (``OutputError`` saying why)."""
        raise_if_stop_requested()
        for _, dest in self._staged:
            if dest.is_dir():
                raise OutputError(
                    "cannot replace it: a folder of that name is in the way",
                    path=dest,
                    hint="move the folder, or choose another -o",
                )
        journal = self._staged[0][1].parent / temp_name(_JOURNAL)
        kept: list[tuple[Path, Path | None, Path]] = []
        try:
            for tmp, dest in self._staged:
                kept.append((dest, _keep(dest), tmp))
            _write_journal(journal, kept)
            placed: list[tuple[Path, Path | None]] = []
            try:
                for dest, old, tmp in kept:
                    os.replace(tmp, dest)
                    placed.append((dest, old))
            except OSError as exc:
                for dest, old in reversed(placed):
                    _restore(dest, old)
                raise OutputError(
                    f"cannot replace it: {exc.strerror}; the earlier files were kept",
                    path=exc.filename or dest,
                    hint=FULL_HINT if exc.errno == errno.ENOSPC else "check the file and folder",
                ) from None
            except BaseException:
                for dest, old in reversed(placed):
                    _restore(dest, old)
                raise
            journal.unlink()  # the commit point: from here the new set stands
        finally:
            journal.unlink(missing_ok=True)
            for _, old, tmp in kept:
                if old is not None:
                    old.unlink(missing_ok=True)
                tmp.unlink(missing_ok=True)
            self.discard()


def _keep(dest: Path) -> Path | None:
    """A second name for the file at ``dest`` (a hard link; a copy where links fail)."""
    if not dest.exists():
        return None
    old = dest.parent / temp_name(".old")
    try:
        os.link(dest, old)
    except OSError:
        try:
            shutil.copy2(dest, old)
        except OSError as exc:
            raise OutputError(
                f"cannot keep the earlier file while replacing it: {exc.strerror}",
                path=dest,
                hint=FULL_HINT if exc.errno == errno.ENOSPC else "check the folder",
            ) from None
    return old


def _restore(dest: Path, old: Path | None) -> None:
    with contextlib.suppress(OSError):
        if old is None:
            dest.unlink(missing_ok=True)  # it did not exist before this set
        else:
            os.replace(old, dest)


def _write_journal(journal: Path, kept: list[tuple[Path, Path | None, Path]]) -> None:
    entries = [
        {"dest": str(d.resolve()), "old": str(o.resolve()) if o else None, "new": str(t.resolve())}
        for d, o, t in kept
    ]
    try:
        with open(journal, "w", encoding="utf-8") as fh:
            json.dump(entries, fh)
            fh.flush()
            os.fsync(fh.fileno())
    except OSError as exc:
        raise OutputError(
            f"cannot write: {exc.strerror}",
            path=kept[0][0],
            hint=FULL_HINT if exc.errno == errno.ENOSPC else "check the folder",
        ) from None


def clean_folder(folder: Path) -> None:
    """Roll back the commits dead renders left half done in ``folder``, then remove the
    temporary files they left there."""
    with contextlib.suppress(OSError):
        for journal in folder.glob(f"{HIDDEN_PREFIX}*{_JOURNAL}"):
            if is_orphan(journal):
                _roll_back(journal)
    remove_orphans(folder)


def _roll_back(journal: Path) -> None:
    try:
        entries = json.loads(journal.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        entries = []
    for entry in entries if isinstance(entries, list) else []:
        with contextlib.suppress(OSError, KeyError, TypeError):
            dest, old, new = Path(entry["dest"]), entry["old"], Path(entry["new"])
            if old is not None and Path(old).exists():
                os.replace(old, dest)
            elif old is None and not new.exists():
                dest.unlink(missing_ok=True)  # placed by the dead commit, absent before it
    journal.unlink(missing_ok=True)
