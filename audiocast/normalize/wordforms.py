"""Word shapes eSpeak NG misreads: Roman numerals, mixed-case acronyms, ``10x``, versions, ZIPs.

Measured on eSpeak NG 1.51: "Charles III" is read "Charles I I I", "JAMstack" "J A M stack",
"10x" "ten ex", "v2.0.1" "v two dot zero dot one" and a ZIP code as a count in the tens of
thousands. These rules run after the lexicon (its entries are hidden by then, so they win) and
before abbreviations and numbers, which would otherwise take the digits apart.
"""

from __future__ import annotations

import re

from num2words import num2words

from .numbers import cardinal, digits

# Numerals up to 39 only: larger ones ("MIX", "LIV", "CD", "DC") are far more often words or
# initialisms than numbers in speech.
_NUMERAL = r"X{0,3}(?:IX|IV|V?I{0,3})"
_ROMAN = re.compile(rf"(?<![\w.'’-])([A-Za-z][\w'’-]*)( +)({_NUMERAL})(?![\w-])")
# After these a numeral is a count ("World War II" -> "two"), not a monarch's ordinal.
COUNTED_AFTER = frozenset(
    [
        "war",
        "part",
        "chapter",
        "volume",
        "vol",
        "act",
        "book",
        "phase",
        "round",
        "stage",
        "level",
        "grade",
        "type",
        "class",
        "article",
        "title",
        "section",
        "scene",
        "season",
        "episode",
        "series",
        "apollo",
        "gemini",
        "bowl",
        "wrestlemania",
        "game",
        "schedule",
        "appendix",
        "annex",
        "step",
    ]
)
# Titles that make even a one-letter numeral a regnal number ("Queen Elizabeth I").
REGNAL_TITLES = frozenset(
    [
        "king",
        "queen",
        "pope",
        "emperor",
        "empress",
        "tsar",
        "czar",
        "prince",
        "princess",
        "duke",
        "duchess",
        "pharaoh",
        "sultan",
        "kaiser",
    ]
)
# Names seldom followed by the letters V or X unless they are a monarch's ("Henry V").
REGNAL_NAMES = frozenset(
    ["henry", "louis", "edward", "richard", "george", "charles", "elizabeth", "william"]
)
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10}

_MIXED_ACRONYM = re.compile(r"(?<![\w.'’-])([A-Z]{2,})([a-z]{2,})(?![\w-])")
_VOWEL = re.compile(r"[AEIOU]")
_TIMES = re.compile(r"(?<![\w.,])(\d+(?:\.\d+)?)\s?[x×](?![\w-])", re.I)
_VERSION = re.compile(r"(?<![\w.])(?:v|V(?=\d+\.))(\d+(?:\.\d+)*)(?![\w-]|\.\d)")
_VERSION_WORD = re.compile(r"(?<=\b[Vv]ersion )(\d+(?:\.\d+){2,})(?![\w-]|\.\d)")
_ZIP = re.compile(
    r"(?:(?<=\b[A-Z]{2} )|(?<=\bZIP )|(?<=\bZIP code )|(?<=\bzip code )|(?<=\bPIN ))"
    r"(\d{5})(?:-(\d{4}))?(?![\w-]|[.,]\d)"
)


def expand(text: str) -> str:
    """Rewrite the word shapes above in ``text``; anything else is returned unchanged."""
    text = _ROMAN.sub(_roman, text)
    text = _MIXED_ACRONYM.sub(_mixed_acronym, text)
    if any(c.isdigit() for c in text):
        text = _ZIP.sub(_zip, text)
        text = _VERSION.sub(lambda m: "version " + _dotted(m.group(1)), text)
        text = _VERSION_WORD.sub(lambda m: _dotted(m.group(1)), text)
        text = _TIMES.sub(lambda m: cardinal(m.group(1)) + " times", text)
    return text


def roman_value(numeral: str) -> int:
    """``"XIV"`` -> ``14``; the caller has checked ``numeral`` is well formed."""
    total = 0
    for letter, following in zip(numeral, [*numeral[1:], ""], strict=True):
        value = _ROMAN_VALUES[letter]
        total += -value if following and _ROMAN_VALUES[following] > value else value
    return total


def _roman(m: re.Match[str]) -> str:
    word, space, numeral = m.group(1), m.group(2), m.group(3)
    if not numeral:
        return m.group(0)
    value = roman_value(numeral)
    capitalised = word[0].isupper()
    if word.lower() in COUNTED_AFTER and (capitalised or len(numeral) > 1):
        return f"{word}{space}{_plain(num2words(value))}"
    before = m.string[max(0, m.start() - 30) : m.start()].split()
    titled = bool(before) and before[-1].lower() in REGNAL_TITLES
    # A lone "I" after a capitalised word is usually the pronoun ("Then I left"), a lone
    # "V" or "X" a letter ("Plan V", "Malcolm X"): a title or a monarch's name decides.
    named = numeral != "I" and word.lower() in REGNAL_NAMES
    if not capitalised or (len(numeral) == 1 and not (titled or named)):
        return m.group(0)
    return f"{word}{space}the {_plain(num2words(value, to='ordinal'))}"


def _mixed_acronym(m: re.Match[str]) -> str:
    # "JAMstack" -> "jam stack"; a run without vowels is spelled either way ("SQLite").
    head, tail = m.group(1), m.group(2)
    return f"{head.lower() if _VOWEL.search(head) else head} {tail}"


def _dotted(number: str) -> str:
    return " point ".join(_part(p) for p in number.split("."))


def _part(part: str) -> str:
    return "oh" if part == "0" else cardinal(part)


def _zip(m: re.Match[str]) -> str:
    spoken = digits(m.group(1)).replace("zero", "oh")
    if m.group(2):
        spoken += ", " + digits(m.group(2)).replace("zero", "oh")
    return spoken


def _plain(words: str) -> str:
    return words.replace(",", "").replace(" and ", " ")
