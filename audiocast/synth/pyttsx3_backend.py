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
- Every clip is verified and retried; ``stats()`` counts retries and expired waits.
- The driver prints "Audio saved to ..." on stdout: the calls run with stdout redirected.
- Long texts are slow (a quadratic buffer) and crash past ~14,000 characters, so texts over
  ``chunk_chars`` are spoken sentence by sentence and the frames joined into one WAV.
"""

from __future__ import annotations

import contextlib
import ctypes
import difflib
import io
import os
import re
import sys
import tempfile
import time
import wave
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as package_version
from pathlib import Path
from typing import Any

from ..atomic import atomic_path
from ..errors import EngineError, VoiceError
from ..model import EngineVoice, VoiceProfile
from ..runtime import prepare_espeak
from .verify import ClipDefect, verify_wav

MIN_RATE, MAX_RATE = 80, 450
"""eSpeak NG's usable range of words per minute."""
CHUNK_CHARS = 600
RETRIES = 3
WAIT_SECONDS = 10.0
"""Last-resort bound on any wait for the engine (a clip, eSpeak's queue) before a retry."""
PHONEME_MARK = "[["
"""eSpeak NG reads ``[[...]]`` as phoneme mnemonics when synthesizing with ``espeakPHONEMES``."""

_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"')\]»”’]*\s+")
_CLAUSE_END = re.compile(r"(?<=[,;:—–])\s+")
_PHONEME_SPAN = re.compile(r"\[\[[^\[\]]*\]\]")
_KEEP = "\ue000"


def split_text(text: str, limit: int = CHUNK_CHARS) -> list[str]:
    """Pieces of at most ``limit`` characters, cut at sentence, then clause, then word breaks.

    Joining the pieces with single spaces gives ``text`` with its whitespace collapsed: no word
    is lost or cut unless a single word is longer than ``limit``. A ``[[phonemes]]`` span is
    never cut (unless it alone is longer than ``limit``), so each piece keeps its brackets.
    """
    text = " ".join(text.split())
    if len(text) <= limit:
        return [text] if text else []
    # Spaces inside [[...]] become a private character so no rule below breaks there.
    text = _PHONEME_SPAN.sub(lambda m: m.group().replace(" ", _KEEP), text)
    pieces: list[str] = []
    for unit in _units(text, limit):
        if pieces and len(pieces[-1]) + 1 + len(unit) <= limit:
            pieces[-1] = f"{pieces[-1]} {unit}"
        else:
            pieces.append(unit)
    return [piece.replace(_KEEP, " ") for piece in pieces]


