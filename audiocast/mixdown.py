"""Plays the plan into the mastering stream: clips, gaps, pauses and the intro/outro bumpers.

Clips arrive from the synthesis pool in plan order; each is trimmed, levelled by the stream and
placed, so the timeline records where every utterance really starts.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from .errors import EngineError
from .master.stream import MasteringStream, Samples
from .mix import decode_file, duck_under, join, read_clip, silence, sting, trim_silence
from .model import SAMPLE_RATE, Clip, Gaps, Script
from .plan import BumperPlan, Pause, Plan, Utterance
from .timeline import Timeline

DUCK_DB = -16.0
MUSIC_LEAD = 1.6
"""Seconds of music before the intro speech starts."""


def _speech(stream: MasteringStream, utterance: Utterance, clip: Clip) -> Samples:
    audio = trim_silence(read_clip(clip))
    if audio.size == 0:
        raise EngineError(
            f"the engine returned silence for: {utterance.text[:60]!r}",
            hint="try again; if it persists, try another voice",
        )
    return stream.speech(utterance.speaker, audio)


def _music(stream: MasteringStream, script: Script, bumper: BumperPlan) -> Samples | None:
    if bumper.music is None:
        return None
    music = sting() if bumper.music == "sting" else decode_file(script.resolve(bumper.music))
    return stream.music(music)


def _bumper(
    stream: MasteringStream, script: Script, bumper: BumperPlan, clips: Iterator[Clip]
) -> None:
    music = _music(stream, script, bumper)
    pieces: list[Samples] = []
    offsets: list[tuple[Utterance, int, Samples]] = []
    length = 0
    for u in bumper.utterances:
        gap = silence(u.gap if pieces else 0.0)
        audio = _speech(stream, u, next(clips))
        pieces += [gap, audio]
        offsets.append((u, length + gap.size, audio))
        length += gap.size + audio.size
    speech = join(pieces)
    if music is None:
        start, mixed = 0.0, speech
    elif speech.size == 0:
        start, mixed = 0.0, music
    else:
        # The intro's music leads in and then ducks; the outro's speech comes first, music after.
        start = MUSIC_LEAD if bumper.kind == "intro" else 0.0
        if bumper.kind == "intro":
            mixed = duck_under(music, speech, start, duck_db=DUCK_DB, tail=1.2)
        else:
            tail = np.concatenate([silence(0.3), music])
            mixed = join([speech, tail])
    base = stream.seconds
    for u, offset, audio in offsets:
        stream.place(u, base + start + offset / SAMPLE_RATE, audio)
    stream.write(mixed)


def mixdown(
    stream: MasteringStream, script: Script, plan: Plan, clips: Iterator[Clip], gaps: Gaps
) -> Timeline:
    """Write the whole episode into ``stream``, one clip of ``clips`` per planned utterance."""
    intro_end = outro_start = None
    for item in plan.items:
        if isinstance(item, Pause):
            stream.write(silence(item.seconds))
        elif isinstance(item, Utterance):
            audio = _speech(stream, item, next(clips))
            stream.write(silence(item.gap))
            stream.place(item, stream.seconds, audio)
            stream.write(audio)
        else:
            if item.kind == "outro":
                stream.write(silence(gaps.speaker_change))
                outro_start = stream.seconds
            _bumper(stream, script, item, clips)
            if item.kind == "intro":
                stream.write(silence(gaps.speaker_change))
                intro_end = stream.seconds
    stream.finish()
    return Timeline(tuple(stream.placements), stream.seconds, intro_end, outro_start)
