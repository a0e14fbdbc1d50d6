"""Lint a parsed script before any synthesis: what ``audiocast check`` reports in CI.

Each finding has a stable ``code``:

* ``no-turns``: the script holds no speaker turn at all (nothing was recognised as a label).
* ``empty-turn``: a label with no words after it.
* ``similar-label``: a label used once that is close to another one (``Dr Petrova`` beside
  ``Dr. Petrova``): most likely a typo that would get its own voice.
* ``unknown-cast``: a ``cast:`` entry that names no speaker of the script.
* ``ambiguous-layout``: two layouts of speaker labels explain the document almost equally well.
* ``narration-only``: lines shaped like speaker names, yet no turn: all of it would be narrated.
* ``lost-words``: words of the script that would not reach the engine (a render refuses).
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .model import NARRATION, Finding, Script
from .normalize import lexicon_for
from .normalize.coverage import lost_word_findings
from .parse import load_script
from .parse.explain import layout_findings

if TYPE_CHECKING:  # the estimate needs the engine: plain checks stay light
    from .estimate import Estimate

SIMILARITY = 0.85
_PUNCT = re.compile(r"[^\w\s]")


@dataclass(frozen=True)
class SpeakerStats:
    speaker: str
    """A speaker's canonical name, or ``(narration)`` for the narrator's prose."""
    turns: int
    words: int
    seconds: float
    """Estimated seconds of speech, from the engine's measured rate (``audiocast.estimate``)."""


def _normal(name: str) -> str:
    return " ".join(_PUNCT.sub(" ", name).casefold().split())


def _ratio(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a, b).ratio()


def similar_names(a: str, b: str) -> bool:
    """``Dr Petrova``/``Dr. Petrova``, ``Jonathan``/``Jonathon``: one name written two ways.

    Names that differ by a number or by a whole different word (``Speaker 1``/``Speaker 2``,
    ``First Citizen``/``Second Citizen``) are different people.
    """
    a, b = _normal(a), _normal(b)
    if a == b or a.replace(" ", "") == b.replace(" ", ""):
        return True
    ta, tb = a.split(), b.split()
    if len(ta) != len(tb):
        return False
    diffs = [(x, y) for x, y in zip(ta, tb, strict=True) if x != y]
    return bool(diffs) and all(
        not (x.isdigit() or y.isdigit()) and _ratio(x, y) >= SIMILARITY for x, y in diffs
    )


def _where(script: Script) -> str:
    return str(script.source) if script.source is not None else "<text>"


def _similar_labels(script: Script, path: str) -> list[Finding]:
    turns = Counter(t.speaker for t in script.turns)
    findings = []
    for sp in script.speakers:
        if turns[sp.name] != 1:
            continue
        for other in script.speakers:
            if other.name == sp.name:
                continue
            earlier = turns[other.name] > 1 or other.line < sp.line
            if earlier and similar_names(sp.name, other.name):
                findings.append(
                    Finding(
                        path,
                        sp.line,
                        f"label '{sp.name}' is used once and looks like '{other.name}' "
                        f"(write it the same way, or it gets a voice of its own)",
                        "warning",
                        "similar-label",
                    )
                )
                break
    return findings


def _unknown_cast(script: Script, path: str) -> list[Finding]:
    known = {NARRATION, "narrator", "narration"}
    for sp in script.speakers:
        known.add(sp.name.casefold())
        known.update(a.casefold() for a in sp.aliases)
    line = script.metadata.lines.get("cast", 1)
    names = ", ".join(script.speaker_names) or "none"
    return [
        Finding(
            path,
            line,
            f"cast entry '{name}' matches no speaker (speakers: {names})",
            "error",
            "unknown-cast",
        )
        for name in script.metadata.cast
        if name.casefold() not in known
    ]