def _units(text: str, limit: int) -> Iterator[str]:
    """Sentences, with any sentence over ``limit`` broken at clauses, then words."""
    for sentence in _SENTENCE_END.split(text):
        if len(sentence) <= limit:
            yield sentence
            continue
        for clause in _CLAUSE_END.split(sentence):
            if len(clause) <= limit:
                yield clause
                continue
            for word in clause.split(" "):
                for start in range(0, len(word), limit):
                    yield word[start : start + limit]


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
        self._finished = 0
        self._errors: list[BaseException] = []
        self._voices: list[EngineVoice] | None = None
        self._variants: frozenset[str] | None = None
        self._checked: set[str] = set()
        self._espeak_source = ""
        self._control: _EspeakControl | None = None
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
        _refuse_inherited_espeak()
        info = prepare_espeak()
        self._espeak_source = info.source if info else ""
        try:
            with _quiet():
                import pyttsx3

                engine = pyttsx3.init(self._driver_name)
        except (ImportError, RuntimeError, OSError, KeyError, AttributeError) as exc:
            raise EngineError(
                f"cannot start pyttsx3: {exc}",
                hint="on Linux: pip install espeakng-loader, or install espeak-ng",
            ) from None
        self._tokens = [
            engine.connect("finished-utterance", self._on_finished),
            engine.connect("error", self._on_error),
        ]
        self._engine = engine
        self._pid = os.getpid()
        _ESPEAK_OWNER[:] = [self._pid]
        return engine

    def _on_finished(self, name: object = None, completed: bool = True) -> None:
        if completed:
            self._finished += 1

    def _on_error(self, name: object = None, exception: BaseException | None = None) -> None:
        self._errors.append(exception or EngineError("unknown pyttsx3 error"))

    def _espeak_control(self) -> _EspeakControl | None:
        if not self._is_espeak:
            return None
        if self._control is None:
            control = _EspeakControl()
            engine = self._get_engine()
            with _quiet():
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

    @property
    def _is_espeak(self) -> bool:
        return str(self._get_engine().driver_name) == "espeak"

    def close(self) -> None:
        engine, self._engine = self._engine, None
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
        espeak_version, _ = _espeak_info()
        source = f" ({self._espeak_source})" if self._espeak_source else ""
        return f"{wrapper} / eSpeak NG {espeak_version}{source}"

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
            folder = self._data_path() / "voices" / "!v" if self._is_espeak else None
            names = (
                frozenset(p.name for p in folder.iterdir() if p.is_file())
                if folder and folder.is_dir()
                else frozenset()
            )
            self._variants = names
        return sorted(self._variants, key=str.lower)

    def _data_path(self) -> Path:
        _, path = _espeak_info()
        candidates = [path] if path else []
        env = os.environ.get("ESPEAK_DATA_PATH")
        if env:
            candidates += [os.path.join(env, "espeak-ng-data"), env]
        with contextlib.suppress(ImportError):
            import espeakng_loader

            candidates.append(str(espeakng_loader.get_data_path()))
        for candidate in candidates:
            if (Path(candidate) / "voices").is_dir():
                return Path(candidate)
        raise EngineError("cannot find eSpeak NG's data folder", hint="set ESPEAK_DATA_PATH")

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
            self._check_espeak_id(voice_id)
        else:
            self._check_listed_id(voice_id)
        self._checked.add(voice_id)

    def _check_espeak_id(self, voice_id: str) -> None:
        base, plus, variant = voice_id.partition("+")
        keys: dict[str, str] = {}
        by_language: dict[str, list[str]] = {}
        for v in self.voices():
            short = v.id.rsplit("/", 1)[-1]
            for key in (v.id, short, v.name):
                keys.setdefault(key.lower(), short)
            for lang in v.languages:
                by_language.setdefault(lang.lower(), []).append(short)
        if base.strip().lower() not in keys:
            # eSpeak matches names and identifiers only: "en-gb" is a language, not a voice.
            near = by_language.get(base.lower(), []) + [
                keys[m]
                for m in difflib.get_close_matches(base.lower(), list(keys), n=5, cutoff=0.6)
            ]
            suggestions = list(dict.fromkeys(n + plus + variant for n in near))[:5]
            raise VoiceError(
                f"unknown eSpeak NG voice {voice_id!r}",
                hint=_did_you_mean(suggestions, "`audiocast voices` lists them"),
            )
        if not plus:
            return
        variants = set(self.variants())
        if variant not in variants:
            lowered = {v.lower(): v for v in variants}
            near = [lowered[variant.lower()]] if variant.lower() in lowered else []
            near += [
                lowered[m]
                for m in difflib.get_close_matches(variant.lower(), list(lowered), n=4, cutoff=0.5)
            ]
            suggestions = list(dict.fromkeys(f"{base}+{n}" for n in near))[:5]
            raise VoiceError(
                f"unknown eSpeak NG voice variant {variant!r} in {voice_id!r}",
                hint=_did_you_mean(
                    suggestions,
                    f"try {base}+f3, {base}+m3 or {base}+klatt; `audiocast voices` lists variants",
                ),
            )

    def _check_listed_id(self, voice_id: str) -> None:
        ids = {v.id: v for v in self.voices()}
        names = {v.name.lower() for v in ids.values()}
        if voice_id in ids or voice_id.lower() in names:
            return
        near = difflib.get_close_matches(voice_id, list(ids), n=5, cutoff=0.5)
        raise VoiceError(
            f"unknown {self._get_engine().driver_name} voice {voice_id!r}",
            hint=_did_you_mean(near, "`audiocast voices` lists them"),
        )

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
                _join_wavs(clips, tmp)
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
        espeak = self._espeak_control()
        out.unlink(missing_ok=True)
        if espeak is not None and espeak.synchronous:
            self._speak_espeak(engine, espeak, text, voice, rate, out)
            return
        try:
            with _quiet():
                if espeak and not espeak.settle():
                    self._count(timeouts=1)
                if engine.isBusy():
                    # Freshly initialised, pyttsx3 queues properties and applies them inside
                    # runAndWait, right before a stop() that can cancel them; an empty run
                    # makes it apply each property at once.
                    engine.runAndWait()
                self._finished = 0
                self._errors = []
                self._apply(engine, espeak, voice, rate)
                engine.save_to_file(text, str(out))
                engine.runAndWait()
                # runAndWait can return before eSpeak's thread has finished (and printed
                # "Audio saved"): wait for the callback while stdout is still redirected.
                deadline = time.monotonic() + WAIT_SECONDS
                while not self._finished and not self._errors:
                    if time.monotonic() > deadline:
                        self._count(timeouts=1)
                        break
                    time.sleep(0.005)
                if espeak and not espeak.settle():
                    self._count(timeouts=1)
        except RuntimeError as exc:
            # A run loop left open by an earlier failure; close it so the retry can start.
            with contextlib.suppress(RuntimeError):
                engine.endLoop()
            raise ClipDefect("missing", f"pyttsx3 failed: {exc}", path=out) from None
        if self._errors:
            raise ClipDefect("missing", f"pyttsx3 reported: {self._errors[0]}", path=out)

    def _speak_espeak(
        self,
        engine: Any,
        espeak: _EspeakControl,
        text: str,
        voice: VoiceProfile,
        rate: int,
        out: Path,
    ) -> None:
        """One blocking eSpeak NG call; the WAV is complete when this returns."""
        self._finished = 0
        self._errors = []
        with _quiet():
            self._apply(engine, espeak, voice, rate)
        if self._errors:
            raise ClipDefect("missing", f"pyttsx3 reported: {self._errors[0]}", path=out)
        samples, expired = espeak.synth(text, phonemes=PHONEME_MARK in text)
        if expired:
            self._count(timeouts=1)
            raise ClipDefect("missing", f"eSpeak NG ran over {WAIT_SECONDS:.0f} s", path=out)
        with wave.open(str(out), "wb") as w:
            w.setnchannels(1)
            w.setsampwidth(2)
            w.setframerate(espeak.sample_rate())
            w.writeframes(samples)
        # The clip is whole: mark it finished for _await_clip, which then only verifies.
        self._finished = 1

    def _apply(
        self, engine: Any, espeak: _EspeakControl | None, voice: VoiceProfile, rate: int
    ) -> None:
        """Set voice, rate, pitch and volume, and with eSpeak NG make sure they took."""
        pitch = int(min(100, max(0, voice.pitch)))
        volume = float(min(1.0, max(0.0, voice.volume)))
        # Voice first: setting it resets the rate. Ints only: a float rate is rejected
        # inside the driver's queue and reported only through the error callback.
        engine.setProperty("voice", voice.voice_id.strip())
        if espeak is None:
            engine.setProperty("rate", rate)
            engine.setProperty("volume", volume)
            return
        want = {_RATE: rate, _PITCH: pitch, _VOLUME: round(volume * 100)}
        for _ in range(3):
            engine.setProperty("rate", rate)
            engine.setProperty("pitch", pitch)
            engine.setProperty("volume", volume)
            # In asynchronous mode eSpeak applies parameters on its own thread and pyttsx3's
            # stop() at the start of runAndWait cancels whatever is still pending: wait for
            # them. (In synchronous mode they are applied already and this returns at once.)
            if not espeak.settle():
                self._count(timeouts=1)
            if espeak.parameters(want) == want:
                return
        raise ClipDefect(
            "missing", f"eSpeak NG did not take rate {rate}, pitch {pitch}, volume {volume}"
        )

    def _await_clip(self, out: Path, text: str, rate: int) -> None:
        deadline = time.monotonic() + WAIT_SECONDS
        while True:
            try:
                if not self._finished:
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


