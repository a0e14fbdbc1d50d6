"""A content-addressed store of synthesized clips, safe to share between concurrent renders.

An entry is ``<dir>/<key[:2]>/<key>.wav``: the clip's WAV with one extra chunk after the audio
(a ``LIST`` of type ``acau`` holding the frame count and CRC-32 of the samples and the key the
entry was made for), so an entry checks itself and stays one file, written to a temporary name
and renamed into place. WAV readers (``wave``, scipy, ffmpeg) skip ``LIST`` chunks they do not
know. An entry that fails its check (damaged, made for another key, not a regular file, absurdly
large) is deleted and reported as a miss, so it is re-made. A clip handed out holds its bytes,
so a ``cache clear`` or ``prune`` in another process cannot pull it from under a render.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import stat
import struct
import tempfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import EngineError, OutputError
from ..model import Clip, SpeechRequest

CACHE_ENV = "AUDIOCAST_CACHE_DIR"
KEY_FORMAT = 2
"""Bumped when what goes into a key, or the entry layout, changes: old entries then miss."""
_LIST_TYPE = b"acau"
_CHECK_CHUNK = b"acck"
_TMP_PREFIX = ".tmp-"
_PUT_ATTEMPTS = 5
DEFAULT_MAX_BYTES = 2 * 1024**3
"""The default cap on the cache's size: about 40 hours of speech."""
MAX_ENTRY_BYTES = 256 * 1024 * 1024
"""No clip comes near this (an hour of 22 kHz speech is 160 MB): anything larger is not ours."""


@dataclass(frozen=True)
class CacheInfo:
    path: Path
    entries: int
    bytes: int


@dataclass(frozen=True)
class _Wav:
    fmt: bytes
    """The ``fmt `` chunk's body, copied as is."""
    data: bytes
    sample_rate: int
    block_align: int
    check: bytes | None
    """The body of the ``acck`` record in the ``LIST``/``acau`` chunk, when present."""

    @property
    def frames(self) -> int:
        return len(self.data) // self.block_align


def default_cache_dir() -> Path:
    """``AUDIOCAST_CACHE_DIR`` when set, else the platform's user cache folder for audiocast."""
    forced = os.environ.get(CACHE_ENV, "").strip()
    if forced:
        return Path(forced).expanduser()
    import platformdirs

    return Path(platformdirs.user_cache_dir("audiocast"))


