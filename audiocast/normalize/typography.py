"""Marks on the page that are not words: markup, emoji, quotes, dashes, links, stage directions.

Dashes, ellipses, parentheses and inline stage directions become commas, which eSpeak NG
speaks as a short pause; quotes, emoji and markup are dropped; links and addresses are spelled
the way a host reads them on air ("example dot com slash show").
"""

from __future__ import annotations

import re
import unicodedata

# Sounds and events a transcript notes; they may carry a short qualifier ("laughs softly",
# "inaudible 00:12:03", "music fades out").
CUE_WORDS = (
    "laughs?|laughter|laughing|chuckles?|chuckling|giggles?|applause|crosstalk|cross-talk|"
    "inaudible|unintelligible|indiscernible|sighs?|sighing|long pause|pause|pauses|coughs?|"
    "clears throat|music|crying|gasps?|groans?|background noise|audio cut|"
    "technical difficulties|sound ?bite|phone rings|overlapping|overtalk|cheering|booing|"
    "sobbing|commercial break|(?:begin |end )?video clip|end of clip|bleep|"
    "(?:speaking )?foreign language"
)
# Words that are a cue only when alone in the brackets: "(break)" but not "(break it up)".
CUE_ALONE = "silence|beat|break|end|static|applause|cheers|boos|smiles|nods|whispers|ph"
_SIC = re.compile(r"\s*\[sic\]", re.I)  # an editor's mark, not a pause
SIC = _SIC
# The separators and the qualifier's words share no character, so a long run of commas or
# colons cannot be split in many ways (it was exponential: 80 commas took 8 s).
_CUE = re.compile(
    rf"\s*[(\[](?:(?:{CUE_WORDS})(?:[\s:,]+[\w.'-]+){{0,3}}|{CUE_ALONE})[.!]?[)\]]\s*",
    re.I,
)
INLINE_CUE = _CUE
"""A stage direction inside a turn, such as ``(laughs)`` or ``[pause 1.5s]``."""

# Only real HTML tags are markup: "x < y and y > z" or "<ben@example.com>" are words to say.
_HTML_TAGS = (
    "a|abbr|b|big|blockquote|br|cite|code|del|div|em|font|h[1-6]|hr|i|img|ins|kbd|li|mark|"
    "ol|p|pre|q|s|samp|small|span|strike|strong|sub|sup|table|td|th|tr|tt|u|ul|var|wbr"
)
_HTML = re.compile(
    rf"<\s*/?\s*(?:{_HTML_TAGS})(?:\s+[\w:-]+\s*=\s*(?:\"[^\"<>\n]*\"|'[^'<>\n]*'|[^\s<>]+))*"
    r"\s*/?\s*>",
    re.I,
)
HTML_TAG = _HTML
"""A real HTML tag, opening or closing, with its attributes: markup, never spoken."""
_WRAPPED = re.compile(r"<([^\s<>]+)>")
"""An address in angle brackets, ``<ben@example.com>`` or ``<https://...>``: keep the address."""
_QUOTE_MARK = re.compile(r"^[ \t]*(?:>[ \t]?)+", re.M)
_COMPARISON = re.compile(r"\s*(<=|>=|=>|->|<-|<<|>>|<|>)\s*")
_COMPARISON_WORDS = {
    "<=": " less than or equal to ",
    ">=": " greater than or equal to ",
    "<": " less than ",
    ">": " greater than ",
}
_ENTITY = re.compile(r"&(amp|nbsp|quot|apos|lt|gt|mdash|ndash|hellip|#\d{1,6});")
_IMAGE = re.compile(r"!\[([^\[\]\n]*)\]\([^()\s]*\)")
_LINK = re.compile(r"\[([^\[\]\n]*)\]\([^()\s]*\)")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+", re.M)
_HASH_NUMBER = re.compile(r"#(?=\d)")
_EMPHASIS = re.compile(r"[*`~]+|(?<!\w)_+|_+(?!\w)|(?<=\s)#+(?=\w)|^#+(?=\w)")
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63})+")
_URL = re.compile(
    r"(?<![\w@/.-])(?:https?://|www\.)[^\s<>\"“”()]+"
    r"|(?<![\w@/.-])[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63})*"
    r"\.(?:com|org|net|io|edu|gov|fm|tv|app|dev|ai|info|co\.uk|org\.uk|co|uk|eu|de|ru|ua)"
    r"(?:/[^\s<>\"“”()]*)?(?![\w-])"
)
_URL_TRAILING = re.compile(r"[.,;:!?'’\"]+$")
_SPOKEN_SYMBOL = {
    ".": " dot ",
    "/": " slash ",
    "-": " dash ",
    "_": " underscore ",
    "@": " at ",
    "~": " tilde ",
    ":": " colon ",
    "+": " plus ",
}
_URL_SYMBOLS = re.compile(r"[./\-_@~:+]")
_SCHEME = re.compile(r"^(?:https?://)?(?:www\.)?", re.I)

_ELLIPSIS = re.compile(r"\s*(?:\.{3,}|…|\. \. \.)\s*")
_DASH = re.compile(r"\s*(?:[—–―]|--+)\s*|\s+-\s+")
_PARENS = re.compile(r"\s*[()\[\]{}]\s*")
_APOSTROPHE = re.compile(r"(?<=\w)[’‘](?=\w)")
# \ue000/\ue001 open and close a protected span (a lexicon entry): they count as word edges.
_QUOTES = re.compile(r"[“”„‟«»‹›\"]|(?<![\w\ue001])['‘’]|['‘’](?![\w\ue000])")
_SLASH = re.compile(r"(?<=[^\W\d])(?<!\bkm)(?<!\band)/(?=[^\W\d])")
_AND_OR = re.compile(r"\band/or\b", re.I)
_AMPERSAND = re.compile(r"\s*&\s*")


