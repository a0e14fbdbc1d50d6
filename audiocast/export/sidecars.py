"""The files a render writes beside the episode: chapters JSON, WebVTT, SRT, JSON transcript.

Staged in the render's ``OutputSet``, so they are committed together with the episode: all of
them replace the earlier ones, or none do.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ..model import CaptionCue, Chapter
from ..outputs import OutputSet
from .captions import caption_paths, caption_texts
from .chapters import chapters_path, chapters_text


def sidecar_paths(episode: Path) -> dict[str, Path]:
    """Where the sidecars of ``episode`` go, in the order they are written."""
    captions = caption_paths(episode.with_suffix(""))
    return {
        "chapters": chapters_path(episode),
        "vtt": captions["vtt"],
        "srt": captions["srt"],
        "transcript": captions["json"],
    }


def stage_sidecars(
    outputs: OutputSet,
    episode: Path,
    chapters: Sequence[Chapter],
    title: str | None,
    cues: Sequence[CaptionCue],
    shown: Sequence[CaptionCue] | None = None,
) -> list[Path]:
    """Write every sidecar of ``episode`` to a temporary that ``outputs`` commits; their paths.

    ``cues`` are the transcript's (whole sentences), ``shown`` the VTT/SRT display cues."""
    captions = caption_texts(cues, shown)
    texts = {
        "chapters": chapters_text(chapters, title),
        "vtt": captions["vtt"],
        "srt": captions["srt"],
        "transcript": captions["json"],
    }
    written = []
    for key, path in sidecar_paths(episode).items():
        outputs.stage(path).write_text(texts[key], encoding="utf-8")
        written.append(path)
    return written
