"""A fast, deterministic stand-in for a speech engine, with faults that tests switch on.

It writes a real 22,050 Hz mono 16-bit WAV whose duration follows the text the way speech does
(``words / (rate * rate_scale)`` minutes) and whose sound depends on the voice, so every later
stage can be exercised without eSpeak NG. It never retries: retrying is the pool's job.

Faults come from the constructor or, so that worker processes can be configured too, from the
``AUDIOCAST_FAKE_FAULTS`` environment variable holding a JSON object::

    {"drop": ["#drop", 3], "truncate": ["#cut"], "crash": ["#die"], "hang": ["#slow"],
     "hang_seconds": 30, "fail_times": 1, "log": "/tmp/fake-calls.jsonl"}

- A fault kind (``drop``, ``truncate``, ``short``, ``silent``, ``empty``, ``crash``, ``hang``,
  ``error``)
  maps to triggers: a string fires when the text contains it, an int fires on that 0-based call
  of this engine instance.
- ``drop`` writes no file; ``truncate`` writes a WAV whose header claims more frames than it
  holds; ``short`` writes a well-formed WAV a tenth as long as the text needs (an engine that
  stopped early); ``silent`` writes digital silence of the right length; ``empty`` writes a
  0-byte file; ``crash`` ends the process at once (``os._exit``), as a dying worker would;
  ``hang`` sleeps ``hang_seconds`` (default 30) and then writes a good clip; ``error`` raises
  ``EngineError``.
- ``hang_at_start``: ``true`` makes the engine sleep ``hang_seconds`` in its constructor when
  it runs in a pool worker (a process started by ``multiprocessing``), before the worker can
  report ready; the process that made the pool is never held up (its version probe works).
- ``fail_times``: a text faults on its first N attempts only, then comes out right; absent or
  ``null`` means every attempt. Attempts are counted per text, across processes when ``log`` is
  set, else within this instance.
- ``log``: every call appends one JSON line (``pid``, ``text``, ``voice``, ``fault``) to this
  file, which is how tests count engine calls made in other processes.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import struct
import time
import zlib
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from audiocast.errors import EngineError, VoiceError
from audiocast.model import EngineVoice, VoiceProfile
from audiocast.synth.verify import expected_seconds

SAMPLE_RATE = 22_050
FAULTS_ENV = "AUDIOCAST_FAKE_FAULTS"
FAULT_KINDS = ("drop", "truncate", "short", "silent", "empty", "crash", "hang", "error")

_VOICES = (
    EngineVoice("fake-alto", "Fake Alto", ("en",), "female"),
    EngineVoice("fake-baritone", "Fake Baritone", ("en",), "male"),
    EngineVoice("fake-tenor", "Fake Tenor", ("en",), "male"),
    EngineVoice("fake-soprano", "Fake Soprano", ("en-gb",), "female"),
)


@dataclass(frozen=True)
class FaultPlan:
    """Which calls go wrong and how; the empty plan makes every clip good."""

    triggers: Mapping[str, tuple[str | int, ...]] = field(default_factory=dict)
    """Fault kind -> text markers (str) or call indexes (int) that fire it."""
    fail_times: int | None = None
    """A text faults on its first ``fail_times`` attempts only; ``None`` = on every attempt."""
    hang_seconds: float = 30.0
    hang_at_start: bool = False
    log: Path | None = None

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> FaultPlan:
        unknown = (
            set(data) - set(FAULT_KINDS) - {"fail_times", "hang_seconds", "hang_at_start", "log"}
        )
        if unknown:
            raise EngineError(
                f"unknown fake-engine fault keys: {', '.join(sorted(unknown))}",
                hint=f"use {', '.join(FAULT_KINDS)}, fail_times, hang_seconds, hang_at_start, log",
            )
        triggers = {k: tuple(data[k]) for k in FAULT_KINDS if k in data}
        fail_times = data.get("fail_times")
        log = data.get("log")
        return cls(
            triggers=triggers,
            fail_times=None if fail_times is None else int(fail_times),
            hang_seconds=float(data.get("hang_seconds", 30.0)),
            hang_at_start=bool(data.get("hang_at_start", False)),
            log=Path(log) if log else None,
        )

    @classmethod
    def from_env(cls) -> FaultPlan:
        raw = os.environ.get(FAULTS_ENV, "").strip()
        if not raw:
            return cls()
        try:
            data = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise EngineError(f"{FAULTS_ENV} is not valid JSON: {exc}", hint="unset it") from None
        if not isinstance(data, dict):
            raise EngineError(f"{FAULTS_ENV} must be a JSON object", hint="unset it")
        return cls.from_dict(data)


class FakeSynthesizer:
    """The ``fake`` engine. Voices whose id starts with ``fake`` are accepted."""

    name = "fake"

    def __init__(self, faults: FaultPlan | Mapping[str, Any] | None = None) -> None:
        if faults is None:
            faults = FaultPlan.from_env()
        elif not isinstance(faults, FaultPlan):
            faults = FaultPlan.from_dict(faults)
        self._faults = faults
        self._calls = 0
        # Attempts per text when no shared log counts them across processes.
        self._attempts: Counter[str] = Counter()
        if faults.hang_at_start and multiprocessing.parent_process() is not None:
            self._record("", None, "hang_at_start")
            time.sleep(faults.hang_seconds)

    def version(self) -> str:
        return "fake 1"

    def voices(self) -> list[EngineVoice]:
        return list(_VOICES)

    def check_voice(self, voice: VoiceProfile) -> None:
        if not voice.voice_id.startswith("fake"):
            raise VoiceError(
                f"the fake engine has no voice {voice.voice_id!r}",
                hint=f"use an id starting with 'fake', such as {_VOICES[0].id}",
            )

    def synthesize(
        self, text: str, voice: VoiceProfile, out: Path, rate_scale: float = 1.0
    ) -> None:
        self.check_voice(voice)
        call = self._calls
        self._calls += 1
        fault = self._fault_for(text, call)
        self._record(text, voice, fault)
        frames = _render(text, voice, rate_scale)
        out = Path(out)
        if fault == "crash":
            os._exit(70)
        if fault == "hang":
            time.sleep(self._faults.hang_seconds)
        elif fault == "error":
            raise EngineError(f"fake engine failure on {text[:40]!r}")
        elif fault == "drop":
            out.unlink(missing_ok=True)
            return
        elif fault == "empty":
            out.write_bytes(b"")
            return
        elif fault == "silent":
            frames = np.zeros_like(frames)
        elif fault == "short":
            frames = frames[: max(1, len(frames) // 10)]
        elif fault == "truncate":
            out.write_bytes(_wav_bytes(frames)[: 44 + (len(frames) // 2) * 2])
            return
        out.write_bytes(_wav_bytes(frames))

    def close(self) -> None:
        self._calls = 0

    def _fault_for(self, text: str, call: int) -> str | None:
        kind = next(
            (
                k
                for k, triggers in self._faults.triggers.items()
                if any(
                    (isinstance(t, str) and t in text) or (type(t) is int and t == call)
                    for t in triggers
                )
            ),
            None,
        )
        if kind is None or self._faults.fail_times is None:
            return kind
        return kind if self._previous_attempts(text) < self._faults.fail_times else None

    def _previous_attempts(self, text: str) -> int:
        log = self._faults.log
        if log is None:
            seen = self._attempts[text]
            self._attempts[text] += 1
            return seen
        if not log.exists():
            return 0
        with log.open(encoding="utf-8") as fh:
            return sum(1 for line in fh if json.loads(line)["text"] == text)

    def _record(self, text: str, voice: VoiceProfile | None, fault: str | None) -> None:
        if self._faults.log is None:
            return
        line = json.dumps(
            {
                "pid": os.getpid(),
                "text": text,
                "voice": voice.voice_id if voice else None,
                "fault": fault,
            }
        )
        # One write() on an O_APPEND descriptor, so lines from several workers never interleave.
        fd = os.open(self._faults.log, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            os.write(fd, (line + "\n").encode("utf-8"))
        finally:
            os.close(fd)


def expected_duration(text: str, voice: VoiceProfile, rate_scale: float = 1.0) -> float:
    """Seconds the fake engine speaks ``text`` for: its words at the voice's rate (long words
    counting as several, as the clip verifier counts them), at least 0.3 s."""
    return max(0.3, expected_seconds(text, voice.rate * rate_scale))


def _render(text: str, voice: VoiceProfile, rate_scale: float) -> np.ndarray:
    """A voice-coloured buzz with one loudness hump per word, as int16 samples."""
    n = round(expected_duration(text, voice, rate_scale) * SAMPLE_RATE)
    voice_seed = zlib.crc32(voice.voice_id.encode("utf-8"))
    f0 = 90.0 + voice_seed % 160 + (voice.pitch - 50) * 2.0
    t = np.arange(n) / SAMPLE_RATE
    tone = sum(np.sin(2 * np.pi * f0 * h * t) / h for h in (1, 2, 3, 4))
    rng = np.random.default_rng(zlib.crc32(f"{voice.voice_id}\0{text}".encode()))
    noise_level = 0.1 + (voice_seed >> 8) % 40 / 100.0
    signal = tone / 2.1 + noise_level * rng.standard_normal(n)
    words = max(1, len(text.split()))
    # Never fully quiet, so a good clip can't be mistaken for a silent one.
    envelope = 0.65 - 0.35 * np.cos(2 * np.pi * words * t / max(t[-1], 1e-9))
    peak = np.max(np.abs(signal)) or 1.0
    scaled = signal / peak * envelope * 0.7 * max(0.0, min(1.0, voice.volume))
    return np.asarray(np.round(scaled * 32767), dtype="<i2")


def _wav_bytes(samples: np.ndarray) -> bytes:
    data = samples.astype("<i2").tobytes()
    header = struct.pack(
        "<4sI4s4sIHHIIHH4sI",
        b"RIFF", 36 + len(data), b"WAVE",
        b"fmt ", 16, 1, 1, SAMPLE_RATE, SAMPLE_RATE * 2, 2, 16,
        b"data", len(data),
    )  # fmt: skip
    return header + data
