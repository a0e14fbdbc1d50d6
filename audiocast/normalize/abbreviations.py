"""Titles and abbreviations, read as the words they stand for, with no sentence-ending pause.

eSpeak NG stops for a clause after "Dr." and reads "Prof." as "prof" and "vs." as "V S"; the
expansions here carry no period, so the name after a title stays in the same breath. What the
engine already says right ("U.S.", "e.g.", "etc.", "i.e.") is left as written.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

# A title always precedes a name, so its period never ends a sentence.
TITLES: Mapping[str, str] = {
    "dr": "Doctor",
    "mr": "Mister",
    "mrs": "Missus",
    "ms": "Miz",
    "prof": "Professor",
    "gen": "General",
    "sen": "Senator",
    "sens": "Senators",
    "rep": "Representative",
    "reps": "Representatives",
    "gov": "Governor",
    "lt": "Lieutenant",
    "capt": "Captain",
    "cmdr": "Commander",
    "sgt": "Sergeant",
    "col": "Colonel",
    "maj": "Major",
    "adm": "Admiral",
    "rev": "Reverend",
    "hon": "Honorable",
    "fr": "Father",
    "pres": "President",
    "amb": "Ambassador",
    "supt": "Superintendent",
    "mt": "Mount",
    "ft": "Fort",
    "st": "Saint",
}

MONTHS: Mapping[str, str] = {
    "jan": "January",
    "feb": "February",
    "mar": "March",
    "apr": "April",
    "jun": "June",
    "jul": "July",
    "aug": "August",
    "sep": "September",
    "sept": "September",
    "oct": "October",
    "nov": "November",
    "dec": "December",
}

# Abbreviations that can end a sentence (their period may be the full stop too).
OTHERS: Mapping[str, str] = {
    "vs": "versus",
    "jr": "Junior",
    "sr": "Senior",
    "inc": "Incorporated",
    "corp": "Corporation",
    "ltd": "Limited",
    "co": "Company",
    "bros": "Brothers",
    "dept": "Department",
    "univ": "University",
    "approx": "approximately",
    "ave": "Avenue",
    "blvd": "Boulevard",
    "rd": "Road",
    "cf": "compare",
    "fig": "figure",
    "vol": "volume",
}

# Before a number only: "No. 5", "p. 12", "ca. 1900".
BEFORE_NUMBER: Mapping[str, str] = {
    "no": "number",
    "nos": "numbers",
    "p": "page",
    "pp": "pages",
    "ca": "circa",
    "c": "circa",
}

# Acronyms eSpeak NG reads as a word although English speakers spell them; dotted forms make
# it spell them (measured: "IMF" -> "imf", "I.M.F." -> "I M F").
SPELLED: Mapping[str, str] = {
    "IMF": "I.M.F.",
    "IAEA": "I.A.E.A.",
    "OSCE": "O.S.C.E.",
    "AP": "A.P.",
    "ISW": "I.S.W.",
    "SBU": "S.B.U.",
    "IOC": "I.O.C.",
    "OAS": "O.A.S.",
}

DOTTED: Mapping[str, str] = {
    "ph.d.": "PhD",
    "a.k.a.": "also known as",
}

WORDS: frozenset[str] = frozenset(
    [*TITLES, *MONTHS, *OTHERS, *BEFORE_NUMBER, "etc", "am", "pm", "a", "m", "p", "e", "g", "i"]
)
"""Lower-cased words this module may rewrite (tests use it to know which words may vanish)."""

_END = re.compile(r"[\"'”’)\]]*\s*$")  # nothing but closing marks left: the period ends it
_CAP = re.compile(r"\s+[\"“]?[A-Z]")  # a capitalised word follows (a name)
_NAME_BEFORE = re.compile(r"(?:[A-Z][\w'’-]*|\d+\w*)\s+$")

_TITLE = re.compile(
    r"(?<![\w.])(?:(" + "|".join(sorted(TITLES, key=len, reverse=True)) + r")(\.)"
    r"|(?-i:(Dr|Mr|Mrs|Ms|St|Prof)(?=\s+[A-Z])))",
    re.I,
)
_MONTH = re.compile(
    r"(?<![\w.])(" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")(\.|(?=\s*\d))",
    re.I,
)
_OTHER = re.compile(r"(?<![\w.])(" + "|".join(sorted(OTHERS, key=len, reverse=True)) + r")\.", re.I)
_VS = re.compile(r"(?<![\w.])vs(?=\s)", re.I)
_BEFORE_NUMBER = re.compile(
    r"(?<![\w.])(" + "|".join(sorted(BEFORE_NUMBER, key=len, reverse=True)) + r")\.\s*(?=\d)",
    re.I,
)
_AMPM = re.compile(r"(?<![\w.])([ap])\.?\s?m\.(?!\w)|(?<=\d)\s?([ap])m\b|(?<=\d\s)([AaPp])M\b")
_DOTTED = re.compile(r"(?<![\w.])(" + "|".join(re.escape(k) for k in DOTTED) + r")(?!\w)", re.I)
_SPELLED = re.compile(r"\b(" + "|".join(SPELLED) + r")\b")
_CAPS_POSSESSIVE = re.compile(r"\b([A-Z]{2,})['’]s\b")


def _keep_stop(text: str, end: int) -> str:
    """``"."`` when the abbreviation at ``end`` closes the text, so the sentence still ends."""
    return "." if _END.match(text, end) else ""


def expand(text: str) -> str:
    """Expand titles, months and common abbreviations in one sentence of text."""
    text = _DOTTED.sub(lambda m: DOTTED[m.group(1).lower()] + _keep_stop(text, m.end()), text)
    text = _AMPM.sub(_ampm, text)
    text = _TITLE.sub(lambda m: _title(m, text), text)
    text = _MONTH.sub(lambda m: MONTHS[m.group(1).lower()] + _stop_if_end(m, text), text)
    text = _BEFORE_NUMBER.sub(lambda m: BEFORE_NUMBER[m.group(1).lower()] + " ", text)
    text = _OTHER.sub(lambda m: OTHERS[m.group(1).lower()] + _keep_stop(text, m.end()), text)
    text = _VS.sub("versus", text)
    text = _SPELLED.sub(lambda m: SPELLED[m.group(1)], text)
    # eSpeak NG drops the "'s" of an all-capitals word ("NATO's" -> "NATO").
    return _CAPS_POSSESSIVE.sub(lambda m: m.group(1).capitalize() + "'s", text)


def _stop_if_end(m: re.Match[str], text: str) -> str:
    return _keep_stop(text, m.end()) if m.group(2) == "." else ""


def _ampm(m: re.Match[str]) -> str:
    letter = (m.group(1) or m.group(2) or m.group(3)).upper()
    stop = "." if m.group(0).endswith(".") and _END.match(m.string, m.end()) else ""
    lead = " " if m.group(0)[:1].isspace() or m.group(2) else ""
    return f"{lead}{letter}M{stop}"


def _title(m: re.Match[str], text: str) -> str:
    word = (m.group(1) or m.group(3)).lower()
    before = text[max(0, m.start() - 60) : m.start()]
    name_follows = _CAP.match(text, m.end()) is not None
    # "St. Louis" is a saint, "Main St." a street; "Oak Dr." with no name after it a drive.
    if word == "st" and not name_follows:
        return "Street" + _stop_if_end(m, text)
    if word == "dr" and not name_follows and _NAME_BEFORE.search(before):
        return "Drive" + _stop_if_end(m, text)
    if not name_follows and m.group(2) == "." and word in {"col", "gen", "rev", "maj", "fr"}:
        # Without a name after it this is probably a word that ends a sentence ("the col.").
        return m.group(0)
    return TITLES[word] + _stop_if_end(m, text)
