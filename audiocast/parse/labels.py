"""Is this the start of a speaker's turn? Speaker labels and timestamps within one line.

Every pattern here is anchored and bounded (no nested quantifiers), so matching a line costs time
linear in its length: a 5 MB script cannot trigger catastrophic backtracking.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

# 0:03, 12:30, 00:01:23, 02:07:52:58 (Spacelog day:h:m:s), 00:35:06.27, 00:00:01,000 (SRT).
TS = r"\d{1,2}(?::\d{2}){1,3}(?:[.,]\d{1,3})?"
# A timestamp in brackets or parentheses; Markdown may escape the brackets (``\[30:08\]``).
TS_BRACKETED = rf"\\?[\[(]\s*{TS}\s*\\?[\])]"
TS_ANY = rf"(?:{TS_BRACKETED}|{TS})"

# ``... and then [00:12:03] we left``: a timestamp stranded inside a turn is markup.
# After a word, never after a label's colon (``**Break**: [12:40]`` is a section marker).
INLINE_TS = re.compile(rf"(?<=[^\s:*])\s{TS_BRACKETED}(?=\s|$)")
TIMESTAMP_LINE = re.compile(rf"^\s*{TS_ANY}\s*$")
LEADING_TS = re.compile(rf"^{TS_ANY}\s+")
REST_LEADING_TS = re.compile(rf"^\s*{TS_BRACKETED}\s*")

# ``Name (00:01:23): words`` / ``Name [00:01:23]: words``: the name holds no colon or bracket.
LABEL_TS_COLON = re.compile(rf"^([^:\[\]()\\]{{1,80}}?)\s*({TS_BRACKETED})\s*:(?:\s+(.*))?$")
# ``Name: words``: at most 80 characters before the first colon, and a space (or the end) after
# it, so ``10:30``, ``http://`` and ``a:b`` never start a turn.
LABEL_COLON = re.compile(r"^([^:]{1,80}):(?:\s+(.*))?$")
# Q and A: ``Q: ...``, ``A. ...``, ``Q`` followed by two or more spaces (NBSP included).
QA = re.compile(r"^([QA])(?:\s*[.:]\s*|\s{2,})(\S.*)$")
# Hearing style: ``Mr. SMITH. words``, ``The CHAIRMAN. words``: a title, an ALL CAPS name, ". ".
_HEARING_TITLES = (
    "Mr", "Mrs", "Ms", "Miss", "Mx", "Dr", "Senator", "Sen", "Rep", "Representative", "Chairman",
    "Chairwoman", "Judge", "General", "Gen", "Secretary", "Governor", "Gov", "Ambassador",
    "Admiral", "Adm", "Commissioner", "Mayor",
)  # fmt: skip
HEARING = re.compile(
    rf"^((?:{'|'.join(_HEARING_TITLES)})\.?|The)"
    r"\s+([A-Z][A-Z'’\-]{1,30}(?:\s+[A-Z][A-Z'’\-]{1,30}){0,2})\.\s+(\S.*)$"
)
# How a label with no colon can start: ``Q``/``A`` or a hearing title.
_COLONLESS_STARTS = ("Q", "A", "The", *_HEARING_TITLES)
# Otter/Descript: ``Name  0:03`` alone on its line (optionally a Markdown heading), words below.
OTTER = re.compile(r"^(?:#{1,6}\s+)?([^\d:#]{1,60}?)\s+(\d{1,2}:\d{2}(?::\d{2})?)\s*$")
# A name alone in capitals (play style without a colon): ``HAMLET``.
CAPS_ALONE = re.compile(r"^[A-Z][A-Z0-9 .'’\-]{0,40}$")
# Spacelog-style annotations ``_page : 168``: markup, not speech.
ANNOTATION = re.compile(r"^_\w{1,40}\s*:\s")


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


TITLES = _words(
    "dr mr mrs ms mx miss prof professor rev sr jr st sen rep gen col capt lt sgt hon fr "
    "sir dame lady lord president senator judge gov mayor"
)
# Lower-case words that may sit inside a name (``Ludwig van Beethoven``).
PARTICLES = _words("de da del della der di du la le van von bin al ibn y of the and")
# Single words that take a colon in prose far more often than they name a speaker.
STOPWORDS = _words(
    "note notes nb update updated warning example summary source sources disclaimer transcript "
    "related tags tag date time location subject correction credit credits photo image video "
    "audio tip bonus important caution reminder quote edit ps re fwd however therefore yes no "
    "well so now first second third finally also here there today then but and or meanwhile "
    "result results answer question questions step break intro outro interlude sponsor "
    "chapter part segment agenda attendees topic topics length duration episode music "
    "website url email phone address author published filed posted tl;dr tldr"
)
ROLE_WORDS = _words(
    "host co-host cohost guest narrator moderator interviewer interviewee producer reporter "
    "correspondent anchor announcer caller panelist panellist editor author expert presenter "
    "speaker journalist voiceover vo chair chairman chairwoman witness commentator analyst "
    "translator interpreter"
)
OPEN_QUOTES = "\"“‘'«„"


@dataclass(frozen=True)
class Label:
    """A speaker label found at the start of a line."""

    name: str
    rest: str
    """The words after the label on the same line (may be empty: play style, Otter header)."""
    role: str | None = None
    timestamp: str | None = None
    short: str | None = None
    """Initials declared beside the name (``Adam Levine (AL):``): later labels may use them."""
    quoted: bool = False
    """The words open with a quotation mark: a Q&A's question, or an attribution in prose."""


