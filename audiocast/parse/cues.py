"""Stage directions (``(LAUGHTER)``, ``[pause 1.5s]``) and per-turn speed hints (``[slow]``)."""

from __future__ import annotations

import re
from dataclasses import dataclass

# A whole line in brackets or parentheses, short enough to be a direction rather than prose.
_CUE_LINE = re.compile(r"^\\?([\[(])\s*([^\[\]()\n]{1,60}?)\s*\\?([\])])$")
_PAUSE = re.compile(
    r"^(?:pause|silence|beat)(?:\s+(\d{1,3}(?:\.\d{1,3})?)\s*(?:s|sec|secs|seconds?)?)?$",
    re.IGNORECASE,
)
# A speed hint at the very start of a turn: ``[rate 0.9]``, ``[slow]``, ``[fast]``.
_RATE = re.compile(r"^\[\s*(?:rate\s*[:=]?\s*(\d{1,2}(?:\.\d{1,3})?)|(slow)|(fast))\s*\]\s*", re.I)
BREAK = re.compile(
    r"^(?:(?:ad|commercial|sponsor|mid-?roll|short)\s+)?(?:break|intermission|interval)$", re.I
)
"""A cue that separates parts of the show (``**Break**``, ``[commercial break]``)."""
SLOW = 0.85
FAST = 1.15


@dataclass(frozen=True)
class Cue:
    text: str
    """The direction without its brackets: ``LAUGHTER``, ``pause 1.5s``."""
    pause: float | None = None


def match_cue(line: str) -> Cue | None:
    """The stage direction that fills ``line`` (stripped), or None.

    Speed hints and timestamps are not cues; the words of a cue must be at most 8.
    """
    if line[:1] not in ("[", "(", "\\"):
        return None
    m = _CUE_LINE.match(line)
    if not m or (m.group(1) == "[") != (m.group(3) == "]"):
        return None
    inner = m.group(2)
    if _RATE.match(f"[{inner}]") or len(inner.split()) > 8 or not any(c.isalpha() for c in inner):
        return None
    pause = _PAUSE.match(inner)
    if pause:
        return Cue(inner, float(pause.group(1)) if pause.group(1) else None)
    return Cue(inner)


def split_rate(text: str) -> tuple[str, float | None]:
    """Remove a leading speed hint from a turn's text: -> (text without it, rate factor)."""
    m = _RATE.match(text)
    if not m:
        return text, None
    if m.group(1):
        rate = float(m.group(1))
        if rate <= 0:
            return text, None
    else:
        rate = SLOW if m.group(2) else FAST
    return text[m.end() :], rate
