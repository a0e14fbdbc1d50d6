"""What a listener's app will see in an episode file: duration, loudness, tags, chapters.

The audio is decoded by ffmpeg to raw float32 PCM on a pipe and metered chunk by chunk, so
memory stays flat for any length (no ffprobe needed: the bundled ffmpeg has none).
"""

from __future__ import annotations

import math
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import mutagen
import numpy as np
import numpy.typing as npt

from ..errors import AudioError, InputError
from ..master import Measurement, Meter
from ..runtime import find_ffmpeg
from .tags import read_tags

_CHUNK_SECONDS = 1.0
FloatArray32 = npt.NDArray[np.float32]


def _stream_format(path: Path) -> tuple[int, int]:
    """(sample rate, channels) from the file's headers; (48000, 1) when mutagen cannot tell."""
    try:
        info = getattr(mutagen.File(path), "info", None)
    except mutagen.MutagenError:
        info = None
    rate = int(getattr(info, "sample_rate", 0) or 48000)
    channels = int(getattr(info, "channels", 0) or 1)
    return rate, max(1, min(channels, 8))


def decode_frames(path: Path, rate: int, channels: int, seconds: float) -> Iterator[FloatArray32]:
    """The file's first audio stream decoded by ffmpeg, as ``(frames, channels)`` float32
    chunks of about ``seconds`` each; raises ``AudioError`` when ffmpeg cannot decode it."""
    cmd = [
        find_ffmpeg(), "-nostdin", "-v", "error", "-i", str(path), "-map", "0:a:0",
        "-f", "f32le", "-acodec", "pcm_f32le", "-ar", str(rate), "-ac", str(channels), "-",
    ]  # fmt: skip
    frame_bytes = 4 * channels
    chunk = int(rate * seconds) * frame_bytes
    # stderr goes to a file: a damaged file makes ffmpeg log a line per bad frame, more than a
    # pipe holds, and a full stderr pipe would stall it while we wait on stdout (a deadlock).
    with (
        tempfile.TemporaryFile() as stderr,
        subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=stderr) as proc,
    ):
        assert proc.stdout is not None
        pending = b""
        while True:
            data = proc.stdout.read(chunk)
            if not data:
                break
            data = pending + data
            usable = len(data) // frame_bytes * frame_bytes
            pending = data[usable:]
            yield np.frombuffer(data[:usable], dtype="<f4").reshape(-1, channels)
        code = proc.wait()
        stderr.seek(0)
        errors = stderr.read().decode("utf-8", "replace").strip()
    if code != 0:
        last = errors.splitlines()[-1] if errors else f"exit status {code}"
        raise AudioError(f"ffmpeg cannot decode the file: {last}", path=path)


def measure_file(path: Path) -> Measurement:
    """BS.1770 measurement of the decoded file (channels' energies summed, as the standard
    weights L/R/C); raises ``AudioError`` when ffmpeg cannot decode it."""
    path = Path(path)
    rate, channels = _stream_format(path)
    meters = [Meter(rate) for _ in range(channels)]
    for frames in decode_frames(path, rate, channels, _CHUNK_SECONDS):
        for ch, meter in enumerate(meters):
            meter.feed(frames[:, ch])
    results = [m.result() for m in meters]
    first = results[0]
    if channels == 1:
        return first
    return Measurement(
        rate,
        np.sum([r.energy for r in results], axis=0),
        first.counts,
        max(r.peak for r in results),
        max(r.true_peak for r in results),
        np.sum([r.peak_energy for r in results], axis=0),
    )


def _finite(value: float | None) -> float | None:
    if value is None or not math.isfinite(value):
        return None
    return round(value, 2)


MAX_EPISODE_BYTES = 8 * 1024**3
"""Ten hours of 320 kb/s MP3 are 1.4 GB: a file past this is not an episode (or is sparse)."""


def episode_info(path: Path, loudness: bool = True) -> dict[str, Any]:
    """Everything ``audiocast info`` shows, as JSON-ready values.

    Keys: ``path``, ``size`` (bytes), ``duration`` (seconds, decoded length when measured),
    ``loudness`` (``integrated`` LUFS, ``true_peak`` dBTP, ``sample_peak`` dBFS, ``range`` LU;
    ``None`` values for silence; absent when ``loudness`` is false), ``tags`` and ``chapters``
    (``[{start, end, title}]``). Raises ``InputError`` for a missing file.
    """
    path = Path(path)
    if not path.exists():
        raise InputError("episode file not found", path=path)
    if not path.is_file():
        raise InputError("not a regular file (a device, pipe or folder)", path=path)
    if path.stat().st_size > MAX_EPISODE_BYTES:
        raise InputError(
            f"too large to be an episode ({path.stat().st_size / 1024**3:,.1f} GB)",
            path=path,
            hint="is this the right file?",
        )
    tags = read_tags(path)
    chapters = tags.pop("chapters")
    info: dict[str, Any] = {"path": str(path), "size": path.stat().st_size}
    try:
        header = getattr(mutagen.File(path), "info", None)
    except mutagen.MutagenError:
        header = None
    duration = getattr(header, "length", None)
    if loudness:
        m = measure_file(path)
        duration = m.duration
        info["loudness"] = {
            "integrated": _finite(m.integrated),
            "true_peak": _finite(m.true_peak_db),
            "sample_peak": _finite(m.sample_peak_db),
            "range": round(m.loudness_range, 2),
        }
    info["duration"] = round(float(duration), 3) if duration else None
    info["tags"] = tags
    info["chapters"] = chapters
    return info


def _clock(seconds: float | None) -> str:
    if seconds is None:
        return "unknown"
    ms = round(seconds * 1000)
    h, ms = divmod(ms, 3_600_000)
    m, ms = divmod(ms, 60_000)
    s, ms = divmod(ms, 1000)
    return f"{h}:{m:02d}:{s:02d}.{ms:03d}" if h else f"{m}:{s:02d}.{ms:03d}"


def _num(value: float | None, unit: str) -> str:
    return f"{value:.1f} {unit}" if value is not None else f"-inf {unit}"


def format_info(info: dict[str, Any]) -> str:
    """:func:`episode_info` as a few aligned lines for people."""
    lines = [f"{info['path']}", f"  duration   {_clock(info.get('duration'))}"]
    lines.append(f"  size       {info['size']:,} bytes")
    loud = info.get("loudness")
    if loud:
        lines.append(
            f"  loudness   {_num(loud['integrated'], 'LUFS')}, true peak "
            f"{_num(loud['true_peak'], 'dBTP')}, range {loud['range']:.1f} LU"
        )
    tags = info.get("tags") or {}
    for key in ("title", "show", "artist", "author", "date", "language", "genre", "description"):
        if tags.get(key):
            text = " ".join(str(tags[key]).split())
            lines.append(f"  {key:<10} {text[:70] + '...' if len(text) > 73 else text}")
    if "explicit" in tags:
        lines.append(f"  {'explicit':<10} {'yes' if tags['explicit'] else 'no'}")
    if tags.get("cover"):
        cover = tags["cover"]
        lines.append(f"  {'cover':<10} {cover['mime']}, {cover['bytes']:,} bytes")
    chapters = info.get("chapters") or []
    lines.append(f"  chapters   {len(chapters) or 'none'}")
    for c in chapters:
        lines.append(f"    {_clock(c['start']):>11}  {c['title']}")
    return "\n".join(lines)
