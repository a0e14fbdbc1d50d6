"""Will every word the author wrote be heard? What the engine is sent, checked against the script.

Normalizing rewrites on purpose (numbers, abbreviations, lexicon entries, stage directions),
so the check is over what those rules leave alone: the author's ordinary words of three letters
or more. The two sides are read independently of the rules under test. The author's side drops
only our documented syntax that is never spoken (stage directions, SSML breaks, link targets,
HTML tags, entities, ``[sic]``), not whatever ``normalize`` strips; the engine's side is the
text as the synthesizer gets it (cut into pieces), read as eSpeak NG reads it: a NUL or other
control character ends what is heard of a piece, ``< >`` is markup, ``[[...]]`` phonemes. A
word missing there means a rule ate text (as ``<`` ... ``>`` once did), which the captions,
made from the author's text, never show: the render refuses before synthesis.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..pacing import SSML_BREAK
from . import abbreviations
from .lexicon import PHONEMES
from .typography import HTML_TAG, INLINE_CUE, SIC

if TYPE_CHECKING:
    from ..model import Finding, Script
    from ..plan import Plan
    from .lexicon import Lexicon

_WORD = re.compile(r"[^\W\d_]{3,}")
_LETTERS = re.compile(r"[^\W\d_]+")
_LINK_TARGET = re.compile(r"\]\([^()\s]*\)")
_ENTITY = re.compile(r"&#?\w{1,10};")
_FORMAT_CHAR = re.compile(r"[\u00ad\u200b-\u200d\u2060\ufeff]")
"""Soft hyphens and zero-width characters: invisible inside a word, so no word break."""
_ENGINE_MARKUP = re.compile(r"<[^>]*(?:>|$)")
"""What eSpeak NG may read as a tag: from ``<`` to the next ``>`` (or the end)."""
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f].*", re.S)
"""A control character and all after it: a C string ends at NUL, the rest is not promised."""
_SCHEMES = frozenset({"http", "https", "www", "mailto"})
_REWRITTEN = frozenset(w.lower() for w in abbreviations.WORDS)

ALLOW_HINT = "please report it; --allow-lost-words renders anyway"


def author_text(text: str) -> str:
    """The author's text less the documented syntax that is never spoken."""
    text = _FORMAT_CHAR.sub("", text)
    text = SSML_BREAK.sub(" ", text)
    text = INLINE_CUE.sub(" ", SIC.sub(" ", text))
    text = _LINK_TARGET.sub("]", text)
    return _ENTITY.sub(" ", HTML_TAG.sub(" ", text))


def heard_text(spoken: str) -> str:
    """What eSpeak NG says of ``spoken``: each piece the synthesizer sends, less markup."""
    # Imported here: the synth package imports the normalizer.
    from ..synth.chunking import split_text

    pieces = (_CONTROL.sub("", piece) for piece in split_text(spoken))
    return " ".join(PHONEMES.sub(" ", _ENGINE_MARKUP.sub(" ", piece)) for piece in pieces)


def _said(heard: str) -> set[str]:
    """The words heard, and each run of two or three joined: a rule may split a word it
    spells out in parts (``VMware`` as ``VM ware``)."""
    tokens = [w.casefold() for w in _LETTERS.findall(heard)]
    return {"".join(tokens[i : i + n]) for n in (1, 2, 3) for i in range(len(tokens) - n + 1)}


def lost_words(author: str, spoken: str, rewritten: Iterable[str] = ()) -> list[str]:
    """The author's words that the engine will not say of ``spoken``, in order; ``rewritten``
    names words a rule may replace (the lexicon's keys)."""
    exempt = _REWRITTEN | _SCHEMES | {w.casefold() for k in rewritten for w in _WORD.findall(k)}
    said = _said(heard_text(spoken))
    lost = []
    for word in _WORD.findall(author_text(author)):
        folded = word.casefold()
        # An acronym (all capitals) may be spelled out letter by letter.
        if folded in said or folded in exempt or (word.isupper() and len(word) <= 6):
            continue
        lost.append(word)
    return lost


@dataclass(frozen=True)
class LostWords:
    """Words of one segment (or of the intro or outro) the engine would not say."""

    line: int | None
    where: str
    """``line 12``, ``segment 3``, ``the intro``: for a message."""
    words: tuple[str, ...]

    @property
    def shown(self) -> str:
        shown = ", ".join(repr(w) for w in self.words[:6])
        return shown + (" ..." if len(self.words) > 6 else "")


