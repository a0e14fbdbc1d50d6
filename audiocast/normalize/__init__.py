"""The text to speak: the author's words rewritten so an offline engine reads them right.

The transcript and captions keep the author's text; only synthesis sees ``normalize()``'s
output. Order matters and is fixed: markup and unspeakable characters go first, then the
pronunciation lexicon (so a producer's entry always wins), then links, stage directions,
word shapes (Roman numerals, versions, ``10x``), abbreviations, numbers and punctuation.

Most rules are English: spoken links ("dot com"), word shapes, abbreviations ("Dr." ->
"Doctor"), dates, money, units and ordinals. For another ``language`` they are skipped (the
engine's voice of that language reads those marks its own way) and only whole numbers are
rewritten, by num2words in that language ("21" -> "einundzwanzig").

    >>> normalize("Dr. Ivanova won $5.2 billion in 1999.")
    'Doctor Ivanova won five point two billion dollars in nineteen ninety-nine.'
"""

from __future__ import annotations

import re

from ..language import is_english, num2words_language
from . import abbreviations, numbers, typography, wordforms
from .lexicon import Lexicon, lexicon_for, load_lexicon
from .pauses import DEFAULT_PAUSE, pause_for_cue
from .sentences import split_sentences

__all__ = [
    "DEFAULT_PAUSE",
    "Lexicon",
    "lexicon_for",
    "load_lexicon",
    "normalize",
    "pause_for_cue",
    "split_sentences",
    "spoken_form",
]

# Protected spans (lexicon entries, spoken links) hide behind private-use characters, which
# drop_unspeakable has already removed from the input, so they cannot collide with the text.
_OPEN, _CLOSE, _BASE = "\ue000", "\ue001", 0xE100
_PLACEHOLDER = re.compile("\ue000([\ue100-\uf8ff])\ue001")

_SPACES = re.compile(r"[ \t\r\n\f\v]+")
_SPACE_BEFORE = re.compile(r"\s+([,.;:!?])")
_COMMAS = re.compile(r"(?:,\s*){2,}")
_COMMA_BEFORE_STOP = re.compile(r",\s*([.;:!?])")
# "(He pauses.) Then" leaves ".," behind; "U.S., he said" keeps its comma pause.
_STOP_BEFORE_COMMA = re.compile(r"([;:!?]|(?<=[a-z]{2})\.)\s*,")
_EDGE_COMMAS = re.compile(r"^[\s,;:]+|[\s,;:]+$")


class _Protector:
    """Hands out placeholders for text the later rules must not touch."""

    def __init__(self) -> None:
        self.saved: list[str] = []

    def __call__(self, spoken: str) -> str:
        if len(self.saved) >= 0xF8FF - _BASE:
            return f" {spoken} "  # absurdly many in one text: stop protecting, keep the words
        self.saved.append(spoken)
        return f"{_OPEN}{chr(_BASE + len(self.saved) - 1)}{_CLOSE}"

    def restore(self, text: str) -> str:
        # A protected span may hold another (a lexicon word inside a link): undo layer by layer.
        for _ in range(len(self.saved)):
            if _OPEN not in text:
                break
            text = _PLACEHOLDER.sub(lambda m: self.saved[ord(m.group(1)) - _BASE], text)
        return text


def normalize(text: str, lexicon: Lexicon | None = None, language: str = "en") -> str:
    """The spoken form of one sentence or segment text, in ``language`` (a BCP 47 tag).

    Never raises on any string; returns ``""`` for text with nothing to say (``"(laughs)"``).
    Phoneme entries of the lexicon come through verbatim as ``[[...]]``.
    """
    english = is_english(language)
    text = typography.drop_unspeakable(text)
    text = typography.strip_markup(text, english=english)
    text = typography.apostrophes(text)
    protect = _Protector()
    if lexicon:
        text = lexicon.apply(text, protect)
    if english:
        addresses = typography.find_addresses(text)
        for start, end, spoken in reversed(addresses):
            text = text[:start] + protect(spoken) + text[end:]
    text = typography.stage_directions(text)
    if english:
        text = typography.slashes(text)
        text = wordforms.expand(text)
        text = abbreviations.expand(text)
        text = numbers.expand(text)
    else:
        text = numbers.whole_numbers(text, num2words_language(language))
    text = typography.punctuation(text, english=english)
    text = protect.restore(text)
    return _tidy(text)


def _tidy(text: str) -> str:
    text = _SPACES.sub(" ", text)
    text = _SPACE_BEFORE.sub(r"\1", text)
    text = _COMMAS.sub(", ", text)
    text = _COMMA_BEFORE_STOP.sub(r"\1", text)
    text = _STOP_BEFORE_COMMA.sub(r"\1", text)
    text = _EDGE_COMMAS.sub("", text)
    return text.strip()


def spoken_form(text: str, lexicon: Lexicon | None = None, language: str = "en") -> str:
    """A whole segment as it will be said: each sentence normalized, as the renderer does."""
    spoken = (normalize(sentence, lexicon, language).strip() for sentence in split_sentences(text))
    return " ".join(s for s in spoken if s)
