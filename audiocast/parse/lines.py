"""Classify each line of a text script on its own: blank, label, cue, text, heading...

The classifiers only look at one line; what a line means in context (does a name alone start a
play-style speech? is a ``### Name`` heading a speaker?) is settled by ``resolve_context``.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Literal, NamedTuple

from . import labels
from .cues import BREAK, match_cue
from .markdown import BOLD_LABEL, BULLET, HEADING, inline, is_italic_line

LineKind = Literal[
    "blank",
    "timestamp",
    "annotation",
    "text",
    "label",
    "cue",
    "rule",
    "heading",
    "bullet",
    "action",
]

# Inline HTML some transcripts carry (``O<sub>2</sub>``): markup, dropped from the words.
_HTML = re.compile(r"</?(?:sub|sup|b|i|em|strong|u|span|small|mark|br)\b[^<>\n]{0,100}>", re.I)
_BOLD_ONLY = re.compile(r"^(\*\*|__)([^*_\n]{1,40})\1$")
_RULE = re.compile(r"^(?:-{3,}|\*{3,}|_{3,}|(?:\*[ \t]*){3,}|(?:-[ \t]*){3,}|={3,})$")


class Line(NamedTuple):
    """One classified line.

    A named tuple rather than a frozen dataclass: a 5 MB script makes some 200,000 of them,
    and a frozen dataclass's ``__init__`` (one ``object.__setattr__`` per field) cost more
    than all the classifying.
    """

    kind: LineKind
    number: int
    """1-based line in the file."""
    text: str = ""
    """The words: a label's rest, a heading's or bullet's text, a cue's direction."""
    speaker: str | None = None
    role: str | None = None
    level: int = 0
    """Markdown heading level."""
    pause: float | None = None
    italic: bool = False
    """The whole line is in italics (Markdown): a closing note rather than speech."""
    header: bool = False
    """A label alone on its line whose speech follows below (Otter/Descript, play style)."""
    caps: bool = False
    """A name alone in capitals: a play-style label only if speech follows directly."""
    raw: str = ""
    """For a label alone on its line: the line as written, in case context makes it prose."""
    stamp: bool = False
    """An Otter/Descript header (``Name  0:03``)."""
    short: str | None = None
    """Initials the label declares for its speaker (``Adam Levine (AL):``)."""
    quoted: bool = False
    """The layout reads this label's words as one quotation (an article's Q&A)."""


def _label_line(
    number: int, lab: labels.Label, markdown: bool, raw: str = "", stamp: bool = False
) -> Line:
    rest = inline(lab.rest) if markdown else lab.rest
    return Line(
        "label",
        number,
        rest,
        lab.name,
        lab.role,
        header=not lab.rest,
        raw=raw,
        stamp=stamp,
        short=lab.short,
        quoted=lab.quoted,
    )


def classify(raw: str, number: int, markdown: bool = False) -> Line:
    """What one line is, on its own.

    Most lines are prose: the checks on the first character and on a colon skip the patterns
    that cannot match, so a line costs a few string tests before the one pattern that might.
    """
    s = raw.strip()
    if "<" in s:
        s = _HTML.sub("", s).strip()
    if not s:
        return Line("blank", number)
    lead = s[0]
    colon = ":" in s
    if colon and (lead in "\\[(" or lead.isdigit()) and labels.TIMESTAMP_LINE.match(s):
        return Line("timestamp", number)
    if colon and ("[" in s or "(" in s):
        s = labels.INLINE_TS.sub("", s).strip() or s
        lead = s[0]
    if lead == "_" and labels.ANNOTATION.match(s):
        return Line("annotation", number)
    if lead in "-*_=" and _RULE.match(s):
        return Line("rule", number)
    cue = match_cue(s)
    if cue:
        return Line("cue", number, cue.text, pause=cue.pause)
    if markdown:
        line = _classify_markdown(s, number)
        if line is not None:
            return line
    lab = labels.match_label(s)
    if lab:
        return _label_line(number, lab, markdown, raw=inline(s) if markdown else s)
    header = labels.match_header(s)
    if header:
        return _label_line(number, header, markdown, raw=s, stamp=True)
    if labels.is_caps_name(s):
        return Line("text", number, s, caps=True)
    handle = labels.match_handle(s)
    if handle:
        return Line("text", number, inline(s) if markdown else s, handle.name, raw=handle.rest)
    if markdown:
        return Line("text", number, inline(s), italic=is_italic_line(s))
    return Line("text", number, s)


def _classify_markdown(s: str, number: int) -> Line | None:
    """What only Markdown marks: bold labels, ``**Break**``, headings, bullets."""
    lead = s[0]
    if s.startswith(("**", "__")):
        m = BOLD_LABEL.match(s)
        if m and bool(m.group(3)) != bool(m.group(4)):
            rest = m.group(5).strip()
            parts = labels.split_head(m.group(2))
            if parts:
                bold = labels.Label(parts[0], labels.strip_rest(rest)[0], parts[1])
                return _label_line(number, bold, True)
            if labels.TIMESTAMP_LINE.match(rest):
                # ``**Break**: \[30:08\]``: a section marker in the recording, not a speaker.
                return Line("cue", number, inline(m.group(2).strip()))
        only = _BOLD_ONLY.match(s)
        if only and BREAK.match(only.group(2).strip(" []()")):
            return Line("cue", number, only.group(2).strip(" []()"))  # ``**Break**``
    header = labels.match_header(s)
    if header:
        prose = inline(s.lstrip("#").strip())
        return _label_line(number, header, True, raw=prose, stamp=True)
    if lead == "#":
        m = HEADING.match(s)
        if m:
            return Line("heading", number, inline(m.group(2)), level=len(m.group(1)))
    if lead in "*+-" or lead.isdigit():
        m = BULLET.match(s)
        if m:
            return Line("bullet", number, inline(m.group(1)))
    return None


def _header_is_prose(
    ln: Line, prev: Line | None, nxt: Line | None, seen_turn: bool, named: Counter[str | None]
) -> bool:
    if ln.kind != "label" or not ln.header or not ln.raw:
        return False
    if ln.stamp:
        return prev is not None and prev.kind == "text"
    return not seen_turn and named[ln.speaker] == 1 and (nxt is None or nxt.kind == "blank")


def resolve_context(lines: list[Line]) -> list[Line]:
    """Settle what needs the neighbouring lines.

    * A name alone in capitals is a play-style label when prose follows on the very next line
      and a blank line (or the start) precedes it; otherwise it is text.
    * An Otter header (``Name  0:03``) right below a line of prose is that prose wrapping
      (``... we meet at\nParis 3:30``), not a speaker.
    * Before the first turn, ``Background:`` alone on its line with a blank line below, a name
      used nowhere else, is a heading of the article, not a speaker.
    * A Markdown ``### Name`` heading is a speaker when it reads as a name and the same name
      heads two or more sections or labels a turn elsewhere.
    """
    named = Counter(ln.speaker for ln in lines if ln.kind == "label")
    handles = Counter(
        ln.speaker
        for i, ln in enumerate(lines)
        if ln.kind == "text" and ln.speaker and (i == 0 or lines[i - 1].kind == "blank")
    )
    labelled = sum(named.values())
    quoted = Counter(ln.speaker for ln in lines if ln.kind == "label" and ln.quoted)
    # A Q&A written in quotes throughout: there a quoted label used once is a speaker too.
    mostly_quoted = sum(quoted.values()) * 2 > labelled and max(quoted.values(), default=0) >= 2
    headings = Counter(ln.text for ln in lines if ln.kind == "heading" and ln.level >= 2)
    out: list[Line] = []
    seen_turn = False
    for i, ln in enumerate(lines):
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        if ln.kind == "label" and ln.quoted and quoted[ln.speaker] < 2 and not mostly_quoted:
            # ``Morgan Stanley: "..."`` once, inside prose: an attribution, not a speaker.
            ln = Line("text", ln.number, ln.raw)
        elif ln.kind == "text" and ln.speaker:
            # A handle that recurs in a document already written in labels is a speaker.
            starts = i == 0 or lines[i - 1].kind == "blank"
            recurs = starts and handles[ln.speaker] >= 2 and labelled >= 2 * handles[ln.speaker]
            if recurs:
                ln = Line("label", ln.number, ln.raw, ln.speaker)
            else:
                ln = ln._replace(speaker=None, raw="")
        elif ln.caps:
            prev_ok = i == 0 or lines[i - 1].kind in ("blank", "timestamp")
            if prev_ok and nxt is not None and nxt.kind == "text" and not nxt.caps:
                ln = Line("label", ln.number, "", ln.text, header=True)
            else:
                ln = ln._replace(caps=False)
        elif _header_is_prose(ln, lines[i - 1] if i else None, nxt, seen_turn, named):
            ln = Line("text", ln.number, ln.raw)
        elif (
            ln.kind == "heading"
            and ln.level >= 2
            and labels.is_name(ln.text)
            and (headings[ln.text] >= 2 or named[ln.text] >= 1)
        ):
            ln = Line("label", ln.number, "", ln.text, header=True)
        seen_turn = seen_turn or ln.kind == "label"
        out.append(ln)
    return out
