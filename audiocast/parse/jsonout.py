"""A Script as one JSON-safe dict: what ``audiocast parse --json`` prints."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Mapping
from typing import Any

from ..model import Bumper, Metadata, Script, Segment


def json_safe(value: Any) -> Any:
    """Dates become ISO text, mappings dicts, sequences lists; other values pass as text."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (_dt.date, _dt.datetime, _dt.time)):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [json_safe(v) for v in value]
    if isinstance(value, Bumper):
        return {k: v for k, v in (("audio", value.audio), ("text", value.text)) if v is not None}
    return str(value)


def metadata_to_dict(meta: Metadata) -> dict[str, Any]:
    """The metadata keys that were given (``lines`` says which), JSON-safe."""
    out: dict[str, Any] = {}
    for key in meta.lines:
        if key in meta.extra:
            out[key] = json_safe(meta.extra[key])
        elif hasattr(meta, key) and key not in ("extra", "lines"):
            out[key] = json_safe(getattr(meta, key))
    for key, value in meta.extra.items():
        out.setdefault(key, json_safe(value))
    return out


def segment_to_dict(seg: Segment) -> dict[str, Any]:
    out: dict[str, Any] = {
        "kind": seg.kind,
        "speaker": seg.speaker if seg.kind == "turn" else None,
        "text": seg.text,
        "line": seg.line,
    }
    if seg.chapter is not None:
        out["chapter"] = seg.chapter
    if seg.rate is not None:
        out["rate"] = seg.rate
    if seg.pause is not None:
        out["pause"] = seg.pause
    return out


def _with_spoken(
    out: dict[str, Any], seg: Segment, spoken: Callable[[Segment], str] | None
) -> dict[str, Any]:
    if spoken is not None:
        out["spoken"] = spoken(seg)
    return out


def script_to_dict(
    script: Script, spoken: Callable[[Segment], str] | None = None
) -> dict[str, Any]:
    """``title``, ``speakers`` (names, first appearance), ``segments``, ``metadata``, ``format``.

    ``chapter``, ``rate`` and ``pause`` appear on a segment only when set; ``spoken`` (the text
    as it will be said) when a ``spoken`` function is given.
    """
    return {
        "title": script.title,
        "format": script.format,
        "speakers": list(script.speaker_names),
        "segments": [_with_spoken(segment_to_dict(s), s, spoken) for s in script.segments],
        "metadata": metadata_to_dict(script.metadata),
    }
