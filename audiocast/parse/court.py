"""Court, deposition and hearing transcripts: numbered lines, ``Q``/``A``, colloquy in capitals.

Page furniture goes first: the running header every page repeats (``Case ... Page 110 of
129``), page numbers alone on a line, the line numbers 1-25, the blank lines a PDF export puts
between lines; a sentence cut by a page break is then one. Everything before the first speaker
(caption and appearance pages) is furniture too.

``Q`` is the examining lawyer: the one an examination heading names (``BY MR. MANN:``), or a
``(By Mr. Mann)`` clarification, or, before any heading, the lawyer who speaks right after the
questions (``MR. DACUS: I pass the witness``). ``A`` and ``THE WITNESS`` are the witness: the
one a witness heading (``PETE THOMAS, PLAINTIFF'S WITNESS, PREVIOUSLY SWORN``) or a call
(``calls Mr. Pete Thomas``) names, or, before any, the name the questions address most
(``Mr. Mitchell, you remember...``). Examination and witness headings are narration read after
the turn they interrupt; the caption's other lines are not read.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter

from .labels import match_label
from .lines import Line

_LINE_NUMBER = re.compile(r"^\s{0,8}(\d{1,2})(?:\s+|$)")
_PAGE_OF = re.compile(r"\bPage \d{1,5} of \d{1,5}\b")
_PAGE_NUMBER = re.compile(r"^\s*\d{1,4}\s*$")
_QA = re.compile(r"^([QA])(?:\s*[.:]\s*|\s{2,}|\s(?=\())(.*)$")
_BY = re.compile(r"^\(By\s+((?:Mr|Ms|Mrs|Dr)\.?\s+[A-Z][\w'’\-]+)\)\s*(.*)$")
_EXAMINER = re.compile(r"^BY\s+((?:MR|MS|MRS|DR)\.?\s+[A-Z][A-Z'’\-]+):?\s*$")
_EXAMINATION = re.compile(
    r"^(?:(?:RE)?(?:DIRECT|CROSS)[- ]?EXAMINATION|(?:RE)?CROSS-EXAMINATION|EXAMINATION)"
    r"(?:\s+(?:CONTINUED|RESUMED))?$"
)
_WITNESS_HEADING = re.compile(r"^([A-Z][A-Z.'’\- ]{2,40}),\s.*WITNESS\b.*$")
_CALLS = re.compile(
    r"\bcalls?\s+(?:(?:Mr|Ms|Mrs|Dr)\.\s+)?([A-Z][a-z'’\-]+(?:\s+[A-Z][a-z'’\-]+){0,2})"
)
_ADDRESS = re.compile(r"\b((?:Mr|Ms|Mrs|Dr)\.\s+[A-Z][a-z'’\-]+)")
_LAWYER = re.compile(r"^(?:MR|MS|MRS|DR)\.\s")


def _surname(label: str) -> str:
    return label.split()[-1].casefold()


def _content(body: list[str]) -> list[tuple[int, str]]:
    """(index, text) of every line that is not page furniture, line numbers removed."""
    shapes = Counter(re.sub(r"\d+", "#", ln.strip()) for ln in body if ln.strip())
    out = []
    for i, raw in enumerate(body):
        text = raw.strip()
        if not text or _PAGE_NUMBER.match(text):
            continue
        header = shapes[re.sub(r"\d+", "#", text)] >= 2 and "Page" in text
        if (header or _PAGE_OF.search(text)) and not _QA.match(text):
            continue  # the running header
        m = _LINE_NUMBER.match(raw)
        if m:
            text = raw[m.end() :].strip()
            if not text:
                continue
        out.append((i, text))
    return out


def numbered_share(body: list[str]) -> float:
    """How much of the document starts with a line number: the mark of a court transcript."""
    content = [ln for ln in body if ln.strip()]
    return sum(1 for ln in content if _LINE_NUMBER.match(ln)) / max(1, len(content))


def court_lines(body: list[str], first: int) -> tuple[list[Line], int]:
    """Body lines as a court transcript reads them, and how many Q/A lines were found."""
    content = _content(body)
    kinds: list[tuple[str, str, str]] = []  # (kind, who, text)
    for _, text in content:
        qa = _QA.match(text)
        lab = None if qa else match_label(text)
        if qa:
            kinds.append((qa.group(1), "", qa.group(2).strip()))
        elif _EXAMINER.match(text) or _EXAMINATION.match(text) or _WITNESS_HEADING.match(text):
            kinds.append(("heading", "", text))
        elif lab and lab.name.isupper() and not lab.name.isdigit():
            kinds.append(("colloquy", lab.name, lab.rest))
        else:
            kinds.append(("text", "", text))
    lawyers = {who for kind, who, _ in kinds if kind == "colloquy" and _LAWYER.match(who)}
    by_surname = {_surname(w): w for w in lawyers}

    def lawyer(name: str) -> str:
        return by_surname.get(_surname(name), name.upper())

    # Before any examination heading: the lawyer who speaks right after the questions.
    first_examiner = next(
        (
            who
            for (k0, _, _), (k1, who, _) in itertools.pairwise(kinds)
            if k0 in ("Q", "A", "text") and k1 == "colloquy" and who in lawyers
        ),
        "Q",
    )
    addressed: Counter[str] = Counter()
    for kind, _, text in kinds:
        if (kind == "heading" and _WITNESS_HEADING.match(text)) or _CALLS.search(text):
            break  # the first witness's questions end where another is called
        if kind == "Q":
            names = (m.group(1) for m in _ADDRESS.finditer(text))
            addressed.update(n for n in names if _surname(n) not in by_surname)
    witness = addressed.most_common(1)[0][0] if addressed else "A"
    examiner = first_examiner
    out: list[Line] = []
    qa_lines = 0
    started = False
    for at, ((index, _), (kind, who, text)) in enumerate(zip(content, kinds, strict=True)):
        number = first + index
        if kind == "heading":
            m = _EXAMINER.match(text)
            if m:
                examiner = lawyer(m.group(1))
            m = _WITNESS_HEADING.match(text)
            if m:
                witness = m.group(1).title()
            out.append(Line("action", number, text))
            continue
        if kind in ("Q", "A"):
            qa_lines += 1
            speaker = examiner if kind == "Q" else witness
            m = _BY.match(text) if kind == "Q" else None
            if m:
                examiner = speaker = lawyer(m.group(1))
                text = m.group(2)
            out.append(Line("label", number, text, speaker, header=not text))
            started = True
        elif kind == "colloquy":
            speaker = witness if who == "THE WITNESS" else who
            out.append(Line("label", number, text, speaker, header=not text))
            started = True
        elif started:
            out.append(Line("text", number, text))
        # ``calls Mr. Pete`` / ``Thomas.``: a call may run onto the next line.
        following = kinds[at + 1][2] if at + 1 < len(kinds) else ""
        called = _CALLS.search(f"{text} {following}") if kind != "Q" else None
        if called:
            witness = called.group(1)
    return out, qa_lines
