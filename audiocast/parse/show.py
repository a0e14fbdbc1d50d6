"""A Script as readable text: what ``audiocast parse`` prints without ``--json``."""

from __future__ import annotations

from collections.abc import Callable

from ..model import Script, Segment

_INDENT = " " * 13


def _who(seg: Segment) -> str:
    if seg.kind == "turn":
        return f"{seg.speaker}:"
    if seg.kind == "cue":
        return "[cue]" if seg.pause is None else f"[cue {seg.pause:g}s]"
    return "(narration)"


def script_to_text(script: Script, spoken: Callable[[Segment], str] | None = None) -> str:
    """One block per segment: ``   3  L12  Dr. Petrova: words``; paragraphs indented below.

    The first number is the segment's (what ``render --only`` takes), ``L`` its line. With
    ``spoken``, a segment's text is shown as it will be said instead.
    """
    head = []
    if script.title:
        where = f" (line {script.title_line})" if script.title_line else ""
        head.append(f"Title: {script.title}{where}")
    names = ", ".join(script.speaker_names) or "none"
    head.append(f"Format: {script.format}; speakers: {names}; turns: {len(script.turns)}")
    out = ["\n".join(head), ""]
    for number, seg in enumerate(script.segments, start=1):
        extras = []
        if seg.chapter:
            extras.append(f"chapter: {seg.chapter}")
        if seg.rate is not None:
            extras.append(f"rate {seg.rate:g}")
        note = f" {{{'; '.join(extras)}}}" if extras else ""
        text = spoken(seg) if spoken is not None else seg.text
        text = text.replace("\n\n", "\n" + _INDENT)
        out.append(f"{number:>4}  L{seg.line:<5} {_who(seg)}{note} {text}".rstrip())
    return "\n".join(out)