def _is_word(word: str, first: bool) -> bool:
    if not all(c.isalnum() or c in ".'’-&" for c in word):
        return False
    letters = [c for c in word if c.isalpha()]
    if not letters:
        return not first and word.isdigit()
    if word.endswith(".") and len(word) > 1:
        bare = word.rstrip(".").lower()
        # A period ends a title or an initial; ``Time.news`` keeps its inner period.
        if bare not in TITLES and len(bare) > 1:
            return False
    # Upper case, or a script without case (Chinese, Arabic...).
    if word[0].isalpha() and not word[0].islower():
        return True
    if word[0].isdigit() and not first:
        return True
    return not first and word.lower() in PARTICLES


def _is_particle_or_title(word: str) -> bool:
    # ``AL``, ``JR`` in capitals are initials (``Adam Levine (AL):``), not ``al``/``Jr.``.
    if word.isupper() and len(word) >= 2 and word.isalpha():
        return False
    return word.lower() in PARTICLES or word.lower().rstrip(".") in TITLES


@lru_cache(maxsize=4096)
def is_name(text: str) -> bool:
    """True when ``text`` reads as a speaker's name: 1-6 capitalised words, titles allowed."""
    words = text.split()
    if not words or len(words) > 6 or len(text) > 60:
        return False
    if len(words) == 1 and words[0].lower().rstrip(".") in STOPWORDS:
        return False
    if all(_is_particle_or_title(w) for w in words):
        return False
    return all(_is_word(w, i == 0) for i, w in enumerate(words))


def _is_role(role: str, name: str) -> bool:
    role = role.strip()
    if not role or len(role) > 30:
        return False
    if role.lower() in ROLE_WORDS:
        return True
    # ``JANE DOE, HOST:``: a capitalised role beside a capitalised name.
    return name.isupper() and role.isupper() and is_name(role)


# ``(V.O.)``, ``(voice-over)``, ``(O.S.)``, ``(CONT'D)``: how a line is delivered, not who.
EXTENSIONS = _words(
    "v.o. vo voice-over voiceover o.s. os o.c. oc off-screen offscreen cont'd cont’d contd "
    "continuing on-screen filtered phone on-phone"
)
_PARENS = re.compile(r"^([^()]{1,80}?)\s*\(([^()]{1,40})\)$")
_INITIALS = re.compile(r"[A-Z]{2,4}")
_FULLWIDTH = str.maketrans({"（": "(", "）": ")", "：": ":"})
# ``REPORTER Jane Doe``: a role word written before the name.
_ROLE_PREFIX = re.compile(r"^([A-Za-z-]{2,20})\s+(\S.*)$")


def is_extension(text: str) -> bool:
    return " ".join(text.lower().split()) in EXTENSIONS


def split_head(head: str) -> tuple[str, str | None, str | None] | None:
    """``JANE DOE, HOST`` -> (name, role, timestamp); None when ``head`` is not a label."""
    parts = split_head_short(head)
    return parts[:3] if parts else None


