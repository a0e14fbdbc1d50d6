"""The episode's language: one BCP 47 tag (``de``, ``fr-FR``, ``en-GB``) every stage reads.

It is set by ``--language``, then a ``--config`` file's ``language:``, then the script's front
matter, else ``en`` (``chosen_language``); the pipeline writes the chosen tag into the script's
metadata, so casting, the spoken text, the intro, the tags, the page and the feed all read the
same value. Tags are checked against the IANA subtag registry by ``langcodes``: a typo such as
``english`` or ``xx`` is an error rather than an episode read in the wrong language.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import langcodes
from num2words import CONVERTER_CLASSES

from .errors import InputError
from .model import Script

DEFAULT_LANGUAGE = "en"
EXAMPLES = "a language code such as en, de, fr-FR or en-GB"


def standard_tag(value: str) -> str | None:
    """``"en_gb"`` -> ``"en-GB"``; ``None`` when ``value`` is not a registered language tag."""
    text = str(value).strip()
    if not text or not langcodes.tag_is_valid(text):
        return None
    return str(langcodes.standardize_tag(text))


def checked_tag(
    value: object, key: str, path: str | Path | None = None, line: int | None = None
) -> str:
    """``value`` as a standard tag, else an ``InputError`` naming ``key`` (exit code 2)."""
    tag = standard_tag(str(value)) if isinstance(value, str) else None
    if tag is None:
        raise InputError(
            f"{key}: {value!r} is not a language code", path=path, line=line, hint=f"use {EXAMPLES}"
        )
    return tag


def primary(tag: str) -> str:
    """The language subtag, lower-cased: ``"en-GB"`` -> ``"en"``, ``"gmw/de"`` -> ``"de"``."""
    return tag.strip().rsplit("/", 1)[-1].replace("_", "-").split("-", 1)[0].casefold()


def region(tag: str) -> str | None:
    """The territory subtag of ``tag`` in upper case (``"en-gb-x-rp"`` -> ``"GB"``), if any."""
    try:
        found = langcodes.Language.get(tag.strip().rsplit("/", 1)[-1].replace("_", "-"))
    except (langcodes.tag_parser.LanguageTagError, ValueError):
        return None
    return found.territory


def is_english(tag: str) -> bool:
    return primary(tag) == "en"


def num2words_language(tag: str) -> str | None:
    """num2words' ``lang`` for ``tag`` (``fr-CH`` -> ``fr_CH``, ``de-AT`` -> ``de``), or
    ``None`` when num2words has no converter for that language."""
    base = primary(tag)
    territory = region(tag)
    for candidate in (f"{base}_{territory}" if territory else "", base):
        if candidate and candidate in CONVERTER_CLASSES:
            return candidate
    return None


def alpha3(tag: str) -> str:
    """The ISO 639-2 code ID3 stores: ``"de-AT"`` -> ``"deu"``, ``"en-GB"`` -> ``"eng"``."""
    try:
        return str(langcodes.Language.get(tag).to_alpha3())
    except (langcodes.tag_parser.LanguageTagError, LookupError, ValueError):
        return primary(tag)


def from_stored(value: str) -> str:
    """A tag as read back from a file (ID3's ``deu``, Vorbis' ``de-AT``) as BCP 47 (``de``)."""
    tag = standard_tag(value)
    return tag if tag is not None else value


def chosen_language(script: Script | None, *given: str | None) -> str:
    """The first of ``given`` that is set (``--language``, then the config's), else the
    script's ``language:``, else ``DEFAULT_LANGUAGE``; every value already checked."""
    for value in given:
        if value:
            return value
    if script is not None and script.metadata.language:
        return script.metadata.language
    return DEFAULT_LANGUAGE


def with_language(script: Script, *given: str | None) -> Script:
    """``script`` with its metadata's ``language`` set to ``chosen_language(script, *given)``:
    the one value every later stage reads."""
    tag = chosen_language(script, *given)
    if tag == script.metadata.language:
        return script
    return dataclasses.replace(script, metadata=dataclasses.replace(script.metadata, language=tag))
