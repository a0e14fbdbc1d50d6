"""The native YAML script: metadata keys at the top level and a ``segments:`` list.

Each segment is one of::

    - speaker: Maya Lin          # a turn (``text:`` holds the words)
      text: Welcome to the show.
    - Maya Lin: Welcome back.    # shorthand for the same
    - narration: Some prose the narrator reads.
    - cue: music                 # a stage direction; ``pause: 1.5`` for seconds of silence
    - pause: 2

Any segment may add ``chapter:`` (a chapter starts here) and ``rate:`` (a speed factor).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from ..errors import ScriptError
from ..model import Metadata, Segment
from ..settings import key_lines, load_yaml, node_line
from .assemble import SpeakerRegistry
from .cues import split_rate
from .metadata import build_metadata

_RESERVED = frozenset(("speaker", "text", "narration", "cue", "pause", "chapter", "rate", "role"))


def _number(value: Any, key: str, path: str | Path, line: int) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
        raise ScriptError(
            f"segment '{key}' must be a positive number, not {value!r}",
            path=path,
            line=line,
            hint=f"write e.g. '{key}: 0.9'",
        )
    return float(value)


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _segment(item: Any, line: int, path: str | Path, registry: SpeakerRegistry) -> Segment:
    if isinstance(item, str):
        text, rate = split_rate(item.strip())
        return Segment("narration", text.strip(), line, rate=rate)
    if not isinstance(item, Mapping) or not item:
        raise ScriptError(
            "a segment must be 'Name: words', 'speaker:'/'text:', 'narration:' or 'cue:'",
            path=path,
            line=line,
            hint="see docs/script-format.md",
        )
    item = {str(k): v for k, v in item.items()}
    chapter = _text(item["chapter"]) if item.get("chapter") is not None else None
    rate = _number(item["rate"], "rate", path, line) if "rate" in item else None
    names = [k for k in item if k not in _RESERVED]
    if len(names) > 1 or (names and "speaker" in item):
        raise ScriptError(
            f"a segment has more than one speaker: {', '.join(names)}",
            path=path,
            line=line,
            hint="write one 'Name: words' per list item",
        )
    if names or "speaker" in item:
        label = names[0] if names else _text(item["speaker"])
        if not label:
            raise ScriptError("a segment has an empty 'speaker:'", path=path, line=line)
        raw = item[names[0]] if names else item.get("text")
        text, hint_rate = split_rate(_text(raw))
        role = _text(item.get("role")).lower() or None
        name = registry.resolve(label, role, line)
        return Segment("turn", text.strip(), line, name, chapter, rate or hint_rate)
    if "narration" in item or "text" in item:
        text, hint_rate = split_rate(_text(item.get("narration", item.get("text"))))
        return Segment("narration", text.strip(), line, None, chapter, rate or hint_rate)
    if "cue" in item or "pause" in item:
        pause = _number(item["pause"], "pause", path, line) if "pause" in item else None
        text = _text(item.get("cue")) or "pause"
        return Segment("cue", text, line, None, chapter, rate, pause)
    raise ScriptError(
        "a segment needs 'speaker:', 'narration:' or 'cue:'",
        path=path,
        line=line,
        hint="see docs/script-format.md",
    )


def parse_yaml_script(
    text: str, path: str | Path = "<text>"
) -> tuple[tuple[Segment, ...], SpeakerRegistry, Metadata]:
    """Parse a YAML script -> (segments, speakers, metadata). Errors carry the YAML line."""
    data, node = load_yaml(text, path, "YAML script")
    if not isinstance(data, Mapping):
        raise ScriptError(
            "a YAML script must be a mapping with a 'segments:' list",
            path=path,
            line=1,
            hint="see docs/script-format.md",
        )
    lines = key_lines(node)
    seg_key = next((k for k in ("segments", "script", "turns") if k in data), None)
    if seg_key is None:
        raise ScriptError(
            "a YAML script needs a 'segments:' list",
            path=path,
            line=1,
            hint="add 'segments:' with one '- Name: words' item per turn",
        )
    items = data[seg_key] or []
    seg_node = next(v for k, v in node.value if k.value == seg_key)
    if not isinstance(items, list) or not isinstance(seg_node, yaml.SequenceNode):
        raise ScriptError(
            f"'{seg_key}:' must be a list",
            path=path,
            line=lines.get(seg_key),
            hint="write one '- Name: words' item per turn",
        )
    registry = SpeakerRegistry()
    segments = tuple(
        _segment(item, node_line(n), path, registry)
        for item, n in zip(items, seg_node.value, strict=True)
    )
    meta = {str(k): v for k, v in data.items() if k != seg_key}
    return segments, registry, build_metadata(meta, lines, path)
