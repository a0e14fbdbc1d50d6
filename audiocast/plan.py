"""What will be heard, in order, before any audio exists: the script laid out as utterances.

Each turn or narration paragraph is split into sentences; each sentence becomes one
``Utterance`` (one synthesis request, one clip). Sentence-sized clips keep the engine within its
limits, let the cache re-make only what changed, and give every caption cue the real time at which
its words start.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Literal

from .casting import Casting
from .model import Bumper, Gaps, Script, Segment, SpeechRequest
from .normalize import Lexicon, normalize, pause_for_cue, split_sentences
from .normalize.typography import INLINE_CUE
from .pacing import SSML_BREAK, gap_before, sound_caption, ssml_break_seconds

NARRATOR = "Narrator"
PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")
CUE_CHARS = 110
"""Sentences join into one caption cue up to about two subtitle lines."""


@dataclass(frozen=True)
class Utterance:
    request: SpeechRequest
    text: str
    """The sentence as the author wrote it: what captions show."""
    speaker: str
    """Who captions say is speaking (``Narrator`` for narration, intro and outro)."""
    gap: float
    """Seconds of silence before it."""
    segment: int | None
    """Index into ``Script.segments``; ``None`` inside the intro or outro."""
    new_cue: bool
    """Starts a new caption cue (a new paragraph, or the previous cue is full)."""
    opens_paragraph: bool = False
    """The first words of a paragraph (of a turn, narration or bumper): display captions never
    join them onto the cue before."""


@dataclass(frozen=True)
class Pause:
    """Silence for a stage direction; a sound (``(LAUGHTER)``) is also captioned, SDH style."""

    seconds: float
    segment: int | None = None
    caption: str | None = None
    """``[LAUGHTER]`` for a sound the listener hears about; ``None`` for a plain pause."""
    speaker: str | None = None
    """Whose turn the sound belongs to (a turn that is only ``[laughs]``)."""


@dataclass(frozen=True)
class BumperPlan:
    """An intro or outro: music (a file or the built-in sting) with narration ducked over it."""

    kind: Literal["intro", "outro"]
    music: str | None
    """A path as written in the script, ``"sting"`` for the built-in one, or ``None``."""
    utterances: tuple[Utterance, ...]


Item = Utterance | Pause | BumperPlan


@dataclass(frozen=True)
class Plan:
    items: tuple[Item, ...]

    @property
    def utterances(self) -> list[Utterance]:
        """Every utterance, bumpers' included, in the order the audio needs their clips."""
        out: list[Utterance] = []
        for item in self.items:
            if isinstance(item, Utterance):
                out.append(item)
            elif isinstance(item, BumperPlan):
                out.extend(item.utterances)
        return out

    @property
    def requests(self) -> list[SpeechRequest]:
        """Every synthesis request: ``requests[i]`` is ``utterances[i].request``."""
        return [u.request for u in self.utterances]


_CUE_SPLIT = re.compile(
    f"({INLINE_CUE.pattern}|{SSML_BREAK.pattern})", INLINE_CUE.flags | SSML_BREAK.flags
)


@dataclass(frozen=True)
class InlineCue:
    """A stage direction inside a paragraph: its pause, and its caption when it is a sound."""

    seconds: float
    caption: str | None


def _sentences_and_cues(paragraph: str, cue_gap: float) -> list[str | InlineCue]:
    """The paragraph's sentences, with each stage direction inside it, such as ``(laughs)``,
    ``[pause 2s]`` or SSML's ``<break time="1s"/>``, as an ``InlineCue`` where it stands;
    ``cue_gap`` is the pause of one that gives no length (``(laughs)``)."""
    out: list[str | InlineCue] = []
    for n, part in enumerate(_CUE_SPLIT.split(paragraph)):
        if n % 2:
            if SSML_BREAK.fullmatch(part):
                out.append(InlineCue(ssml_break_seconds(part), None))
            else:
                out.append(InlineCue(pause_for_cue(part, cue_gap), sound_caption(part)))
        else:
            out.extend(speech_units(part))
    return out


def spoken_sentences(text: str, lexicon: Lexicon | None = None) -> list[tuple[str, str]]:
    """Each sentence of ``text`` as written and as :func:`build_plan` sends it to the engine
    (what ``audiocast check`` reads, with no voices cast)."""
    return [
        (sentence, normalize(sentence, lexicon).strip())
        for paragraph in PARAGRAPH_BREAK.split(text)
        for sentence in _sentences_and_cues(paragraph, Gaps.cue)  # pauses unused here
        if isinstance(sentence, str)
    ]


