"""The render's mastering stage: levels, limits and meters the mix on its way to the encoder.

Each clip is levelled to the target as it arrives, so nothing waits for the whole episode. The
target is the speech's: intro and outro music do not move it, so a short episode with a long
jingle sounds as loud as a long one. Each clip's gain already adds back what the limiter will
take (``master_gain`` predicts it), so every voice lands on the target as heard. What that
prediction misses is measured as the stream goes (the speech as heard vs. the target) and the
following clips of that speaker aim that much higher or lower, so every voice, and so the
speech, lands on the target in one pass. The render hands its settings over once, as a
:class:`Mastering`, and gets a :class:`~.report.LoudnessReport` back.
"""

from __future__ import annotations

import collections
import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import numpy.typing as npt

from ..plan import Utterance
from ..timeline import Placement
from .dynamics import Limiter, compress_peaks
from .gain import apply_gain, gain_db, master_gain
from .meter import Measurement, Meter, measure
from .report import LoudnessReport, SpeakerLevel

Samples = npt.NDArray[np.float32]

MUSIC_UNDER_DB = -6.0
"""Intro/outro music sits this far below the speech target before ducking."""


def _level_meter(rate: int) -> Meter:
    """A meter for a level alone: no oversampling, no peak histogram."""
    return Meter(rate, true_peak=False, peak_histogram=False)


class Sink(Protocol):
    """Where the mastered samples go: the episode's encoder."""

    def write(self, samples: Samples) -> None: ...


@dataclass(frozen=True)
class Mastering:
    """What the mastering stage needs to know of a render, decided once."""

    rate: int
    enabled: bool = True
    """``False`` for ``--no-master``: samples pass through, only metered."""
    loudness: float = -16.0
    """Integrated loudness target of the encoded file, LUFS."""
    true_peak: float = -1.0
    """True-peak ceiling of the encoded file, dBTP."""
    codec_gain: float = 0.0
    """What the codec does to the level (``Format.gain_db``)."""
    headroom: float = 0.0
    """Extra room under the ceiling for the codec's peak overshoot (``Format.headroom_db``)."""

    @property
    def ceiling(self) -> float:
        """The limiter's ceiling: the file's, less the codec's headroom."""
        return self.true_peak - self.headroom


@dataclass
class _Aim:
    """The biases one speaker's script lines were levelled with, and its own correction."""

    bias_sum: float = 0.0
    """Each line's bias times its length in samples."""
    samples: int = 0
    correction: float | None = None
    """The bias this speaker's next lines get, once its heard level is known."""

    @property
    def bias(self) -> float:
        """The mean bias of the lines so far, by length."""
        return self.bias_sum / self.samples if self.samples else 0.0

    def add(self, bias: float, samples: int) -> None:
        self.bias_sum += bias * samples
        self.samples += samples

    @staticmethod
    def combined(aims: Iterable[_Aim]) -> _Aim:
        out = _Aim()
        for aim in aims:
            out.bias_sum += aim.bias_sum
            out.samples += aim.samples
        return out


