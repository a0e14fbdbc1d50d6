"""Whose voice is whose gender: what the script says about a speaker, and what a voice sounds like.

A speaker's gender comes, in this order, from a ``gender:`` hint in front matter's
``speakers:`` (``Ada Okafor: {gender: female}``), then from a title in the name (Ms., Mrs.,
Miss, Madam, Dame, Lady; Mr., Sir, Lord). First names are not guessed: the name-gender
libraries on PyPI are either unmaintained and GPL (gender-guesser, 2016) or large datasets
(names-dataset), and a wrong guess is worse than none: an unknown speaker simply gets the next
free voice. A voice's gender comes from its eSpeak variant (``+f3`` female, ``+m3`` male) or,
for other engines and plain ids, from "female"/"male" in the profile's description.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from .model import Script, Speaker, VoiceProfile

Gender = Literal["female", "male"]

_TITLES: Mapping[str, Gender] = {
    "ms": "female", "mrs": "female", "miss": "female", "madam": "female", "madame": "female",
    "dame": "female", "lady": "female", "mme": "female",
    "mr": "male", "sir": "male", "lord": "male", "mister": "male",
}  # fmt: skip
_WORDS: Mapping[str, Gender] = {
    "female": "female", "f": "female", "woman": "female", "feminine": "female",
    "male": "male", "m": "male", "man": "male", "masculine": "male",
}  # fmt: skip


@dataclass(frozen=True)
class SpeakerHint:
    """What front matter's ``speakers:`` says about one speaker."""

    gender: Gender | None = None
    voice: str | None = None
    """A profile name or engine voice id, as in ``cast:``."""


def parse_gender(value: object) -> Gender | None:
    """``female``/``f``/``woman`` or ``male``/``m``/``man`` (any case); anything else is None."""
    return _WORDS.get(str(value).strip().casefold()) if value is not None else None


def speaker_hints(script: Script) -> dict[str, SpeakerHint]:
    """Folded speaker label -> its hint, from ``speakers:`` entries that are mappings.

    (``speakers: {Ada: Dr. Ada Okafor}``, a display name, is the parser's; only mapping values
    carry ``gender:``/``voice:`` hints.)
    """
    raw: Any = script.metadata.extra.get("speakers")
    if not isinstance(raw, Mapping):
        return {}
    out: dict[str, SpeakerHint] = {}
    for label, value in raw.items():
        if isinstance(value, Mapping):
            voice = value.get("voice")
            out[" ".join(str(label).split()).casefold()] = SpeakerHint(
                gender=parse_gender(value.get("gender")),
                voice=str(voice) if voice else None,
            )
    return out


def title_gender(name: str) -> Gender | None:
    """The gender a title in ``name`` states (``Ms. Lee``, ``Sir Ian``), if any."""
    for word in re.findall(r"[A-Za-z]+", name)[:2]:
        found = _TITLES.get(word.casefold())
        if found:
            return found
    return None


def speaker_gender(speaker: Speaker, hint: SpeakerHint | None) -> tuple[Gender | None, str]:
    """The speaker's gender and why (``speakers: gender``, ``title Ms.``), or ``(None, "")``."""
    if hint is not None and hint.gender:
        return hint.gender, "speakers: gender"
    for label in (speaker.name, *speaker.aliases):
        found = title_gender(label)
        if found:
            word = re.findall(r"[A-Za-z]+", label)[0]
            return found, f"title {word}."
    return None, ""


def voice_gender(profile: VoiceProfile) -> Gender | None:
    """What the voice sounds like: its eSpeak variant, else its description."""
    _, plus, variant = profile.voice_id.partition("+")
    if plus and variant[:1].lower() == "f":
        return "female"
    if plus and variant[:1].lower() == "m":
        return "male"
    words = set(re.findall(r"[a-z]+", profile.description.lower()))
    if "female" in words or "woman" in words:
        return "female"
    if "male" in words or "man" in words:
        return "male"
    return None
