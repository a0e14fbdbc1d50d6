"""Did every word the author wrote reach the engine? A check of spoken text against the script.

Normalizing rewrites on purpose (numbers, abbreviations, lexicon entries, stage directions,
markup), so the check is over what those rules leave alone: the author's ordinary words of
three letters or more. One of those missing from the spoken form means a rule ate text
(as ``<`` ... ``>`` once did), which the captions, made from the author's text, never show.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from . import abbreviations
from .typography import INLINE_CUE, strip_markup

if TYPE_CHECKING:
    from ..model import Script
    from ..plan import Plan
    from .lexicon import Lexicon

_WORD = re.compile(r"[^\W\d_]{3,}")
_LINK_TARGET = re.compile(r"\]\([^()\s]*\)")
_SCHEMES = frozenset({"http", "https", "www", "mailto"})
_REWRITTEN = frozenset(w.lower() for w in abbreviations.WORDS)


def _words(text: str) -> list[str]:
    return [w.casefold() for w in _WORD.findall(text)]


def lost_words(author: str, spoken: str, rewritten: Iterable[str] = ()) -> list[str]:
    """The author's words that are not in ``spoken``, in order; ``rewritten`` names words
    a rule may replace (the lexicon's keys)."""
    exempt = _REWRITTEN | _SCHEMES | {w.casefold() for k in rewritten for w in _WORD.findall(k)}
    text = _LINK_TARGET.sub("]", strip_markup(INLINE_CUE.sub(" ", author)))
    said = set(_words(spoken))
    lost = []
    for word in _WORD.findall(text):
        folded = word.casefold()
        # An acronym (all capitals) may be spelled out letter by letter.
        if folded in said or folded in exempt or (word.isupper() and len(word) <= 6):
            continue
        lost.append(word)
    return lost


def lost_word_warnings(script: Script, plan: Plan, lexicon: Lexicon | None) -> list[str]:
    """One warning per segment whose synthesized text misses words the author wrote."""
    keys = tuple(lexicon.entries) if lexicon else ()
    missing: dict[int, list[str]] = {}
    for utterance in plan.utterances:
        if utterance.segment is None:
            continue
        lost = lost_words(utterance.text, utterance.request.text, keys)
        if lost:
            missing.setdefault(utterance.segment, []).extend(lost)
    out = []
    for index, words in missing.items():
        segment = script.segments[index]
        where = f"line {segment.line}" if segment.line else f"segment {index + 1}"
        shown = ", ".join(repr(w) for w in words[:6]) + (" ..." if len(words) > 6 else "")
        out.append(f"{where}: words not spoken (please report it): {shown}")
    return out
