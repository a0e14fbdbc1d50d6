"""Render settings from a YAML file (``render --config``): cast, gaps, loudness, bumpers, voices."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import InputError
from .language import checked_tag
from .limits import GAP, LOUDNESS
from .model import AUDIO_EXTENSIONS, Bumper, Gaps
from .parse.options import ParseOptions, options_from_mapping
from .paths import Origin, WrittenPath, existing, in_config
from .settings import load_yaml, read_text_file

KNOWN = {
    "cast",
    "gaps",
    "loudness",
    "intro",
    "outro",
    "voices",
    "lexicon",
    "speakers",
    "aliases",
    "directions",
    "engine",
    "allow_lost_words",
    "language",
}


@dataclass(frozen=True)
class RenderConfig:
    cast: Mapping[str, str] = field(default_factory=dict)
    gaps: Gaps = field(default_factory=Gaps)
    loudness: float | None = None
    intro: Bumper | None = None
    outro: Bumper | None = None
    voices_dirs: tuple[Path, ...] = ()
    lexicon: Path | None = None
    parse: ParseOptions = field(default_factory=ParseOptions)
    """``speakers:``/``aliases:``: how the script's labels are read."""
    engine: str | None = None
    """``engine:``: the speech engine, below ``--engine`` and above the script's own."""
    allow_lost_words: bool = False
    """``allow_lost_words: true``: as ``--allow-lost-words``."""
    language: str | None = None
    """``language:``: the episode's language, below ``--language`` and above the script's."""


def bumper_from_option(value: str | Mapping[str, Any], origin: Origin | None = None) -> Bumper:
    """``--intro``/``intro:``: an audio path (by its extension), narrator text, or both; a path
    is made absolute against ``origin`` (the command line's or the config file's)."""
    if isinstance(value, Mapping):
        audio = value.get("audio")
        text = value.get("text")
        return _with_audio(str(audio) if audio else None, str(text) if text else None, origin)
    if value.strip().lower().endswith(AUDIO_EXTENSIONS):
        return _with_audio(value.strip(), None, origin)
    return Bumper(text=value)


def _with_audio(audio: str | None, text: str | None, origin: Origin | None) -> Bumper:
    if audio is None or origin is None:
        return Bumper(audio=audio, text=text)
    written = WrittenPath(audio, origin)
    return Bumper(audio=str(written.path), text=text, written=written)


def load_config(path: Path) -> RenderConfig:
    text = read_text_file(path, "config file")
    data, node = load_yaml(text, path, "YAML")
    data = data or {}
    if not isinstance(data, Mapping):
        raise InputError("config must be a YAML mapping of settings", path=path, line=1)
    lines = _key_lines(node)
    unknown = sorted((str(k) for k in set(data) - KNOWN), key=lambda k: lines.get(k, 0))
    if unknown:
        raise InputError(
            f"unknown setting {unknown[0]!r}",
            path=path,
            line=lines.get(unknown[0]),
            hint=f"the settings are {', '.join(sorted(KNOWN))}",
        )

    def where(key: str) -> dict[str, Any]:
        return {"path": path, "line": lines.get(key)}

    def origin(key: str) -> Origin:
        return in_config(path, key, lines.get(key))

    cast = data.get("cast") or {}
    if not isinstance(cast, Mapping) or not all(
        isinstance(v, str | int | float) and not isinstance(v, bool) for v in cast.values()
    ):
        raise InputError("'cast' must map speaker names to voices", **where("cast"))
    voices = data.get("voices") or []
    if isinstance(voices, str):
        voices = [voices]
    if not isinstance(voices, list) or not all(isinstance(v, str) for v in voices):
        raise InputError("'voices' must be a folder or a list of folders", **where("voices"))
    if data.get("lexicon") is not None and not isinstance(data["lexicon"], str):
        raise InputError("'lexicon' must be a file path", **where("lexicon"))
    for key in ("intro", "outro"):
        if data.get(key) is not None and not isinstance(data[key], str | Mapping):
            raise InputError(
                f"'{key}' must be an audio file, a text, or {{audio: ..., text: ...}}",
                **where(key),
            )
    allow_lost_words = data.get("allow_lost_words", False)
    if not isinstance(allow_lost_words, bool):
        raise InputError("'allow_lost_words' must be true or false", **where("allow_lost_words"))
    loudness = data.get("loudness")
    if loudness is not None:
        loudness = LOUDNESS.check(loudness, "loudness", **where("loudness"))
    return RenderConfig(
        cast={str(k): str(v) for k, v in cast.items()},
        gaps=_gaps(data.get("gaps"), path, lines.get("gaps")),
        loudness=None
        if loudness is None
        else LOUDNESS.check(loudness, "loudness", **where("loudness")),
        intro=bumper_from_option(data["intro"], origin("intro")) if data.get("intro") else None,
        outro=bumper_from_option(data["outro"], origin("outro")) if data.get("outro") else None,
        voices_dirs=tuple(
            existing(str(v), origin("voices"), "voice profile folder", "folder") for v in voices
        ),
        lexicon=existing(str(data["lexicon"]), origin("lexicon"), "lexicon")
        if data.get("lexicon")
        else None,
        parse=options_from_mapping(data, path, lines),
        engine=str(data["engine"]) if data.get("engine") else None,
        allow_lost_words=allow_lost_words,
        language=checked_tag(data["language"], "language", **where("language"))
        if data.get("language") is not None
        else None,
    )


GAP_KEYS = tuple(f.name for f in dataclasses.fields(Gaps))


def _gaps(value: Any, path: Path, line: int | None) -> Gaps:
    """``gaps:`` as a mapping of known pauses to seconds (``speaker-change`` or ``_``)."""
    if value is None:
        return Gaps()
    if not isinstance(value, Mapping):
        raise InputError(
            "'gaps' must be a mapping such as {paragraph: 0.4}",
            path=path,
            line=line,
            hint=f"the gaps are {', '.join(GAP_KEYS)}",
        )
    seconds: dict[str, float] = {}
    for key, number in value.items():
        name = str(key).replace("-", "_")
        if name not in GAP_KEYS:
            raise InputError(
                f"unknown gap {str(key)!r}",
                path=path,
                line=line,
                hint=f"the gaps are {', '.join(GAP_KEYS)}",
            )
        seconds[name] = GAP.check(number, f"gaps.{name}", path, line)
    return Gaps(**seconds)


def _key_lines(node: Any) -> dict[str, int]:
    """The line of each top-level key of a YAML mapping node."""
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {str(k.value): k.start_mark.line + 1 for k, _ in node.value}
