"""The Piper neural engine (``piper-tts``, GPL-3.0, the optional ``audiocast[piper]`` extra).

Piper speaks from an ONNX model and its JSON config; its phonemizer (eSpeak NG, linked into
piper's own wheel) turns text into phoneme ids, and this module runs the model itself:

- one onnxruntime thread per process, on the CPU or, with ``device="cuda"``, the CUDA provider;
- a model is loaded once per process and kept (about 300 MB each);
- the noise is drawn from a generator seeded with the clip's cache key (see ``piper_model``),
  so a request always gives the same audio;
- the pitch is shifted by resampling, with the pace stretched beforehand so that the duration
  stays (Piper has no pitch control);
- Piper joins a text's sentences with no pause: each gets ``SENTENCE_PAUSE`` after it (the plan
  sends one sentence per request anyway, and supplies the pauses between them).
"""

from __future__ import annotations

import importlib.util
import json
import sys
import wave
from collections.abc import Mapping, Sequence
from fractions import Fraction
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as package_version
from pathlib import Path
from typing import Any

import numpy as np

from ..atomic import atomic_path
from ..errors import EngineError, VoiceError
from ..model import EngineVoice, SpeechRequest, VoiceProfile
from .piper_model import LoadedModel, load_model, prepare_model, providers_for
from .piper_profiles import ENGINE, PiperParams, casting_pool, validate_speaker
from .piper_voices import PiperVoiceFiles, discover_voices, find_voice, split_reference

SENTENCE_PAUSE = 0.25
"""Seconds of silence between the sentences of one request."""
PEAK = 0.9
"""Each clip's peak before its volume: mastering levels the clips, this only avoids clipping."""


def _version_of(distribution: str) -> str:
    try:
        return package_version(distribution)
    except PackageNotFoundError:
        return "unknown"