@lru_cache(maxsize=4096)
def split_head_short(head: str) -> tuple[str, str | None, str | None, str | None] | None:
    """Like ``split_head``, plus the initials declared in ``Adam Levine (AL)``."""
    head = head.strip().translate(_FULLWIDTH)
    if not head:
        return None  # ``** **:``: bold markers around nothing name no one
    role: str | None = None
    timestamp: str | None = None
    short: str | None = None
    m = _PARENS.match(head)
    if m:
        inner = m.group(2).strip()
        if re.fullmatch(TS, inner):
            timestamp = inner
        elif _is_role(inner, m.group(1)):
            role = inner.lower()
        elif is_extension(inner):
            pass
        elif _INITIALS.fullmatch(inner) and is_name(m.group(1).strip()):
            short = inner
        else:
            return None
        head = m.group(1).strip()
    prefix = _ROLE_PREFIX.match(head) if head.split(None, 1)[0].lower() in ROLE_WORDS else None
    if (
        prefix
        and prefix.group(1).lower() in ROLE_WORDS
        and is_name(prefix.group(2))
        and not (prefix.group(1).isupper() and prefix.group(2).isupper())
    ):
        head, role = prefix.group(2), role or prefix.group(1).lower()
    if "," in head:
        name, _, maybe_role = head.rpartition(",")
        if not _is_role(maybe_role, name.strip()):
            return None
        head, role = name.strip(), maybe_role.strip().lower()
    if not is_name(head):
        return None
    return head, role, timestamp, short


def to_ascii_label(line: str) -> str:
    """``Name（XX）：words`` -> ``Name(XX): words``: full-width punctuation in the label only."""
    cut = line.find("：")
    if cut < 0 or cut > 82 or 0 <= line.find(":") < cut:
        return line
    return f"{line[:cut].translate(_FULLWIDTH)}: {line[cut + 1 :].lstrip()}".rstrip()


def strip_rest(rest: str | None) -> tuple[str, str | None]:
    rest = (rest or "").strip()
    m = REST_LEADING_TS.match(rest)
    if m:
        return rest[m.end() :].strip(), m.group(0).strip()
    return rest, None


def match_label(line: str) -> Label | None:
    """The speaker label that starts ``line`` (already stripped of indentation), if any.

    A colon inside a sentence is not a label (the words before it must read as a name).
    ``Name: "quoted words"`` comes back ``quoted``: the layout decides whether the name recurs
    as a speaker (``Audience: "..."``) or is an attribution in prose (``Citigroup: "..."``).
    """
    timestamp = None
    line = to_ascii_label(line)
    if ":" not in line and not line.startswith(_COLONLESS_STARTS):
        return None  # every shape but Q/A and hearing labels needs a colon
    lead = line[:1]
    m = LEADING_TS.match(line) if lead in ("[", "(", "\\") or lead.isdigit() else None
    if m:
        timestamp = m.group(0).strip()
        line = line[m.end() :]
    m = LABEL_TS_COLON.match(line) if "[" in line or "(" in line else None
    if m:
        head = split_head(m.group(1))
        if head:
            rest, _ = strip_rest(m.group(3))
            quoted = rest.startswith(tuple(OPEN_QUOTES))
            return Label(head[0], rest, head[1], m.group(2), quoted=quoted)
    m = LABEL_COLON.match(line)
    if m:
        parts = split_head_short(m.group(1))
        if parts:
            rest, ts = strip_rest(m.group(2))
            quoted = rest.startswith(tuple(OPEN_QUOTES))
            stamp = parts[2] or ts or timestamp
            return Label(parts[0], rest, parts[1], stamp, parts[3], quoted)
    if not line.startswith(_COLONLESS_STARTS):
        return None
    m = QA.match(line)
    if m:
        return Label(m.group(1), m.group(2).strip(), None, timestamp)
    m = HEARING.match(line)
    if m:
        return Label(f"{m.group(1)} {m.group(2)}", m.group(3).strip(), None, timestamp)
    return None


# ``darosior: words``: a lower-case user handle as a label; only a layout that sees it recur
# takes it for a speaker, since ``note: ...`` reads the same way.
HANDLE = re.compile(r"^([a-z][a-z0-9_.\-]{2,29})\s*:\s+(\S.*)$")


def match_handle(line: str) -> Label | None:
    if not line[:1].islower() or (":" not in line and "：" not in line):
        return None
    m = HANDLE.match(to_ascii_label(line))
    if not m or m.group(1) in STOPWORDS:
        return None
    return Label(m.group(1), m.group(2).strip())


def match_header(line: str) -> Label | None:
    """An Otter/Descript header: ``Name  0:03`` alone on its line, the words on the next lines."""
    if ":" not in line or not line.rstrip()[-1:].isdigit():
        return None  # the header ends in its time
    m = OTTER.match(line)
    if m and is_name(m.group(1).strip()):
        return Label(m.group(1).strip(), "", None, m.group(2))
    return None


def is_caps_name(line: str) -> bool:
    """``HAMLET`` alone on a line: a play-style label when speech follows directly below."""
    if not "A" <= line[:1] <= "Z" or len(line) > 42:
        return False
    return bool(CAPS_ALONE.match(line)) and sum(c.isalpha() for c in line) >= 2 and is_name(line)
