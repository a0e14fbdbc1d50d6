"""Episode metadata (front matter or the top of a YAML script) -> model.Metadata."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

from ..errors import ScriptError
from ..model import AUDIO_EXTENSIONS, Bumper, Metadata

_TEXT_KEYS = ("title", "show", "author", "description", "cover")
KNOWN_KEYS = frozenset(
    (*_TEXT_KEYS, "date", "intro", "outro", "cast", "pronounce", "language", "explicit")
)


def _fail(key: str, message: str, hint: str, path: str | Path, lines: Mapping[str, int]) -> None:
    raise ScriptError(f"metadata '{key}': {message}", path=path, line=lines.get(key), hint=hint)


def _text(value: Any) -> str:
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value.isoformat()
    return str(value).strip()


def _bumper(key: str, value: Any, path: str | Path, lines: Mapping[str, int]) -> Bumper:
    if isinstance(value, str):
        value = value.strip()
        if value.lower().endswith(AUDIO_EXTENSIONS):
            return Bumper(audio=value)
        return Bumper(text=value)
    if isinstance(value, Mapping):
        unknown = set(map(str, value)) - {"audio", "text"}
        if unknown or not value:
            _fail(
                key, f"unknown keys {sorted(unknown)}", "use 'audio:' and/or 'text:'", path, lines
            )
        audio, text = value.get("audio"), value.get("text")
        return Bumper(
            audio=str(audio).strip() if audio else None, text=str(text).strip() if text else None
        )
    _fail(key, "must be a text, an audio file path, or {audio:, text:}", "see docs", path, lines)
    raise AssertionError  # unreachable: _fail raises


def _str_mapping(
    key: str, value: Any, path: str | Path, lines: Mapping[str, int]
) -> Mapping[str, str]:
    if not isinstance(value, Mapping):
        _fail(
            key,
            "must be a mapping of 'name: value' lines",
            f"write e.g. '{key}:\\n  Ann: x'",
            path,
            lines,
        )
    return MappingProxyType({str(k).strip(): _text(v) for k, v in value.items()})


def _bool(key: str, value: Any, path: str | Path, lines: Mapping[str, int]) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("yes", "no", "true", "false"):
        return value.strip().lower() in ("yes", "true")
    _fail(key, f"must be true or false, not {value!r}", "write 'explicit: false'", path, lines)
    raise AssertionError


def _language(value: Any, path: str | Path, lines: Mapping[str, int]) -> str:
    from ..language import EXAMPLES, standard_tag

    tag = standard_tag(value) if isinstance(value, str) else None
    if tag is None:
        _fail("language", f"{value!r} is not a language code", f"use {EXAMPLES}", path, lines)
    return str(tag)


def build_metadata(
    data: Mapping[str, Any], lines: Mapping[str, int], path: str | Path = "<text>"
) -> Metadata:
    """Validate metadata keys; unknown keys (``chapters`` too) are kept in ``extra``.

    Raises ScriptError naming the key's line when a value has the wrong shape.
    """
    fields: dict[str, Any] = {}
    extra: dict[str, Any] = {}
    for key, value in data.items():
        if value is None:
            continue
        if key in _TEXT_KEYS or key == "date":
            if isinstance(value, (Mapping, list)):
                _fail(key, "must be a single text value", f"write '{key}: ...'", path, lines)
            fields[key] = _text(value)
        elif key in ("intro", "outro"):
            fields[key] = _bumper(key, value, path, lines)
        elif key in ("cast", "pronounce"):
            fields[key] = _str_mapping(key, value, path, lines)
        elif key == "language":
            fields[key] = _language(value, path, lines)
        elif key == "explicit":
            fields[key] = _bool(key, value, path, lines)
        else:
            extra[key] = value
    return Metadata(
        **fields,
        extra=MappingProxyType(extra),
        lines=MappingProxyType({k: v for k, v in lines.items() if k in data}),
    )
