"""Chapters inside MP4/M4A episodes, through ffmpeg's chapter muxing.

mutagen cannot write MP4 chapter tracks, so ffmpeg remuxes the file (``-c copy``: no
re-encoding) with chapters read from an FFMETADATA file. Its MP4 muxer writes them as a
QuickTime chapter track, which Apple Podcasts, VLC and ffprobe list. ffmpeg reads them back
too (``-f ffmetadata``), so no ffprobe is needed (the bundled ffmpeg has none).
"""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

from ..errors import AudioError
from ..model import Chapter
from ..runtime import find_ffmpeg
from .chapters import chapter_ends

_SPECIAL = re.compile(r"([=;#\\\n])")


def _escape(value: str) -> str:
    """FFMETADATA escapes ``=``, ``;``, ``#``, ``\\`` and newlines with a backslash."""
    return _SPECIAL.sub(r"\\\1", value)


def ffmetadata(chapters: Sequence[Chapter], duration: float | None = None) -> str:
    """The FFMETADATA1 text for ``chapters`` (milliseconds)."""
    out = [";FFMETADATA1"]
    for chapter, end in zip(chapters, chapter_ends(chapters, duration), strict=True):
        start_ms = round(chapter.start * 1000)
        out += [
            "[CHAPTER]",
            "TIMEBASE=1/1000",
            f"START={start_ms}",
            f"END={max(start_ms, round(end * 1000))}",
            f"title={_escape(chapter.title)}",
        ]
    return "\n".join(out) + "\n"


def mux_chapters(path: Path, chapters: Sequence[Chapter], duration: float | None = None) -> None:
    """Rewrite the MP4 file at ``path`` in place with ``chapters`` (its audio is copied)."""
    if not chapters:
        return
    path = Path(path)
    with tempfile.TemporaryDirectory(prefix="audiocast-chapters-") as folder:
        meta = Path(folder) / "chapters.txt"
        meta.write_text(ffmetadata(chapters, duration), encoding="utf-8")
        out = Path(folder) / f"out{path.suffix}"
        cmd = [find_ffmpeg(), "-nostdin", "-v", "error", "-y", "-i", str(path), "-i", str(meta)]
        cmd += ["-map", "0:a", "-map_metadata", "0", "-map_chapters", "1", "-c", "copy"]
        cmd += ["-f", "ipod" if path.suffix.lower() in (".m4a", ".m4b") else "mp4", str(out)]
        done = subprocess.run(cmd, capture_output=True, check=False)
        if done.returncode != 0:
            reason = done.stderr.decode("utf-8", "replace").strip().splitlines()
            raise AudioError(
                f"cannot write MP4 chapters: {reason[-1] if reason else 'ffmpeg failed'}",
                path=path,
            )
        os.replace(out, path)


def read_mp4_chapters(path: Path) -> list[Chapter]:
    """The chapters ffmpeg finds in the MP4 file at ``path`` (empty when none)."""
    cmd = [find_ffmpeg(), "-nostdin", "-v", "error", "-i", str(path), "-f", "ffmetadata", "-"]
    done = subprocess.run(cmd, capture_output=True, check=False)
    if done.returncode != 0:
        return []
    found: list[Chapter] = []
    for block in done.stdout.decode("utf-8", "replace").split("[CHAPTER]")[1:]:
        fields: dict[str, str] = {}
        for line in re.split(r"(?<!\\)\n", block):
            key, sep, value = line.partition("=")
            if sep:
                fields[key.strip()] = re.sub(r"\\(.)", r"\1", value, flags=re.S)
        num, _, den = fields.get("TIMEBASE", "1/1000").partition("/")
        scale = int(num) / int(den or 1)
        found.append(
            Chapter(
                start=int(fields.get("START", 0)) * scale,
                title=fields.get("title", f"Chapter {len(found) + 1}"),
                end=int(fields.get("END", 0)) * scale,
            )
        )
    return found
