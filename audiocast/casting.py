"""Who speaks with which voice: the explicit cast first, then a deterministic automatic choice.

Rules a caller may rely on:

- An explicit cast (``voice:`` hints in front matter's ``speakers:``, the script's ``cast:``,
  then ``overrides``, which win) maps a speaker (by name or alias, ignoring case) to a profile
  name or an engine voice id. Unknown values are a ``VoiceError`` naming the speaker, the value
  and near matches. A key that matches no speaker is a ``VoiceError`` with near matches too
  (``narrator`` sets the narrator's voice), except override keys not in ``strict``: a
  ``--config`` file serves many episodes, so its entries for absent speakers are ignored.
- A speaker whose gender the script tells (a ``gender:`` hint, a title such as Ms. or Sir,
  see ``gender.py``) gets a free voice of that gender when one is left.
- Uncast speakers get distinct profiles, in order of first appearance: the host (a speaker
  whose role is host-like, else the first speaker) from ``host`` profiles, the others from
  ``guest`` then ``panel`` profiles, then any other; a profile already taken is not reused
  while an unused one remains. A speaker called ``narrator`` gets the narrator's voice.
- Narration gets the ``narrator`` profile, which no speaker gets automatically, with one
  exception: when the narrator's voice and a speaker's automatic voice are the same engine
  voice at different pitches (one Piper model installed, the others derived from it) and the
  narrator's is the nearer its natural pitch, the speaker heard most, when heard more than the
  narration, gets the narrator's voice and the narrator theirs. A shifted voice sounds less
  natural, so the least shifted goes where listeners spend the most time.
- When profiles run out, voices are derived from the pool by shifting pitch and rate (named
  ``guest-a~2``) and ``warnings`` says so. The same script gives the same casting, and a
  speaker's voice does not depend on the order of the cast entries.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any

from .announce import HOST_ROLES
from .errors import VoiceError
from .gender import Gender, speaker_gender, speaker_hints, voice_gender
from .model import EMPTY, NARRATION, NATURAL_PITCH, Script, Segment, Speaker, VoiceProfile
from .suggest import did_you_mean
from .synth.base import Synthesizer
from .voices import find_profile, resolve_voice

NARRATOR_KEYS = ("narrator", "narration")
ROLE_ORDER = ("host", "guest", "panel")
PITCH_STEP = 12
"""Pitch shift per derived generation, on eSpeak's 0-100 scale: audible, still natural."""
RATE_STEP = 12


