"""``check --pronounce``: words the engine will likely spell out or misread, with a lexicon fix.

The scan runs on the spoken form (after the lexicon and the normalizer), so a word the lexicon
or a rule already handles ("JAMstack", "v2.0.1", "King Charles III") is never reported. What is
left and suspicious: all-capitals words that are not well-known initialisms (eSpeak NG reads
them as a word or spells them, whichever it guesses), words mixing letters and digits ("B2B")
and mixed-case words ("eBay").
"""

from __future__ import annotations

import re
from pathlib import Path

from .model import Finding, Script
from .normalize import Lexicon, lexicon_for, spoken_form
from .normalize.abbreviations import SPELLED
from .normalize.numbers import cardinal

CODE = "pronounce"
# Initialisms eSpeak NG says the way English speakers do (spelled or as a word): no finding.
KNOWN_INITIALISMS = frozenset(
    [
        *SPELLED,
        *[
            "AI",
            "AM",
            "PM",
            "BBC",
            "CNN",
            "CEO",
            "CFO",
            "CTO",
            "CIA",
            "DNA",
            "EU",
            "FBI",
            "FDA",
            "GDP",
            "HIV",
            "ID",
            "IT",
            "MP",
            "NASA",
            "NATO",
            "NBA",
            "NFL",
            "NHS",
            "NGO",
            "OK",
            "PC",
            "PR",
            "TV",
            "UK",
            "UN",
            "UNESCO",
            "UNICEF",
            "US",
            "USA",
            "USB",
            "VIP",
            "WHO",
            "AIDS",
            "COVID",
            "EPA",
            "IRS",
            "MIT",
            "NYC",
            "PhD",
            "PDF",
            "CD",
            "DVD",
            "GPS",
            "HTML",
            "HTTP",
            "URL",
            "API",
            "CPU",
            "FAQ",
            "ATM",
        ],
    ]
)
_TOKEN = re.compile(r"(?<![\w'’-])[A-Za-z0-9][\w'’-]*[A-Za-z0-9]|(?<![\w'’-])[A-Z](?![\w'’-])")
_PHONEMES = re.compile(r"\[\[[^\[\]]*\]\]")
_CAPS = re.compile(r"[A-Z]{2,}(?:['’]s)?")
_MIXED_CASE = re.compile(r"[a-z][A-Z]")
_LETTERS_DIGITS = re.compile(r"[A-Za-z]+|\d+")
_NAME_PREFIX = re.compile(r"(?:Mc|Mac|O['’]|D['’])[A-Z][a-z]+")
_CAMEL_PART = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")


def pronounce_findings(script: Script, lexicon_file: Path | None = None) -> list[Finding]:
    """One warning per distinct suspicious word, at the first line it occurs on."""
    lexicon = lexicon_for(script, lexicon_file)
    path = str(script.source) if script.source else "<script>"
    lines = _file_lines(script.source)
    seen: set[str] = set()
    findings: list[Finding] = []
    for segment in script.segments:
        if segment.kind == "cue":
            continue
        for word in suspicious_words(segment.text, lexicon, script.metadata.language):
            if word in seen:
                continue
            seen.add(word)
            line = _line_of(word, lines, segment.line)
            message = (
                f"{word!r} may be spelled out or misread; add a lexicon entry "
                f"(pronounce.yaml or pronounce:) such as `{word}: {suggest_respelling(word)}`"
            )
            findings.append(Finding(path, line, message, "warning", CODE))
    return findings


def suspicious_words(text: str, lexicon: Lexicon | None = None, language: str = "en") -> list[str]:
    """The words of ``text`` still risky after the lexicon and the normalizer, in order."""
    spoken = _PHONEMES.sub(" ", spoken_form(text, lexicon, language))
    return [w for w in (m.group(0) for m in _TOKEN.finditer(spoken)) if _is_suspicious(w)]


def _is_suspicious(word: str) -> bool:
    bare = re.sub(r"['’]s$", "", word)
    if bare in KNOWN_INITIALISMS or bare.isdigit():
        return False
    if any(c.isdigit() for c in bare) and any(c.isalpha() for c in bare):
        return True
    if _CAPS.fullmatch(word):
        return True
    return bool(_MIXED_CASE.search(bare)) and not _NAME_PREFIX.fullmatch(bare)


def suggest_respelling(word: str) -> str:
    """A first guess to edit: ``"B2B"`` -> ``"B two B"``, ``"XKCD"`` -> ``"X.K.C.D."``,
    ``"ZORBLAX"`` -> ``"zorblax"``, ``"eBay"`` -> ``"e bay"``."""
    bare = re.sub(r"['’]s$", "", word)
    if any(c.isdigit() for c in bare):
        parts = _LETTERS_DIGITS.findall(bare)
        return " ".join(cardinal(p) if p.isdigit() else _letters_or_word(p) for p in parts)
    if bare.isupper():
        return _letters_or_word(bare)
    return " ".join(p.lower() for p in _CAMEL_PART.findall(bare))


def _letters_or_word(part: str) -> str:
    # A long run with vowels is probably meant as a word ("ZORBLAX"), a short one spelled.
    if part.isupper() and len(part) > 1:
        if len(part) >= 5 and re.search("[AEIOUY]", part):
            return part.lower()
        return "".join(f"{c}." for c in part)
    return part


def _file_lines(source: Path | None) -> list[str]:
    if source is None:
        return []
    try:
        return source.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return []


def _line_of(word: str, lines: list[str], start: int) -> int:
    # A segment may span lines: report the line the word is actually on.
    pattern = re.compile(rf"(?<!\w){re.escape(word)}(?!\w)")
    for number in range(max(start, 1), len(lines) + 1):
        if pattern.search(lines[number - 1]):
            return number
    return start