class ClipCache:
    """Clips by key. Every method is safe with other processes using the same folder."""

    def __init__(
        self, directory: Path | str | None = None, max_bytes: int | None = DEFAULT_MAX_BYTES
    ) -> None:
        self.directory = Path(directory) if directory is not None else default_cache_dir()
        self.max_bytes = max_bytes
        """Past this total, the least recently used entries are removed (``None``: no cap)."""
        self._written = 0
        self._next_trim = 0

    @staticmethod
    def key(request: SpeechRequest, engine_name: str, engine_version: str) -> str:
        """A hex digest of everything that shapes the audio, and nothing that doesn't.

        The voice profile's name, description and roles are left out: renaming a profile
        keeps its clips.
        """
        voice = request.voice
        shaping = {
            "format": KEY_FORMAT,
            "engine": engine_name,
            "engine_version": engine_version,
            "voice_id": voice.voice_id,
            "rate": voice.rate,
            "pitch": voice.pitch,
            "volume": float(voice.volume),
            "rate_scale": float(request.rate_scale),
            "text": request.text,
        }
        if voice.settings:  # absent for pyttsx3 voices, so their keys stay as they were
            shaping["settings"] = dict(voice.settings)
        blob = json.dumps(shaping, sort_keys=True, ensure_ascii=False).encode("utf-8")
        return hashlib.sha256(blob).hexdigest()

    def path_for(self, key: str) -> Path:
        if len(key) < 3 or not all(c in "0123456789abcdef" for c in key):
            raise ValueError(f"not a cache key: {key!r}")
        return self.directory / key[:2] / f"{key}.wav"

    def has(self, key: str) -> bool:
        """Whether an entry is stored under ``key`` (not read: it may still turn out bad)."""
        return self.path_for(key).is_file()

    def get(self, key: str) -> Clip | None:
        """The clip stored under ``key``, or ``None``; a bad entry is deleted (a miss)."""
        path = self.path_for(key)
        raw = _read_entry(path)
        if raw is None:
            return None
        wav = _parse_wav(raw)
        if wav is None or wav.check != _check_body(wav.data, wav.block_align, key):
            discard(path)
            return None
        # The entry's time is its last use: least recently used entries go first when trimmed.
        with contextlib.suppress(OSError):
            os.utime(path)
        return Clip(path=path, sample_rate=wav.sample_rate, frames=wav.frames, wav=raw)

    def put(self, key: str, wav_path: Path) -> Clip:
        """Store the WAV at ``wav_path`` under ``key`` and return the stored clip.

        The source is left in place. Raises ``EngineError`` when it is not a complete PCM WAV
        and ``OutputError`` when the cache folder cannot be written.
        """
        dest = self.path_for(key)
        try:
            raw = Path(wav_path).read_bytes()
        except OSError as exc:
            raise EngineError(f"cannot read clip: {exc.strerror}", path=wav_path) from None
        wav = _parse_wav(raw, strict=False)
        if wav is None or wav.frames == 0:
            raise EngineError("not a complete WAV clip", path=wav_path)
        blob = _entry_bytes(wav, key)
        # A `cache clear` in another process may remove the folder or our temporary file
        # between the steps below (FileNotFoundError): start again, a few times.
        # When it keeps vanishing, the clip is handed out unstored: it is held in memory, and the
        # cache only ever saves work, so the render goes on.
        for _ in range(_PUT_ATTEMPTS):
            try:
                self._write_entry(dest, blob)
                break
            except FileNotFoundError:
                continue
        self._written += len(blob)
        if self.max_bytes is not None and self._written >= self._next_trim:
            self._next_trim = self._written + max(self.max_bytes // 20, 1)
            from .cache_prune import prune

            prune(self, max_bytes=self.max_bytes)
        return Clip(path=dest, sample_rate=wav.sample_rate, frames=wav.frames, wav=blob)

    def _write_entry(self, dest: Path, blob: bytes) -> None:
        """Write ``blob`` to ``dest`` atomically; FileNotFoundError passes through."""
        try:
            dest.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp_name = tempfile.mkstemp(
                prefix=f"{_TMP_PREFIX}{os.getpid()}-", suffix=".wav", dir=dest.parent
            )
        except FileNotFoundError:
            raise
        except OSError as exc:
            raise OutputError(
                f"cannot write to the clip cache: {exc.strerror}",
                path=self.directory,
                hint=f"set {CACHE_ENV} or --cache-dir to a writable folder, or use --no-cache",
            ) from None
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(blob)
            os.replace(tmp_name, dest)
        except BaseException as exc:
            Path(tmp_name).unlink(missing_ok=True)
            if isinstance(exc, OSError) and not isinstance(exc, FileNotFoundError):
                raise OutputError(
                    f"cannot write to the clip cache: {exc.strerror}",
                    path=self.directory,
                    hint="free space, or use --no-cache",
                ) from None
            raise

    def info(self) -> CacheInfo:
        entries = 0
        size = 0
        for path in self._entries():
            with contextlib.suppress(OSError):
                size += path.stat().st_size
                entries += 1
        return CacheInfo(path=self.directory, entries=entries, bytes=size)

    def clear(self) -> int:
        """Delete every entry (and leftovers of interrupted writes, and anything else found
        where entries go); return the entries removed."""
        removed = 0
        for path in self._entries():
            if discard(path):
                removed += 1
        if self.directory.is_dir():
            for leftover in self.directory.glob(f"??/{_TMP_PREFIX}*"):
                discard(leftover)
            for sub in self.directory.iterdir():
                if sub.is_dir() and not sub.is_symlink() and len(sub.name) == 2:
                    with contextlib.suppress(OSError):
                        sub.rmdir()
        return removed

    def _entries(self) -> Iterator[Path]:
        if not self.directory.is_dir():
            return iter(())
        return (p for p in self.directory.glob("??/*.wav") if not p.name.startswith("."))


def discard(path: Path) -> bool:
    """Remove whatever is at ``path`` (a file, a link, a FIFO, a folder); True if it went."""
    try:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink()
    except FileNotFoundError:
        return False
    except OSError:
        return False
    return True


def _read_entry(path: Path) -> bytes | None:
    """The bytes of the entry at ``path`` if it is a regular file of a plausible size.

    Never follows a link, never blocks on a FIFO, never reads more than the size it had when
    opened (a file that grows, or a device, is refused). A refused entry is removed.
    """
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        return None
    except OSError:
        discard(path)  # a link (ELOOP), or unreadable: re-made either way
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_ENTRY_BYTES:
            os.close(fd)
            fd = -1
            discard(path)
            return None
        with os.fdopen(fd, "rb") as fh:
            fd = -1
            raw = fh.read(info.st_size + 1)
    except OSError:
        return None
    finally:
        if fd >= 0:
            os.close(fd)
    return raw if len(raw) == info.st_size else None


def _check_body(data: bytes, block_align: int, key: str) -> bytes:
    return struct.pack("<QI", len(data) // block_align, zlib.crc32(data)) + key.encode("ascii")


def _entry_bytes(wav: _Wav, key: str) -> bytes:
    check = _check_body(wav.data, wav.block_align, key)
    pad = b"\0" if len(wav.data) % 2 else b""
    chunks = [
        struct.pack("<4sI", b"fmt ", len(wav.fmt)) + wav.fmt,
        struct.pack("<4sI", b"data", len(wav.data)) + wav.data + pad,
        struct.pack("<4sI4s4sI", b"LIST", 12 + len(check), _LIST_TYPE, _CHECK_CHUNK, len(check))
        + check,
    ]
    body = b"WAVE" + b"".join(chunks)
    return b"RIFF" + struct.pack("<I", len(body)) + body


def _parse_wav(raw: bytes, strict: bool = True) -> _Wav | None:
    """The parts of a PCM WAV, or ``None`` when the header and the bytes present disagree.

    Every chunk must fit in the bytes present (a truncated file fails); ``strict`` also
    requires the RIFF size to match the file, as it does in entries this module wrote.
    """
    if len(raw) < 12 or raw[:4] != b"RIFF" or raw[8:12] != b"WAVE":
        return None
    (riff_size,) = struct.unpack_from("<I", raw, 4)
    if strict and riff_size + 8 != len(raw):
        return None
    fmt = data = check = None
    pos = 12
    while pos + 8 <= len(raw):
        cid, size = struct.unpack_from("<4sI", raw, pos)
        body_end = pos + 8 + size
        if body_end > len(raw):
            return None
        body = raw[pos + 8 : body_end]
        if cid == b"fmt ":
            fmt = body
        elif cid == b"data":
            data = body
        elif cid == b"LIST" and body[:4] == _LIST_TYPE and body[4:8] == _CHECK_CHUNK:
            check = body[12:]
        pos = body_end + (size % 2)
    if fmt is None or data is None or len(fmt) < 16:
        return None
    audio_format, channels, sample_rate, _, block_align, bits = struct.unpack_from("<HHIIHH", fmt)
    # 0xFFFE is WAVE_FORMAT_EXTENSIBLE, which some engines write for plain PCM.
    if audio_format not in (1, 0xFFFE) or bits not in (8, 16, 24, 32):
        return None
    if channels < 1 or sample_rate <= 0:
        return None
    if block_align != channels * bits // 8 or len(data) % block_align:
        return None
    return _Wav(fmt=fmt, data=data, sample_rate=sample_rate, block_align=block_align, check=check)
