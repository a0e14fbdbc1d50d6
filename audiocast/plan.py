"""What will be heard, in order, before any audio exists: the script laid out as utterances.

Each turn or narration paragraph is split into sentences; each sentence becomes one
``Utterance`` (one synthesis request, one clip). Sentence-sized clips keep the engine within its
limits, let the cache re-make only what changed, and give every caption cue the real time at which
its words start.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from .casting import Casting
from .model import Bumper, Gaps, Script, Segment, SpeechRequest
from .normalize import Lexicon, normalize, pause_for_cue, split_sentences
from .normalize.typography import INLINE_CUE

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
    """Starts a new caption cue (a new segment, or the previous cue is full)."""


@dataclass(frozen=True)
class Pause:
    seconds: float
    segment: int | None = None


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


def _announce(
    show: str | None, title: str | None, both: str, show_only: str, title_only: str, neither: str
) -> Bumper:
    if show and title:
        text = both
    elif show:
        text = show_only
    elif title:
        text = title_only
    else:
        text = neither
    return Bumper(audio="sting", text=text.format(show=show, title=title))


def default_intro(script: Script) -> Bumper:
    """The sting, then the narrator announcing the show and the episode."""
    return _announce(
        script.metadata.show,
        script.title,
        both="Welcome to {show}. This is: {title}.",
        show_only="Welcome to {show}.",
        title_only="Welcome. This is: {title}.",
        neither="Welcome, and thanks for joining us.",
    )


def default_outro(script: Script) -> Bumper:
    """The narrator signing off, then the sting."""
    return _announce(
        script.metadata.show,
        script.title,
        both="That was {title}. Thanks for listening to {show}.",
        show_only="Thanks for listening to {show}.",
        title_only="That was {title}. Thanks for listening.",
        neither="Thanks for listening.",
    )


_CUE_SPLIT = re.compile(f"({INLINE_CUE.pattern})", INLINE_CUE.flags)


def _sentences_and_cues(paragraph: str) -> list[str | float]:
    """The paragraph's sentences, with each stage direction inside it, such as ``(laughs)`` or
    ``[pause 2s]``, replaced by its pause in seconds, where it stands."""
    out: list[str | float] = []
    for n, part in enumerate(_CUE_SPLIT.split(paragraph)):
        if n % 2:
            out.append(pause_for_cue(part))
        else:
            out.extend(speech_units(part))
    return out


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
    items: list[Item] = []

    def utterances(
        text: str, segment: Segment | None, index: int | None, first_gap: float
    ) -> list[Utterance]:
        voice = casting.narrator if segment is None else casting.voice_for(segment)
        speaker = segment.speaker if segment is not None and segment.speaker else NARRATOR
        rate = segment.rate if segment is not None and segment.rate else 1.0
        out: list[Utterance] = []
        cue_len = 0
        held = 0.0  # pauses for stage directions inside the text, such as "(laughs)"
        # A turn's later paragraphs (one speaker's consecutive turns joined by the parser) get
        # the paragraph gap and a cue of their own, as separate turns would.
        for p, paragraph in enumerate(PARAGRAPH_BREAK.split(text)):
            starts_paragraph = p > 0
            for n, sentence in enumerate(_sentences_and_cues(paragraph)):
                if isinstance(sentence, float):
                    held += sentence
                    continue
                spoken = normalize(sentence, lexicon).strip()
                if not spoken:
                    continue
                new_cue = n == 0 or cue_len + len(sentence) > CUE_CHARS
                cue_len = len(sentence) if new_cue else cue_len + len(sentence) + 1
                if not out:
                    gap = first_gap
                else:
                    gap = gaps.paragraph if starts_paragraph else gaps.sentence
                gap, held = gap + held, 0.0
                starts_paragraph = False
                out.append(
                    Utterance(
                        request=SpeechRequest(spoken, voice, rate),
                        text=sentence,
                        speaker=speaker,
                        gap=gap,
                        segment=index,
                        new_cue=new_cue or not out,
                    )
                )
        return out

    if intro is not None:
        says = tuple(utterances(intro.text or "", None, None, 0.0))
        items.append(BumperPlan("intro", intro.audio, says))

    chosen = range(len(script.segments)) if segments is None else segments
    previous: str | None = None
    for index in chosen:
        segment = script.segments[index]
        if segment.kind == "cue":
            seconds = segment.pause if segment.pause is not None else pause_for_cue(segment.text)
            items.append(Pause(seconds, index))
            continue
        who = segment.speaker if segment.kind == "turn" else NARRATOR
        gap = gaps.paragraph if who == previous else gaps.speaker_change
        if not items:
            gap = 0.0
        said = utterances(segment.text, segment, index, gap)
        if said:
            items.extend(said)
            previous = who

    if outro is not None:
        says = tuple(utterances(outro.text or "", None, None, 0.0))
        items.append(BumperPlan("outro", outro.audio, says))
    return Plan(tuple(items))
