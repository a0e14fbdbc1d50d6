"""The default engine: pyttsx3 (eSpeak NG on Linux, NSSS on macOS, SAPI5 on Windows), hardened.

pyttsx3 2.99 has sharp edges, each handled here on purpose:

- eSpeak NG initialises once per process and a forked child of an initialised process hangs,
  so one engine lives per process, created lazily, and refuses to run after a fork.
- Properties are queued and applied in order; setting the voice resets the rate, so the voice
  goes first and rate, pitch and volume follow, every utterance (init forces 200 wpm).
- A bad property value (a float rate, an unknown ``+variant``) fails inside the queue and is
  only reported through the ``error`` callback; an unknown voice id is silently ignored. Both
  are caught: ids are validated by ``check_voice`` and ``error`` events fail the attempt.
- With eSpeak NG, pyttsx3 starts the library in its asynchronous mode: ``Synth`` only queues
  the text, the library's thread writes the file and signals ``finished-utterance`` through
  pyttsx3's callback while ``runAndWait`` polls every 10 ms (and may return first), and
  pyttsx3's ``stop()``/``iterate()`` cancel on ``espeak_IsPlaying``, which also reads true for
  an instant while that thread closes an idle stream (a stale cancel, observed under load).
  A clip whose signal never came waited out ``WAIT_SECONDS``. None of that is needed to make
  a file, so once per process the library is switched to its synchronous output mode and
  each clip is one blocking ``espeak_Synth`` call whose samples are collected by our own
  callback on this thread: no second thread, no polling, no cancel. pyttsx3 still starts
  eSpeak, lists the voices and sets every property. Text holding ``[[...]]`` is synthesized with
  ``espeakPHONEMES`` so lexicon entries are spoken as phonemes (pyttsx3 never passes it).
- Other drivers keep pyttsx3's ``runAndWait``, which may return before the file is complete;
  there each clip is awaited (``finished-utterance`` and a consistent WAV header), bounded.
- eSpeak NG carries state from one utterance to the next (pitch flutter, phase, noise), so a
  clip would depend on what the process spoke before: each clip is spoken by a freshly loaded
  private instance of the library (``espeak_fresh``), and pyttsx3's instance only lists voices.
  Where that instance cannot be made, the synchronous mode below speaks the clips.
- Every clip is verified and retried; ``stats()`` counts retries and expired waits.
- The driver prints "Audio saved to ..." on stdout: the calls run with stdout redirected.
- How one clip is spoken (fresh, synchronous or queued) is in ``pyttsx3_speak``.
- Long texts are slow (a quadratic buffer) and crash past ~14,000 characters, so texts over
  ``chunk_chars`` are spoken sentence by sentence and the frames joined into one WAV.
"""

from __future__ import annotations

import contextlib
import functools
import os
import tempfile
import time
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as package_version
from pathlib import Path
from typing import Any

from ..atomic import atomic_path
from ..errors import EngineError, VoiceError
from ..model import EngineVoice, VoiceProfile
from ..runtime import prepare_espeak
from ..signals import deferred_stop_requests
from .chunking import CHUNK_CHARS, join_wavs, split_text
from .espeak import (
    ESPEAK_OWNER,
    WAIT_SECONDS,
    EspeakControl,
    espeak_data_path,
    espeak_info,
    refuse_inherited_espeak,
)
from .espeak_fresh import CARRIED_OVER, FreshEspeak, FreshEspeakUnavailable, loaded_espeak_path
from .pyttsx3_speak import (
    ClipEvents,
    quiet_stdout,
    speak_fresh,
    speak_queued,
    speak_synchronous,
    utterance_settings,
)
from .verify import ClipDefect, verify_wav
from .voice_ids import check_espeak_id, check_listed_id

MIN_RATE, MAX_RATE = 80, 450
"""eSpeak NG's usable range of words per minute."""
RETRIES = 3


def clamp_rate(wpm: float) -> int:
    return int(min(MAX_RATE, max(MIN_RATE, round(wpm))))


@dataclass(frozen=True)
class SpeakStats:
    """What one synthesizer has done so far in this process.

    ``attempts`` counts engine calls; ``retries`` the attempts after a clip's first;
    ``timeouts`` the waits that ran out (``WAIT_SECONDS``): a healthy engine keeps both at 0.
    """

    attempts: int = 0
    retries: int = 0
    timeouts: int = 0


