"""Audio pieces for the timeline: speech clips, silences, stings and beds, at one sample rate.

Everything the episode contains passes through here as a mono float32 numpy array at
``SAMPLE_RATE``; the pipeline streams the arrays to the encoder one piece at a time, so the
whole episode is never held in memory. pydub stays behind this module: it generates the default
sting and shapes the short intro and outro beds, where its small vocabulary (generators, fades,
overlay) is exactly what is needed; the long speech stream is plain arrays joined once.
"""

from __future__ import annotations

import functools
import io
import warnings
import wave
from collections.abc import Iterator
from math import gcd, pi
from pathlib import Path

import numpy as np

with warnings.catch_warnings():
    # pydub warns at import when no ffmpeg is on PATH (nothing here asks pydub to run one),
    # and Python 3.11-3.12 warn that its audioop is deprecated (3.13+ gets audioop-lts).
    warnings.simplefilter("ignore", RuntimeWarning)
    warnings.simplefilter("ignore", DeprecationWarning)
    from pydub import AudioSegment

from .errors import AudioError, InputError
from .model import SAMPLE_RATE, Clip


class RoomTone:
    """A low, steady noise floor at ``level_db`` dBFS RMS, laid under the whole episode.

    Real rooms are never digitally silent; a floor under the words and the gaps keeps a pause
    from sounding like a drop-out. The noise is low-passed (darker than hiss, like a quiet
    room) and seeded, so the same episode gets the same tone: renders stay reproducible.
    """

    SEED = 20_261_202
    CUTOFF = 0.96
    """One-pole low-pass coefficient: most of the energy below about 300 Hz."""

    def __init__(self, level_db: float) -> None:
        self.rng = np.random.default_rng(self.SEED)
        self.state = np.zeros(1)
        # A one-pole filter keeps (1 - a) / (1 + a) of white noise's power.
        a = self.CUTOFF
        self.scale = 10 ** (level_db / 20) / np.sqrt((1 - a) / (1 + a))

    def next(self, frames: int) -> np.ndarray:
        """The next ``frames`` samples of tone, continuing the previous call's."""
        from scipy.signal import lfilter

        white = self.rng.standard_normal(frames)
        a = self.CUTOFF
        shaped, self.state = lfilter([1 - a], [1, -a], white, zi=self.state)
        out: np.ndarray = (np.asarray(shaped) * self.scale).astype(np.float32)
        return out


def silence(seconds: float, rate: int = SAMPLE_RATE) -> np.ndarray:
    return np.zeros(max(0, round(seconds * rate)), dtype=np.float32)


def read_clip(clip: Clip) -> np.ndarray:
    """A synthesized WAV clip as float32 at ``SAMPLE_RATE``."""
    samples, rate = read_wav(clip.path, clip.wav)
    return resample(samples, rate)


def read_wav(path: Path, data: bytes | None = None) -> tuple[np.ndarray, int]:
    """A 16-bit WAV file (its bytes ``data`` when given) as mono float32 at its own rate."""
    clip = Clip(path, 0, 0)
    try:
        with wave.open(io.BytesIO(data) if data is not None else str(clip.path), "rb") as w:
            if w.getsampwidth() != 2:
                raise AudioError(f"clip is not 16-bit PCM: {clip.path}")
            raw = w.readframes(w.getnframes())
            rate, channels = w.getframerate(), w.getnchannels()
    except (OSError, EOFError, wave.Error) as exc:
        raise AudioError(f"cannot read clip {clip.path}: {exc}") from None
    samples = np.frombuffer(raw, dtype="<i2").astype(np.float32) / 32768.0
    if channels > 1:
        samples = samples.reshape(-1, channels).mean(axis=1)
    return samples, rate


