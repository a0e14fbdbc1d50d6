"""Is a synthesized clip good? Engine-agnostic checks every backend and the pool run on each clip.

A clip is rejected when the file is missing, is not a 16-bit mono PCM WAV, carries a header that
disagrees with its size (the engine had not finished writing), is silent, or lasts implausibly
long or short for its text. The duration band is deliberately generous: it catches a dropped or
runaway utterance, not a slow speaker.
"""

from __future__ import annotations

import re
import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..errors import EngineError
from ..model import Clip

SILENCE_DBFS = -60.0
"""RMS below this (relative to 16-bit full scale) counts as silence."""
MIN_FACTOR = 0.25
MAX_FACTOR = 4.0
SHORT_ALLOWANCE = 2.0
"""Seconds added to the upper bound: engines pad short texts with lead-in and end pauses."""
CHARS_PER_WORD = 6.0
"""Long words take longer to say; a word counts as at least len/6 'average' words."""

_WORD = re.compile(r"[^\W_]+", re.UNICODE)


class ClipDefect(EngineError):
    """A clip that fails verification; ``reason`` says how, for retries and reports."""

    def __init__(self, reason: str, message: str, *, path: str | Path | None = None) -> None:
        super().__init__(message, path=path)
        self.reason = reason
        """One of ``missing``, ``empty``, ``invalid``, ``truncated``, ``silent``,
        ``too-short``, ``too-long``."""


@dataclass(frozen=True)
class WavInfo:
    sample_rate: int
    channels: int
    sample_width: int
    data_offset: int
    data_bytes: int
    """As the header declares it."""


def expected_seconds(text: str, rate_wpm: float) -> float:
    """Rough speaking time of ``text`` at ``rate_wpm`` words per minute."""
    words = sum(max(1.0, len(w) / CHARS_PER_WORD) for w in _WORD.findall(text))
    return words * 60.0 / max(rate_wpm, 1.0)


def duration_band(text: str, rate_wpm: float) -> tuple[float, float]:
    """The (shortest, longest) plausible duration in seconds for ``text``."""
    est = expected_seconds(text, rate_wpm)
    return MIN_FACTOR * est, MAX_FACTOR * est + SHORT_ALLOWANCE


def read_header(path: Path, data: bytes) -> WavInfo:
    """Parse a RIFF/WAVE header; raise ``ClipDefect`` (invalid/truncated) when it is unusable."""
    if len(data) < 12 or data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        reason = "truncated" if len(data) < 12 and b"RIFF".startswith(data[:4]) else "invalid"
        raise ClipDefect(reason, "not a WAV file", path=path)
    pos = 12
    fmt: tuple[int, int, int, int] | None = None
    while pos + 8 <= len(data):
        chunk_id = data[pos : pos + 4]
        (size,) = struct.unpack_from("<I", data, pos + 4)
        body = pos + 8
        if chunk_id == b"fmt ":
            if size < 16 or body + 16 > len(data):
                raise ClipDefect("truncated", "WAV format chunk is cut short", path=path)
            tag, channels, rate, _, _, bits = struct.unpack_from("<HHIIHH", data, body)
            fmt = (tag, channels, rate, bits)
        elif chunk_id == b"data":
            if fmt is None:
                raise ClipDefect("invalid", "WAV data comes before its format", path=path)
            tag, channels, rate, bits = fmt
            # 0xFFFE is WAVE_FORMAT_EXTENSIBLE, which some engines write for plain PCM.
            if tag not in (1, 0xFFFE) or bits != 16 or channels != 1 or rate <= 0:
                raise ClipDefect(
                    "invalid",
                    f"WAV is not 16-bit mono PCM (format {tag}, {channels} ch, {bits} bit)",
                    path=path,
                )
            return WavInfo(rate, channels, bits // 8, body, size)
        pos = body + size + (size & 1)
    raise ClipDefect("truncated", "WAV has no complete data chunk", path=path)


def verify_wav(path: Path, text: str, rate_wpm: float) -> Clip:
    """Check a synthesized clip of ``text`` spoken at ``rate_wpm``; return it as a ``Clip``.

    Raises ``ClipDefect`` with ``reason`` set; the message names the file and the defect.
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ClipDefect("missing", "the engine wrote no clip", path=path) from None
    except OSError as exc:
        raise ClipDefect("missing", f"clip unreadable: {exc.strerror}", path=path) from None
    if not data:
        raise ClipDefect("empty", "the clip file is empty", path=path)
    info = read_header(path, data)
    available = len(data) - info.data_offset
    frame_bytes = info.channels * info.sample_width
    if info.data_bytes == 0 and available == 0:
        raise ClipDefect("empty", "the clip has no audio frames", path=path)
    # A header written before the samples (size 0, patched on close) or samples cut off short
    # both mean the engine had not finished; bytes after the data are other chunks, allowed.
    (riff_size,) = struct.unpack_from("<I", data, 4)
    if info.data_bytes == 0 or available < info.data_bytes or riff_size + 8 > len(data):
        raise ClipDefect(
            "truncated",
            f"header declares {info.data_bytes} bytes of audio but {available} are present",
            path=path,
        )
    frames = info.data_bytes // frame_bytes
    samples = np.frombuffer(data, dtype="<i2", count=frames, offset=info.data_offset)
    clip = Clip(path=path, sample_rate=info.sample_rate, frames=frames)
    rms = float(np.sqrt(np.mean(np.square(samples, dtype=np.float64)))) if frames else 0.0
    dbfs = 20.0 * np.log10(rms / 32768.0) if rms > 0 else float("-inf")
    if dbfs < SILENCE_DBFS:
        raise ClipDefect("silent", f"the clip is silent ({dbfs:.0f} dBFS RMS)", path=path)
    low, high = duration_band(text, rate_wpm)
    if clip.duration < low:
        raise ClipDefect(
            "too-short",
            f"clip lasts {clip.duration:.2f} s, expected at least {low:.2f} s for its text",
            path=path,
        )
    if clip.duration > high:
        raise ClipDefect(
            "too-long",
            f"clip lasts {clip.duration:.2f} s, expected at most {high:.2f} s for its text",
            path=path,
        )
    return clip
