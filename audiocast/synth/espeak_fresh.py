"""A fresh eSpeak NG for every clip, so that a clip depends only on its text and voice.

eSpeak NG keeps state from one utterance to the next inside the library, and no API call resets
it: the position in the pitch-flutter table (a function-local static), the wave phase, the echo
buffer, the breath resonators and the noise generator. Within one process a clip therefore
depends on everything spoken before it, and in a worker pool on scheduling. The noise generator
is the only part with an API (``espeak_ng_SetRandSeed`` since 1.52, which also seeds it from the
clock at every initialisation; 1.51 calls libc's ``rand()``), so seeding alone is not enough.

What does reset everything is a library loaded afresh. The dynamic loader maps one instance per
file, so the library is copied once into an anonymous in-memory file (``memfd``) and that copy
is loaded for each clip with ``RTLD_DEEPBIND`` (without it the copy's references to its own
exported functions and globals bind to the instance pyttsx3 loaded, and it speaks nothing),
initialised in synchronous mode, used for one clip and unloaded. That costs about 5 ms a clip
(measured with 1.51 and 1.52) and leaves nothing on disk. The instance pyttsx3 loaded stays for
listing voices; it never speaks a clip.
"""

from __future__ import annotations

import _ctypes
import contextlib
import ctypes
import os
import sys
import time
from dataclasses import dataclass
from typing import Any

from ..signals import deferred_stop_requests
from .espeak import (
    CHARS_UTF8,
    ENDPAUSE,
    OUTPUT_SYNCHRONOUS,
    PHONEMES,
    PITCH,
    RATE,
    VOLUME,
    ClipCollector,
    SynthCallback,
)

NOISE_SEED = 1
"""Seed for eSpeak NG's noise generator before every clip (glibc's own default seed for rand)."""

CARRIED_OVER = "state carried over"
"""What the engine's version (part of every cache key) says when clips are not spoken by a
fresh library: the fallback where this module cannot work."""

_SPEECH_STOPPED = 0x10000EFF
"""ENS_SPEECH_STOPPED: the callback asked eSpeak NG to stop."""


class FreshEspeakUnavailable(OSError):
    """This machine cannot load a private copy of eSpeak NG (no memfd, or a noexec policy)."""


@dataclass(frozen=True)
class Utterance:
    """What one clip is spoken with: an eSpeak NG voice name (``en-us+f3``) and its settings."""

    voice_id: str
    rate: int
    """Words per minute."""
    pitch: int
    """0..100."""
    volume: int
    """0..200, 100 is the library's normal amplitude."""


@dataclass(frozen=True)
class Speech:
    samples: bytes
    """16-bit mono little-endian samples."""
    sample_rate: int
    expired: bool
    """True when the clip ran over its deadline and eSpeak NG was stopped."""


