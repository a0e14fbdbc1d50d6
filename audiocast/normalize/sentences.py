"""Sentence splitting that knows abbreviations, initials, decimals and ellipses.

Each sentence becomes a caption cue and a synthesis chunk, so the split never drops or changes
a character: joining the pieces gives back the input, less the whitespace between them.
"""

from __future__ import annotations

import re

from .abbreviations import BEFORE_NUMBER, MONTHS, OTHERS, TITLES

MAX_SENTENCE = 300
"""Sentences longer than this are cut further at clause boundaries..."""
MAX_CHUNK = 400
"""...so that no piece is longer than this (a word longer than this is cut anyway)."""


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words that commonly open a sentence: after "U.S." or "Inc." they show a real full stop.
STARTERS = _words(
    "the this that these those it its he she we they i you but and so yet or in on at a an "
    "however meanwhile then there here what when where why how who after before as if our "
    "his her their my your today yesterday tomorrow now still also some many most all one "
    "no not yes well"
)
_MAY_END = frozenset(OTHERS) | {"etc", "no", "st", "dr"}
_NEVER_END = (frozenset(TITLES) | frozenset(MONTHS) | frozenset(BEFORE_NUMBER)) - _MAY_END

_BOUNDARY = re.compile(r"(?:\.{2,}|…|[.!?]+)[\"'”’)\]»]*(?=\s)|\n[ \t]*\n")
_WORD_BEFORE = re.compile(r"([\w.'’-]*)$")
_NEXT = re.compile(r"\s+[\"'“‘(\[«]*(\S*)")
_CLAUSE = re.compile(r"[;:—–]\s|\s[-–—]\s")
_COMMA = re.compile(r",\s")
_NUMBER = re.compile(r"\d[\d.,]*")


def split_sentences(text: str) -> list[str]:
    """The sentences of ``text``, stripped; long ones cut at clause boundaries (see module doc)."""
    pieces: list[str] = []
    start = 0
    for m in _BOUNDARY.finditer(text):
        if m.end() <= start or not _is_end(text, m):
            continue
        pieces.append(text[start : m.end()])
        start = m.end()
    pieces.append(text[start:])
    out: list[str] = []
    for piece in pieces:
        piece = piece.strip()
        if piece:
            out.extend(_cut_long(piece))
    return out


def _is_end(text: str, m: re.Match[str]) -> bool:
    mark = m.group(0)
    if mark.startswith("\n"):
        return True
    nxt = _NEXT.match(text, m.end())
    following = nxt.group(1) if nxt else ""
    if not following:
        return True
    first = following[0]
    if first.islower():
        return False  # "e.g. this", "Dr. Petrova said ... and then", "3 p.m. on"
    if "!" in mark or "?" in mark or mark[0] in "…" or mark.startswith(".."):
        return True
    if mark.rstrip("\"'”’)]»") != ".":
        return True
    # A bounded look back: searching for "$" from the start of the text would be quadratic.
    word = _WORD_BEFORE.search(text[max(0, m.start() - 60) : m.start()]).group(1)  # type: ignore[union-attr]
    bare = word.rstrip(".").lower()
    if not word or not bare:
        return True
    if mark != "." and mark[1:]:
        return True  # a quote or bracket closed after the period
    if bare[0].isdigit() and _NUMBER.fullmatch(bare):
        return True  # "rose by 12.3. Back then": a number, not an abbreviation, ends here
    if bare in _NEVER_END and "." not in bare:
        return False
    if len(bare) == 1 and bare.isalpha() and word[0].isupper():
        return False  # an initial: "J. R. R. Tolkien"
    if "." in bare or bare in _MAY_END or bare in {"a.m", "p.m"}:
        # "U.S. President", "Acme Inc. CEO": a full stop only before a word that opens sentences.
        return following.strip("\"'“‘(").lower().rstrip(",") in STARTERS
    return True


def _cut_long(sentence: str) -> list[str]:
    if len(sentence) <= MAX_SENTENCE:
        return [sentence]
    out: list[str] = []
    rest = sentence
    while len(rest) > MAX_SENTENCE:
        cut = _best_cut(rest)
        head, rest = rest[:cut].rstrip(), rest[cut:].lstrip()
        if head:
            out.append(head)
    if rest:
        out.append(rest)
    return out


def _best_cut(text: str) -> int:
    """Where to cut a long sentence: the last clause mark, else comma, else space, before MAX."""
    window = text[:MAX_CHUNK]
    low = min(80, len(window) // 3)
    for pattern in (_CLAUSE, _COMMA):
        cuts = [m.end() - 1 for m in pattern.finditer(window) if m.end() - 1 >= low]
        if cuts:
            return cuts[-1]
    space = window.rfind(" ", low)
    return space if space > 0 else len(window)
