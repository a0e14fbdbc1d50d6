"""Where chapters start and what they are called, from the script and where its words landed.

A chapter starts where the script marks a new part (a heading, a ``---`` rule, a ``**Break**``
cue, YAML ``chapter:``), where narration gives way to the interview and back, and at each
question a host asks (every speaker with a host-like role asks; without any, the first
speaker). A narrated section is titled by its heading or its first sentence, cut at a word.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from .announce import hosts
from .model import Chapter, Script, Segment
from .normalize import split_sentences
from .pacing import is_break

if TYPE_CHECKING:
    from .timeline import Timeline

TITLE_WORDS = 8
MAX_QUESTIONS = 60
"""A chapter per host question, up to this many (a long show asks hundreds); past it, questions
spread evenly through the interview. ID3's table of contents holds at most 255 entries."""


def short_title(text: str, words: int = TITLE_WORDS) -> str:
    """A chapter title from a sentence: its first words, cut at a word, with an ellipsis."""
    flat = re.sub(r"\s+", " ", text).strip()
    parts = flat.split(" ")
    if len(parts) <= words:
        return flat.rstrip(".,;:")
    return " ".join(parts[:words]).rstrip(".,;:—-") + "…"


def _first_sentence(text: str) -> str:
    sentences = [s.strip() for s in split_sentences(text) if s.strip()]
    return sentences[0] if sentences else text


def _question(text: str) -> str | None:
    """The question a host turn asks (its last sentence ending in '?'), if any.

    Sentences come from the same splitter as speech, so ``Dr.`` and ``3.5`` stay inside them.
    """
    found = [s.strip() for s in split_sentences(text) if s.strip().rstrip("\"')”’»").endswith("?")]
    return found[-1] if found else None


def _spread(items: list[tuple[int, str]], most: int) -> list[tuple[int, str]]:
    """At most ``most`` of ``items``, evenly spaced, always including the first."""
    if len(items) <= most:
        return items
    step = len(items) / most
    return [items[int(k * step)] for k in range(most)]


def chapters(
    script: Script, timeline: Timeline, host: str | Sequence[str] | None = None
) -> list[Chapter]:
    """Intro, each part of the script (see the module docstring), a chapter per host question,
    outro. ``host`` names who asks (default: :func:`announce.hosts`).

    A YAML script that names chapters itself (``chapter:`` on segments) gets exactly those
    between intro and outro.
    """
    starts = timeline.segment_starts()
    marks: list[tuple[float, str]] = []
    if timeline.intro_end is not None:
        marks.append((0.0, "Intro"))
    named = [(i, s.chapter) for i, s in enumerate(script.segments) if s.chapter and i in starts]
    if named and script.format == "yaml":
        marks.extend((starts[i], title) for i, title in named if title)
    else:
        askers = hosts(script) if host is None else [host] if isinstance(host, str) else host
        marks.extend(_automatic(script, starts, set(askers)))
    if timeline.outro_start is not None:
        marks.append((timeline.outro_start, "Outro"))
    marks.sort(key=lambda m: m[0])
    if marks and timeline.intro_end is None and marks[0][0] > 0.0:
        marks[0] = (0.0, marks[0][1])
    kept: list[tuple[float, str]] = []
    for start, title in marks:
        if not kept or abs(kept[-1][0] - start) >= 1e-6:  # one chapter per moment: the first
            kept.append((start, title))
    return [
        Chapter(start=round(start, 3), title=title, end=round(end, 3))
        for (start, title), end in zip(
            kept, [s for s, _ in kept[1:]] + [timeline.duration], strict=True
        )
    ]


def _starts_part(script: Script, previous: int | None, index: int) -> bool:
    segment = script.segments[index]
    if previous is None or segment.chapter is not None:
        return True
    between = script.segments[previous + 1 : index]
    if any(s.kind == "cue" and is_break(s.text) for s in between):
        return True
    before = script.segments[previous]
    if before.kind == "narration" and before.chapter and before.text == before.chapter:
        return False  # a heading: the part it names goes on into the interview below it
    return (segment.kind == "narration") != (before.kind == "narration")


def _part_title(segment: Segment, question: str | None, fallback: str) -> str:
    if segment.chapter:
        return segment.chapter
    if segment.kind == "narration":
        return short_title(_first_sentence(segment.text))
    return short_title(question, 10) if question else fallback


def _automatic(
    script: Script, starts: dict[int, float], askers: set[str]
) -> list[tuple[float, str]]:
    questions = [
        (i, q)
        for i, s in enumerate(script.segments)
        if s.kind == "turn" and s.speaker in askers and i in starts
        for q in [_question(s.text)]
        if q
    ]
    asked = dict(questions)
    fallback = "Interview" if questions else (script.title or "Interview")
    marks: list[tuple[float, str]] = []
    previous: int | None = None
    for i, segment in enumerate(script.segments):
        if i not in starts or segment.kind == "cue":
            continue
        if _starts_part(script, previous, i):
            marks.append((starts[i], _part_title(segment, asked.get(i), fallback)))
        previous = i
    marks.extend((starts[i], short_title(q, 10)) for i, q in _spread(questions, MAX_QUESTIONS))
    return marks