class FreshEspeak(ClipCollector):
    """Speaks each clip with a newly loaded eSpeak NG. One per process; not thread-safe."""

    def __init__(self, library_path: str) -> None:
        if not hasattr(os, "memfd_create") or not hasattr(os, "RTLD_DEEPBIND"):
            raise FreshEspeakUnavailable("this system has no memfd_create or RTLD_DEEPBIND")
        with open(library_path, "rb") as f:
            image = f.read()
        self._fd = os.memfd_create("audiocast-espeak-ng", os.MFD_CLOEXEC)
        os.write(self._fd, image)
        self._path = f"/proc/self/fd/{self._fd}"
        ClipCollector.__init__(self)
        # eSpeak NG keeps the callback's address: it lives as long as this object.
        self._callback = SynthCallback(self._collect)
        try:
            self._unload(self._load(), initialised=False)
        except OSError as exc:
            self.close()
            raise FreshEspeakUnavailable(str(exc)) from None

    def speak(self, text: str, utterance: Utterance, *, phonemes: bool, timeout: float) -> Speech:
        """``text`` spoken from eSpeak NG's initial state; blocks until it is all spoken.

        Raises ``ValueError`` when the library refuses the voice, a setting or the text.
        """
        # A stop waits until the copy is unloaded (a few ms after the callback sees it): one
        # that lands between initialisation and unloading would dlclose the copy under
        # eSpeak NG's own thread, which crashes the process. ctypes also prints and swallows
        # what the callback raises, so a Ctrl-C there would be lost.
        with deferred_stop_requests() as self._stop_requests:
            return self._speak(text, utterance, phonemes=phonemes, timeout=timeout)

    def _speak(self, text: str, utterance: Utterance, *, phonemes: bool, timeout: float) -> Speech:
        lib = self._load()
        initialised = False
        try:
            _check(lib.espeak_ng_Initialize(None), "initialise")
            initialised = True
            _check(lib.espeak_ng_InitializeOutput(OUTPUT_SYNCHRONOUS, 0, None), "start")
            _check(lib.espeak_SetVoiceByName(utterance.voice_id.encode("utf-8")), "voice")
            for parameter, value in (
                (RATE, utterance.rate),
                (PITCH, utterance.pitch),
                (VOLUME, utterance.volume),
            ):
                _check(lib.espeak_SetParameter(parameter, value, 0), "setting")
            lib.espeak_SetSynthCallback(self._callback)
            _seed_noise(lib)
            sample_rate = int(lib.espeak_ng_GetSampleRate()) or 22050
            self._sink, self._expired = [], False
            self._deadline = time.monotonic() + timeout
            flags = CHARS_UTF8 | ENDPAUSE | (PHONEMES if phonemes else 0)
            data = text.encode("utf-8") + b"\0"
            status = lib.espeak_Synth(data, ctypes.c_size_t(len(data)), 0, 0, 0, flags, None, None)
            if status not in (0, _SPEECH_STOPPED) or (status and not self._expired):
                raise ValueError(f"eSpeak NG refused the text (status {status:#x})")
            return Speech(b"".join(self._sink), sample_rate, self._expired)
        finally:
            self._sink = []
            self._unload(lib, initialised=initialised)

    def close(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1

    def _load(self) -> Any:
        lib = ctypes.CDLL(self._path, mode=os.RTLD_LOCAL | os.RTLD_NOW | os.RTLD_DEEPBIND)
        lib.espeak_ng_InitializePath(None)  # ESPEAK_DATA_PATH, else the library's own
        lib.espeak_SetParameter.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int]
        return lib

    @staticmethod
    def _unload(lib: Any, *, initialised: bool) -> None:
        # Only after a successful initialisation: 1.51's terminate joins a thread that only
        # initialisation starts.
        if initialised:
            lib.espeak_ng_Terminate()
        _ctypes.dlclose(lib._handle)


def _check(status: int, what: str) -> None:
    if status != 0:
        raise ValueError(f"eSpeak NG refused the {what} (status {status:#x})")


def _seed_noise(lib: Any) -> None:
    seed = getattr(lib, "espeak_ng_SetRandSeed", None)
    if seed is not None:
        seed.argtypes = [ctypes.c_long]
        seed(NOISE_SEED)
    else:
        # eSpeak NG 1.51 draws its noise from libc's rand(), shared with this process.
        ctypes.CDLL(None).srand(NOISE_SEED)


def loaded_espeak_path() -> str | None:
    """The file of the eSpeak NG library mapped into this process, if one is."""
    if not sys.platform.startswith("linux"):
        return None
    with contextlib.suppress(OSError), open("/proc/self/maps") as maps:
        for line in maps:
            path = line.split(maxsplit=5)[-1].strip()
            if os.path.basename(path).startswith("libespeak-ng.so"):
                return path
    return None


def carried_over_warning(engine_version: str) -> str | None:
    """The render's one warning when ``engine_version`` says clips carry eSpeak NG's state
    over (no ``memfd_create`` or ``RTLD_DEEPBIND``, or the copy cannot be loaded); ``None``
    otherwise. Said by the render, not by the workers, which each fall back on their own."""
    if CARRIED_OVER not in engine_version:
        return None
    return (
        "eSpeak NG cannot be loaded afresh for each clip on this system (it needs Linux's "
        "memfd_create and RTLD_DEEPBIND): a clip depends on what its worker spoke before, so "
        "renders are not reproducible across runs or --jobs"
    )