@dataclass(frozen=True)
class Casting:
    """The voice of every speaker and of the narrator, decided once per script."""

    voices: Mapping[str, VoiceProfile]
    """Speaker name (canonical, as in ``Script.speakers``) -> voice."""
    narrator: VoiceProfile
    warnings: tuple[str, ...] = ()
    sources: Mapping[str, str] = field(default_factory=lambda: EMPTY)
    """Speaker name -> how the voice was chosen: ``cast``, ``auto`` or ``derived``."""
    reasons: Mapping[str, str] = field(default_factory=lambda: EMPTY)
    """Speaker name -> why, for people: ``--voice``, ``host voice, female (title Ms.)``..."""

    def voice_for(self, segment: Segment) -> VoiceProfile:
        """The voice that speaks ``segment``: its speaker's, or the narrator's."""
        if segment.kind != "turn" or segment.speaker is None:
            return self.narrator
        try:
            return self.voices[segment.speaker]
        except KeyError:
            raise VoiceError(
                f"speaker {segment.speaker!r} has no voice", line=segment.line
            ) from None

    @property
    def distinct_voices(self) -> int:
        return len({_sound(p) for p in self.voices.values()})

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe: what ``audiocast cast --json`` prints."""
        return {
            "narrator": self.narrator.to_dict(),
            "speakers": [
                {
                    "speaker": name,
                    "source": self.sources.get(name, "auto"),
                    "reason": self.reasons.get(name, ""),
                    **p.to_dict(),
                }
                for name, p in self.voices.items()
            ],
            "warnings": list(self.warnings),
        }


def _sound(profile: VoiceProfile) -> tuple[Any, ...]:
    voice_id = profile.voice_id.strip().lower()
    return (profile.engine, voice_id, profile.rate, profile.pitch, profile.settings)


def _fold(name: str) -> str:
    return " ".join(name.split()).casefold()


def _natural(name: str) -> tuple[Any, ...]:
    """Sort key putting ``panel-2`` before ``panel-10``."""
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", name.casefold()))


def cast(
    script: Script,
    profiles: Mapping[str, VoiceProfile],
    overrides: Mapping[str, str] = EMPTY,
    engine: Synthesizer | None = None,
    *,
    overrides_path: Path | None = None,
    strict: Collection[str] = (),
    automatic: Mapping[str, VoiceProfile] | None = None,
) -> Casting:
    """Decide every speaker's voice and the narrator's (see the module docstring for the rules).

    ``engine`` checks engine voice ids in the cast and the voices of profiles made for it;
    without it only profile names can be cast. ``overrides_path`` names the ``--config`` file
    in errors about its entries; ``strict`` names the override keys (``--voice``) that must
    match a speaker. ``automatic`` (default ``profiles``) are the profiles automatic casting
    picks from, such as those of the episode's language; explicit entries may name any.
    """
    chosen_from = profiles if automatic is None else automatic
    profiles = {**profiles, **chosen_from}
    speakers = _speakers(script)
    explicit = _explicit_cast(script, overrides, overrides_path)
    hints = speaker_hints(script)
    _require_speakers(script, speakers, overrides, strict)
    reasons: dict[str, str] = {}
    origin = {key: "speakers: voice" for key, hint in hints.items() if hint.voice}
    origin.update({_fold(str(k)): "cast:" for k in script.metadata.cast})
    origin.update({_fold(str(k)): "--voice" for k in strict})
    voices: dict[str, VoiceProfile] = {}
    sources: dict[str, str] = {}
    used_keys: set[str] = set()

    def resolve(speaker: str, key: str) -> VoiceProfile:
        value, path, line = explicit[key]
        try:
            return resolve_voice(value, profiles, engine)
        except VoiceError as exc:
            raise VoiceError(
                f"cast: {speaker}: {exc.message}", path=path, line=line, hint=exc.hint
            ) from None

    for name, aliases, _ in speakers:
        key = next((k for k in (name, *aliases) if _fold(k) in explicit), None)
        if key is not None:
            used_keys.add(_fold(key))
            voices[name] = resolve(name, _fold(key))
            sources[name] = "cast"
            reasons[name] = origin.get(_fold(key), "--config cast:")

    narrator_key = next((k for k in NARRATOR_KEYS if k in explicit and k not in used_keys), None)
    if narrator_key is not None:
        narrator = resolve("narrator", narrator_key)
    else:
        narrator = _default_narrator(chosen_from)
        _check(narrator, engine)

    taken = {p.name for p in voices.values()} | {narrator.name}
    pool = [
        p
        for p in sorted(chosen_from.values(), key=lambda p: _natural(p.name))
        if p.name != narrator.name and "narrator" not in p.roles
    ]
    hosts = [name for name, _, role in speakers if role in HOST_ROLES and name not in voices]
    if not any(role in HOST_ROLES for _, _, role in speakers):
        # The first speaker hosts; a play's NARRATOR keeps the narrator's voice instead.
        first = next((n for n, _, _ in speakers if _fold(n) not in NARRATOR_KEYS), None)
        hosts = [first] if first is not None and first not in voices else []
    derived: list[str] = []
    by_name = {s.name: s for s in script.speakers}
    for name, aliases, role in speakers:
        if name in voices:
            continue
        if _fold(name) in NARRATOR_KEYS:
            voices[name], sources[name] = narrator, "auto"
            reasons[name] = "the narrator's voice"
            continue
        speaker = by_name.get(name, Speaker(name, role, aliases))
        hint = next((hints[_fold(k)] for k in (name, *aliases) if _fold(k) in hints), None)
        gender, why = speaker_gender(speaker, hint)
        choice = _pick(pool, taken, host=name in hosts, gender=gender)
        if choice is None:
            choice = _derive(pool or [narrator], taken, len(derived))
            derived.append(name)
            sources[name] = "derived"
            reasons[name] = f"derived from {choice.name.split('~')[0]}: profiles ran out"
        else:
            sources[name] = "auto"
            kind = "host" if name in hosts else "guest"
            said = f", {gender} ({why})" if gender else ""
            if gender and voice_gender(choice) != gender:
                said += f", but no free {gender} voice was left"
            reasons[name] = f"{kind} voice{said}"
        _check(choice, engine)
        taken.add(choice.name)
        voices[name] = choice

    voices = {name: voices[name] for name, _, _ in speakers}  # in order of appearance
    if narrator_key is None:
        narrator = _least_shifted_to_most_heard(script, voices, sources, reasons, narrator)
    warnings = _warnings(voices, derived, len(pool))
    return Casting(
        voices=MappingProxyType(voices),
        narrator=narrator,
        warnings=tuple(warnings),
        sources=MappingProxyType(sources),
        reasons=MappingProxyType(reasons),
    )


def _least_shifted_to_most_heard(
    script: Script,
    voices: dict[str, VoiceProfile],
    sources: Mapping[str, str],
    reasons: dict[str, str],
    narrator: VoiceProfile,
) -> VoiceProfile:
    """The narrator's voice after the exception in the module docstring; swaps in place."""
    words: Counter[str] = Counter()
    for who, count in script.spoken():
        words[who] += count
    automatic = [n for n in voices if sources.get(n) != "cast" and voices[n] != narrator]
    if not automatic:
        return narrator
    lead = max(automatic, key=lambda n: words[n])  # the first of equals: deterministic
    theirs = voices[lead]
    same_voice = theirs.engine == narrator.engine and theirs.voice_id == narrator.voice_id
    nearer = abs(narrator.pitch - NATURAL_PITCH) < abs(theirs.pitch - NATURAL_PITCH)
    if not (same_voice and nearer and words[lead] > words[NARRATION]):
        return narrator
    voices[lead] = narrator
    reasons[lead] = f"{reasons[lead]}; the least shifted voice, as the one heard most"
    return theirs


