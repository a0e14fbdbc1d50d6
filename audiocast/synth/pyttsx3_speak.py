"""The three ways the pyttsx3 engine speaks one clip into a WAV file, and what they share.

- ``speak_fresh``: a freshly loaded private eSpeak NG (``espeak_fresh``), so the clip does not
  depend on what the process spoke before; the default wherever that library can be loaded.
- ``speak_synchronous``: eSpeak NG switched to its synchronous output mode, one blocking
  ``espeak_Synth`` call whose samples our own callback collects on this thread.
- ``speak_queued``: pyttsx3's own ``save_to_file`` and ``runAndWait``, for other drivers, which
  may return before the file is complete; the caller then awaits and verifies the clip.

Each raises ``ClipDefect`` for a clip worth retrying and calls ``timed_out`` for every wait that
ran out, so the synthesizer can count them.
"""

from __future__ import annotations

import contextlib
import io
import time
import wave
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import EngineError
from ..model import VoiceProfile
from ..signals import deferred_stop_requests
from . import espeak as espeak_bindings
from .espeak import PITCH, RATE, VOLUME, EspeakControl
from .espeak_fresh import FreshEspeak, Utterance
from .verify import ClipDefect

PHONEME_MARK = "[["
"""eSpeak NG reads ``[[...]]`` as phoneme mnemonics when synthesizing with ``espeakPHONEMES``."""


@dataclass
class ClipEvents:
    """What pyttsx3's callbacks reported about the utterance in progress."""

    finished: int = 0
    errors: list[BaseException] = field(default_factory=list)

    def reset(self) -> None:
        self.finished = 0
        self.errors = []

    def on_finished(self, name: object = None, completed: bool = True) -> None:
        if completed:
            self.finished += 1

    def on_error(self, name: object = None, exception: BaseException | None = None) -> None:
        self.errors.append(exception or EngineError("unknown pyttsx3 error"))


@contextlib.contextmanager
def quiet_stdout() -> Iterator[None]:
    """Keep the driver's prints off stdout, whether stdout is a terminal, a file or a pipe."""
    with contextlib.redirect_stdout(io.StringIO()):
        yield


def utterance_settings(voice: VoiceProfile, voice_id: str, rate: int) -> Utterance:
    """The eSpeak NG settings of ``voice`` (spoken as ``voice_id``) at ``rate``, clamped to
    what the library takes."""
    return Utterance(
        voice_id=voice_id,
        rate=rate,
        pitch=int(min(100, max(0, voice.pitch))),
        volume=round(min(1.0, max(0.0, voice.volume)) * 100),
    )


def speak_fresh(
    fresh: FreshEspeak,
    text: str,
    settings: Utterance,
    out: Path,
    events: ClipEvents,
    timed_out: Callable[[], None],
) -> None:
    """One clip from eSpeak NG's initial state; the WAV is complete when this returns."""
    limit = espeak_bindings.WAIT_SECONDS  # read now: tests shorten it
    try:
        speech = fresh.speak(text, settings, phonemes=PHONEME_MARK in text, timeout=limit)
    except ValueError as exc:
        raise ClipDefect("missing", str(exc), path=out) from None
    if speech.expired:
        timed_out()
        raise ClipDefect("missing", f"eSpeak NG ran over {limit:.0f} s", path=out)
    _write_wav(out, speech.samples, speech.sample_rate)
    events.finished = 1  # the clip is whole: awaiting it only verifies it


def speak_synchronous(
    engine: Any,
    espeak: EspeakControl,
    text: str,
    settings: Utterance,
    out: Path,
    events: ClipEvents,
    timed_out: Callable[[], None],
) -> None:
    """One blocking eSpeak NG call; the WAV is complete when this returns."""
    events.reset()
    with quiet_stdout():
        apply_properties(engine, espeak, settings, timed_out)
    if events.errors:
        raise ClipDefect("missing", f"pyttsx3 reported: {events.errors[0]}", path=out)
    samples, expired = espeak.synth(text, phonemes=PHONEME_MARK in text)
    if expired:
        timed_out()
        limit = espeak_bindings.WAIT_SECONDS
        raise ClipDefect("missing", f"eSpeak NG ran over {limit:.0f} s", path=out)
    _write_wav(out, samples, espeak.sample_rate())
    events.finished = 1  # the clip is whole: awaiting it only verifies it


def speak_queued(
    engine: Any,
    espeak: EspeakControl | None,
    text: str,
    settings: Utterance,
    out: Path,
    events: ClipEvents,
    timed_out: Callable[[], None],
    wait_seconds: float,
) -> None:
    """pyttsx3's ``save_to_file`` and ``runAndWait``; the file may still be incomplete."""
    try:
        with quiet_stdout(), deferred_stop_requests():
            if espeak and not espeak.settle():
                timed_out()
            if engine.isBusy():
                # Freshly initialised, pyttsx3 queues properties and applies them inside
                # runAndWait, right before a stop() that can cancel them; an empty run
                # makes it apply each property at once.
                engine.runAndWait()
            events.reset()
            apply_properties(engine, espeak, settings, timed_out)
            engine.save_to_file(text, str(out))
            engine.runAndWait()
            # runAndWait can return before eSpeak's thread has finished (and printed
            # "Audio saved"): wait for the callback while stdout is still redirected.
            deadline = time.monotonic() + wait_seconds
            while not events.finished and not events.errors:
                if time.monotonic() > deadline:
                    timed_out()
                    break
                time.sleep(0.005)
            if espeak and not espeak.settle():
                timed_out()
    except RuntimeError as exc:
        # A run loop left open by an earlier failure; close it so the retry can start.
        with contextlib.suppress(RuntimeError):
            engine.endLoop()
        raise ClipDefect("missing", f"pyttsx3 failed: {exc}", path=out) from None
    if events.errors:
        raise ClipDefect("missing", f"pyttsx3 reported: {events.errors[0]}", path=out)


def apply_properties(
    engine: Any, espeak: EspeakControl | None, settings: Utterance, timed_out: Callable[[], None]
) -> None:
    """Set voice, rate, pitch and volume, and with eSpeak NG make sure they took."""
    rate, pitch, volume = settings.rate, settings.pitch, settings.volume / 100
    # Voice first: setting it resets the rate. Ints only: a float rate is rejected
    # inside the driver's queue and reported only through the error callback.
    engine.setProperty("voice", settings.voice_id)
    if espeak is None:
        engine.setProperty("rate", rate)
        engine.setProperty("volume", volume)
        return
    want = {RATE: rate, PITCH: pitch, VOLUME: settings.volume}
    for _ in range(3):
        engine.setProperty("rate", rate)
        engine.setProperty("pitch", pitch)
        engine.setProperty("volume", volume)
        # In asynchronous mode eSpeak applies parameters on its own thread and pyttsx3's
        # stop() at the start of runAndWait cancels whatever is still pending: wait for
        # them. (In synchronous mode they are applied already and this returns at once.)
        if not espeak.settle():
            timed_out()
        if espeak.parameters(want) == want:
            return
    raise ClipDefect(
        "missing", f"eSpeak NG did not take rate {rate}, pitch {pitch}, volume {volume}"
    )


def _write_wav(out: Path, samples: bytes, sample_rate: int) -> None:
    # An open file, not a name: a Ctrl-C inside wave.open(name) leaves a half-made writer
    # whose __del__ prints a traceback at exit.
    with open(out, "wb") as f, wave.open(f, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(sample_rate)
        w.writeframes(samples)
