"""Property: nothing is lost. Every word of a generated script, other than labels, timestamps
and markup, lands in exactly one segment or the title; turns and speakers come out as written."""

from __future__ import annotations

from collections import Counter
from itertools import groupby

from hypothesis import example, given, settings
from hypothesis import strategies as st

from audiocast.parse import parse_text

SPEAKERS = ["Ann Lee", "Dr. Bo Chen", "JANE DOE", "Ms. Jean-Pierre", "Q", "Ravi"]
WORDS = [
    "the", "river", "runs", "north,", "slowly.", "and", "we", "said:", "yes", "it's",
    "3:30", "Paris", "(really)", "—", "“quoted”", "100%", "e.g.", "Dr.", "well...", "über",
]  # fmt: skip
CUES = ["(LAUGHTER)", "[crosstalk]", "(Archival clip)", "[music]", "[pause 2s]"]
TIMESTAMPS = ["", "[00:01:23] ", "00:02:03 "]

words = st.lists(st.sampled_from(WORDS), min_size=1, max_size=12)


@st.composite
def paragraph(draw: st.DrawFn) -> list[str]:
    # A lower-case first word: a paragraph never opens with something that reads as a label.
    return [draw(st.sampled_from(["and", "so", "we", "the", "it's"])), *draw(words)]


@st.composite
def scripts(draw: st.DrawFn) -> tuple[str, list[str], list[str], int]:
    """-> (text, expected words, speakers in first-appearance order, expected turn count)."""
    lines: list[str] = []
    expected: list[str] = []

    def add_paragraph(words_: list[str], wrap: int) -> None:
        expected.extend(words_)
        chunks = [words_[i : i + wrap] for i in range(0, len(words_), wrap)]
        if len(chunks) > 1 and len(chunks[-1]) == 1:
            # A lone "3:30" or "(really)" on its own line is a timestamp or a cue, by design.
            chunks[-2:] = [chunks[-2] + chunks[-1]]
        lines.extend(" ".join(chunk) for chunk in chunks)

    for para in draw(st.lists(paragraph(), max_size=3)):
        add_paragraph([*para, "end."], draw(st.integers(2, 8)))
        lines.append("")
    order = draw(st.lists(st.sampled_from(SPEAKERS), min_size=1, max_size=12))
    for name in order:
        first = draw(paragraph())
        stamp = draw(st.sampled_from(TIMESTAMPS))
        expected.extend(first)
        lines.append(f"{stamp}{name}: {' '.join(first)}")
        lines.append("")
        for extra in draw(st.lists(st.one_of(paragraph(), st.sampled_from(CUES)), max_size=3)):
            if isinstance(extra, str):
                expected.append(extra.strip("()[]").split()[0])
                expected.extend(extra.strip("()[]").split()[1:])
                lines.append(extra)
            else:
                add_paragraph(extra, draw(st.integers(2, 8)))
            lines.append("")
    speakers = list(dict.fromkeys(order))
    turns = sum(1 for _ in groupby(order))
    return "\n".join(lines), expected, speakers, turns


@settings(max_examples=150, deadline=None)
@given(scripts(), st.sampled_from(["\n", "\r\n"]))
def test_nothing_is_lost(case: tuple[str, list[str], list[str], int], newline: str) -> None:
    text, expected, speakers, turns = case
    script = parse_text(text.replace("\n", newline))
    got = [w for seg in script.segments for w in seg.text.split()]
    if script.title:
        got.extend(script.title.split())
    assert Counter(got) == Counter(expected)
    assert list(script.speaker_names) == speakers
    assert len(script.turns) == turns


@settings(max_examples=100, deadline=None)
@given(st.text(min_size=1, max_size=300).filter(lambda t: t.strip()))
@example("Ann: Hi.")  # random text rarely forms a turn, a cue or a heading: these always run
@example("(laughs)")
@example("# Roots\n\nA word first.\n\nAnn: Hello there.\n\nBo: Hi.")
def test_any_text_parses_or_raises_input_error(text: str) -> None:
    # Arbitrary text never crashes the parser, and every segment points at one of its lines.
    from audiocast.errors import InputError

    try:
        script = parse_text(text)
    except InputError:
        return
    lines = [seg.line for seg in script.segments]
    assert all(1 <= n <= max(1, len(text.splitlines())) for n in lines), lines
    assert lines == sorted(lines)


