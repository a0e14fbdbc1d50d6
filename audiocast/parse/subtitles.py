"""WebVTT and SRT captions: cues with ``<v Name>`` voice spans or ``NAME:`` prefixes.

Consecutive cues of one speaker join into one turn with a single space (sentences run across
cue boundaries). Cue timings, identifiers, tags and ``NOTE``/``STYLE`` blocks are markup.
"""

from __future__ import annotations

import html
import re

from . import labels
from .assemble import Assembled, Assembler
from .cues import match_cue
from .lines import Line

_TIMING = re.compile(r"^\s*[\d:.,]{4,20}\s*-->\s*[\d:.,]{4,20}")
_VOICE = re.compile(r"<v(?:\.[\w.\-]{0,60})?\s+([^>\n]{1,80})>")
_TAG = re.compile(r"</?[a-zA-Z][^>\n]{0,200}>|<\d[\d:.]{0,20}>|\{\\[^}\n]{0,100}\}")


def _clean(text: str) -> str:
    return html.unescape(_TAG.sub("", text)).strip()


def _voice_lines(text: str, number: int) -> list[Line]:
    """A cue with ``<v Name>`` spans (it may hold several) -> label lines."""
    out: list[Line] = []
    spans = list(_VOICE.finditer(text))
    lead = _clean(text[: spans[0].start()])
    if lead:
        out.append(Line("text", number, lead))
    for i, m in enumerate(spans):
        end = spans[i + 1].start() if i + 1 < len(spans) else len(text)
        out.append(Line("label", number, _clean(text[m.end() : end]), _clean(m.group(1))))
    return out


def _prefix_line(text: str, number: int) -> Line | None:
    """One line of a cue without voice spans: a ``NAME:`` turn, a stage direction or words."""
    words = _clean(text)
    if not words:
        return None
    cue = match_cue(words)
    if cue:
        return Line("cue", number, cue.text, pause=cue.pause)
    lab = labels.match_label(words)
    if lab and lab.rest:
        return Line("label", number, lab.rest, lab.name, lab.role)
    return Line("text", number, words)


def _cue_lines(text_lines: list[str], number: int) -> list[Line]:
    """One cue's text lines (the first on file line ``number``) -> label/text/cue lines.

    Voice spans may run across the cue's lines; a ``NAME:`` prefix starts a turn on any line
    of the cue (``JOHN: Hi.`` / ``MARY: Hello.`` in one cue are two speakers).
    """
    joined = " ".join(ln.strip() for ln in text_lines)
    if _VOICE.search(joined):
        return _voice_lines(joined, number)
    found = (_prefix_line(ln, number + k) for k, ln in enumerate(text_lines))
    return [ln for ln in found if ln is not None]


def parse_subtitles(body: list[str], first_line: int = 1) -> Assembled:
    """Parse WebVTT or SRT lines (the header, if any, included)."""
    asm = Assembler(para_sep=" ", line_sep=" ", detect_title=False)
    i, n = 0, len(body)
    while i < n:
        # A block runs to the next blank line.
        while i < n and not body[i].strip():
            i += 1
        start = i
        while i < n and body[i].strip():
            i += 1
        block = body[start:i]
        if not block:
            continue
        head = block[0].strip()
        if head.startswith(("WEBVTT", "NOTE", "STYLE", "REGION")):
            continue
        timing = next((k for k, ln in enumerate(block) if _TIMING.match(ln)), None)
        if timing is None:
            continue
        text_lines = block[timing + 1 :]
        if not text_lines:
            continue
        number = first_line + start + timing + 1
        for line in _cue_lines(text_lines, number):
            asm.feed(line)
            asm.feed(Line("blank", number))
    return asm.finish()
