"""``say``: one line in one voice, synthesized in this process, for auditioning.

Kept apart from the render pipeline so that auditioning loads no mastering code (scipy alone
takes half a second to import) and starts no worker processes.
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .atomic import atomic_path
from .errors import InputError
from .export.audio import Encoder, check_output
from .language import DEFAULT_LANGUAGE
from .language_voices import language_pool, mismatches
from .mix import join, read_wav, silence, trim_silence
from .model import Gaps
from .normalize import load_lexicon, normalize
from .plan import speech_units
from .synth.base import engine_pool, get_synthesizer
from .synth.verify import verify_wav
from .voices import find_profile, load_profiles, require_folders, resolve_voice


@dataclass(frozen=True)
class SayResult:
    path: Path
    duration: float
    warnings: tuple[str, ...] = ()


def say_text(
    text: str,
    voice: str,
    output: Path,
    *,
    engine: str = "pyttsx3",
    rate: float = 1.0,
    lexicon: Path | None = None,
    voices_dirs: Sequence[Path] = (),
    device: str | None = None,
    language: str = DEFAULT_LANGUAGE,
) -> SayResult:
    """Speak ``text`` with one voice into ``output`` (any format by its extension), read in
    ``language``: the default voice is one of that language, numbers are said in it."""
    if not text.strip():
        raise InputError("nothing to say", hint="give the text to speak in quotes")
    check_output(output)
    require_folders(voices_dirs)
    found = load_profiles(list(voices_dirs))
    lex = load_lexicon(lexicon) if lexicon else None
    synth = get_synthesizer(engine, device)
    pieces: list[np.ndarray] = []
    sample_rate = 0
    try:
        pool, _ = engine_pool(synth, found, 1, voices_dirs)
        profiles = {name: p for name, p in pool.items() if p.engine == engine}
        spoken_in = language_pool(synth, profiles, language, 1).profiles
        profiles.update(spoken_in)
        if voice == "narrator" and find_profile(voice, spoken_in) is None:
            # An engine's own pool (Piper) marks its narrator by role, not by name.
            voice = next((n for n, p in spoken_in.items() if "narrator" in p.roles), voice)
        profile = resolve_voice(voice, profiles, synth)
        warnings = tuple(mismatches(synth, {"--voice": profile}, language))
        with tempfile.TemporaryDirectory(prefix="audiocast-say-") as tmp:
            for n, sentence in enumerate(speech_units(text)):
                spoken = normalize(sentence, lex, language).strip()
                if not spoken:
                    continue
                wav = Path(tmp) / f"{n}.wav"
                synth.synthesize(spoken, profile, wav, rate)
                verify_wav(wav, spoken, profile.rate * rate)
                samples, sample_rate = read_wav(wav)
                if pieces:
                    pieces.append(silence(Gaps().sentence, sample_rate))
                pieces.append(trim_silence(samples, rate=sample_rate))
    finally:
        synth.close()
    if not pieces:
        raise InputError("nothing to say after normalization", hint="give words to speak")
    audio = join(pieces)
    # The engine's own rate goes to the encoder, which resamples if the format needs it.
    with atomic_path(output) as tmp_out, Encoder(tmp_out, sample_rate) as encoder:
        encoder.write(audio)
    return SayResult(output, audio.size / sample_rate, warnings)