def _speakers(script: Script) -> list[tuple[str, tuple[str, ...], str | None]]:
    """(name, aliases, role) in order of first appearance, including turn-only speakers."""
    found = [(s.name, tuple(s.aliases), (s.role or "").lower() or None) for s in script.speakers]
    known = {n for n, _, _ in found}
    for segment in script.turns:
        if segment.speaker and segment.speaker not in known:
            known.add(segment.speaker)
            found.append((segment.speaker, (), None))
    return found


def _require_speakers(
    script: Script,
    speakers: Sequence[tuple[str, tuple[str, ...], str | None]],
    overrides: Mapping[str, str],
    strict: Collection[str],
) -> None:
    """A ``VoiceError`` with near matches for a ``cast:`` entry, ``speakers:`` voice hint or
    ``strict`` override that names no speaker: a misspelt name would else go unnoticed."""
    names = [n for name, aliases, _ in speakers for n in (name, *aliases)]
    known = {_fold(n) for n in names} | set(NARRATOR_KEYS)
    line = script.metadata.lines.get("cast") if script.metadata.lines else None
    entries = [(str(k), "cast:", script.source, line) for k in script.metadata.cast]
    entries += [(str(k), "--voice", None, None) for k in strict if k in overrides]
    for key, where, path, at in entries:
        if _fold(key) in known:
            continue
        near = difflib.get_close_matches(key, names, n=3, cutoff=0.5)
        raise VoiceError(
            f"{where} {key!r} matches no speaker in this script",
            path=path,
            line=at,
            hint=did_you_mean(near, f"speakers: {', '.join(names) or 'none'}"),
        )


