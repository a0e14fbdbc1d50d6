"""Where each utterance landed in the episode, and what follows from it: chapters and captions.

Times come from the real clip boundaries the mixer recorded, never from estimates, so a caption
cue starts when its words start.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .export.caption_layout import layout
from .model import CaptionCue
from .plan import Utterance
from .sections import MAX_QUESTIONS, TITLE_WORDS, chapters, short_title


@dataclass(frozen=True)
class Placement:
    start: float
    end: float
    utterance: Utterance


@dataclass(frozen=True)
class SoundPlacement:
    """A sound the script names (``(LAUGHTER)``), where it sits: an SDH caption."""

    start: float
    end: float
    caption: str
    """``[LAUGHTER]``, as captions show it."""
    speaker: str | None = None
    segment: int | None = None


@dataclass(frozen=True)
class Timeline:
    placements: tuple[Placement, ...]
    duration: float
    intro_end: float | None = None
    """Where the intro bumper ends (``None`` without an intro)."""
    outro_start: float | None = None
    sounds: tuple[SoundPlacement, ...] = ()

    def segment_starts(self) -> dict[int, float]:
        starts: dict[int, float] = {}
        for p in self.placements:
            if p.utterance.segment is not None:
                starts.setdefault(p.utterance.segment, p.start)
        return starts


def _sound_cues(sounds: Sequence[SoundPlacement]) -> list[CaptionCue]:
    return [CaptionCue(round(s.start, 3), round(s.end, 3), s.caption, s.speaker) for s in sounds]


def _in_time_order(cues: list[CaptionCue]) -> list[CaptionCue]:
    return sorted(cues, key=lambda c: c.start)  # stable: a sound at a sentence's end stays after


def caption_cues(
    placements: Sequence[Placement], sounds: Sequence[SoundPlacement] = ()
) -> list[CaptionCue]:
    """What VTT and SRT show: at most two lines of 42 characters and about 7 s a cue, long
    sentences split at clause boundaries (``export.caption_layout``), sounds as SDH cues."""
    sentences = [
        CaptionCue(
            round(p.start, 3),
            round(p.end, 3),
            p.utterance.text,
            p.utterance.speaker,
            opens_paragraph=p.utterance.opens_paragraph,
        )
        for p in placements
    ]
    return layout(_in_time_order(sentences + _sound_cues(sounds)))


def captions(
    placements: Sequence[Placement], sounds: Sequence[SoundPlacement] = ()
) -> list[CaptionCue]:
    """The transcript's cues: whole sentences joined while they fit, each timed by its real
    clips; a sound the script names (``[LAUGHTER]``) is a cue of its own."""
    return _in_time_order(_sentence_groups(placements) + _sound_cues(sounds))


def _sentence_groups(placements: Sequence[Placement]) -> list[CaptionCue]:
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


__all__ = [
    "MAX_QUESTIONS",
    "TITLE_WORDS",
    "Placement",
    "SoundPlacement",
    "Timeline",
    "caption_cues",
    "captions",
    "chapters",
    "short_title",
]
