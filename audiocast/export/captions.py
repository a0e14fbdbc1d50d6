"""Captions from caption cues: WebVTT with voice spans, SRT, and a Podcasting 2.0 JSON transcript.

The writers are small and exact rather than built on ``webvtt-py`` or ``srt``: each format is a
few lines of well-specified text, the golden-file tests pin the output byte for byte, and the
project does not then depend on two more packages for what the standard library does.

SRT has no speaker markup, so the speaker is written as a ``Speaker: `` prefix on the first cue
of each turn only (a turn being consecutive cues by the same speaker), as broadcast subtitles
do; repeating it on every cue of a long turn reads badly.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..atomic import write_text_atomic
from ..model import CaptionCue


def _timestamp(seconds: float, sep: str) -> str:
    ms = max(0, round(seconds * 1000))
    hours, ms = divmod(ms, 3_600_000)
    minutes, ms = divmod(ms, 60_000)
    secs, ms = divmod(ms, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}{sep}{ms:03d}"


def _one_line(text: str) -> str:
    """Cue text on one line: a blank line would end the cue in both formats."""
    return " ".join(text.split())


def _lines(text: str) -> str:
    """Cue text keeping its line breaks (at most two lines, from the caption layout) but never
    a blank line, which would end the cue."""
    return "\n".join(" ".join(line.split()) for line in text.splitlines() if line.strip())


def _vtt_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _vtt_voice(speaker: str) -> str:
    # The annotation ends at ">" and must not hold a line break; "&" and "<" are escaped too.
    return _vtt_escape(_one_line(speaker))


def to_vtt(cues: Sequence[CaptionCue]) -> str:
    """A WebVTT file: numbered cues, each speaker's text inside ``<v Speaker>...</v>``."""
    out = ["WEBVTT", ""]
    for i, cue in enumerate(cues, 1):
        text = _vtt_escape(_lines(cue.text))
        if cue.speaker:
            text = f"<v {_vtt_voice(cue.speaker)}>{text}</v>"
        out += [str(i), f"{_timestamp(cue.start, '.')} --> {_timestamp(cue.end, '.')}", text, ""]
    return "\n".join(out)


def to_srt(cues: Sequence[CaptionCue]) -> str:
    """An SRT file; ``Speaker: `` starts the first cue of each turn (see the module docstring)."""
    out: list[str] = []
    previous: str | None = None
    for i, cue in enumerate(cues, 1):
        text = _lines(cue.text)
        if cue.speaker and cue.speaker != previous:
            text = f"{_one_line(cue.speaker)}: {text}"
        previous = cue.speaker
        out += [str(i), f"{_timestamp(cue.start, ',')} --> {_timestamp(cue.end, ',')}", text, ""]
    return "\n".join(out)


def to_transcript_json(cues: Sequence[CaptionCue]) -> dict[str, Any]:
    """A Podcasting 2.0 JSON transcript (``application/json``), times in seconds (ms precision)."""
    segments: list[dict[str, Any]] = []
    for cue in cues:
        segment: dict[str, Any] = {}
        if cue.speaker:
            segment["speaker"] = cue.speaker
        segment["startTime"] = round(cue.start, 3)
        segment["endTime"] = round(cue.end, 3)
        segment["body"] = _one_line(cue.text)
        segments.append(segment)
    return {"version": "1.0.0", "segments": segments}


def caption_paths(base: Path) -> dict[str, Path]:
    """Where :func:`write_captions` writes for ``base`` (``episode`` -> ``episode.vtt`` ...)."""
    base = Path(base)
    return {
        "vtt": base.with_name(base.name + ".vtt"),
        "srt": base.with_name(base.name + ".srt"),
        "json": base.with_name(base.name + ".transcript.json"),
    }


def caption_texts(
    cues: Sequence[CaptionCue], shown: Sequence[CaptionCue] | None = None
) -> dict[str, str]:
    """Each caption file's text, by the keys of :func:`caption_paths` (JSON non-ASCII escaped).

    ``cues`` make the transcript; ``shown`` (default: the same) the VTT and SRT, which the
    render lays out as short cues of at most two lines (``export.caption_layout``).
    """
    shown = cues if shown is None else shown
    return {
        "vtt": to_vtt(shown),
        "srt": to_srt(shown),
        "json": json.dumps(to_transcript_json(cues), indent=2) + "\n",
    }


def write_captions(base: Path, cues: Sequence[CaptionCue]) -> dict[str, Path]:
    """Write ``<base>.vtt``, ``<base>.srt`` and ``<base>.transcript.json``, each atomically.

    ``base`` is the episode path without its audio suffix. Returns the paths by format.
    """
    paths = caption_paths(base)
    for key, text in caption_texts(cues).items():
        write_text_atomic(paths[key], text)
    return paths