def check_script(script: Script, lexicon: Path | None = None) -> list[Finding]:
    """Every finding for ``script`` (spoken with its own lexicon and ``lexicon``), in line
    order."""
    path = _where(script)
    findings: list[Finding] = []
    if not script.turns:
        first = min((s.line for s in script.segments), default=1)
        findings.append(
            Finding(
                path,
                first,
                "no speaker turns found (start each turn with a label such as 'Maya: Hello.')",
                "error",
                "no-turns",
            )
        )
    for turn in script.turns:
        if not turn.text.strip():
            findings.append(
                Finding(
                    path,
                    turn.line,
                    f"'{turn.speaker}' has a turn with no words (remove the label or add words)",
                    "error",
                    "empty-turn",
                )
            )
    findings += _similar_labels(script, path)
    findings += _unknown_cast(script, path)
    findings += layout_findings(script, path)
    findings += lost_word_findings(script, path, lexicon_for(script, lexicon))
    return sorted(findings, key=lambda f: f.line)


def check_file(path: str | Path) -> list[Finding]:
    """Load and check one file. InputError (unreadable, binary, invalid YAML) propagates."""
    return check_script(load_script(path))


def speaker_stats(script: Script, estimate: Estimate | None = None) -> list[SpeakerStats]:
    """Turns, words and estimated seconds per speaker (first appearance order), then the
    narration as ``(narration)`` when the script has any. The seconds are ``estimate``'s
    (``audiocast.estimate``: the engine's measured rate); 0 without one."""
    turns: Counter[str] = Counter()
    words: Counter[str] = Counter()
    for who, count in script.spoken():
        turns[who] += 1
        words[who] += count
    order = [*script.speaker_names, NARRATION]
    spoken = estimate.speakers if estimate is not None else {}
    return [
        SpeakerStats(name, turns[name], words[name], spoken.get(name, 0.0))
        for name in order
        if turns[name]
    ]


def _escape(value: str, prop: bool = False) -> str:
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return value.replace(":", "%3A").replace(",", "%2C") if prop else value


def github_annotation(path: str, line: int | None, message: str, severity: str = "error") -> str:
    """A GitHub Actions workflow command: ``::error file=F,line=L::message``."""
    where = f"file={_escape(path, True)}" + (f",line={line}" if line else "")
    return f"::{severity} {where}::{_escape(message)}"


def format_duration(seconds: float) -> str:
    total = round(seconds)
    return f"{total // 60}:{total % 60:02d}"


def stats_lines(stats: list[SpeakerStats], estimate: Estimate | None = None) -> list[str]:
    """``  Editor: 7 turns, 312 words, ~1:47`` per speaker, then the estimate's parts and the
    total."""
    out = []
    for s in stats:
        unit = "paragraph" if s.speaker == NARRATION else "turn"
        count = f"{s.turns} {unit}{'s' if s.turns != 1 else ''}"
        out.append(f"  {s.speaker}: {count}, {s.words} words, ~{format_duration(s.seconds)}")
    words = sum(s.words for s in stats)
    if estimate is None:
        out.append(f"  total: {words} words, no length estimate")
        return out
    out.append(
        f"  speech ~{format_duration(estimate.speech)}, pauses ~{format_duration(estimate.pauses)}"
        f", intro/outro ~{format_duration(estimate.bumpers)}"
    )
    how = f"{estimate.engine} rate measured per voice"
    if estimate.cached:
        how += f", {estimate.cached} of {estimate.clips} clips already synthesized"
    out.append(f"  total: {words} words, ~{format_duration(estimate.total)} ({how})")
    return out


def report_to_dict(
    path: str,
    findings: list[Finding],
    stats: list[SpeakerStats] | None = None,
    estimate: Estimate | None = None,
) -> dict[str, object]:
    """One checked file as JSON-safe data (``audiocast check --format json``)."""
    out: dict[str, object] = {
        "path": path,
        "findings": [
            {"line": f.line, "code": f.code, "severity": f.severity, "message": f.message}
            for f in findings
        ],
    }
    if stats is not None:
        out["stats"] = [
            {"speaker": s.speaker, "turns": s.turns, "words": s.words, "seconds": s.seconds}
            for s in stats
        ]
    if estimate is not None:
        out["estimate"] = {
            "seconds": estimate.total,
            "speech": estimate.speech,
            "pauses": estimate.pauses,
            "intro_outro": estimate.bumpers,
            "engine": estimate.engine,
            "clips": estimate.clips,
            "cached_clips": estimate.cached,
        }
    return out
