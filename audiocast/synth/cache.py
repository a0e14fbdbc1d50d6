"""A content-addressed store of synthesized clips, safe to share between concurrent renders.

An entry is ``<dir>/<key[:2]>/<key>.wav``: the clip's WAV with one extra chunk after the audio
(a ``LIST`` of type ``acau`` holding the frame count and CRC-32 of the samples), so an entry
checks itself and stays one file, written to a temporary name and renamed into place. WAV
readers (``wave``, scipy, ffmpeg) skip ``LIST`` chunks they do not know. An entry that fails
its check is deleted and reported as a miss, so it is re-made.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import struct
import tempfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import EngineError, OutputError
from ..model import Clip, SpeechRequest

CACHE_ENV = "AUDIOCAST_CACHE_DIR"
KEY_FORMAT = 1
"""Bumped when what goes into a key, or the entry layout, changes: old entries then miss."""
_LIST_TYPE = b"acau"
_CHECK_CHUNK = b"acck"
_TMP_PREFIX = ".tmp-"
_PUT_ATTEMPTS = 5


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

    def __init__(self, directory: Path | str | None = None) -> None:
        self.directory = Path(directory) if directory is not None else default_cache_dir()

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

    def get(self, key: str) -> Clip | None:
        """The clip stored under ``key``, or ``None``; a damaged entry is deleted (a miss)."""
        path = self.path_for(key)
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError:
            return None
        wav = _parse_wav(raw)
        if wav is None or wav.check != _check_body(wav.data, wav.block_align):
            path.unlink(missing_ok=True)
            return None
        return Clip(path=path, sample_rate=wav.sample_rate, frames=wav.frames)

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
        blob = _entry_bytes(wav)
        # A `cache clear` in another process may remove the folder or our temporary file
        # between the steps below (FileNotFoundError): start again, a few times.
        for attempt in range(_PUT_ATTEMPTS):
            try:
                self._write_entry(dest, blob)
                break
            except FileNotFoundError:
                if attempt == _PUT_ATTEMPTS - 1:
                    raise OutputError(
                        "the clip cache keeps vanishing while being written",
                        path=self.directory,
                        hint="is another process clearing it? or use --no-cache",
                    ) from None
        return Clip(path=dest, sample_rate=wav.sample_rate, frames=wav.frames)

    def _write_entry(self, dest: Path, blob: bytes) -> None:
        """Write ``blob`` to ``dest`` atomically; FileNotFoundError passes through."""
        try:
            dest.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp_name = tempfile.mkstemp(prefix=_TMP_PREFIX, suffix=".wav", dir=dest.parent)
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
        """Delete every entry (and leftovers of interrupted writes); return the entries removed."""
        removed = 0
        for path in self._entries():
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
                removed += 1
        if self.directory.is_dir():
            for leftover in self.directory.glob(f"??/{_TMP_PREFIX}*"):
                leftover.unlink(missing_ok=True)
            for sub in self.directory.iterdir():
                if sub.is_dir() and len(sub.name) == 2:
                    with contextlib.suppress(OSError):
                        sub.rmdir()
        return removed

    def _entries(self) -> Iterator[Path]:
        if not self.directory.is_dir():
            return iter(())
        return (p for p in self.directory.glob("??/*.wav") if not p.name.startswith("."))


def _check_body(data: bytes, block_align: int) -> bytes:
    return struct.pack("<QI", len(data) // block_align, zlib.crc32(data))


def _entry_bytes(wav: _Wav) -> bytes:
    check = _check_body(wav.data, wav.block_align)
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