_RATE, _VOLUME, _PITCH = 1, 2, 3
"""espeak_PARAMETER numbers from speak_lib.h."""
_CHARS_UTF8, _PHONEMES, _ENDPAUSE = 1, 0x100, 0x1000
"""espeak_Synth flags from speak_lib.h."""
_ENOUTPUT_MODE_SYNCHRONOUS = 1
"""espeak_ng_OUTPUT_MODE from espeak_ng.h."""
_SYNCHRONOUS_PIDS: list[int] = []
"""Processes whose eSpeak NG was switched to synchronous output: a fact about the process."""
_SynthCallback = ctypes.CFUNCTYPE(
    ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.c_void_p
)


class _EspeakControl:
    """Direct calls into the loaded eSpeak NG that pyttsx3 gets wrong or does not offer.

    (pyttsx3 declares ``espeak_GetParameter`` with one argument; it takes two.)
    """

    def __init__(self) -> None:
        from pyttsx3.drivers import _espeak

        self._get = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_int, ctypes.c_int)(
            ("espeak_GetParameter", _espeak.dll)
        )
        self._playing = ctypes.CFUNCTYPE(ctypes.c_int)(("espeak_IsPlaying", _espeak.dll))
        self._output = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_char_p)(
            ("espeak_ng_InitializeOutput", _espeak.dll)
        )
        self._rate = ctypes.CFUNCTYPE(ctypes.c_int)(("espeak_ng_GetSampleRate", _espeak.dll))
        self._set_callback = ctypes.CFUNCTYPE(None, _SynthCallback)(
            ("espeak_SetSynthCallback", _espeak.dll)
        )
        self._synth = ctypes.CFUNCTYPE(
            ctypes.c_int,
            ctypes.c_char_p,
            ctypes.c_size_t,
            ctypes.c_uint,
            ctypes.c_int,
            ctypes.c_uint,
            ctypes.c_uint,
            ctypes.c_void_p,
            ctypes.c_void_p,
        )(("espeak_Synth", _espeak.dll))
        # eSpeak NG keeps the callback's address, so it lives as long as this object; each
        # synth() call gives it a fresh sink.
        self._sink: list[bytes] = []
        self._deadline = 0.0
        self._expired = False
        self._callback = _SynthCallback(self._collect)

    def _collect(self, wav: Any, count: int, events: Any) -> int:
        if wav and count > 0:
            self._sink.append(ctypes.string_at(wav, count * 2))
        if time.monotonic() > self._deadline:
            self._expired = True
            return 1  # asks eSpeak NG to stop
        return 0

    @property
    def synchronous(self) -> bool:
        return os.getpid() in _SYNCHRONOUS_PIDS

    def make_synchronous(self) -> bool:
        """Switch this process's eSpeak NG to synchronous output (once); False if it was busy.

        Only the output mode changes: voice, parameters and the data folder stay. It happens
        while the library's thread is idle, and nothing is queued to that thread afterwards.
        """
        if self.synchronous:
            return True
        if not self.settle():
            return False
        if self._output(_ENOUTPUT_MODE_SYNCHRONOUS, 0, None) != 0:
            return False
        _SYNCHRONOUS_PIDS.append(os.getpid())
        return True

    def sample_rate(self) -> int:
        return int(self._rate()) or 22050

    def synth(self, text: str, *, phonemes: bool) -> tuple[bytes, bool]:
        """(16-bit mono samples of ``text``, whether it ran over ``WAIT_SECONDS`` and stopped).

        Blocks until eSpeak NG has spoken all of ``text``; the callback runs on this thread.
        """
        self._sink, self._expired = [], False
        self._deadline = time.monotonic() + WAIT_SECONDS
        flags = _CHARS_UTF8 | _ENDPAUSE | (_PHONEMES if phonemes else 0)
        data = text.encode("utf-8") + b"\0"
        # Set every time: a pyttsx3 engine made since then installed its own callback.
        self._set_callback(self._callback)
        status = self._synth(data, len(data), 0, 0, 0, flags, None, None)
        samples, self._sink = b"".join(self._sink), []
        if status != 0:
            raise ClipDefect("missing", f"eSpeak NG refused the text (status {status})")
        return samples, self._expired

    def parameters(self, which: Iterable[int]) -> dict[int, int]:
        return {p: int(self._get(p, 1)) for p in which}

    def settle(self, timeout: float = WAIT_SECONDS) -> bool:
        """Wait until eSpeak NG's command queue is empty; False if ``timeout`` ran out."""
        deadline = time.monotonic() + timeout
        while self._playing():
            if time.monotonic() > deadline:
                return False
            time.sleep(0.002)
        return True


