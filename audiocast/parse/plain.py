"""Plain-text transcripts (``Name: words``, Q/A, hearing, play, timestamped, Otter exports).

Markdown transcripts go through the same path with ``markdown=True``: bold labels, headings,
bullets and inline markup are recognised on top of everything plain text understands.
"""

from __future__ import annotations

from .aliases import LabelInfo, resolve_aliases
from .assemble import Assembled, Assembler, TurnPlan
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


def plan_turns(lines: list[Line], body: list[str], options: ParseOptions) -> TurnPlan:
    infos = [LabelInfo(ln.speaker, ln.role) for ln in lines if ln.kind == "label" and ln.speaker]
    return TurnPlan(aliases=resolve_aliases(infos, "\n".join(body), options.aliases))


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
    asm = Assembler(
        line_paragraphs=_one_line_per_paragraph(body),
        meta_title=meta_title,
        plan=plan_turns(lines, body, options),
    )
    for line in lines:
        asm.feed(line)
    return asm.finish()