class PiperSynthesizer:
    """Piper behind the ``Synthesizer`` protocol. One per process; not thread-safe."""

    name = ENGINE

    def __init__(self, *, device: str = "cpu") -> None:
        # onnx is only looked for, not imported: only the process that prepares a model's
        # seeded copy needs it, and importing it costs a worker about 40 MB and, measured on a
        # loaded machine, up to 15 s of its start-up.
        missing = next((m for m in ("piper", "onnx") if importlib.util.find_spec(m) is None), None)
        if missing is not None:
            raise EngineError(
                f"the Piper engine is not installed ({missing} is missing)",
                hint="pip install 'audiocast[piper]'",
            )
        providers_for(device)  # --device cuda without CUDA: say so before anything runs
        self.device = device
        self._files: dict[str, PiperVoiceFiles] = {}
        self._readable: set[Path] = set()
        """Models whose ONNX file has been read whole once: not damaged."""
        self._loaded: dict[Path, tuple[LoadedModel, Any]] = {}
        self._version: str | None = None

    def version(self) -> str:
        if self._version is None:
            self._version = (
                f"piper-tts {_version_of('piper-tts')} / onnxruntime "
                f"{_version_of('onnxruntime')} / {self.device}"
            )
        return self._version

    def voices(self) -> list[EngineVoice]:
        return [
            EngineVoice(
                id=v.name,
                name=f"{v.name} ({v.quality or 'unknown quality'}, "
                f"{v.speaker_count} speaker{'s' if v.speaker_count > 1 else ''})",
                languages=(v.language,) if v.language else (),
            )
            for v in discover_voices()
        ]

    def casting_pool(
        self, profiles: Mapping[str, VoiceProfile], needed: int, extra_dirs: Sequence[Path]
    ) -> tuple[dict[str, VoiceProfile], list[str]]:
        """The voices casting may choose from (see ``piper_profiles.casting_pool``)."""
        return casting_pool(profiles, needed, extra_dirs)

    def _voice_files(self, voice: VoiceProfile) -> PiperVoiceFiles:
        reference, _ = split_reference(voice.voice_id)
        if reference not in self._files:
            self._files[reference] = find_voice(reference)
        return self._files[reference]

    def check_voice(self, voice: VoiceProfile) -> None:
        if voice.engine != self.name:
            raise VoiceError(
                f"voice profile {voice.name!r} is for engine {voice.engine!r}, not {self.name!r}"
            )
        files = self._voice_files(voice)
        validate_speaker(voice, files)
        if files.model not in self._readable:
            prepare_model(files.model)  # a damaged .onnx: say so before any synthesis
            self._readable.add(files.model)

    def _load(self, files: PiperVoiceFiles) -> tuple[LoadedModel, Any]:
        if files.model not in self._loaded:
            from piper import PiperVoice
            from piper.config import PiperConfig

            config = PiperConfig.from_dict(json.loads(files.config.read_text(encoding="utf-8")))
            model = load_model(files.model, self.device)
            # Piper's own voice object, for its phonemizer; the session is ours.
            self._loaded[files.model] = (model, PiperVoice(session=model.session, config=config))
        return self._loaded[files.model]

    def synthesize(
        self, text: str, voice: VoiceProfile, out: Path, rate_scale: float = 1.0
    ) -> None:
        if not text.strip():
            raise EngineError("nothing to synthesize: the text is empty", path=out)
        self.check_voice(voice)
        files = self._voice_files(voice)
        speaker = validate_speaker(voice, files)
        _refuse_second_espeak()
        model, piper_voice = self._load(files)
        params = PiperParams.of(voice, rate_scale)
        ratio = 2.0 ** (params.semitones / 12.0)
        config = piper_voice.config
        length = (params.length_scale or config.length_scale) * ratio
        noise = config.noise_scale if params.noise_scale is None else params.noise_scale
        noise_w = config.noise_w_scale if params.noise_w_scale is None else params.noise_w_scale
        rng = np.random.default_rng(self._seed(text, voice, rate_scale))
        rate = int(config.sample_rate)
        pieces: list[np.ndarray] = []
        for phonemes in piper_voice.phonemize(text):
            if not phonemes:
                continue
            ids = piper_voice.phonemes_to_ids(phonemes)
            audio = model.run(ids, (noise, length, noise_w), speaker, rng)
            if pieces:
                pieces.append(np.zeros(round(SENTENCE_PAUSE * rate * ratio), dtype=np.float32))
            pieces.append(audio)
        if not pieces:
            raise EngineError(f"Piper found nothing to say in {text[:60]!r}", path=out)
        audio = np.concatenate(pieces)
        if ratio != 1.0:
            audio = shift_pitch(audio, ratio)
        peak = float(np.max(np.abs(audio))) if audio.size else 0.0
        if peak > 1e-6:
            audio = audio * (PEAK * float(voice.volume) / peak)
        samples = np.clip(audio * 32767.0, -32767, 32767).astype("<i2")
        # An open file, not a name: a stop (SIGTERM, Ctrl-C) inside wave.open(name) leaves a
        # half-made writer whose __del__ prints a traceback after the one-line message.
        with (
            atomic_path(Path(out), suffix=".wav") as tmp,
            open(tmp, "wb") as f,
            wave.open(f, "wb") as w,
        ):
            w.setnchannels(1)
            w.setsampwidth(2)
            w.setframerate(rate)
            w.writeframes(samples.tobytes())

    def _seed(self, text: str, voice: VoiceProfile, rate_scale: float) -> int:
        """The clip's cache key as a number: one seed per distinct clip, the same every run."""
        from .cache import ClipCache

        key = ClipCache.key(SpeechRequest(text, voice, rate_scale), self.name, self.version())
        return int(key[:16], 16)

    def close(self) -> None:
        self._loaded.clear()
        self._files.clear()


def _refuse_second_espeak() -> None:
    """Piper's phonemizer crashes the process (a segmentation fault, seen here) when pyttsx3
    has already loaded eSpeak NG into it: fail clearly instead. Renders never mix the two in
    one process (each worker runs one engine); a library caller must not either."""
    if "pyttsx3.drivers._espeak" in sys.modules:
        raise EngineError(
            "Piper cannot run in a process where pyttsx3 has loaded eSpeak NG",
            hint="use one engine per process (audiocast's workers do)",
        )


def shift_pitch(audio: np.ndarray, ratio: float) -> np.ndarray:
    """``audio`` played ``ratio`` times faster at the same sample rate: every frequency times
    ``ratio`` (higher when > 1), the duration divided by it."""
    from scipy.signal import resample_poly

    step = Fraction(1.0 / ratio).limit_denominator(200)
    return np.asarray(resample_poly(audio, step.numerator, step.denominator), dtype=np.float32)
