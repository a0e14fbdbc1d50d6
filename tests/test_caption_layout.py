"""Captions as viewers read them: 42 characters a line, two lines, about 7 s, split at clauses."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import srt
import webvtt

from audiocast.export.caption_layout import LINE_CHARS, MAX_LINES, MAX_SECONDS, layout
from audiocast.model import CaptionCue
from audiocast.pipeline import RenderOptions, render

LONG = (
    "When we first planted the plot, the neighbours thought we were mad, because nobody had "
    "seen a forest grow on tarmac, and the council wanted a car park back by the summer."
)


def _check(cues: list[CaptionCue]) -> None:
    for cue in cues:
        lines = cue.text.split("\n")
        assert len(lines) <= MAX_LINES, cue
        assert all(len(line) <= LINE_CHARS for line in lines), cue
        assert cue.end - cue.start <= MAX_SECONDS + 0.01, cue


def test_a_long_sentence_is_split_at_clause_boundaries() -> None:
    cues = layout([CaptionCue(10.0, 22.0, LONG, None)])
    _check(cues)
    assert len(cues) >= 3
    assert " ".join(" ".join(c.text.split()) for c in cues) == LONG
    # every cue but the last ends on a clause: a comma, not mid-phrase
    assert all(" ".join(c.text.split()).endswith(",") for c in cues[:-1])
    assert cues[0].start == 10.0 and cues[-1].end == 22.0
    assert all(a.end == b.start for a, b in itertools.pairwise(cues))


def test_the_srt_speaker_label_fits_in_the_first_line() -> None:
    cues = layout(
        [CaptionCue(0.0, 3.0, "A short sentence that nearly fills a line.", "Dr. Ada Okafor")]
    )
    first = cues[0].text.split("\n")[0]
    assert len("Dr. Ada Okafor: " + first) <= LINE_CHARS


def test_short_sentences_of_one_speaker_share_a_cue() -> None:
    cues = layout([CaptionCue(0.0, 0.5, "Yes.", "Bo"), CaptionCue(0.8, 1.6, "Of course.", "Bo")])
    assert [c.text for c in cues] == ["Yes. Of course."]


def test_rendered_captions_fit_and_the_transcript_keeps_whole_sentences(
    tmp_path: Path, session_cache: Path
) -> None:
    script = tmp_path / "long.txt"
    script.write_text(f"Ann, HOST: {LONG}\n\nBo: Indeed. [laughs]\n", encoding="utf-8")
    out = tmp_path / "long.mp3"
    result = render(script, RenderOptions(output=out, cache_dir=session_cache, use_intro=False))
    vtt = list(webvtt.read(str(out.with_suffix(".vtt"))))
    subs = list(srt.parse(out.with_suffix(".srt").read_text(encoding="utf-8")))
    for text in [c.text for c in vtt] + [s.content for s in subs]:
        lines = text.split("\n")
        assert len(lines) <= MAX_LINES and all(len(line) <= LINE_CHARS for line in lines), text
    _check(list(result.captions))
    segments = json.loads(out.with_suffix(".transcript.json").read_text("utf-8"))["segments"]
    assert LONG in [s["body"] for s in segments]
    assert any("[laughs]" in c.text for c in vtt)
    assert any("[laughs]" in s.content for s in subs)
    assert any("[laughs]" in s["body"] for s in segments)