class Pyttsx3Synthesizer:
    """pyttsx3 behind the ``Synthesizer`` protocol. Not thread-safe; one per process.

    ``retries`` is how many attempts a clip gets before ``EngineError``; ``chunk_chars`` is the
    longest text spoken in one utterance.
    """

    name = "pyttsx3"

    def __init__(
        self, *, retries: int = RETRIES, chunk_chars: int = CHUNK_CHARS, driver: str | None = None
    ) -> None:
        self.retries = max(1, retries)
        self.chunk_chars = chunk_chars
        self._driver_name = driver
        self._engine: Any = None
        self._pid = 0
        self._tokens: list[dict[str, Any]] = []
        self._events = ClipEvents()
        self._voices: list[EngineVoice] | None = None
        self._variants: frozenset[str] | None = None
        self._checked: set[str] = set()
        # Voice ids written as a language (``en-gb+f4``) -> the eSpeak voice that speaks it.
        self._speakable: dict[str, str] = {}
        self._espeak_source = ""
        self._control: EspeakControl | None = None
        self._fresh: FreshEspeak | None = None
        self._fresh_unavailable = ""
        self._stats = SpeakStats()

    def stats(self) -> SpeakStats:
        """Counters since this instance was made (see ``SpeakStats``)."""
        return self._stats

    def _count(self, *, attempts: int = 0, retries: int = 0, timeouts: int = 0) -> None:
        s = self._stats
        self._stats = SpeakStats(s.attempts + attempts, s.retries + retries, s.timeouts + timeouts)

    # -- the engine ----------------------------------------------------------------------

    def _get_engine(self) -> Any:
        if self._engine is not None:
            if self._pid != os.getpid():
                raise EngineError(
                    "the pyttsx3 engine was started before this process was forked",
                    hint="start worker processes with the 'spawn' method",
                )
            return self._engine
        refuse_inherited_espeak()
        info = prepare_espeak()
        self._espeak_source = info.source if info else ""
        try:
            with quiet_stdout():
                import pyttsx3

                engine = pyttsx3.init(self._driver_name)
        except (ImportError, RuntimeError, OSError, KeyError, AttributeError) as exc:
            raise EngineError(
                f"cannot start pyttsx3: {exc}",
                hint="on Linux: pip install espeakng-loader, or install espeak-ng",
            ) from None
        self._tokens = [
            engine.connect("finished-utterance", self._events.on_finished),
            engine.connect("error", self._events.on_error),
        ]
        self._engine = engine
        self._pid = os.getpid()
        ESPEAK_OWNER[:] = [self._pid]
        return engine

    def _espeak_control(self) -> EspeakControl | None:
        if not self._is_espeak:
            return None
        if self._control is None:
            control = EspeakControl()
            engine = self._get_engine()
            # pyttsx3's own ctypes callbacks would swallow a Ctrl-C: hold it until they are done.
            with quiet_stdout(), deferred_stop_requests():
                # pyttsx3's init queued rate and volume on eSpeak's thread; let them land,
                # then (busy since init) one empty run makes later properties apply at once.
                if not control.settle():
                    self._count(timeouts=1)
                if engine.isBusy():
                    engine.runAndWait()
            if not control.make_synchronous():
                self._count(timeouts=1)
            self._control = control
        return self._control

    def _fresh_espeak(self) -> FreshEspeak | None:
        """The per-clip eSpeak NG, made once; None for other drivers or where it cannot load."""
        if self._fresh is None and not self._fresh_unavailable and self._is_espeak:
            path = loaded_espeak_path()
            try:
                if path is None:
                    raise FreshEspeakUnavailable("cannot find the loaded eSpeak NG library")
                self._fresh = FreshEspeak(path)
            except FreshEspeakUnavailable as exc:
                self._fresh_unavailable = str(exc) or "unavailable"
        return self._fresh

    @property
    def _is_espeak(self) -> bool:
        return str(self._get_engine().driver_name) == "espeak"

    def close(self) -> None:
        engine, self._engine = self._engine, None
        fresh, self._fresh = self._fresh, None
        if fresh is not None:
            fresh.close()
        if engine is not None and self._pid == os.getpid():
            # The eSpeak driver cannot be re-initialised in this process, so it stays loaded;
            # only this instance's callbacks go.
            for token in self._tokens:
                with contextlib.suppress(KeyError, ValueError):
                    engine.disconnect(token)
        self._tokens = []

    # -- what the engine is --------------------------------------------------------------

    def version(self) -> str:
        engine = self._get_engine()
        try:
            wrapper = f"pyttsx3 {package_version('pyttsx3')}"
        except PackageNotFoundError:
            wrapper = "pyttsx3"
        if not self._is_espeak:
            return f"{wrapper} / {engine.driver_name}"
        espeak_version, _ = espeak_info()
        # Part of the cache key: clips spoken with state carried over are not the same audio.
        state = "fresh state per clip" if self._fresh_espeak() else CARRIED_OVER
        source = ", ".join(filter(None, [self._espeak_source, state]))
        return f"{wrapper} / eSpeak NG {espeak_version} ({source})"

    def voices(self) -> list[EngineVoice]:
        if self._voices is None:
            engine = self._get_engine()
            found = []
            for v in engine.getProperty("voices"):
                gender = getattr(v, "gender", None)
                found.append(
                    EngineVoice(
                        id=str(v.id),
                        name=str(v.name or v.id),
                        languages=tuple(str(lang) for lang in (v.languages or ())),
                        gender=str(gender).lower() if gender else None,
                    )
                )
            self._voices = found
        return list(self._voices)

    def variants(self) -> list[str]:
        """eSpeak NG voice variants (``f3``, ``m7``, ``klatt``...) usable as ``id+variant``."""
        if self._variants is None:
            folder = espeak_data_path() / "voices" / "!v" if self._is_espeak else None
            names = (
                frozenset(p.name for p in folder.iterdir() if p.is_file())
                if folder and folder.is_dir()
                else frozenset()
            )
            self._variants = names
        return sorted(self._variants, key=str.lower)

    def check_voice(self, voice: VoiceProfile) -> None:
        if voice.engine != self.name:
            raise VoiceError(
                f"voice profile {voice.name!r} is for engine {voice.engine!r}, not {self.name!r}"
            )
        voice_id = voice.voice_id.strip()
        if voice_id in self._checked:
            return
        if not voice_id:
            raise VoiceError(f"voice profile {voice.name!r} has no voice_id")
        if self._is_espeak:
            speakable = check_espeak_id(voice_id, self.voices(), self.variants())
            if speakable is not None:
                self._speakable[voice_id] = speakable
        else:
            check_listed_id(voice_id, self.voices(), self._get_engine().driver_name)
        self._checked.add(voice_id)

    # -- speaking ------------------------------------------------------------------------

    def synthesize(
        self, text: str, voice: VoiceProfile, out: Path, rate_scale: float = 1.0
    ) -> None:
        pieces = split_text(text, self.chunk_chars)
        if not pieces:
            raise EngineError("nothing to synthesize: the text is empty", path=out)
        self.check_voice(voice)
        rate = clamp_rate(voice.rate * rate_scale)
        with atomic_path(Path(out), suffix=".wav") as tmp:
            if len(pieces) == 1:
                self._speak_verified(pieces[0], voice, rate, tmp)
                return
            with tempfile.TemporaryDirectory(prefix="audiocast-chunks-") as folder:
                clips = []
                for i, piece in enumerate(pieces):
                    part = Path(folder) / f"{i:04d}.wav"
                    self._speak_verified(piece, voice, rate, part)
                    clips.append(part)
                join_wavs(clips, tmp)
            verify_wav(tmp, " ".join(pieces), rate)

    def _speak_verified(self, text: str, voice: VoiceProfile, rate: int, out: Path) -> None:
        last: ClipDefect | EngineError | None = None
        for attempt in range(self.retries):
            self._count(attempts=1, retries=1 if attempt else 0)
            try:
                self._speak_once(text, voice, rate, out)
                self._await_clip(out, text, rate)
                return
            except ClipDefect as defect:
                last = defect
        detail = last.message if last else "no clip"
        raise EngineError(
            f"pyttsx3 could not speak {text[:60]!r} after {self.retries} attempts: {detail}",
            hint=f"voice {voice.name!r} ({voice.voice_id}); try another voice or shorter text",
        )

    def _speak_once(self, text: str, voice: VoiceProfile, rate: int, out: Path) -> None:
        engine = self._get_engine()
        out.unlink(missing_ok=True)
        self.check_voice(voice)  # fills the speakable id of a language code (en-gb -> en)
        wanted = voice.voice_id.strip()
        settings = utterance_settings(voice, self._speakable.get(wanted, wanted), rate)
        fresh = self._fresh_espeak()
        espeak = None if fresh is not None else self._espeak_control()
        timed_out = functools.partial(self._count, timeouts=1)
        if fresh is not None:
            speak_fresh(fresh, text, settings, out, self._events, timed_out)
        elif espeak is not None and espeak.synchronous:
            speak_synchronous(engine, espeak, text, settings, out, self._events, timed_out)
        else:
            speak_queued(engine, espeak, text, settings, out, self._events, timed_out, WAIT_SECONDS)

    def _await_clip(self, out: Path, text: str, rate: int) -> None:
        deadline = time.monotonic() + WAIT_SECONDS
        while True:
            try:
                if not self._events.finished:
                    raise ClipDefect("missing", "the utterance did not finish", path=out)
                verify_wav(out, text, rate)
                return
            except ClipDefect as defect:
                if defect.reason not in ("missing", "empty", "truncated"):
                    raise
                if time.monotonic() > deadline:
                    self._count(timeouts=1)
                    raise
            time.sleep(0.02)