class MasteringStream:
    """The mixer's output: levels, limits, measures and sends on, while recording placements."""

    BIAS_EVERY = 8
    """Clips between re-estimates of the bias (each costs a pass over the block energies)."""
    BIAS_EARLY = 24
    """Clips before that, each re-estimating it: the first estimates move the most, and a
    short episode has nothing else."""
    MAX_BIAS = 3.0

    def __init__(self, sink: Sink, mastering: Mastering) -> None:
        self.sink = sink
        self.mastering = mastering
        rate = mastering.rate
        self.codec_gain = mastering.codec_gain if mastering.enabled else 0.0
        self.target = mastering.loudness - self.codec_gain
        self.limiter = Limiter(rate, ceiling_db=mastering.ceiling)
        self.position = 0
        self.placements: list[Placement] = []
        # With mastering, the limiter knows the output's true peak: no second oversampling.
        # Only the clip meters in speech() predict the limiter; these meters report levels,
        # so they keep no peak histogram.
        self.meter = Meter(rate, true_peak=not mastering.enabled, peak_histogram=False)
        self.speech_meter = _level_meter(rate)
        # What the gain prediction missed the speech by, in dB; a speaker's own, once known,
        # comes first.
        self.bias = 0.0
        self._aims: dict[str, _Aim] = {}
        # Each speaker's script lines as heard (after the limiter, no music under them).
        self.heard: dict[str, Meter] = {}
        self.gains: list[float] = []
        # Each speaker's level as synthesized; a running meter, so memory stays flat.
        self.before: dict[str, Meter] = {}
        # Each speaker's level as the listener hears it: metered after the limiter, by
        # following the placements through the limiter's delayed output.
        self.after: dict[str, Meter] = {}
        self._emitted = 0
        self._unmetered: collections.deque[Placement] = collections.deque()

    @property
    def rate(self) -> int:
        return self.mastering.rate

    @property
    def seconds(self) -> float:
        """Where the next sample written will start, in seconds."""
        return self.position / self.rate

    def write(self, samples: Samples) -> None:
        if samples.size == 0:
            return
        out = self.limiter.process(samples) if self.mastering.enabled else samples
        self._emit(out)
        self.position += samples.size

    def _emit(self, out: Samples) -> None:
        if out.size:
            self.meter.feed(out)
            self._meter_speakers(out)
            self.sink.write(out)
            self._emitted += out.size

    def _meter_speakers(self, out: Samples) -> None:
        first, last = self._emitted, self._emitted + out.size
        while self._unmetered:
            p = self._unmetered[0]
            start = round(p.start * self.rate)
            end = round(p.end * self.rate)
            if start >= last:
                return
            lo, hi = max(start, first), min(end, last)
            if hi > lo:
                meter = self.after.setdefault(p.utterance.speaker, _level_meter(self.rate))
                meter.feed_part(self.meter, lo - first, hi - first)
                if p.utterance.segment is not None:  # the script's speech, not over music
                    self.speech_meter.feed_part(self.meter, lo - first, hi - first)
                    heard = self.heard.setdefault(p.utterance.speaker, _level_meter(self.rate))
                    heard.feed_part(self.meter, lo - first, hi - first)
            if end > last:
                return
            self._unmetered.popleft()

    def finish(self) -> None:
        """Flush what the limiter holds back; call once, after the last write."""
        if self.mastering.enabled:
            self._emit(self.limiter.flush())

    def result(self) -> Measurement:
        """The whole stream's measurement, as the encoded file will measure."""
        total = self.meter.result().with_gain(self.codec_gain)
        if self.mastering.enabled:
            # The codec's scaling and its peak overshoot roughly cancel; the limiter's figure
            # before encoding is the honest one to report.
            total = dataclasses.replace(total, true_peak=self.limiter.output_true_peak)
        return total

    def speech_level(self) -> float | None:
        """The script's speech, integrated, as the encoded file will measure it (LUFS)."""
        speech = self.speech_meter.result().integrated
        return None if speech is None else speech + self.codec_gain

    def _update_bias(self) -> None:
        # Each clip aimed at the target plus its bias *after* the limiter (``master_gain``
        # already adds back what the limiter takes), so what the heard speech misses that aim
        # by is the prediction's error, and only that is made up: per speaker, since how much
        # the limiter takes depends on the voice (a peaky one loses more). Making up the
        # limiter's whole cut again fed on itself (louder clips, harder limiting, a larger cut,
        # up to MAX_BIAS) and left the voices 2.4 LU apart.
        speech = self.speech_meter.result().integrated
        every = _Aim.combined(self._aims.values())
        if speech is not None and every.samples:
            self.bias = self._clamped(self.target + every.bias - speech)
        for speaker, aim in self._aims.items():
            heard = self.heard[speaker].result().integrated if speaker in self.heard else None
            if heard is not None and aim.samples:
                aim.correction = self._clamped(self.target + aim.bias - heard)

    def _clamped(self, bias: float) -> float:
        return max(-self.MAX_BIAS, min(self.MAX_BIAS, bias))

    def _bias_of(self, speaker: str) -> float:
        aim = self._aims.get(speaker)
        return self.bias if aim is None or aim.correction is None else aim.correction

    def speech(self, speaker: str, audio: Samples, scripted: bool = True) -> Samples:
        """A clip levelled to the target: every sentence, so every voice, at the same loudness.

        ``scripted`` is ``False`` for the intro's and outro's words, which are spoken over music
        and so are left out of the speech level the target is for."""
        # The clip as synthesized: its loudness (K-weighting only, no true peak: cheap), shared
        # with the speaker's running meter.
        quick = _level_meter(self.rate)
        quick.feed(audio)
        if speaker not in self.before:
            self.before[speaker] = _level_meter(self.rate)
        self.before[speaker].feed_part(quick, 0, audio.size)
        loudness = quick.result().integrated
        if not self.mastering.enabled or loudness is None:
            return audio
        audio = compress_peaks(audio, self.rate, loudness)
        # Sample peaks suffice to predict the limiter here: the speech was synthesized at half
        # this rate, so it holds nothing near Nyquist to overshoot between samples. The limiter
        # itself still works on true peaks.
        exact = Meter(self.rate, true_peak=False)
        exact.feed(audio)
        measured = exact.result()
        if measured.integrated is not None:
            done = len(self.gains)
            if done < self.BIAS_EARLY or done % self.BIAS_EVERY == self.BIAS_EVERY - 1:
                self._update_bias()
            bias = self._bias_of(speaker)
            gain = master_gain(measured, self.target + bias, ceiling_db=self.mastering.ceiling)
            self.gains.append(gain)
            audio = apply_gain(audio, gain)
            if scripted:
                self._aims.setdefault(speaker, _Aim()).add(bias, audio.size)
        return audio

    def music(self, audio: Samples) -> Samples:
        """Intro/outro music levelled to sit :data:`MUSIC_UNDER_DB` under the speech."""
        if self.mastering.enabled and audio.size:
            audio = apply_gain(audio, self.music_gain(measure(audio, self.rate).integrated))
        return audio

    def music_gain(self, loudness: float | None) -> float:
        """The gain (dB) that :meth:`music` gives music of integrated ``loudness`` (LUFS): for
        music too long to hold, measured and then levelled block by block."""
        if not self.mastering.enabled or loudness is None:
            return 0.0
        return gain_db(loudness, self.target + MUSIC_UNDER_DB)

    def place(self, utterance: Utterance, start: float, audio: Samples) -> None:
        """Record that ``audio`` (already levelled) of ``utterance`` starts at ``start`` s."""
        placement = Placement(start=start, end=start + audio.size / self.rate, utterance=utterance)
        self.placements.append(placement)
        self._unmetered.append(placement)

    def report(self, total: Measurement, correction: float = 0.0) -> LoudnessReport:
        """What mastering did, given the file's measurement and any second-pass gain."""

        def after(name: str) -> float | None:
            level = self.after[name].result().integrated if name in self.after else None
            return None if level is None else level + correction + self.codec_gain

        speech = self.speech_level()
        return LoudnessReport(
            integrated=total.integrated,
            true_peak=total.true_peak_db,
            loudness_range=total.loudness_range,
            target=self.mastering.loudness,
            speech=None if speech is None else speech + correction,
            gain=(float(np.mean(self.gains)) if self.gains else 0.0) + correction,
            speakers=tuple(
                SpeakerLevel(
                    name=name, before=self.before[name].result().integrated, after=after(name)
                )
                for name in self.before
            ),
        )
