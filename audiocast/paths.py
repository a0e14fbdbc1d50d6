"""What a relative path is relative to, and what to say when the file is not there.

One rule for every path a user writes: on the command line it is relative to the current
folder, in a ``--config`` file to that file's folder, in a script's front matter to the
script's folder. A path is made absolute where it is read (``resolve``), and every "not found"
names the absolute path that was tried and what the written path was relative to, so a wrong
guess about the rule shows at once.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from .errors import InputError

Kind = Literal["file", "folder"]


@dataclass(frozen=True)
class Origin:
    """Where a path was written: the folder a relative one starts from, and how to say so."""

    base: Path
    """The folder a relative path is joined to (absolute)."""
    key: str
    """How the path was given: ``--intro``, ``intro:``."""
    place: str
    """What ``base`` is: ``the current folder``, ``the config file's folder``."""
    file: Path | None = None
    """The settings file or script the path was written in; ``None`` on the command line."""
    line: int | None = None


def command_line(option: str) -> Origin:
    """A path given on the command line (``option`` as typed, such as ``--intro``)."""
    return Origin(Path.cwd(), option, "the current folder")


def in_config(config: Path, key: str, line: int | None = None) -> Origin:
    """A path written under ``key`` in the ``--config`` file ``config``."""
    config = _absolute(config)
    return Origin(config.parent, f"{key}:", "the config file's folder", config, line)


def in_script(script: Path | None, key: str, line: int | None = None) -> Origin:
    """A path written under ``key`` in a script's front matter (a YAML script's top level)."""
    if script is None:  # text parsed without a file: nothing better than the current folder
        return Origin(Path.cwd(), f"{key}:", "the current folder", None, line)
    script = _absolute(script)
    return Origin(script.parent, f"{key}:", "the script's folder", script, line)


def resolve(written: str | Path, origin: Origin) -> Path:
    """``written`` as an absolute path: ``~`` expanded, a relative one joined to the origin's
    folder."""
    return _absolute(origin.base / Path(written).expanduser())


def _absolute(path: str | Path) -> Path:
    # Lexically, so that "../show/ep.txt" is named as the folder a user sees; symbolic links
    # stay as written.
    return Path(os.path.abspath(Path(path).expanduser()))


def not_found(what: str, written: str | Path, origin: Origin) -> InputError:
    """``what`` (``intro audio file``) is not at ``written``: the error to raise, naming the
    absolute path tried and what ``written`` was relative to."""
    tried = resolve(written, origin)
    relative = (
        ""
        if Path(written).expanduser().is_absolute()
        else (f", relative to {origin.place} {origin.base}")
    )
    return InputError(
        f"{what} not found: {tried}",
        path=origin.file,
        line=origin.line,
        hint=f"fix {origin.key} {written}{relative}",
    )


def existing(written: str | Path, origin: Origin, what: str, kind: Kind = "file") -> Path:
    """``written`` resolved, after checking that something is there (a folder for
    ``kind="folder"``); else ``not_found``. What is wrong with a file that is there (a folder,
    unreadable) is for its reader to say."""
    path = resolve(written, origin)
    if not (path.is_dir() if kind == "folder" else path.exists()):
        raise not_found(what, written, origin)
    return path


@dataclass(frozen=True)
class WrittenPath:
    """A path as the user wrote it, with where: kept beside the resolved path, for messages."""

    text: str
    origin: Origin

    @property
    def path(self) -> Path:
        return resolve(self.text, self.origin)

    def not_found(self, what: str) -> InputError:
        return not_found(what, self.text, self.origin)
