"""One exception tree. The CLI turns each into one line and an exit code; the library raises them.

Exit codes: 1 a render or check failure, 2 usage or unreadable input, 130 interrupted.
"""

from __future__ import annotations

from pathlib import Path


class AudiocastError(Exception):
    """A failure the user can act on. ``str()`` is the one line the CLI prints."""

    exit_code = 1

    def __init__(
        self,
        message: str,
        *,
        path: str | Path | None = None,
        line: int | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line
        self.hint = hint

    def __str__(self) -> str:
        where = ""
        if self.path:
            where = f"{self.path}:{self.line}: " if self.line else f"{self.path}: "
        hint = f" ({self.hint})" if self.hint else ""
        return f"{where}{self.message}{hint}"


class InputError(AudiocastError):
    """Unreadable or unusable input: missing file, binary data, invalid YAML, empty script."""

    exit_code = 2


class UsageError(AudiocastError):
    """Arguments that cannot work, such as an output extension no format has."""

    exit_code = 2


class ScriptError(InputError):
    """The script reads but cannot be used as written (no speech at all, bad metadata)."""


class VoiceError(AudiocastError):
    """An unknown voice profile or engine voice id, or a broken profile file."""

    exit_code = 2


class EngineError(AudiocastError):
    """The speech engine failed for good (after retries) or cannot start."""


class AudioError(AudiocastError):
    """Decoding, mixing or encoding audio failed (a corrupt intro file, ffmpeg exiting)."""


class OutputError(AudiocastError):
    """The output cannot be written: unwritable folder, a directory in the way, a full disk."""
