"""Engine voice ids checked before synthesis, with near matches: an unknown id is otherwise
ignored silently by pyttsx3 and the clip spoken in the default voice."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence

from ..errors import VoiceError
from ..model import EngineVoice
from ..suggest import did_you_mean


def check_espeak_id(
    voice_id: str, voices: Sequence[EngineVoice], variants: Iterable[str]
) -> str | None:
    """A ``VoiceError`` naming near matches unless eSpeak NG knows ``voice_id`` (``id+variant``).

    Returns the id eSpeak must be given when ``voice_id`` names a language rather than a voice
    (``en-gb+f4`` -> ``en+f4``: eSpeak sets voices by name only), else ``None``.
    """
    base, plus, variant = voice_id.partition("+")
    keys: dict[str, str] = {}
    by_language: dict[str, list[str]] = {}
    by_language_name: dict[str, list[str]] = {}
    for v in voices:
        short = v.id.rsplit("/", 1)[-1]
        for key in (v.id, short, v.name):
            keys.setdefault(key.lower(), short)
        for lang in v.languages:
            by_language.setdefault(lang.lower(), []).append(short)
        # "English (Great Britain)": a misspelt "english" should lead to these voices.
        language_name = v.name.split("(", 1)[0].strip().lower()
        by_language_name.setdefault(language_name, []).append(short)
    # MBROLA voices (mb/...) need the separate mbrola program: speak an eSpeak voice instead.
    speakers = sorted(by_language.get(base.strip().lower(), []), key=lambda s: s.startswith("mb-"))
    # eSpeak sets voices by name only, and "en-gb" is the language of the voice "en": speak
    # the voice of that language, with the variant asked for.
    named = base.strip().lower() in keys
    speakable = None if named or not speakers else speakers[0] + plus + variant
    if base.strip().lower() not in keys and not speakers:
        language = difflib.get_close_matches(base.lower(), list(by_language_name), n=1, cutoff=0.8)
        near = by_language.get(base.lower(), [])
        near += sorted(by_language_name[language[0]], key=len)[:3] if language else []
        near += [
            keys[m] for m in difflib.get_close_matches(base.lower(), list(keys), n=5, cutoff=0.6)
        ]
        suggestions = list(dict.fromkeys(n + plus + variant for n in near))[:5]
        raise VoiceError(
            f"unknown eSpeak NG voice {voice_id!r}",
            hint=did_you_mean(suggestions, "`audiocast voices` lists them"),
        )
    if not plus:
        return speakable
    known = set(variants)
    if variant not in known:
        lowered = {v.lower(): v for v in known}
        near = [lowered[variant.lower()]] if variant.lower() in lowered else []
        near += [
            lowered[m]
            for m in difflib.get_close_matches(variant.lower(), list(lowered), n=4, cutoff=0.5)
        ]
        suggestions = list(dict.fromkeys(f"{base}+{n}" for n in near))[:5]
        raise VoiceError(
            f"unknown eSpeak NG voice variant {variant!r} in {voice_id!r}",
            hint=did_you_mean(
                suggestions,
                f"try {base}+f3, {base}+m3 or {base}+klatt; `audiocast voices` lists variants",
            ),
        )
    return speakable


def check_listed_id(voice_id: str, voices: Sequence[EngineVoice], driver: str) -> None:
    """A ``VoiceError`` naming near matches unless ``voice_id`` is one of ``voices``."""
    ids = {v.id: v for v in voices}
    names = {v.name.lower() for v in ids.values()}
    if voice_id in ids or voice_id.lower() in names:
        return
    near = difflib.get_close_matches(voice_id, list(ids), n=5, cutoff=0.5)
    raise VoiceError(
        f"unknown {driver} voice {voice_id!r}",
        hint=did_you_mean(near, "`audiocast voices` lists them"),
    )
