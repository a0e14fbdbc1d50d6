"""Conversational timing: how long a silence goes before each turn, and what a cue stands for.

Fixed gaps sound machine-made. People answer a yes-or-no question at once, pick up quickly after
a one-word reply, and leave a longer breath before a new topic; ``gap_before`` applies those
habits with the lengths in ``Gaps``. Stage directions are told apart here too: a sound
(``(LAUGHTER)``) is captioned for deaf and hard-of-hearing listeners, a pause or a break is not.
"""

from __future__ import annotations

import re

from .model import Gaps, Script, Segment
from .parse.cues import BREAK

QUICK_WORDS = 2
"""A turn of at most this many words ("Yes.", "Right, sure.") is answered quickly."""
SHORT_ANSWER_WORDS = 4
"""An answer of at most this many words to a question comes quickly too."""

_SILENT = re.compile(r"^(?:pause|silence|beat|long pause|short pause)\b.*$", re.I)
_DURATION = re.compile(r"^[\d.\s]*(?:ms|s|sec|secs|seconds?|m|mins?|minutes?)?$", re.I)

SSML_BREAK = re.compile(r"<break\b[^<>]{0,200}/?>", re.I)
"""SSML's ``<break time="1s"/>`` or ``<break strength="strong"/>``, honoured as a pause."""
_SSML_TIME = re.compile(r"""time\s*=\s*["']?\s*(\d+(?:\.\d+)?)\s*(ms|s)?\s*["']?""", re.I)
_SSML_STRENGTH = {
    "none": 0.0,
    "x-weak": 0.1,
    "weak": 0.25,
    "medium": 0.5,
    "strong": 0.8,
    "x-strong": 1.2,
}
MAX_SSML_BREAK = 10.0
"""The SSML spec caps a break at 10 s."""


def ssml_break_seconds(tag: str) -> float:
    """The pause an SSML ``<break>`` asks for: its ``time``, else its ``strength`` (default
    medium, 0.5 s), as the SSML 1.1 spec defines them."""
    found = _SSML_TIME.search(tag)
    if found:
        value = float(found.group(1))
        if (found.group(2) or "s").lower() == "ms":
            value /= 1000
        return min(value, MAX_SSML_BREAK)
    strength = re.search(r"""strength\s*=\s*["']?([\w-]+)""", tag, re.I)
    return _SSML_STRENGTH.get(strength.group(1).lower() if strength else "medium", 0.5)


def _inner(cue: str) -> str:
    return cue.strip().strip("()[]{}").strip()


def is_break(cue: str) -> bool:
    """A cue that separates parts of the show: a chapter starts after it."""
    return bool(BREAK.match(_inner(cue)))


def sound_caption(cue: str) -> str | None:
    """``[LAUGHTER]`` for a sound the audience hears; ``None`` for a pause, a break or a bare
    duration, which captions leave out."""
    inner = _inner(cue)
    if not inner or _SILENT.match(inner) or _DURATION.match(inner) or is_break(inner):
        return None
    return f"[{inner}]"


def _words(text: str) -> int:
    return len(re.findall(r"[\w'’-]+", text))


def starts_topic(script: Script, previous: int, index: int) -> bool:
    """A new topic begins at segment ``index`` (the last one spoken being ``previous``): a
    chapter named there (a heading, a rule, YAML ``chapter:``), a break cue in between, or the
    switch between narration and the interview."""
    segment, before = script.segments[index], script.segments[previous]
    if segment.chapter is not None:
        return True
    if any(s.kind == "cue" and is_break(s.text) for s in script.segments[previous + 1 : index]):
        return True
    return (segment.kind == "narration") != (before.kind == "narration")


def gap_before(script: Script, previous: int, index: int, gaps: Gaps) -> float:
    """Seconds of silence before segment ``index``, after segment ``previous`` was spoken."""
    segment, before = script.segments[index], script.segments[previous]
    if starts_topic(script, previous, index):
        return gaps.topic
    if _speaker(segment) == _speaker(before):
        return gaps.paragraph
    if _words(before.text) <= QUICK_WORDS:
        return gaps.quick
    if before.text.rstrip().endswith("?") and _words(segment.text) <= SHORT_ANSWER_WORDS:
        return gaps.quick
    return gaps.speaker_change


def _speaker(segment: Segment) -> str | None:
    return segment.speaker if segment.kind == "turn" else None