def speech_units(text: str) -> list[str]:
    """Sentences to speak one clip each; whitespace-only pieces dropped."""
    return [s.strip() for s in split_sentences(text) if s.strip()]


def build_plan(
    script: Script,
    casting: Casting,
    *,
    gaps: Gaps | None = None,
    lexicon: Lexicon | None = None,
    intro: Bumper | None = None,
    outro: Bumper | None = None,
    segments: Sequence[int] | None = None,
) -> Plan:
    """Lay out ``script`` (or only the segment indexes in ``segments``) with its bumpers."""
    gaps = gaps or Gaps()
    language = script.metadata.language
    items: list[Item] = []

    def utterances(
        text: str, segment: Segment | None, index: int | None, first_gap: float
    ) -> tuple[list[Utterance], Pause | None]:
        """The sentences of ``text``, and a pause for stage directions no sentence carries."""
        voice = casting.narrator if segment is None else casting.voice_for(segment)
        speaker = segment.speaker if segment is not None and segment.speaker else NARRATOR
        rate = segment.rate if segment is not None and segment.rate else 1.0
        out: list[Utterance] = []
        cue_len = 0
        held = 0.0  # pauses for stage directions inside the text, such as "(laughs)"
        sound = ""  # their captions, waiting for the sentence they go with
        # A turn's later paragraphs (one speaker's consecutive turns joined by the parser) get
        # the paragraph gap and a cue of their own, as separate turns would.
        for p, paragraph in enumerate(PARAGRAPH_BREAK.split(text)):
            starts_paragraph = p > 0
            words_in_paragraph = False
            for sentence in _sentences_and_cues(paragraph, gaps.cue):
                if isinstance(sentence, InlineCue):
                    held += sentence.seconds
                    if sentence.caption and out and words_in_paragraph:
                        # "Seven. [laughs]": the sound goes with the words it follows.
                        last = out[-1]
                        out[-1] = replace(last, text=f"{last.text} {sentence.caption}")
                    elif sentence.caption:
                        sound = f"{sound} {sentence.caption}".strip()
                    continue
                spoken = normalize(sentence, lexicon, language).strip()
                if not any(ch.isalnum() for ch in spoken):
                    # "." or "..." alone (a transcript's inaudible turn) says nothing: an engine
                    # gives silence for it, which the synthesis check rightly refuses.
                    continue
                shown = f"{sound} {sentence}" if sound else sentence
                # The paragraph's first words start a cue, after a leading "(laughs)" too.
                opens_paragraph = not words_in_paragraph
                sound, words_in_paragraph = "", True
                new_cue = opens_paragraph or cue_len + len(shown) > CUE_CHARS
                cue_len = len(shown) if new_cue else cue_len + len(shown) + 1
                if not out:
                    gap = first_gap
                else:
                    gap = gaps.paragraph if starts_paragraph else gaps.sentence
                gap, held = gap + held, 0.0
                starts_paragraph = False
                out.append(
                    Utterance(
                        request=SpeechRequest(spoken, voice, rate),
                        text=shown,
                        speaker=speaker,
                        gap=gap,
                        segment=index,
                        new_cue=new_cue or not out,
                        opens_paragraph=opens_paragraph,
                    )
                )
        if sound and out:
            last = out[-1]
            out[-1] = replace(last, text=f"{last.text} {sound}")
            sound = ""
        # A turn that is only "[laughs]" still takes its time and its caption; a laugh after
        # the last words keeps its time too.
        rest = Pause(held, index, sound or None, speaker) if sound or held else None
        return out, rest

    if intro is not None:
        says = tuple(utterances(intro.text or "", None, None, 0.0)[0])
        items.append(BumperPlan("intro", intro.audio, says))

    chosen = list(range(len(script.segments)) if segments is None else segments)
    previous: int | None = None
    for index in chosen:
        segment = script.segments[index]
        if segment.kind == "cue":
            seconds = segment.pause
            if seconds is None:
                seconds = pause_for_cue(segment.text, gaps.cue)
            items.append(Pause(seconds, index, sound_caption(segment.text)))
            continue
        if previous is None:
            gap = gaps.handover if intro is not None else 0.0
        else:
            gap = gap_before(script, previous, index, gaps)
        said, rest = utterances(segment.text, segment, index, gap)
        items.extend(said)
        if rest is not None:
            items.append(rest)
        if said:
            previous = index

    if outro is not None:
        says = tuple(utterances(outro.text or "", None, None, 0.0)[0])
        items.append(BumperPlan("outro", outro.audio, says))
    return Plan(tuple(items))
