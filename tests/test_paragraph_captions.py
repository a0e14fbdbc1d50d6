"""Every paragraph of a turn starts a caption cue of its own, also one that opens with a sound
cue such as ``(laughs)``: in the VTT, the SRT and the transcript of a real render."""

from __future__ import annotations

import json
from pathlib import Path

import srt
import webvtt

from audiocast.pipeline import RenderOptions, render

SCRIPT = """\
Ann, HOST: Where did it start?

Bo: On a train.

(laughs) Then it grew.

We kept going.

(chuckles) It was fun.
"""
PARAGRAPHS = ["On a train.", "[laughs] Then it grew.", "We kept going.", "[chuckles] It was fun."]


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_each_paragraph_starts_a_cue_in_vtt_srt_and_transcript(
    tmp_path: Path, session_cache: Path
) -> None:
    script = tmp_path / "train.txt"
    script.write_text(SCRIPT, encoding="utf-8")
    out = tmp_path / "train.mp3"
    options = RenderOptions(
        output=out, cache_dir=session_cache, use_intro=False, use_outro=False, page=False
    )
    render(script, options)
    vtt = [_flat(c.text) for c in webvtt.read(str(out.with_suffix(".vtt")))]
    subs = [_flat(s.content) for s in srt.parse(out.with_suffix(".srt").read_text("utf-8"))]
    segments = json.loads(out.with_suffix(".transcript.json").read_text("utf-8"))["segments"]
    body = [_flat(s["body"]) for s in segments]
    assert vtt == ["Where did it start?", *PARAGRAPHS], vtt
    assert subs == ["Ann: Where did it start?", f"Bo: {PARAGRAPHS[0]}", *PARAGRAPHS[1:]], subs
    assert body == ["Where did it start?", *PARAGRAPHS], body
