"""Render settings from a YAML file (``render --config``): cast, gaps, loudness, bumpers, voices."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import InputError
from .model import AUDIO_EXTENSIONS, Bumper, Gaps
from .parse.options import ParseOptions, options_from_mapping
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
    "engine",
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


def bumper_from_option(value: str | Mapping[str, Any], base: Path | None = None) -> Bumper:
    """``--intro``/``intro:``: an audio path (by its extension), narrator text, or both."""
    if isinstance(value, Mapping):
        audio = value.get("audio")
        text = value.get("text")
        return Bumper(
            audio=_path(str(audio), base) if audio else None, text=str(text) if text else None
        )
    if value.strip().lower().endswith(AUDIO_EXTENSIONS):
        return Bumper(audio=_path(value.strip(), base))
    return Bumper(text=value)


def _path(value: str, base: Path | None) -> str:
    p = Path(value).expanduser()
    return str(p if p.is_absolute() or base is None else base / p)


def load_config(path: Path) -> RenderConfig:
    text = read_text_file(path, "config file")
    data = load_yaml(text, path, "YAML")[0] or {}
    if not isinstance(data, Mapping):
        raise InputError("config must be a YAML mapping of settings", path=path, line=1)
    unknown = sorted(set(data) - KNOWN)
    if unknown:
        raise InputError(
            f"unknown setting {unknown[0]!r}", path=path, hint=f"known: {', '.join(sorted(KNOWN))}"
        )
    base = path.parent
    cast = data.get("cast") or {}
    if not isinstance(cast, Mapping):
        raise InputError("'cast' must map speaker names to voices", path=path)
    gaps_data = data.get("gaps") or {}
    if not isinstance(gaps_data, Mapping):
        raise InputError("'gaps' must be a mapping such as {paragraph: 0.4}", path=path)
    try:
        gaps = Gaps(**{str(k).replace("-", "_"): float(v) for k, v in gaps_data.items()})
    except (TypeError, ValueError) as exc:
        raise InputError(
            f"bad 'gaps': {exc}",
            path=path,
            hint="sentence, paragraph, speaker_change, cue: seconds",
        ) from None
    voices = data.get("voices") or []
    if isinstance(voices, str):
        voices = [voices]
    return RenderConfig(
        cast={str(k): str(v) for k, v in cast.items()},
        gaps=gaps,
        loudness=float(data["loudness"]) if data.get("loudness") is not None else None,
        intro=bumper_from_option(data["intro"], base) if data.get("intro") else None,
        outro=bumper_from_option(data["outro"], base) if data.get("outro") else None,
        voices_dirs=tuple(Path(_path(str(v), base)) for v in voices),
        lexicon=Path(_path(str(data["lexicon"]), base)) if data.get("lexicon") else None,
        parse=options_from_mapping(data, path),
        engine=str(data["engine"]) if data.get("engine") else None,
    )
