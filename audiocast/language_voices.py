"""Casting within the episode's language: which voices speak it, and voices made for it.

Automatic casting picks only voices of the episode's language (``language.py``). A profile's
language is its engine voice's (eSpeak NG voices and Piper voice configs carry one); the
built-in profiles are English, so for another language the engine's own voices of it become
profiles (``de+m3``, ``de+f3``... for eSpeak NG), different in variant, pitch and pace. A tag
with a region (``en-GB``) prefers that region's voices and falls back to the language's other
voices with a note. No voice at all is a ``VoiceError`` before any synthesis.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from .errors import VoiceError
from .language import primary, region
from .model import EngineVoice, VoiceProfile
from .synth.base import Synthesizer

MADE_VOICES = (
    # (role, eSpeak variant, pitch, words per minute): as far apart as the built-in English set.
    ("narrator", "m1", 35, 160),
    ("host", "m3", 45, 175),
    ("guest", "f4", 55, 165),
    ("guest", "m4", 45, 168),
    ("host", "f3", 60, 170),
    ("panel", "f2", 75, 180),
    ("panel", "m6", 55, 185),
    ("panel", "f5", 50, 172),
    ("panel", "m7", 40, 170),
)


@dataclass(frozen=True)
class LanguagePool:
    """The profiles automatic casting may use for one language, and notes for ``cast``."""

    profiles: dict[str, VoiceProfile]
    notes: tuple[str, ...] = ()


def voice_language(profile: VoiceProfile, voices: Sequence[EngineVoice]) -> str | None:
    """The language tag ``profile`` speaks (``en-gb``, ``de``, ``en_US``), or ``None`` when
    it cannot be told (a voice the engine does not list)."""
    if profile.engine == "piper":
        return _piper_language(profile)
    base = profile.voice_id.partition("+")[0].strip().casefold()
    short = base.rsplit("/", 1)[-1]
    for voice in voices:
        keys = {voice.id.casefold(), voice.id.rsplit("/", 1)[-1].casefold(), voice.name.casefold()}
        if (base in keys or short in keys) and voice.languages:
            return voice.languages[0]
    for voice in voices:  # a language code as voice id: eSpeak speaks its voice (en-gb -> en)
        if short in (lang.casefold() for lang in voice.languages):
            return short
    return None


def _piper_language(profile: VoiceProfile) -> str | None:
    from .synth.piper_voices import find_voice, split_reference

    try:
        return find_voice(split_reference(profile.voice_id)[0]).language or None
    except VoiceError:
        return None


def speaks(tag: str | None, language: str) -> bool:
    """Whether a voice of ``tag`` speaks ``language``; a voice whose language cannot be told
    (``None``: an engine that lists none) is given the benefit of the doubt."""
    return tag is None or primary(tag) == primary(language)


def _same_region(tag: str | None, language: str) -> bool:
    return tag is None or (speaks(tag, language) and region(tag) == region(language))


def language_pool(
    engine: Synthesizer, profiles: Mapping[str, VoiceProfile], language: str, needed: int
) -> LanguagePool:
    """The profiles of ``language`` among ``profiles`` (those made for ``engine``), topped up
    with the engine's own voices of it; a ``VoiceError`` when nothing speaks it."""
    voices = [v for v in engine.voices() if not _is_mbrola(v)]
    tags = {name: voice_language(p, voices) for name, p in profiles.items()}
    fits = _same_region if region(language) else speaks
    pool = {name: p for name, p in profiles.items() if fits(tags[name], language)}
    # A language with profiles of its own derives more from them when they run out, as
    # English always has; voices are made for a language without any, or for a region.
    if len(pool) < needed and (not pool or region(language)):
        for made in made_profiles(engine, voices, language, fits, needed - len(pool), pool):
            pool.setdefault(made.name, made)
    notes: list[str] = []
    if len(pool) < needed and region(language):
        others = {n: p for n, p in profiles.items() if speaks(tags[n], language) and n not in pool}
        if not pool and not others:  # no voice of that region (de-AT): the language's voices
            fallback = made_profiles(engine, voices, language, speaks, needed, pool)
            others = {p.name: p for p in fallback}
        if others:
            notes.append(
                f"only {len(pool)} voice(s) speak {language} of the {needed} needed: other "
                f"{primary(language)} voices too ({', '.join(sorted(others)[:3])}...)"
            )
            pool.update(others)
    if not pool:
        raise no_voice_error(engine.name, language)
    return LanguagePool(pool, tuple(notes))


def no_voice_error(engine: str, language: str) -> VoiceError:
    return VoiceError(
        f"no {engine} voice speaks the episode's language {language!r}",
        hint=f"install a {language} voice for {engine}, pick another engine (--engine), or "
        "change language:; `audiocast voices` lists the voices and their languages",
    )


def made_profiles(
    engine: Synthesizer,
    voices: Sequence[EngineVoice],
    language: str,
    fits: Callable[[str | None, str], bool],
    count: int,
    have: Mapping[str, VoiceProfile],
) -> list[VoiceProfile]:
    """Up to ``count`` profiles made from the engine's voices of ``language``: eSpeak NG's
    variants of its best voice, else each voice of that language as it is."""
    matching = [v for v in voices if any(fits(t, language) for t in v.languages)]
    if not matching:
        return []
    matching.sort(key=lambda v: (v.languages[0].casefold() != language.casefold(), v.id))
    variants_of = getattr(engine, "variants", None)
    variants = set(variants_of()) if callable(variants_of) else set()
    base = matching[0].id.rsplit("/", 1)[-1]
    taken_roles = {r for p in have.values() for r in p.roles}
    made: list[VoiceProfile] = []
    ids = {p.voice_id for p in have.values()}
    if variants:
        for role, variant, pitch, rate in MADE_VOICES:
            if role == "narrator" and "narrator" in taken_roles:
                continue
            voice_id = f"{base}+{variant}"
            if variant not in variants or voice_id in ids:
                continue
            name = f"{language.casefold()}-{role}" + ("" if role == "narrator" else f"-{variant}")
            gender = "female" if variant.startswith("f") else "male"
            made.append(
                VoiceProfile(
                    name=name,
                    voice_id=voice_id,
                    engine=engine.name,
                    rate=rate,
                    pitch=pitch,
                    description=f"{matching[0].name} ({base}), {gender}, made for {language}",
                    roles=(role,),
                )
            )
    else:
        for voice in matching:
            if voice.id not in ids:
                made.append(
                    VoiceProfile(
                        name=voice.id,
                        voice_id=voice.id,
                        engine=engine.name,
                        description=f"{voice.name}, made for {language}",
                    )
                )
    return made[:count]


def mismatches(engine: Synthesizer, chosen: Mapping[str, VoiceProfile], language: str) -> list[str]:
    """Warnings for voices (cast by hand) that do not speak ``language``."""
    voices = [v for v in engine.voices() if not _is_mbrola(v)]
    out = []
    for who, profile in chosen.items():
        if profile.engine != engine.name:
            continue
        tag = voice_language(profile, voices)
        if tag is not None and not speaks(tag, language):
            out.append(f"{who}: voice {profile.name} ({tag}) does not speak {language}")
    return out


def _is_mbrola(voice: EngineVoice) -> bool:
    # MBROLA voices need the separate mbrola program, which audiocast never uses.
    return voice.id.startswith(("mb/", "mb-"))