def resample(samples: np.ndarray, rate: int) -> np.ndarray:
    if rate == SAMPLE_RATE or samples.size == 0:
        return samples.astype(np.float32, copy=False)
    # Imported here: scipy.signal costs half a second, which auditioning does not need.
    from scipy.signal import resample_poly

    g = gcd(SAMPLE_RATE, rate)
    out: np.ndarray = resample_poly(samples, SAMPLE_RATE // g, rate // g).astype(np.float32)
    return out


def trim_silence(
    samples: np.ndarray, threshold_db: float = -50.0, keep: float = 0.03, rate: int = SAMPLE_RATE
) -> np.ndarray:
    """Cut the engine's leading and trailing silence, keeping ``keep`` seconds around the words.

    Gaps are then ours to set, and a caption cue placed at the clip's start starts on the speech.
    """
    frame = rate // 100
    n = samples.size // frame
    if n == 0:
        return samples
    rms = np.sqrt(np.mean(samples[: n * frame].reshape(n, frame) ** 2, axis=1) + 1e-12)
    loud = np.flatnonzero(20 * np.log10(rms) > threshold_db)
    if loud.size == 0:
        return samples[:0]
    pad = round(keep * rate)
    start = max(0, loud[0] * frame - pad)
    end = min(samples.size, (loud[-1] + 1) * frame + pad)
    return samples[start:end]


def join(pieces: list[np.ndarray]) -> np.ndarray:
    """Concatenate once (never ``a + b`` in a loop, which is quadratic)."""
    if not pieces:
        return np.zeros(0, dtype=np.float32)
    return np.concatenate(pieces).astype(np.float32, copy=False)


MUSIC_BLOCK_SECONDS = 1.0
"""Music is decoded and mixed this many seconds at a time: memory stays flat for any length.
A block about a sentence long keeps the limiter's oversampled copies as small as a clip's
(10 s blocks cost 65 MB more peak memory than the render without music)."""


def music_blocks(path: Path, seconds: float | None = None) -> Iterator[np.ndarray]:
    """Any audio file ffmpeg reads, as mono float32 blocks at ``SAMPLE_RATE``: only its first
    ``seconds`` when given (ffmpeg stops there, so an hour-long file costs what is used).

    Decoded with ffmpeg directly: pydub's ``from_file`` would call ffprobe, which the bundled
    ffmpeg does not ship, and would hold the whole file at once.
    """
    # Imported here: the export package sits above the mix in the layers.
    from .export.probe import decode_frames

    if not path.exists():
        raise InputError("audio file not found", path=path, hint="check the path in the script")
    if path.is_dir():
        raise InputError("is a directory, not an audio file", path=path)
    hint = "use a valid mp3, wav or ogg file"
    frames = 0
    try:
        for block in decode_frames(path, SAMPLE_RATE, 1, MUSIC_BLOCK_SECONDS, seconds):
            frames += block.shape[0]
            yield block.reshape(-1)
    except AudioError as exc:
        reason = exc.message.removeprefix("ffmpeg cannot decode the file: ")
        raise InputError(f"cannot decode audio: {reason}", path=path, hint=hint) from None
    if frames == 0:
        raise InputError("cannot decode audio: no audio in it", path=path, hint=hint)


def decode_file(path: Path, seconds: float | None = None) -> np.ndarray:
    """:func:`music_blocks` joined: the file (its first ``seconds`` when given) as one array."""
    return join(list(music_blocks(path, seconds)))


def _to_array(segment: AudioSegment) -> np.ndarray:
    segment = segment.set_frame_rate(SAMPLE_RATE).set_channels(1).set_sample_width(2)
    data = np.array(segment.get_array_of_samples(), dtype=np.float32)
    return data / 32768.0


def _sine(freq: float, milliseconds: float, volume_db: float) -> AudioSegment:
    """What pydub's ``Sine(freq).to_audio_segment(milliseconds, volume_db)`` gives, at
    ``SAMPLE_RATE``, computed with numpy: pydub's generator runs sample by sample in Python,
    which made the two stings of a render cost 1.9 s measured here."""
    count = int(SAMPLE_RATE * (milliseconds / 1000.0))
    wave = np.sin((freq * 2 * pi / SAMPLE_RATE) * np.arange(count))
    samples = np.trunc(wave * 32767 * 10 ** (volume_db / 20)).astype("<i2")
    return AudioSegment(samples.tobytes(), frame_rate=SAMPLE_RATE, sample_width=2, channels=1)


@functools.cache
def sting(seconds: float = 2.4) -> np.ndarray:
    """The built-in intro/outro sting: a rising three-note chime over a soft held chord, the
    chord held for ``seconds`` in all (an intro holds it under its words and the handover).

    Made once per length per process and returned read-only, since the intro and the outro
    both use it.
    """
    # pydub's silent() defaults to 11,025 Hz; give the rate explicitly so overlays keep quality.
    bed = AudioSegment.silent(duration=round(seconds * 1000), frame_rate=SAMPLE_RATE)
    notes = (523.25, 659.25, 783.99)  # C5 E5 G5
    for i, freq in enumerate(notes):
        tone, overtone = _sine(freq, 900, -14.0), _sine(freq * 2, 900, -26.0)
        bed = bed.overlay(tone.overlay(overtone).fade_in(10).fade_out(780), position=i * 220)
    chord = _sine(notes[0] / 2, round(seconds * 1000) - 660, -22.0)
    for freq in notes[1:]:
        chord = chord.overlay(_sine(freq / 2, len(chord), -24.0))
    # The short sting's chord dies away at once; a long one (held under an intro) holds and
    # fades over its last 1.5 s.
    bed = bed.overlay(chord.fade_in(120).fade_out(min(len(chord) - 200, 1540)), position=660)
    out = _to_array(bed)
    out.setflags(write=False)
    return out


def duck_under(
    music: np.ndarray,
    speech: np.ndarray,
    start: float,
    duck_db: float = -18.0,
    ramp: float = 0.25,
    tail: float = 1.0,
) -> np.ndarray:
    """Music with ``speech`` placed at ``start`` seconds; the music dips by ``duck_db`` under it.

    The music is cut ``tail`` seconds after the speech ends, with a fade, so a long intro file
    does not run on; a short one is padded with silence.
    """
    offset = round(start * SAMPLE_RATE)
    end = offset + speech.size
    length = max(end + round(tail * SAMPLE_RATE), 0)
    bed = np.zeros(length, dtype=np.float32)
    n = min(music.size, length)
    bed[:n] = music[:n]
    env = np.ones(length, dtype=np.float32)
    low = np.float32(10 ** (duck_db / 20))
    r = max(1, round(ramp * SAMPLE_RATE))
    env[offset:end] = low
    down_from = max(0, offset - r)
    env[down_from:offset] = np.linspace(1.0, low, offset - down_from, dtype=np.float32)
    up_to = min(length, end + r)
    env[end:up_to] = np.linspace(low, 1.0, up_to - end, dtype=np.float32)
    fade = min(length - end, round(tail * SAMPLE_RATE))
    if fade > 0:
        env[length - fade :] *= np.linspace(1.0, 0.0, fade, dtype=np.float32)
    out = bed * env
    out[offset:end] += speech
    return out


def intro_bed(
    music: np.ndarray,
    speech: np.ndarray,
    start: float,
    *,
    duck_db: float,
    handover: float,
    fade: float,
    lift_db: float = -10.0,
    ramp: float = 0.25,
) -> tuple[np.ndarray, np.ndarray]:
    """The intro as a produced show hands over: ``(head, tail)``.

    ``head`` is the music with ``speech`` ducked over it from ``start`` seconds, up to the end of
    the speech. ``tail`` is the music after it: it lifts to ``lift_db`` for the ``handover``
    (the breath before the first line) and then fades out over ``fade`` seconds under the first
    line, so the show never drops into digital silence between intro and interview.
    """
    head = duck_under(music, speech, start, duck_db=duck_db, ramp=ramp, tail=0.0)
    end = head.size
    n = round((handover + fade) * SAMPLE_RATE)
    tail = np.zeros(n, dtype=np.float32)
    have = max(0, min(n, music.size - end))
    tail[:have] = music[end : end + have]
    low, lift = np.float32(10 ** (duck_db / 20)), np.float32(10 ** (lift_db / 20))
    env = np.full(n, lift, dtype=np.float32)
    r = min(n, round(ramp * SAMPLE_RATE))
    env[:r] = np.linspace(low, lift, r, dtype=np.float32)
    hold = min(n, round(handover * SAMPLE_RATE))
    env[hold:] *= np.linspace(1.0, 0.0, n - hold, dtype=np.float32) ** 2
    return head, tail * env
