"""Where each utterance landed in the episode, and what follows from it: chapters and captions.

Times come from the real clip boundaries the mixer recorded, never from estimates, so a caption
cue starts when its words start.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from .model import CaptionCue, Chapter, Script
from .plan import Utterance

TITLE_WORDS = 8
MAX_QUESTIONS = 60
"""A chapter per host question, up to this many (a long show asks hundreds); past it, questions
spread evenly through the interview. ID3's table of contents holds at most 255 entries."""


@dataclass(frozen=True)
class Placement:
    start: float
    end: float
    utterance: Utterance


@dataclass(frozen=True)
class Timeline:
    placements: tuple[Placement, ...]
    duration: float
    intro_end: float | None = None
    """Where the intro bumper ends (``None`` without an intro)."""
    outro_start: float | None = None

    def segment_starts(self) -> dict[int, float]:
        starts: dict[int, float] = {}
        for p in self.placements:
            if p.utterance.segment is not None:
                starts.setdefault(p.utterance.segment, p.start)
        return starts


def short_title(text: str, words: int = TITLE_WORDS) -> str:
    """A chapter title from a sentence: its first words, cut at a word, with an ellipsis."""
    flat = re.sub(r"\s+", " ", text).strip()
    parts = flat.split(" ")
    if len(parts) <= words:
        return flat.rstrip(".,;:")
    return " ".join(parts[:words]).rstrip(".,;:—-") + "…"


def _question(text: str) -> str | None:
    """The question a host turn asks (its last sentence ending in '?'), if any."""
    found = re.findall(r"[^.!?]*\?", text)
    return found[-1].strip() if found else None


def _spread(items: list[tuple[int, str]], most: int) -> list[tuple[int, str]]:
    """At most ``most`` of ``items``, evenly spaced, always including the first."""
    if len(items) <= most:
        return items
    step = len(items) / most
    return [items[int(k * step)] for k in range(most)]


def chapters(script: Script, timeline: Timeline, host: str | None) -> list[Chapter]:
    """Intro, each narrated section, the interview (a chapter per host question), outro.

    When the script names chapters itself (``chapter:`` on segments), those replace the automatic
    ones between intro and outro.
    """
    starts = timeline.segment_starts()
    marks: list[tuple[float, str]] = []
    if timeline.intro_end is not None:
        marks.append((0.0, "Intro"))
    explicit = [(i, s.chapter) for i, s in enumerate(script.segments) if s.chapter and i in starts]
    if explicit:
        marks.extend((starts[i], title) for i, title in explicit if title)
    else:
        marks.extend(_automatic(script, starts, host))
    if timeline.outro_start is not None:
        marks.append((timeline.outro_start, "Outro"))
    marks.sort(key=lambda m: m[0])
    if marks and timeline.intro_end is None and marks[0][0] > 0.0:
        marks[0] = (0.0, marks[0][1])
    out: list[Chapter] = []
    for n, (start, title) in enumerate(marks):
        if out and abs(out[-1].start - start) < 1e-6:
            continue
        end = marks[n + 1][0] if n + 1 < len(marks) else timeline.duration
        out.append(Chapter(start=round(start, 3), title=title, end=round(end, 3)))
    return out


def _automatic(
    script: Script, starts: dict[int, float], host: str | None
) -> list[tuple[float, str]]:
    marks: list[tuple[float, str]] = []
    questions = [
        (i, q)
        for i, s in enumerate(script.segments)
        if s.kind == "turn" and s.speaker == host and i in starts
        for q in [_question(s.text)]
        if q
    ]
    in_narration = False
    interview_marked = False
    for i, segment in enumerate(script.segments):
        if i not in starts:
            continue
        if segment.kind == "narration":
            if not in_narration:
                marks.append((starts[i], short_title(segment.text)))
            in_narration = True
            continue
        if segment.kind != "turn":
            continue
        if in_narration or not interview_marked:
            if not questions:
                marks.append((starts[i], script.title or "Interview"))
            elif i < questions[0][0]:
                marks.append((starts[i], "Interview"))
            interview_marked = True
        in_narration = False
    marks.extend((starts[i], short_title(q, 10)) for i, q in _spread(questions, MAX_QUESTIONS))
    return marks


def captions(placements: Sequence[Placement]) -> list[CaptionCue]:
    """Caption cues: sentences joined while they fit, each cue timed by its real clips."""
    cues: list[CaptionCue] = []
    current: list[Placement] = []

    def flush() -> None:
        if current:
            text = " ".join(p.utterance.text for p in current)
            cues.append(
                CaptionCue(
                    start=round(current[0].start, 3),
                    end=round(current[-1].end, 3),
                    text=text,
                    speaker=current[0].utterance.speaker,
                )
            )
            current.clear()

    for p in placements:
        if p.utterance.new_cue:
            flush()
        current.append(p)
    flush()
    return cues
