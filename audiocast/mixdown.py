"""Plays the plan into the mastering stream: clips, gaps, pauses and the intro/outro bumpers.

Clips arrive from the synthesis pool in plan order; each is trimmed, levelled by the stream and
placed, so the timeline records where every utterance really starts. The intro hands over as a
produced show does: its music fades out under the first line instead of stopping before it; an
episode that no music ends gets a short tail; ``room_tone`` lays a noise floor under it all.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from .errors import EngineError
from .master import Meter, apply_gain
from .master.stream import MasteringStream, Samples
from .mix import (
    RoomTone,
    decode_file,
    intro_bed,
    join,
    music_blocks,
    read_clip,
    silence,
    sting,
    trim_silence,
)
from .mix_layout import END_TAIL, HANDOVER_FADE, MUSIC_LEAD, OUTRO_MUSIC_GAP, STING_SECONDS
from .model import SAMPLE_RATE, Clip, Gaps, Script
from .plan import BumperPlan, Pause, Plan, Utterance
from .timeline import SoundPlacement, Timeline

DUCK_DB = -16.0


class _Mix:
    """The stream, with what sounds under the next writes: the intro's music tail, room tone."""

    def __init__(self, stream: MasteringStream, room_tone: float | None) -> None:
        self.stream = stream
        self.under: Samples = np.zeros(0, dtype=np.float32)
        self.room = RoomTone(room_tone) if room_tone is not None else None
        self.sounds: list[SoundPlacement] = []

    @property
    def seconds(self) -> float:
        return self.stream.seconds

    def write(self, samples: Samples) -> None:
        if samples.size == 0:
            return
        if self.under.size:
            n = min(self.under.size, samples.size)
            samples = samples.copy()
            samples[:n] += self.under[:n]
            self.under = self.under[n:]
        if self.room is not None:
            samples = samples + self.room.next(samples.size)
        self.stream.write(samples)


def _speech(stream: MasteringStream, utterance: Utterance, clip: Clip) -> Samples:
    audio = trim_silence(read_clip(clip))
    if audio.size == 0:
        raise EngineError(
            f"the engine returned silence for: {utterance.text[:60]!r}",
            hint="try again; if it persists, try another voice",
        )
    return stream.speech(utterance.speaker, audio, scripted=utterance.segment is not None)


def _music(
    stream: MasteringStream, script: Script, bumper: BumperPlan, seconds: float | None = None
) -> Samples:
    """The bumper's music, levelled under the speech: the built-in sting made ``seconds`` long
    when given (an intro holds it under its words and the handover), a file's first ``seconds``
    (or all of it)."""
    if bumper.music == "sting":
        music = sting(max(STING_SECONDS, round(seconds, 1)) if seconds else STING_SECONDS)
    else:
        music = decode_file(script.resolve(str(bumper.music)), seconds)
    return stream.music(music)


def _play_music(mix: _Mix, script: Script, bumper: BumperPlan, seconds: float | None) -> None:
    """Music played to its end: a file in blocks, measured in a first pass and levelled in a
    second, so an hour of it costs a block of memory, not an hour."""
    if bumper.music == "sting":
        mix.write(_music(mix.stream, script, bumper, seconds))
        return
    path = script.resolve(str(bumper.music))
    meter = Meter(SAMPLE_RATE, true_peak=False, peak_histogram=False)
    for block in music_blocks(path):
        meter.feed(block)
    gain = mix.stream.music_gain(meter.result().integrated)
    for block in music_blocks(path):
        mix.write(apply_gain(block, gain))


def _bumper(
    mix: _Mix, script: Script, bumper: BumperPlan, clips: Iterator[Clip], gaps: Gaps
) -> None:
    stream = mix.stream
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
    intro = bumper.kind == "intro"
    hold = MUSIC_LEAD + speech.size / SAMPLE_RATE + gaps.handover + HANDOVER_FADE
    # The music leads in, ducks under the intro's words, and fades out under the first line.
    ducked = intro and bumper.music is not None and speech.size > 0
    start = MUSIC_LEAD if ducked else 0.0
    base = stream.seconds
    for u, offset, audio in offsets:
        stream.place(u, base + start + offset / SAMPLE_RATE, audio)
    if ducked:
        # Only the music the intro holds is decoded: a long file is cut at ``hold``.
        music = _music(stream, script, bumper, hold)
        mixed, tail = intro_bed(
            music, speech, start, duck_db=DUCK_DB, handover=gaps.handover, fade=HANDOVER_FADE
        )
        mix.write(mixed)
        mix.under = tail
    elif bumper.music is None:
        mix.write(speech)
    else:
        if not intro and speech.size:  # the outro's speech comes first, music after
            mix.write(join([speech, silence(OUTRO_MUSIC_GAP)]))
        _play_music(mix, script, bumper, hold if intro else None)


def mixdown(
    stream: MasteringStream,
    script: Script,
    plan: Plan,
    clips: Iterator[Clip],
    gaps: Gaps,
    room_tone: float | None = None,
) -> Timeline:
    """Write the whole episode into ``stream``, one clip of ``clips`` per planned utterance."""
    mix = _Mix(stream, room_tone)
    intro_end = outro_start = None
    for item in plan.items:
        if isinstance(item, Pause):
            start = mix.seconds
            mix.write(silence(item.seconds))
            if item.caption:
                mix.sounds.append(
                    SoundPlacement(start, mix.seconds, item.caption, item.speaker, item.segment)
                )
        elif isinstance(item, Utterance):
            audio = _speech(stream, item, next(clips))
            mix.write(silence(item.gap))
            stream.place(item, stream.seconds, audio)
            mix.write(audio)
        else:
            if item.kind == "outro":
                mix.write(silence(gaps.speaker_change))
                outro_start = stream.seconds
            _bumper(mix, script, item, clips, gaps)
            if item.kind == "intro":
                intro_end = stream.seconds
    last = plan.items[-1] if plan.items else None
    if not (isinstance(last, BumperPlan) and last.music is not None):
        # Never stop dead on the last word: a breath of (room) tone, as an edited show ends.
        mix.write(silence(END_TAIL))
    mix.write(silence(mix.under.size / SAMPLE_RATE))  # music still fading out
    stream.finish()
    return Timeline(
        tuple(stream.placements),
        stream.seconds,
        intro_end,
        outro_start,
        sounds=tuple(mix.sounds),
    )