def find_lost_words(
    script: Script, said: Sequence[tuple[int | None, str, str, str]], lexicon: Lexicon | None
) -> list[LostWords]:
    """Per segment, the words lost between each ``(segment, bumper, author, spoken)`` pair;
    ``segment`` is ``None`` for the intro's or outro's (``bumper`` names which)."""
    keys = tuple(lexicon.entries) if lexicon else ()
    missing: dict[tuple[int | None, str], list[str]] = {}
    for segment, bumper, author, spoken in said:
        lost = lost_words(author, spoken, keys)
        if lost:
            missing.setdefault((segment, bumper), []).extend(lost)
    out = []
    for (index, bumper), words in missing.items():
        if index is None:
            out.append(LostWords(None, f"the {bumper}", tuple(words)))
            continue
        line = script.segments[index].line or None
        where = f"line {line}" if line else f"segment {index + 1}"
        out.append(LostWords(line, where, tuple(words)))
    return out


def plan_said(plan: Plan) -> list[tuple[int | None, str, str, str]]:
    """Every utterance of ``plan`` as ``(segment, bumper, author, spoken)``: what the engine
    is sent, beside what the captions show."""
    from ..plan import BumperPlan, Utterance

    out: list[tuple[int | None, str, str, str]] = []
    for item in plan.items:
        if isinstance(item, BumperPlan):
            out += [(None, item.kind, u.text, u.request.text) for u in item.utterances]
        elif isinstance(item, Utterance):
            out.append((item.segment, "", item.text, item.request.text))
    return out


def refuse_lost_words(script: Script, plan: Plan, lexicon: Lexicon | None) -> None:
    """Raise ``ScriptError`` (one line: file, line, the words) if the engine would not say
    every word of the script as ``plan`` sends it."""
    from ..errors import ScriptError

    lost = find_lost_words(script, plan_said(plan), lexicon)
    if not lost:
        return
    first = lost[0]
    more = f"; and in {len(lost) - 1} more place{'s' if len(lost) > 2 else ''}" if lost[1:] else ""
    where = "" if first.line else f" in {first.where}"
    raise ScriptError(
        f"words of the script would not be spoken{where}: {first.shown}{more}",
        path=script.source,
        line=first.line,
        hint=ALLOW_HINT,
    )


def lost_word_warnings(script: Script, plan: Plan, lexicon: Lexicon | None) -> list[str]:
    """One warning per segment whose synthesized text misses words the author wrote (a render
    with ``--allow-lost-words``)."""
    return [
        f"{lost.where}: words not spoken (please report it): {lost.shown}"
        for lost in find_lost_words(script, plan_said(plan), lexicon)
    ]


def script_said(script: Script, lexicon: Lexicon | None) -> list[tuple[int | None, str, str, str]]:
    """What :func:`plan_said` gives for a full render of ``script`` with its own intro and
    outro, read without casting voices (``audiocast check``)."""
    from ..announce import default_intro, default_outro
    from ..plan import spoken_sentences

    def bumper(kind: str, text: str | None) -> list[tuple[int | None, str, str, str]]:
        return [(None, kind, a, s) for a, s in spoken_sentences(text or "", lexicon)]

    out = bumper("intro", (script.metadata.intro or default_intro(script)).text)
    for index, segment in enumerate(script.segments):
        if segment.kind != "cue":
            out += [(index, "", a, s) for a, s in spoken_sentences(segment.text, lexicon)]
    return out + bumper("outro", (script.metadata.outro or default_outro(script)).text)


def lost_word_findings(script: Script, path: str, lexicon: Lexicon | None) -> list[Finding]:
    """``audiocast check``'s ``lost-words`` errors: what a render would refuse."""
    from ..model import Finding

    title_line = script.metadata.lines.get("title", 1)
    return [
        Finding(
            path,
            lost.line or title_line,
            f"words would not be spoken{'' if lost.line else ' in ' + lost.where}: "
            f"{lost.shown} ({ALLOW_HINT})",
            "error",
            "lost-words",
        )
        for lost in find_lost_words(script, script_said(script, lexicon), lexicon)
    ]