def strip_markup(text: str, *, english: bool = True) -> str:
    """Drop HTML tags and Markdown marks; a link or image keeps only its text. ``english``:
    ``#5`` is "number 5" and ``<`` "less than"; another language's text loses the ``#`` and
    keeps ``<`` for its voice to read."""
    if "&" in text:
        text = _ENTITY.sub(_entity, text)
    text = _IMAGE.sub(r"\1", text)
    text = _LINK.sub(r"\1", text)
    text = _HTML.sub(" ", text)
    text = angle_brackets(text, english=english)
    text = _HEADING.sub("", text)
    if english:
        text = _HASH_NUMBER.sub("number ", text)
    return _EMPHASIS.sub("", text)


def angle_brackets(text: str, *, english: bool = True) -> str:
    """What is left of ``<`` and ``>`` once real tags are gone, as words, never as markup."""
    if "<" not in text and ">" not in text:
        return text
    text = _WRAPPED.sub(r" \1 ", text)
    text = _QUOTE_MARK.sub("", text)
    if not english:
        return _COMPARISON.sub(lambda m: f" {m.group(1)} ", text)
    return _COMPARISON.sub(lambda m: _COMPARISON_WORDS.get(m.group(1), " "), text)


def speakable_value(text: str) -> str:
    """A lexicon value made as safe as the script's own text: no control characters, no
    markup, single spaces (``[[phonemes]]`` stay, the one markup we document)."""
    text = drop_unspeakable(text)
    if not text.startswith("[["):
        text = strip_markup(text)
    return " ".join(text.split())


def _entity(m: re.Match[str]) -> str:
    name = m.group(1)
    if name.startswith("#"):
        code = int(name[1:])
        return chr(code) if 0 < code < 0x110000 and not 0xD800 <= code <= 0xDFFF else " "
    return {
        "amp": "&",
        "nbsp": " ",
        "quot": '"',
        "apos": "'",
        "lt": "<",
        "gt": ">",
        "mdash": "—",
        "ndash": "–",
        "hellip": "…",
    }[name]


def drop_unspeakable(text: str) -> str:
    """Remove emoji, pictographs, control and private-use characters (keeps ``°``)."""
    if text.isascii():
        return "".join(c if c.isprintable() or c in "\n\t" else " " for c in text)
    out = []
    for c in text:
        category = unicodedata.category(c)
        if (category == "So" and c != "°") or category in {"Co", "Cs", "Cn", "Cf"}:
            continue
        if category == "Sk" and 0x1F3FB <= ord(c) <= 0x1F3FF:
            continue  # skin-tone modifiers
        if category in {"Cc", "Zl", "Zp", "Zs"} or c in "\u034f\ufe0e\ufe0f":
            out.append(" " if c not in "\u034f\ufe0e\ufe0f" else "")
            continue
        out.append(c)
    return "".join(out)


def stage_directions(text: str) -> str:
    """``(laughs)``, ``[crosstalk]``, ``(APPLAUSE)`` inside a turn become a comma pause."""
    if "(" not in text and "[" not in text:
        return text
    return _CUE.sub(", ", _SIC.sub("", text))


def find_addresses(text: str) -> list[tuple[int, int, str]]:
    """Spans of emails and URLs in ``text``, with their spoken form."""
    found: list[tuple[int, int, str]] = []
    if "@" in text:
        for m in _EMAIL.finditer(text):
            found.append((m.start(), m.end(), speak_address(m.group(0))))
    if "." in text:
        for m in _URL.finditer(text):
            if any(s < m.end() and m.start() < e for s, e, _ in found):
                continue
            url = _URL_TRAILING.sub("", m.group(0))
            found.append((m.start(), m.start() + len(url), speak_address(url)))
    return sorted(found)


def speak_address(address: str) -> str:
    """``https://www.example.com/show`` -> ``example dot com slash show``."""
    address = _SCHEME.sub("", address).split("?", 1)[0].split("#", 1)[0].rstrip("/")
    spoken = _URL_SYMBOLS.sub(lambda m: _SPOKEN_SYMBOL[m.group(0)], address)
    return " ".join(spoken.split())


def slashes(text: str) -> str:
    """``and/or`` -> ``and or`` (run before numbers, so ``24/7`` and ``km/h`` keep theirs)."""
    if "/" not in text:
        return text
    return _SLASH.sub(" or ", _AND_OR.sub("and or", text))


def apostrophes(text: str) -> str:
    """A curly apostrophe inside a word becomes ``'`` (eSpeak NG drops "NATO’s" 's)."""
    return _APOSTROPHE.sub("'", text) if "’" in text or "‘" in text else text


def punctuation(text: str, *, english: bool = True) -> str:
    """Quotes dropped; dashes, ellipses and parentheses become comma pauses; ``&`` is "and"
    in English (another language's voice says its own word for it)."""
    text = _QUOTES.sub("", text)
    text = _ELLIPSIS.sub(", ", text)
    text = _DASH.sub(", ", text)
    text = _PARENS.sub(", ", text)
    return _AMPERSAND.sub(" and ", text) if english and "&" in text else text