def _explicit_cast(
    script: Script, overrides: Mapping[str, str], overrides_path: Path | None
) -> dict[str, tuple[str, Path | None, int | None]]:
    """Folded speaker key -> (value, file, line); overrides replace the script's entries."""
    line = script.metadata.lines.get("cast") if script.metadata.lines else None
    spoken = script.metadata.lines.get("speakers") if script.metadata.lines else None
    table = {
        key: (hint.voice, script.source, spoken)
        for key, hint in speaker_hints(script).items()
        if hint.voice
    }
    table.update(
        {_fold(str(k)): (str(v), script.source, line) for k, v in script.metadata.cast.items()}
    )
    for k, v in overrides.items():
        table[_fold(str(k))] = (str(v), overrides_path, None)
    return table


def _default_narrator(profiles: Mapping[str, VoiceProfile]) -> VoiceProfile:
    found = find_profile("narrator", profiles)
    if found is not None:
        return found
    named = sorted(profiles.values(), key=lambda p: _natural(p.name))
    for profile in named:
        if "narrator" in profile.roles:
            return profile
    if named:
        return named[0]
    raise VoiceError(
        "no voice profiles at all",
        hint="reinstall audiocast, or add a profile such as voices/narrator.yaml",
    )


def _check(profile: VoiceProfile, engine: Synthesizer | None) -> None:
    if engine is not None and profile.engine == engine.name:
        engine.check_voice(profile)


def _rank(profile: VoiceProfile, host: bool) -> tuple[int, ...]:
    groups = [next((i for i, r in enumerate(ROLE_ORDER) if r in profile.roles), len(ROLE_ORDER))]
    if not host and groups[0] == 0:
        groups[0] = len(ROLE_ORDER) + 1  # a spare host voice is the guests' last resort
    return (groups[0], *_natural(profile.name))


def _pick(
    pool: Sequence[VoiceProfile], taken: set[str], host: bool, gender: Gender | None = None
) -> VoiceProfile | None:
    free = [p for p in pool if p.name not in taken]
    if not free:
        return None
    matching = [p for p in free if gender is None or voice_gender(p) == gender]
    return min(matching or free, key=lambda p: _rank(p, host))


def _derive(pool: Sequence[VoiceProfile], taken: set[str], index: int) -> VoiceProfile:
    """The ``index``-th extra voice: a pool voice with pitch and rate moved, never a taken name."""
    ordered = sorted(pool, key=lambda p: _rank(p, False))
    generation = 2 + index // len(ordered)
    while True:
        base = ordered[index % len(ordered)]
        name = f"{base.name}~{generation}"
        if name not in taken:
            break
        generation += 1
    # Alternate directions so successive generations spread around the original.
    sign = 1 if generation % 2 == 0 else -1
    step = generation // 2 + (generation % 2)
    pitch = base.pitch + sign * PITCH_STEP * step
    if not 0 <= pitch <= 100:
        pitch = base.pitch - sign * PITCH_STEP * step
    pitch = max(0, min(100, pitch))
    rate = max(80, min(450, base.rate - sign * RATE_STEP * step))
    return replace(
        base,
        name=name,
        pitch=pitch,
        rate=rate,
        description=f"{base.name} with pitch {pitch - base.pitch:+d}, rate {rate - base.rate:+d}",
        roles=(),
    )


def _warnings(voices: Mapping[str, VoiceProfile], derived: Sequence[str], pool: int) -> list[str]:
    warnings = []
    if derived:
        shown = ", ".join(f"{n} -> {voices[n].name}" for n in derived)
        warnings.append(
            f"{len(voices)} speakers but {pool} distinct voice profiles: derived voices "
            f"(shifted pitch and rate) for {shown}; add profiles to voices/ or cast them"
        )
    shared: dict[str, list[str]] = {}
    for name, profile in voices.items():
        shared.setdefault(profile.name, []).append(name)
    for profile_name, names in shared.items():
        if len(names) > 1:
            warnings.append(f"{', '.join(names)} share the voice {profile_name}")
    return warnings