_ESPEAK_OWNER: list[int] = []
"""The process that initialised eSpeak NG: a fact about the process, hence module-level."""


def _refuse_inherited_espeak() -> None:
    """Fail clearly, instead of hanging, in a child forked from a process that ran eSpeak."""
    driver = sys.modules.get("pyttsx3.drivers.espeak")
    initialised = getattr(getattr(driver, "EspeakDriver", None), "_moduleInitialized", False)
    if initialised and _ESPEAK_OWNER and _ESPEAK_OWNER[0] != os.getpid():
        raise EngineError(
            "eSpeak NG was started before this process was forked and would hang here",
            hint="start worker processes with the 'spawn' method",
        )


def _did_you_mean(near: list[str], otherwise: str) -> str:
    return f"did you mean {', '.join(near)}?" if near else otherwise


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """Keep the driver's prints off stdout, whether stdout is a terminal, a file or a pipe."""
    with contextlib.redirect_stdout(io.StringIO()):
        yield


def _espeak_info() -> tuple[str, str | None]:
    """(version, data folder) from the loaded eSpeak NG library."""
    try:
        from pyttsx3.drivers import _espeak
    except (ImportError, RuntimeError):
        return "unknown", None
    path = ctypes.c_char_p()
    info: Callable[..., bytes | None] = ctypes.CFUNCTYPE(
        ctypes.c_char_p, ctypes.POINTER(ctypes.c_char_p)
    )(("espeak_Info", _espeak.dll))
    version = info(ctypes.byref(path))
    data = path.value.decode("utf-8", "replace") if path.value else None
    return (version.decode("ascii", "replace") if version else "unknown"), data


def _join_wavs(parts: list[Path], out: Path) -> None:
    """Concatenate same-format WAVs into ``out``, collecting the frames once."""
    frames: list[bytes] = []
    params = None
    for part in parts:
        with wave.open(str(part), "rb") as w:
            if params is None:
                params = (w.getnchannels(), w.getsampwidth(), w.getframerate())
            elif params != (w.getnchannels(), w.getsampwidth(), w.getframerate()):
                raise EngineError("the engine changed its audio format between pieces", path=part)
            frames.append(w.readframes(w.getnframes()))
    assert params is not None
    with wave.open(str(out), "wb") as w:
        w.setnchannels(params[0])
        w.setsampwidth(params[1])
        w.setframerate(params[2])
        w.writeframes(b"".join(frames))
