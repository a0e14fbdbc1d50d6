"""A Script as readable text: what ``audiocast parse`` prints without ``--json``."""

from __future__ import annotations

from ..model import Script, Segment

_INDENT = " " * 8


def _who(seg: Segment) -> str:
    if seg.kind == "turn":
        return f"{seg.speaker}:"
    if seg.kind == "cue":
        return "[cue]" if seg.pause is None else f"[cue {seg.pause:g}s]"
    return "(narration)"


def script_to_text(script: Script) -> str:
    """One block per segment: ``  12  Dr. Petrova: words``; paragraphs indented below."""
    head = []
    if script.title:
        where = f" (line {script.title_line})" if script.title_line else ""
        head.append(f"Title: {script.title}{where}")
    names = ", ".join(script.speaker_names) or "none"
    head.append(f"Format: {script.format}; speakers: {names}; turns: {len(script.turns)}")
    out = ["\n".join(head), ""]
    for seg in script.segments:
        extras = []
        if seg.chapter:
            extras.append(f"chapter: {seg.chapter}")
        if seg.rate is not None:
            extras.append(f"rate {seg.rate:g}")
        note = f" {{{'; '.join(extras)}}}" if extras else ""
        text = seg.text.replace("\n\n", "\n" + _INDENT)
        out.append(f"{seg.line:>6}  {_who(seg)}{note} {text}".rstrip())
    return "\n".join(out)
