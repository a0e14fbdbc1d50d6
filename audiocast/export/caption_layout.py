"""Caption cues as viewers read them: short lines, few of them, on screen long enough.

Broadcast caption guidelines (BBC, Netflix, FCC practice) agree on the shape: at most 42
characters a line, at most two lines, a cue on screen for at most about 7 seconds, and a long
sentence split where a speaker would breathe (after a comma, a semicolon, a dash) rather than
mid-phrase. Each sentence arrives with the real time its clip starts and ends; a split sentence
shares that time out by characters, which tracks speech closely within one voice.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterable, Sequence

from ..model import CaptionCue

LINE_CHARS = 42
MAX_LINES = 2
MAX_SECONDS = 7.0
JOIN_GAP = 1.0
"""Sentences of one speaker closer than this may share a cue when they fit."""

_CLAUSE = re.compile(r"(?<=[,;:—–])\s+|\s+(?=[—–]\s)")


def wrap(text: str, reserve: int = 0) -> list[str]:
    """``text`` in lines of at most ``LINE_CHARS``; the first line leaves ``reserve`` characters
    free for a ``Speaker: `` label (SRT)."""
    pad = "\0" * reserve
    lines = textwrap.wrap(pad + text, LINE_CHARS, break_long_words=True, break_on_hyphens=False)
    return [line.replace("\0", "") for line in lines if line.replace("\0", "")]


def _fits(text: str, reserve: int) -> bool:
    return len(wrap(text, reserve)) <= MAX_LINES


def _pieces(text: str, reserve: int) -> list[str]:
    """The sentence cut at clause boundaries, and at words where a clause is still too long."""
    out: list[str] = []
    for clause in _CLAUSE.split(text):
        if _fits(clause, reserve):
            out.append(clause)
            continue
        line: list[str] = []
        for word in clause.split():
            if line and not _fits(" ".join([*line, word]), reserve):
                out.append(" ".join(line))
                line = []
            line.append(word)
        if line:
            out.append(" ".join(line))
    return [p for p in out if p]


def _split(cue: CaptionCue, reserve: int) -> list[CaptionCue]:
    """One sentence as cues that each fit two lines and about seven seconds."""
    duration = cue.end - cue.start
    if _fits(cue.text, reserve) and duration <= MAX_SECONDS:
        return [cue]
    pieces = _pieces(cue.text, reserve)
    total = sum(len(p) + 1 for p in pieces) or 1
    per_char = duration / total
    chunks: list[list[str]] = []
    for piece in pieces:
        if chunks:
            joined = " ".join([*chunks[-1], piece])
            first = len(chunks) == 1
            if (
                _fits(joined, reserve if first else 0)
                and (len(joined) + 1) * per_char <= MAX_SECONDS
            ):
                chunks[-1].append(piece)
                continue
        chunks.append([piece])
    out: list[CaptionCue] = []
    at = cue.start
    for chunk in chunks:
        text = " ".join(chunk)
        end = min(cue.end, at + (len(text) + 1) * per_char)
        out.append(CaptionCue(round(at, 3), round(end, 3), text, cue.speaker))
        at = end
    if out:
        last = out[-1]
        out[-1] = CaptionCue(last.start, round(cue.end, 3), last.text, last.speaker)
    return out


def _label(speaker: str | None) -> int:
    return len(speaker) + 2 if speaker else 0


def layout(sentences: Sequence[CaptionCue]) -> list[CaptionCue]:
    """Display cues from one cue per sentence (and per sound): split to fit, short neighbours
    in one paragraph of one speaker joined, each cue's text wrapped into at most two lines
    joined by ``\\n``."""
    cues: list[CaptionCue] = []
    previous: str | None = None
    for sentence in sentences:
        new_turn = sentence.speaker != previous
        previous = sentence.speaker
        reserve = _label(sentence.speaker) if new_turn else 0
        apart = new_turn or sentence.opens_paragraph
        for part in _split(sentence, reserve):
            if cues and not apart and _joinable(cues[-1], part, cues, sentence.speaker):
                last = cues[-1]
                cues[-1] = CaptionCue(
                    last.start, part.end, f"{last.text} {part.text}", last.speaker
                )
            else:
                cues.append(part)
            apart = False
    return _wrapped(cues)


def _joinable(
    last: CaptionCue, part: CaptionCue, cues: Sequence[CaptionCue], speaker: str | None
) -> bool:
    first_of_turn = len(cues) < 2 or cues[-2].speaker != speaker
    reserve = _label(speaker) if first_of_turn else 0
    return (
        last.speaker == part.speaker
        and part.start - last.end <= JOIN_GAP
        and part.end - last.start <= MAX_SECONDS
        and _fits(f"{last.text} {part.text}", reserve)
    )


def _wrapped(cues: Iterable[CaptionCue]) -> list[CaptionCue]:
    out: list[CaptionCue] = []
    previous: str | None = None
    for cue in cues:
        reserve = _label(cue.speaker) if cue.speaker != previous else 0
        previous = cue.speaker
        out.append(CaptionCue(cue.start, cue.end, "\n".join(wrap(cue.text, reserve)), cue.speaker))
    return out
