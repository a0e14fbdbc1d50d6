"""Plain-text transcripts (``Name: words``, Q/A, hearing, play, timestamped, Otter exports).

Markdown transcripts go through the same path with ``markdown=True``: bold labels, headings,
bullets and inline markup are recognised on top of everything plain text understands.
"""

from __future__ import annotations

import dataclasses

from ..model import LayoutChoice
from .aliases import LabelInfo, resolve_aliases
from .assemble import Assembled, Assembler, TurnPlan
from .layouts import choose_layout, name_like_lines, presenter_of
from .lines import Line, classify, resolve_context
from .options import ParseOptions

_LONG = 100


def _one_line_per_paragraph(body: list[str]) -> bool:
    """A file with no blank line at all whose lines are mostly long writes one paragraph per
    line (no hard wrapping); anything else is hard-wrapped and lines of a paragraph join."""
    content = [ln for ln in body if ln.strip()]
    if not content or len(content) < len(body) - _trailing_blank(body):
        return False
    long = sum(1 for ln in content if len(ln) > _LONG)
    return long * 10 >= len(content) * 3


def _trailing_blank(body: list[str]) -> int:
    n = 0
    for ln in reversed(body):
        if ln.strip():
            break
        n += 1
    lead = 0
    for ln in body:
        if ln.strip():
            break
        lead += 1
    return n + lead


def classify_lines(body: list[str], first_line: int, markdown: bool) -> list[Line]:
    return resolve_context([classify(raw, first_line + i, markdown) for i, raw in enumerate(body)])


def parse_plain(
    body: list[str],
    first_line: int = 1,
    *,
    markdown: bool = False,
    meta_title: str | None = None,
    options: ParseOptions | None = None,
) -> Assembled:
    """Parse the body lines of a text script; ``first_line`` is the file line of ``body[0]``."""
    options = options or ParseOptions()
    lines = classify_lines(body, first_line, markdown)
    best, runner_up = choose_layout(lines, body, first_line, options)
    lines = best.lines
    if options.omit_directions:
        # Left out, not merely unspoken: a blank line in their place keeps paragraphs apart.
        lines = [Line("blank", ln.number) if ln.kind == "action" else ln for ln in lines]
    infos = [LabelInfo(ln.speaker, ln.role) for ln in lines if ln.kind == "label" and ln.speaker]
    plan = TurnPlan(
        aliases=resolve_aliases(infos, "\n".join(body), options.aliases),
        presenter=presenter_of(lines, body),
    )
    asm = Assembler(line_paragraphs=_one_line_per_paragraph(body), meta_title=meta_title, plan=plan)
    for line in lines:
        asm.feed(line)
    done = asm.finish()
    merged = tuple((alias, sp.name) for sp in done.speakers for alias in sp.aliases)
    choice = LayoutChoice(
        best.layout,
        best.score,
        best.evidence,
        runner_up.layout if runner_up else None,
        runner_up.score if runner_up else 0.0,
        merged,
        forced=options.layout is not None,
        name_like_lines=0 if done.speakers else name_like_lines(lines, body, first_line),
    )
    return dataclasses.replace(done, layout=choice)
