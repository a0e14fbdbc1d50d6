"""What a listener's app will see in an episode file: duration, loudness, tags, chapters.

The audio is decoded by ffmpeg to raw float32 PCM on a pipe and metered chunk by chunk, so
memory stays flat for any length (no ffprobe needed: the bundled ffmpeg has none).
"""

from __future__ import annotations

import contextlib
import math
import struct
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import mutagen
import numpy as np
import numpy.typing as npt

from ..errors import AudioError, InputError
from ..master import Measurement, Meter
from ..runtime import find_ffmpeg
from .read_ahead import ReadAhead
from .tags import read_tags

_CHUNK_SECONDS = 1.0
FloatArray32 = npt.NDArray[np.float32]


def decode_frames(
    path: Path, rate: int, channels: int, seconds: float, duration: float | None = None
) -> Iterator[FloatArray32]:
    """The file's first audio stream decoded by ffmpeg, as ``(frames, channels)`` float32
    chunks of about ``seconds`` each (only its first ``duration`` seconds when given); raises
    ``AudioError`` when ffmpeg cannot decode it."""
    args = ["-f", "f32le", "-acodec", "pcm_f32le", "-ar", str(rate), "-ac", str(channels)]
    if duration is not None:
        args = ["-t", f"{duration:.6f}", *args]
    with _decoder(path, args) as out:
        yield from _chunks(out, rate, channels, seconds)


@dataclass(frozen=True)
class FileLevels:
    """An episode file as the decoder gives it to a player."""

    measurement: Measurement
    rate: int
    channels: int
    """What the decoder outputs: container headers can say otherwise (an AAC in MP4 says 2)."""


def measure_file(path: Path) -> Measurement:
    """BS.1770 measurement of the decoded file (channels' energies summed, as the standard
    weights L/R/C); raises ``AudioError`` when ffmpeg cannot decode it."""
    return file_levels(path).measurement


def file_levels(path: Path, peak_histogram: bool = True) -> FileLevels:
    """:func:`measure_file` with the decoder's own sample rate and channel count (and, with
    ``peak_histogram=False``, no peak histogram: a measurement that predicts no limiter).

    The true peak is read at 4x the decoded rate, as ffmpeg's ``ebur128=peak=true`` reads it,
    on the channels the decoder outputs: nothing is up- or down-mixed first.
    """
    path = Path(path)
    args = ["-map_metadata", "-1", "-fflags", "+bitexact", "-flags:a", "+bitexact"]
    args += ["-f", "wav", "-acodec", "pcm_f32le"]
    with _decoder(path, args) as out:
        header = _wav_header(out)
        rate, channels = header or (0, 0)
        meters = [Meter(rate, peak_histogram=peak_histogram) for _ in range(channels)]
        for frames in _chunks(out, rate, channels, _CHUNK_SECONDS) if meters else ():
            for ch, meter in enumerate(meters):
                meter.feed(frames[:, ch])
    if not meters:
        raise AudioError("ffmpeg cannot decode the file: it wrote no audio", path=path)
    results = [m.result() for m in meters]
    first = results[0]
    if channels == 1:
        return FileLevels(first, rate, 1)
    whole = Measurement(
        rate,
        np.sum([r.energy for r in results], axis=0),
        first.counts,
        max(r.peak for r in results),
        max(r.true_peak for r in results),
        np.sum([r.peak_energy for r in results], axis=0),
    )
    return FileLevels(whole, rate, channels)


@contextlib.contextmanager
def _decoder(path: Path, output_args: list[str]) -> Iterator[ReadAhead]:
    """ffmpeg decoding ``path``'s first audio stream to its stdout, given here to read; raises
    ``AudioError`` (with ffmpeg's last line) when it fails."""
    cmd = [find_ffmpeg(), "-nostdin", "-v", "error", "-i", str(path), "-map", "0:a:0"]
    cmd += [*output_args, "-"]
    # stderr goes to a file: a damaged file makes ffmpeg log a line per bad frame, more than a
    # pipe holds, and a full stderr pipe would stall it while we wait on stdout (a deadlock).
    with (
        tempfile.TemporaryFile() as stderr,
        subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=stderr) as proc,
    ):
        assert proc.stdout is not None
        reader = ReadAhead(proc.stdout)
        try:
            yield reader
        except BaseException:
            proc.kill()  # a stop or a failed caller: the rest is not wanted
            raise
        finally:
            reader.close()  # drops what the caller left unread, so ffmpeg can finish
        code = proc.wait()
        stderr.seek(0)
        errors = stderr.read().decode("utf-8", "replace").strip()
    if code != 0:
        last = errors.splitlines()[-1] if errors else f"exit status {code}"
        raise AudioError(f"ffmpeg cannot decode the file: {last}", path=path)


def _chunks(out: ReadAhead, rate: int, channels: int, seconds: float) -> Iterator[FloatArray32]:
    frame_bytes = 4 * channels
    chunk = int(rate * seconds) * frame_bytes
    pending = b""
    while data := out.read(chunk):
        data = pending + data
        usable = len(data) // frame_bytes * frame_bytes
        pending = data[usable:]
        yield np.frombuffer(data[:usable], dtype="<f4").reshape(-1, channels)


def _wav_header(stream: ReadAhead) -> tuple[int, int] | None:
    """(sample rate, channels) from the WAV header ffmpeg writes on a pipe, read up to the
    samples; None when the stream holds no WAV (ffmpeg could not decode the file)."""
    if _read_exactly(stream, 12)[8:] != b"WAVE":
        return None
    fmt: tuple[int, int] | None = None
    while len(head := _read_exactly(stream, 8)) == 8:
        name, size = head[:4], struct.unpack("<I", head[4:])[0]
        if name == b"data":
            return fmt
        body = _read_exactly(stream, min(size, 1 << 16))
        if name == b"fmt " and len(body) >= 8:
            channels, rate = struct.unpack("<HI", body[2:8])
            fmt = (rate, min(channels, 8)) if channels and rate else None
    return None


def _read_exactly(stream: ReadAhead, size: int) -> bytes:
    data = b""
    while len(data) < size and (more := stream.read(size - len(data))):
        data += more
    return data


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
    ``None`` values for silence; absent when ``loudness`` is false), ``channels`` and
    ``sample_rate`` as decoded (absent without ``loudness``), ``tags`` and ``chapters``
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
        levels = file_levels(path)
        m = levels.measurement
        duration = m.duration
        info["channels"] = levels.channels
        info["sample_rate"] = levels.rate
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
    if "channels" in info:
        layout = {1: "mono", 2: "stereo"}.get(info["channels"], f"{info['channels']} channels")
        lines.append(f"  audio      {layout}, {info['sample_rate']:,} Hz")
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
