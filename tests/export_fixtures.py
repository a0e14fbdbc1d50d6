"""Small real audio files and images for the export tests (made here, never downloaded)."""

from __future__ import annotations

import struct
import subprocess
import zlib
from pathlib import Path

import numpy as np

from audiocast.runtime import find_ffmpeg

RATE = 44100

CODECS = {
    ".mp3": ("-c:a", "libmp3lame", "-q:a", "4"),
    ".ogg": ("-c:a", "libvorbis"),
    ".opus": ("-c:a", "libopus", "-b:a", "32k"),
    ".flac": ("-c:a", "flac"),
    ".m4a": ("-c:a", "aac", "-b:a", "64k"),
    ".wav": ("-c:a", "pcm_s16le"),
}


def tone(seconds: float, dbfs: float = -20.0, freq: float = 440.0) -> np.ndarray:
    t = np.arange(round(seconds * RATE)) / RATE
    return (10.0 ** (dbfs / 20.0) * np.sin(2.0 * np.pi * freq * t)).astype(np.float32)


def encode(samples: np.ndarray, dest: Path) -> Path:
    """Encode mono float samples at 44.1 kHz (48 kHz for Opus) with the bundled ffmpeg."""
    out_rate = "48000" if dest.suffix == ".opus" else str(RATE)
    subprocess.run(
        [
            find_ffmpeg(),
            "-y",
            "-v",
            "error",
            "-f",
            "f32le",
            "-ar",
            str(RATE),
            "-ac",
            "1",
            "-i",
            "-",
            *CODECS[dest.suffix],
            "-ar",
            out_rate,
            str(dest),
        ],
        input=np.asarray(samples, dtype="<f4").tobytes(),
        check=True,
    )
    return dest


def png_bytes() -> bytes:
    """A valid 1x1 RGB PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xcc\x33\x00")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def jpeg_bytes(tmp: Path) -> bytes:
    """A real JPEG, made by ffmpeg from a generated colour frame."""
    out = tmp / "cover.jpg"
    subprocess.run(
        [
            find_ffmpeg(),
            "-y",
            "-v",
            "error",
            "-f",
            "lavfi",
            "-i",
            "color=c=red:s=16x16",
            "-frames:v",
            "1",
            str(out),
        ],
        check=True,
    )
    return out.read_bytes()


def ffmetadata(path: Path) -> str:
    """ffmpeg's own reading of the file's metadata and chapters (it has no ffprobe here)."""
    return subprocess.run(
        [find_ffmpeg(), "-v", "error", "-i", str(path), "-f", "ffmetadata", "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
