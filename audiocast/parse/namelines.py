"""A speaker's name alone on its line, the speech below it: ``Igor``, ``**Jonas Nick** 00:26:56``,
``Stephan 00:45:34:``, ``James- 00:47:06:``. One line, no context: whether such lines are turns is
the layout's decision (a heading has the same shape, but names recur and alternate)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .labels import TS_ANY, is_name

_NAME_LINE = re.compile(rf"^(\*\*|__)?([^*_:\[\]()\d]{{1,60}}?)\1?\s*-?\s*(?:({TS_ANY})\s*)?(:?)$")


@dataclass(frozen=True)
class NameLine:
    name: str
    timestamp: str | None
    bold: bool
    colon: bool = False
    """``Name:`` alone: marked as a label, like a timestamp marks it."""


def match_name_line(line: str) -> NameLine | None:
    """The name a line holds alone (optionally bold, with a timestamp or a colon), or None."""
    line = line.strip()
    if len(line) > 90 or line.endswith((".", ",", ";", "!", "?", '"', "”", ")")):
        return None  # a line of prose: no need to try the pattern
    if line[:1].islower() or line[:1].isdigit():
        return None  # a name starts with a capital (or bold markers)
    m = _NAME_LINE.match(line)
    if not m:
        return None
    name = m.group(2).strip().rstrip("-").strip()
    if not name or len(name.split()) > 4 or not is_name(name):
        return None
    return NameLine(name, m.group(3), bool(m.group(1)), bool(m.group(4)))
