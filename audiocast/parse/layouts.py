"""The one place that decides, for a whole document, which lines are speakers' labels.

Recognisers (``labels.match_label`` and friends, ``namelines.match_name_line``) look at one
line and propose; here every layout is scored by how much of the document its labels explain:
label lines whose name recurs, and changes of speaker between them (a heading has a label's
shape, but headings neither recur nor alternate). The best layout wins; the runner-up and both
scores are kept for ``parse --explain`` and ``check``'s ``ambiguous-layout``. Every step is one
pass over the lines.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace

from ..errors import InputError
from .court import court_lines, numbered_share
from .labels import STOPWORDS
from .lines import Line
from .namelines import match_name_line
from .options import ParseOptions
from .screenplay import screenplay_lines

LAYOUTS = ("labels", "name-lines", "screenplay", "court")
"""What ``--layout`` accepts: ``labels`` is ``Name: words`` (bold, Q/A, hearing, play and
Otter headers included), ``name-lines`` a name alone on its line with the speech below,
``screenplay`` character cues centred above their dialogue, ``court`` numbered transcript
lines with ``Q``/``A`` and colloquy."""

# Labels that stand for whoever in the room asked: in a talk, the other voice is the presenter.
AUDIENCE = frozenset(("audience", "audience member", "attendee", "participant", "floor"))
_ONCE_PENALTY = 3
_VOCATIVE = re.compile(r",\s+([A-Z][a-z]{2,15}),\s+[a-z]")


@dataclass(frozen=True)
class Proposal:
    layout: str
    lines: list[Line]
    score: float
    evidence: str


def _score(layout: str, labelled: Iterable[Line]) -> tuple[float, str]:
    labelled = list(labelled)
    # ``Adam Levine (AL):`` then ``AL:``: one name, used twice.
    declared = {ln.speaker: ln.short for ln in labelled if ln.short}
    order = [declared.get(ln.speaker, ln.speaker) for ln in labelled]
    counts = Counter(order)
    recurring = sum(n for n in counts.values() if n >= 2)
    once = sum(1 for n in counts.values() if n == 1)
    changes = sum(1 for a, b in itertools.pairwise(order) if a != b)
    names = ", ".join(name for name, n in counts.most_common(4) if name) or "none"
    evidence = (
        f"{len(order)} label lines, {len(counts)} names ({names}), "
        f"{recurring} lines with a recurring name, {changes} changes of speaker, "
        f"{once} names used once"
    )
    # Beside recurring names, a name used once is as likely a misread heading or attribution
    # as a speaker: it counts against the layout that proposes it.
    penalty = _ONCE_PENALTY * once if recurring else 0
    return float(max(0, recurring + changes - penalty)), evidence


def _propose_labels(lines: list[Line]) -> Proposal:
    score, evidence = _score("labels", (ln for ln in lines if ln.kind == "label"))
    return Proposal("labels", lines, score, evidence)


def _next_content(lines: list[Line], i: int) -> Line | None:
    for ln in lines[i + 1 : i + 4]:
        if ln.kind != "blank":
            return ln
    return None


def _propose_name_lines(lines: list[Line], body: list[str], first: int) -> Proposal:
    found: dict[int, tuple[str, bool]] = {}
    for i, ln in enumerate(lines):
        if ln.kind not in ("text", "label") or (ln.kind == "label" and not ln.header):
            continue
        if ln.kind == "label" and not ln.stamp:
            continue  # ``Name:`` alone is already a label of the ``labels`` layout
        nl = match_name_line(body[ln.number - first])
        nxt = _next_content(lines, i)
        if nl is None or nxt is None or nxt.kind not in ("text", "bullet"):
            continue
        opens = i == 0 or lines[i - 1].kind == "blank"
        if nl.timestamp or nl.bold or opens:
            found[i] = (nl.name, bool(nl.timestamp) or nl.colon)
    counts = Counter(name for name, _ in found.values())
    stamped = {name for name, ts in found.values() if ts}
    keep = {name for name, n in counts.items() if n >= 2 or name in stamped}
    if len(keep) < 2 and not stamped:
        keep = set()
    if len(keep) >= 2:
        # Once names recur and alternate, a name used once in the very same shape (speech on
        # the next line) is a speaker too; a heading has a blank line or a ``#`` below it.
        keep |= {
            name
            for i, (name, _) in found.items()
            if i + 1 < len(lines) and lines[i + 1].kind == "text"
        }
    out = list(lines)
    for i, (name, _) in found.items():
        if name in keep:
            out[i] = Line("label", lines[i].number, "", name, header=True, raw=body_text(lines[i]))
    for i, ln in enumerate(out):
        if ln.kind == "label" and i not in found and ln.speaker not in keep:
            out[i] = Line("text", ln.number, ln.raw or ln.text)
    chosen = [out[i] for i in sorted(found) if found[i][0] in keep]
    score, evidence = _score("name-lines", chosen)
    return Proposal("name-lines", out, score, evidence)


def _propose_screenplay(body: list[str], first: int) -> Proposal:
    lines, cues = screenplay_lines(body, first)
    if not cues:
        return Proposal("screenplay", lines, 0.0, "no centred character cues")
    score, evidence = _score("screenplay", (ln for ln in lines if ln.kind == "label"))
    return Proposal("screenplay", lines, score, evidence)


def _propose_court(body: list[str], first: int) -> Proposal:
    if numbered_share(body) < 0.5:
        return Proposal("court", [], 0.0, "lines are not numbered")
    lines, qa = court_lines(body, first)
    score, evidence = _score("court", (ln for ln in lines if ln.kind == "label"))
    # Numbered lines with Q and A: the shape itself is evidence, however short the excerpt.
    return Proposal("court", lines, score + qa, f"{evidence}, {qa} Q/A lines")


def body_text(line: Line) -> str:
    return line.raw or line.text


def name_like_lines(lines: list[Line], body: list[str], first: int) -> int:
    """Lines that could name a speaker, whatever the layout (for ``narration-only``)."""
    return sum(
        1
        for ln in lines
        if ln.kind == "label" or (ln.kind == "text" and match_name_line(body[ln.number - first]))
    )


def presenter_of(lines: list[Line], body: list[str]) -> str | None:
    """A talk (``Audience`` labels and at most one other name): who gives it.

    The other label's name; else the one name the text calls out (``..., Lisa, what?``); else
    ``Presenter``.
    """
    names = {ln.speaker for ln in lines if ln.kind == "label" and ln.speaker}
    audience = {n for n in names if n.casefold() in AUDIENCE}
    others = names - audience
    if not audience or len(others) > 1:
        return None
    if others:
        return next(iter(others))
    called = {
        m.group(1)
        for ln in lines
        if ln.kind == "text"
        for m in _VOCATIVE.finditer(ln.text)
        if m.group(1).casefold() not in STOPWORDS
    }
    return next(iter(called)) if len(called) == 1 else "Presenter"


def choose_layout(
    lines: list[Line], body: list[str], first: int, options: ParseOptions
) -> tuple[Proposal, Proposal | None]:
    """The best proposal and the runner-up; ``options.layout`` forces one."""
    proposals = [
        _propose_labels(lines),
        _propose_name_lines(lines, body, first),
        _propose_screenplay(body, first),
        _propose_court(body, first),
    ]
    if options.speakers:
        proposals = [_declared(p, options.speakers, body, first) for p in proposals]
    if options.layout:
        if options.layout not in LAYOUTS:
            raise InputError(
                f"unknown layout {options.layout!r}",
                hint=f"use one of: {', '.join(LAYOUTS)}",
            )
        forced = next(p for p in proposals if p.layout == options.layout)
        rest = [p for p in proposals if p is not forced]
        return forced, max(rest, key=lambda p: p.score, default=None)
    # Stable sort: on a tie the earlier (``labels``, the plainest reading) wins.
    ranked = sorted(proposals, key=lambda p: -p.score)
    return ranked[0], ranked[1] if len(ranked) > 1 else None


def _declared(
    proposal: Proposal, speakers: tuple[str, ...], body: list[str], first: int
) -> Proposal:
    """``speakers:`` in the front matter: a name alone on its line is that speaker's label,
    whatever the evidence."""
    wanted = {s.casefold(): s for s in speakers}
    out = list(proposal.lines)
    for i, ln in enumerate(out):
        if ln.kind != "text":
            continue
        nl = match_name_line(body[ln.number - first])
        if nl and nl.name.casefold() in wanted:
            out[i] = ln._replace(kind="label", speaker=nl.name, text="", header=True, raw=ln.text)
    return replace(proposal, lines=out)