# Every layout family of issue 10 (labels, full-width colons, names alone, name + timestamp,
# bold names): the same words must come out, whatever the way the labels are written.
FAMILY_SPEAKERS = ["Ann Lee", "Dr. Bo Chen", "Ravi", "Mira Solberg"]
SCREEN_SPEAKERS = ["ANN", "BO CHEN", "RAVI", "MIRA"]
FAMILIES = {
    "screenplay": ("                              {name}\n                    {words}", "x.txt"),
    "quoted": ('{name}: "{words}"', "x.txt"),
    "colon": ("{name}: {words}", "x.txt"),
    "full-width": ("{name}：{words}", "x.txt"),
    "alone": ("{name}\n{words}", "x.txt"),
    "stamped": ("{name} 00:01:02:\n{words}", "x.txt"),
    "bold": ("**{name}** 00:01:02\n\n{words}", "x.md"),
    "alone-blank": ("{name}:\n\n{words}", "x.txt"),
}


@st.composite
def family_scripts(draw: st.DrawFn) -> tuple[str, str, list[str], list[str], int]:
    family = draw(st.sampled_from(sorted(FAMILIES)))
    shape, suffix = FAMILIES[family]
    pool = SCREEN_SPEAKERS if family == "screenplay" else FAMILY_SPEAKERS
    a, b = draw(st.permutations(pool))[:2]
    # Names recur and alternate, as a real conversation's do.
    order = [a, b, a, b, *draw(st.lists(st.sampled_from(pool), max_size=6))]
    lines: list[str] = []
    expected: list[str] = []
    for name in order:
        first = draw(paragraph())
        expected.extend(first)
        lines.extend([shape.format(name=name, words=" ".join(first)), ""])
        if family == "quoted":
            # The words in quotation marks, the quotes kept on the words they touch.
            expected[-len(first)] = '"' + expected[-len(first)]
            expected[-1] += '"'
            continue
        for extra in draw(st.lists(paragraph(), max_size=2)):
            expected.extend(extra)
            lines.extend([" ".join(extra), ""])
    turns = sum(1 for _ in groupby(order))
    return "\n".join(lines), suffix, expected, list(dict.fromkeys(order)), turns


@settings(max_examples=150, deadline=None)
@given(family_scripts())
def test_nothing_is_lost_in_any_family(case: tuple[str, str, list[str], list[str], int]) -> None:
    from pathlib import Path

    text, suffix, expected, speakers, turns = case
    script = parse_text(text, source=Path(suffix))
    got = [w for seg in script.segments for w in seg.text.split()]
    if script.title:
        got.extend(script.title.split())
    assert Counter(got) == Counter(expected)
    assert list(script.speaker_names) == speakers
    assert len(script.turns) == turns


@st.composite
def court_scripts(draw: st.DrawFn) -> tuple[str, list[str], int]:
    """Numbered Q/A lines under an examination heading, page headers between pages."""
    lines = ["1                 DIRECT EXAMINATION", "2      BY MR. BELL:"]
    expected = ["DIRECT", "EXAMINATION", "BY", "MR.", "BELL:"]
    order = [*draw(st.lists(st.sampled_from("QA"), min_size=1, max_size=12))]
    number = 3
    for i, mark in enumerate(order):
        words_ = draw(paragraph())
        expected.extend(words_)
        lines.append(f"{number}      {mark}      {' '.join(words_)}")
        number += 1
        if i % 4 == 3:
            lines.extend(["Case 1:20-cv-1 Document 3 Page 2 of 9", "                    2"])
            number = 1
    return "\n".join(lines), expected, sum(1 for _ in groupby(order))


@settings(max_examples=100, deadline=None)
@given(court_scripts())
def test_nothing_is_lost_in_court_transcripts(case: tuple[str, list[str], int]) -> None:
    text, expected, turns = case
    script = parse_text(text)
    got = [w for seg in script.segments for w in seg.text.split()]
    assert Counter(got) == Counter(expected)
    assert len(script.turns) == turns
    # Q is the lawyer the heading names; every A is one witness.
    assert len(script.speakers) <= 2
    assert ("MR. BELL" in script.speaker_names) == any(" Q " in ln for ln in text.splitlines())
