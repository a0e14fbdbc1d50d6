"""Screenplays and radio plays: character cues centred above their dialogue.

``TOM (V.O.)`` indented well past the action is a cue: the extension folds into ``TOM``; a
``(beat)`` line under it is a delivery direction (a cue segment); the dialogue runs to the next
blank line. Scene headings (``INT. OFFICE - DAY``), transitions (``CUT TO:``) and action are
narration read after the turn they interrupt, so a speech cut by action or a scene change goes
on when the same character speaks next. Page numbers (``18.``) and scene counters (``(8)``)
are page furniture and dropped. Indentation carries the layout, so this reads the raw lines.
"""

from __future__ import annotations

import re

from .labels import is_extension, is_name
from .lines import Line

_CUE = re.compile(r"^([A-Z][A-Z0-9 .'’\-]{0,40}?)((?:\s*\([^()]{1,20}\))*)\s*$")
_EXTENSION = re.compile(r"\(([^()]{1,20})\)")
_PARENTHETICAL = re.compile(r"^\([^()]{1,80}\)$")
_FURNITURE = re.compile(r"^(?:\d{1,4}\.|\(-?\d{1,6}\)|\d{1,4})$")
_SCENE = re.compile(r"^(?:INT|EXT|INT\./EXT|I/E)[ ./]")
# Cue lines sit this much further right than the leftmost text of the page (the action).
_CUE_OFFSET = 6


def _indent(raw: str) -> int:
    return len(raw) - len(raw.lstrip(" "))


def cue_name(text: str) -> str | None:
    """``SARAH (O.S.)`` -> ``SARAH``; None when the line is not a character cue."""
    m = _CUE.match(text)
    if not m or _SCENE.match(text) or text.endswith(":"):
        return None
    extensions = _EXTENSION.findall(m.group(2) or "")
    if not all(is_extension(e) for e in extensions):
        return None
    name = m.group(1).strip()
    letters = sum(c.isalpha() for c in name)
    return name if letters >= 2 and is_name(name) else None


def screenplay_lines(body: list[str], first: int) -> tuple[list[Line], int]:
    """Body lines as a screenplay reads them, and how many cues were found."""
    if sum(1 for r in body if r.startswith("      ")) < 2:
        return [], 0  # no indentation to speak of: not a screenplay
    margin = min((_indent(r) for r in body if r.strip()), default=0)
    if not any(_indent(r) >= margin + _CUE_OFFSET and r.strip().isupper() for r in body):
        return [], 0  # nothing centred in capitals: not a screenplay, and no need to read on
    out: list[Line] = []
    cues = 0
    in_dialogue = False
    action: list[str] = []
    action_line = 0

    def flush_action() -> None:
        nonlocal action
        if action:
            out.append(Line("action", action_line, " ".join(action)))
            action = []

    for i, raw in enumerate(body):
        number = first + i
        text = raw.strip()
        if not text:
            flush_action()
            in_dialogue = False
            out.append(Line("blank", number))
            continue
        nxt = body[i + 1].strip() if i + 1 < len(body) else ""
        centred = _indent(raw) >= margin + _CUE_OFFSET
        name = cue_name(text) if centred and nxt and text.isupper() else None
        if name:
            flush_action()
            cues += 1
            in_dialogue = True
            out.append(Line("label", number, "", name, header=True, raw=text))
        elif _FURNITURE.match(text):
            flush_action()
            out.append(Line("blank", number))
        elif in_dialogue and _PARENTHETICAL.match(text):
            out.append(Line("cue", number, text[1:-1].strip()))
        elif in_dialogue:
            out.append(Line("text", number, text))
        else:
            if not action:
                action_line = number
            action.append(text)
    flush_action()
    return out, cues
