"""How long a stage direction stands for, in seconds of silence."""

from __future__ import annotations

import re

from ..model import Gaps

DEFAULT_PAUSE = Gaps.cue
"""A short breath: what ``(laughs)`` or an unknown cue becomes unless ``gaps: cue:`` says."""
MAX_PAUSE = 60.0

# A decade ("[1960s music]") is not 1960 seconds.
_EXPLICIT = re.compile(
    r"(?<![\d.])(?!(?:1\d|20)\d0s\b)(\d+(?:\.\d+)?|\.\d+)\s*"
    r"(ms|milliseconds?|s|secs?|seconds?|m|mins?|minutes?)?\b",
    re.I,
)
# A bare number is seconds only right after a pause word: in "(3 people laugh)" or
# "[Archival clip, 1969]" it is part of the description, not a duration.
_BARE = re.compile(r"^(?:pause|silence|beat)\s+(\d+(?:\.\d+)?|\.\d+)$")
_LONG = {
    "music": 2.0,
    "theme": 2.0,
    "jingle": 2.0,
    "sting": 1.5,
    "silence": 1.5,
    "long pause": 1.5,
    "pause": 1.0,
    "beat": 0.5,
}


def pause_for_cue(text: str, default: float = DEFAULT_PAUSE) -> float:
    """Seconds of pause for a cue such as ``(laughs)``, ``[pause 1.5s]`` or ``[music]``.

    An explicit duration wins (``[pause 500ms]`` is 0.5, capped at 60; a number without a unit
    only right after ``pause``/``silence``/``beat``); known words come next
    (``music`` 2.0, ``pause`` 1.0, ``beat`` 0.5); anything else, such as ``(laughs)``, is
    ``default`` (the render's ``gaps: cue:``).
    """
    inner = text.strip().strip("()[]{}<>").strip().lower()
    found = next((m for m in _EXPLICIT.finditer(inner) if m.group(2)), None) or _BARE.match(inner)
    if found:
        value = float(found.group(1))
        unit = found.group(2).lower() if found.re is _EXPLICIT else "s"
        if unit.startswith("ms") or unit.startswith("milli"):
            value /= 1000.0
        elif unit.startswith("m"):
            value *= 60.0
        return max(0.0, min(value, MAX_PAUSE))
    for word, seconds in _LONG.items():
        if word in inner:
            return seconds
    return default
