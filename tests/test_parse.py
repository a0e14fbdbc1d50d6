"""The script parser on fixtures of every layout, encodings, front matter and bad input."""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from audiocast.errors import InputError, ScriptError
from audiocast.model import Bumper, Segment
from audiocast.parse import assemble, cues, labels, load_script, parse_text

FIXTURES = Path(__file__).parent / "fixtures" / "scripts"


@pytest.mark.parametrize(
    ("name", "layout", "speakers", "turns"),
    [
        (
            "plain_labels.txt",
            "text",
            ["JANE DOE", "Ms. Jean-Luc Marchand", "Mr. O'Brien", "Dr. Ruth Abebe"],
            7,
        ),
        ("article_title.txt", "text", ["Reporter", "Keeper"], 3),
        ("markdown_bold.md", "markdown", ["Omar Haddad", "Lena Park"], 5),
        ("markdown_headings.md", "markdown", ["Ines Duarte", "Karl Weber"], 4),
        ("timestamps.txt", "text", ["Nora Fields", "Piet Jansen"], 3),
        ("otter.txt", "text", ["Alma Reyes", "Tomas Berg"], 4),
        ("captions.vtt", "webvtt", ["Hana Ito", "Ravi Menon"], 3),
        ("captions.srt", "srt", ["HANA", "RAVI"], 3),
        ("qa.txt", "text", ["Q", "A"], 6),
        ("hearing.txt", "text", ["The CHAIRMAN", "Mr. LINDQVIST", "Ms. OKONJO"], 5),
        ("play.txt", "text", ["First Sailor", "Second Sailor", "CAPTAIN"], 4),
        ("cues.txt", "text", ["Mira Solberg", "Felix Grant"], 4),
        ("script.yaml", "yaml", ["Lea Brun", "Sam Ode"], 4),
        ("frontmatter.md", "markdown", ["Lea Brun", "Sam Ode"], 2),
    ],
)
def test_fixture_speakers_and_turns(name: str, layout: str, speakers: list[str], turns: int):
    script = load_script(FIXTURES / name)
    assert script.format == layout
    assert list(script.speaker_names) == speakers
    assert len(script.turns) == turns
    assert script.source == FIXTURES / name


def _turns(script):
    return [(t.speaker, t.text) for t in script.turns]


# 1. Plain labels -------------------------------------------------------------------------


def test_role_after_comma_and_short_label_folds_into_speaker():
    script = load_script(FIXTURES / "plain_labels.txt")
    jane = script.speakers[0]
    assert (jane.name, jane.role, jane.aliases, jane.line) == ("JANE DOE", "host", ("DOE",), 1)
    assert [t.speaker for t in script.turns].count("JANE DOE") == 3


def test_hard_wrapped_lines_join_and_unlabelled_paragraphs_continue_the_turn():
    script = load_script(FIXTURES / "plain_labels.txt")
    first = script.turns[0].text
    assert first == (
        "Good evening. Tonight we talk about lighthouses with two keepers who still climb "
        "the stairs every night."
    )
    marchand = script.turns[4]
    assert marchand.speaker == "Ms. Jean-Luc Marchand"
    assert marchand.line == 10
    paragraphs = marchand.text.split("\n\n")
    assert len(paragraphs) == 2
    # A colon inside a sentence and a quoted "Name: ..." inside prose are not labels.
    assert "The rule is simple: a light" in paragraphs[0]
    assert paragraphs[1].startswith("My grandmother said it best.")
    assert '"Keeper: never sleep' in paragraphs[1]
    assert "Keeper" not in script.speaker_names


def test_sentence_with_colon_at_line_start_is_not_a_label():
    script = parse_text(
        "Ann Lee: Hello.\n\nHere is the thing: it rained.\n\nThe answer is simple: wait.\n"
    )
    assert script.speaker_names == ("Ann Lee",)
    assert len(script.turns) == 1
    assert "Here is the thing: it rained." in script.turns[0].text


def test_quoted_attribution_is_not_a_speaker():
    text = (
        "MR. DEESE: Let me read two sources.\n\n"
        'Northbank: "Growth looks steady."\n\n'
        "Eastwater Capital: “Demand is strong.”\n"
    )
    script = parse_text(text)
    assert script.speaker_names == ("MR. DEESE",)
    assert script.turns[0].text.count("\n\n") == 2


def test_label_without_blank_line_starts_a_new_turn():
    script = parse_text("Ann: One line\nthat wraps.\nBo: Second speaker.\n")
    assert _turns(script) == [("Ann", "One line that wraps."), ("Bo", "Second speaker.")]


def test_consecutive_labels_of_one_speaker_are_one_turn():
    script = parse_text("Ann: One.\n\nAnn: Two.\n\nBo: Three.\n")
    assert _turns(script) == [("Ann", "One.\n\nTwo."), ("Bo", "Three.")]


def test_role_in_parentheses_and_case_variants_fold():
    script = parse_text("Maya Lin (host): Hi.\n\nGuest: Hello.\n\nMAYA LIN: Welcome.\n")
    assert script.speakers[0].role == "host"
    assert script.speaker_names == ("Maya Lin", "Guest")
    assert script.speakers[0].aliases == ("MAYA LIN",)


def test_label_without_the_title_folds_into_the_titled_speaker():
    script = parse_text("Dr. Ruth Abebe: Hi.\n\nJo: Hello.\n\nRUTH ABEBE: Yes.\n\nAbebe: Bye.\n")
    assert script.speaker_names == ("Dr. Ruth Abebe", "Jo")
    assert script.speakers[0].aliases == ("RUTH ABEBE", "Abebe")


def test_same_surname_with_two_titles_stays_two_people():
    script = parse_text("Mr. SMITH. One.\n\nMrs. SMITH. Two.\n\nSMITH: Three.\n")
    assert script.speaker_names == ("Mr. SMITH", "Mrs. SMITH", "SMITH")


def test_ambiguous_short_label_is_not_folded():
    script = parse_text(
        "First Citizen: One.\n\nSecond Citizen: Two.\n\nCitizen: Three.\n\nFirst Citizen: Four.\n"
    )
    assert script.speaker_names == ("First Citizen", "Second Citizen", "Citizen")


# 2. Article before the interview ---------------------------------------------------------


def test_article_preamble_is_narration_and_heading_is_title():
    script = load_script(FIXTURES / "article_title.txt")
    assert script.title == "A Conversation With the Keeper"
    assert script.title_line == 4
    narration = [s for s in script.segments if s.kind == "narration"]
    # No blank lines and long lines: each line is its own paragraph.
    assert [s.line for s in narration] == [1, 2, 3]
    assert script.segments[3].kind == "turn"
    assert script.turns[-1].speaker == "Reporter"


def test_title_opening_the_file_then_prose():
    script = parse_text("Salt Roads\n\nSome prose about salt.\n\nAnn: Hello.\n")
    assert (script.title, script.title_line) == ("Salt Roads", 1)
    assert [s.kind for s in script.segments] == ["narration", "turn"]


def test_article_subheading_with_colon_is_not_a_speaker():
    script = parse_text("Background:\n\nThe town voted.\n\nAnn: Hi.\n\nBo: Yo.\n")
    assert script.speaker_names == ("Ann", "Bo")
    assert [s.text for s in script.segments[:2]] == ["Background:", "The town voted."]


def test_sentence_before_first_turn_is_not_a_title():
    script = parse_text("We spoke to her on Monday.\n\nAnn: Hello.\n")
    assert script.title is None
    assert script.segments[0].text == "We spoke to her on Monday."


def test_closing_prose_after_rule_or_italics_is_narration():
    script = parse_text(
        "Ann: Hello.\n\nStill Ann.\n\n---\n\nThis interview was edited for length.\n"
    )
    assert [s.kind for s in script.segments] == ["turn", "narration"]
    assert script.turns[0].text == "Hello.\n\nStill Ann."
    md = parse_text("**Ann:** Hello.\n\n*Edited for clarity.*\n", source=Path("x.md"))
    assert [(s.kind, s.text) for s in md.segments] == [
        ("turn", "Hello."),
        ("narration", "Edited for clarity."),
    ]


# 3. Markdown --------------------------------------------------------------------------------


def test_markdown_bold_labels_escapes_bullets_and_break_marker():
    script = load_script(FIXTURES / "markdown_bold.md")
    assert (script.title, script.title_line) == ("The Night Shift", 1)
    kinds = [s.kind for s in script.segments]
    assert kinds[:2] == ["narration", "narration"]
    assert script.segments[0].text == "Guest: Lena Park"
    assert script.turns[0].text == "Welcome back. Lena, you really start at three?"
    assert script.turns[1].text == "Every day. The dough does not wait [laughs]."
    cue = next(s for s in script.segments if s.kind == "cue")
    assert (cue.text, cue.line) == ("Break", 10)
    assert script.turns[3].text.endswith("\n\nSpring is kinder. Everything rises faster.")


def test_markdown_headings_name_speakers_only_when_repeated():
    script = load_script(FIXTURES / "markdown_headings.md")
    assert script.segments[0].text == "Notes"
    assert script.segments[0].kind == "narration"
    assert script.turns[0].line == 5


# 4. Timestamps --------------------------------------------------------------------------


def test_timestamps_around_labels_are_removed():
    script = load_script(FIXTURES / "timestamps.txt")
    assert _turns(script) == [
        ("Nora Fields", "Welcome to the tide report.\n\nHigh water is at noon."),
        ("Piet Jansen", "And low water just after six."),
        ("Nora Fields", "Thanks, Piet. That is all for today."),
    ]
    assert script.turns[2].line == 7


def test_otter_headers_and_consecutive_blocks_merge():
    script = load_script(FIXTURES / "otter.txt")
    assert script.turns[2].text == "Let's start with flour.\n\nWhich kind do you use?"
    assert script.turns[0].line == 1
    md = parse_text("### Ann Bell  0:03  \nHello there.\n\nBo Chan  0:09\nHi.\n", Path("e.md"))
    assert _turns(md) == [("Ann Bell", "Hello there."), ("Bo Chan", "Hi.")]


# 5. Subtitles ---------------------------------------------------------------------------


def test_webvtt_voice_spans_join_and_entities_unescape():
    script = load_script(FIXTURES / "captions.vtt")
    assert script.turns[0].text == "Welcome to Salt & Stone, a show about old roads."
    assert script.turns[1].text == "Glad to be here, really."
    assert script.segments[2].kind == "cue"
    assert script.turns[0].line == 6


def test_srt_name_prefixes_and_continuation_cues():
    script = load_script(FIXTURES / "captions.srt")
    assert script.turns[0].text == "This is the second part of our road trip."
    assert [s.kind for s in script.segments] == ["turn", "turn", "cue", "turn"]


def test_srt_cue_with_two_speakers_on_its_lines():
    text = (
        "1\r\n00:00:01,000 --> 00:00:03,000\r\nIDA: Where to now?\r\nBEN: North, then west.\r\n"
        "\r\n2\r\n00:00:03,000 --> 00:00:05,000\r\nIDA: Fine.\r\n"
    )
    script = parse_text(text, Path("two.srt"))
    assert _turns(script) == [
        ("IDA", "Where to now?"),
        ("BEN", "North, then west."),
        ("IDA", "Fine."),
    ]
    assert [t.line for t in script.turns] == [3, 4, 8]


def test_subtitles_detected_without_extension():
    script = parse_text("WEBVTT\n\n00:00.000 --> 00:01.000\n<v Ann>Hi.\n")
    assert script.format == "webvtt"
    assert _turns(script) == [("Ann", "Hi.")]


# 6. Q/A, hearing, play ----------------------------------------------------------------------


def test_qa_hearing_and_play_layouts():
    qa = load_script(FIXTURES / "qa.txt")
    assert qa.turns[2].text == "Was it ever repaired?"
    assert qa.turns[4].text == "And the crew?"
    hearing = load_script(FIXTURES / "hearing.txt")
    assert hearing.turns[1].text.startswith("Thank you, Mr. Chairman.")
    play = load_script(FIXTURES / "play.txt")
    assert (
        play.turns[0].text
        == "Look, the fog is lifting: I can see the rocks. Hold the wheel steady."
    )
    assert play.turns[3].text == "Aye, captain: lowering now."


def test_q_with_no_break_spaces():
    script = parse_text("Q\u00a0\u00a0 Is it true?\n\nMS. LEE:\u00a0 Yes.\n")
    assert _turns(script) == [("Q", "Is it true?"), ("MS. LEE", "Yes.")]


# 7. Stage directions and speed hints ------------------------------------------------------


def test_cues_never_split_a_turn_and_speed_hints_set_rate():
    script = load_script(FIXTURES / "cues.txt")
    segs = script.segments
    assert segs[0].text == "Welcome to the show.\n\nI said that too loudly, didn't I?"
    assert (segs[1].kind, segs[1].text) == ("cue", "LAUGHTER")
    felix = segs[2]
    assert felix.rate == pytest.approx(0.85)
    assert felix.text == "Only a little. Let me explain slowly.\n\nIt starts with water."
    pause = next(s for s in segs if s.text.startswith("pause"))
    assert pause.pause == pytest.approx(1.5)
    assert [t.rate for t in script.turns] == [None, 0.85, 1.2, 1.15]
    assert {s.text for s in segs if s.kind == "cue"} == {
        "LAUGHTER",
        "pause 1.5s",
        "crosstalk",
        "Archival clip",
        "music",
    }
    assert not {"LAUGHTER", "crosstalk", "music"} & set(script.speaker_names)


# 8. YAML script and front matter --------------------------------------------------------------


def test_yaml_script_segments_lines_chapters_rates():
    script = load_script(FIXTURES / "script.yaml")
    assert script.title == "Rivers"
    assert [s.line for s in script.segments] == [7, 8, 11, 12, 14, 15]
    assert script.segments[1].chapter == "Source"
    assert script.segments[3].pause == 2.0
    assert script.segments[4].rate == pytest.approx(0.85)
    assert script.segments[4].text == "And where does it end?"
    assert script.segments[5].rate == pytest.approx(0.9)
    assert dict(script.metadata.cast) == {"Lea Brun": "host-b", "Sam Ode": "guest-b"}
    assert script.metadata.lines["cast"] == 3


def test_front_matter_metadata_keys_lines_and_bumpers():
    script = load_script(FIXTURES / "frontmatter.md")
    meta = script.metadata
    assert (meta.title, meta.show, meta.author, meta.date) == (
        "Salt Roads",
        "Field Notes",
        "Lea Brun",
        "2026-11-25",
    )
    assert meta.intro == Bumper(audio="intro.mp3")
    assert meta.outro == Bumper(text="Thanks for listening to Field Notes.")
    assert dict(meta.extra) == {"chapters": True, "mood": "calm"}
    assert meta.lines["cast"] == 6
    assert script.title_line == 14
    assert script.turns[0].line == 16


@pytest.mark.parametrize("name", ["jingle.aac", "JINGLE.AAC", "sting.opus"])
def test_every_audio_extension_in_front_matter_is_audio_not_text(name: str) -> None:
    """Issue 12 bug 5: ``intro: jingle.aac`` was spoken as text, the parser's extension list
    having drifted from the mixer's."""
    script = parse_text(f"---\nintro: {name}\noutro: {name}\n---\nAnn: Hello.\n")
    assert script.metadata.intro == Bumper(audio=name)
    assert script.metadata.outro == Bumper(audio=name)


def test_bumper_mapping_and_explicit_flag():
    script = parse_text(
        "---\nintro:\n  audio: jingle.ogg\n  text: Hello\nexplicit: yes\nlanguage: de\n---\n"
        "Ann: Hallo.\n"
    )
    assert script.metadata.intro == Bumper(audio="jingle.ogg", text="Hello")
    assert script.metadata.explicit is True
    assert script.metadata.language == "de"


def test_invalid_front_matter_names_file_and_line(tmp_path: Path):
    path = tmp_path / "script.md"
    path.write_text("---\ntitle: A\nshow: B\nauthor: C: D\n---\nAnn: Hi.\n", encoding="utf-8")
    with pytest.raises(InputError) as exc:
        load_script(path)
    assert str(exc.value) == (
        f"{path}:4: invalid YAML front matter: mapping values are not allowed here "
        "(fix the YAML syntax)"
    )


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ("title: A\nsegments:\n  - Ann: Hi\n  - 42\n", 4, "a segment must be"),
        ("title: A\nsegments:\n  - speaker: Ann\n    text: Hi\n    rate: fast\n", 3, "rate"),
        ("title: A\nsegments: {Ann: Hi}\n", 2, "must be a list"),
        ("title: A\n", 1, "needs a 'segments:' list"),
        ("title: [A\nsegments: []\n", 2, "invalid YAML script"),
        ("cast: nobody\nsegments:\n  - Ann: Hi\n", 1, "metadata 'cast'"),
        # PyYAML keeps the last of two equal keys: the first list of turns would vanish.
        ("segments:\n  - Ann: Hi\nsegments:\n  - Bo: Yo\n", 3, "'segments' is written twice"),
        ("segments:\n  - Ann: Hi\n    Ann: Again\n", 3, "'Ann' is written twice"),
        # Well-formed YAML that PyYAML cannot build: one line, not an internal error.
        ("title: A\ndate: 2024-13-45\nsegments:\n  - Ann: Hi\n", 2, "month must be"),
    ],
)
def test_yaml_script_errors(tmp_path: Path, text: str, line: int, fragment: str):
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as exc:
        load_script(path)
    assert exc.value.line == line
    assert fragment in str(exc.value)
    assert str(path) in str(exc.value)


def test_metadata_wrong_shape_is_a_script_error():
    with pytest.raises(ScriptError, match="metadata 'explicit'"):
        parse_text("---\nexplicit: maybe\n---\nAnn: Hi.\n")


# 9. Encodings and line endings ------------------------------------------------------------

TEXT = "---\ntitle: Café\n---\nRenée Côté: Déjà vu – “quoted” at 5 €.\n\nBo: Ça va.\n"


@pytest.mark.parametrize(
    "encode",
    [
        lambda t: t.encode("utf-8"),
        lambda t: codecs.BOM_UTF8 + t.encode("utf-8"),
        lambda t: t.encode("utf-16"),
        lambda t: codecs.BOM_UTF16_BE + t.encode("utf-16-be"),
        lambda t: t.encode("cp1252"),
        lambda t: t.replace("\n", "\r\n").encode("utf-8"),
        lambda t: t.replace("\n", "\r\n").encode("utf-16-le").join([codecs.BOM_UTF16_LE, b""]),
    ],
    ids=["utf8", "utf8-bom", "utf16", "utf16-be", "cp1252", "crlf", "utf16-crlf"],
)
def test_encodings_and_line_endings_read_the_same(tmp_path: Path, encode):
    path = tmp_path / "enc.txt"
    path.write_bytes(encode(TEXT))
    script = load_script(path)
    assert script.title == "Café"
    assert _turns(script) == [("Renée Côté", "Déjà vu – “quoted” at 5 €."), ("Bo", "Ça va.")]
    assert script.turns[1].line == 6


# Bad input ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty script"),
        (b"  \n\t\n", "empty script"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary data"),
        (bytes(range(1, 32)) * 20, "binary data"),
    ],
)
def test_unusable_files_raise_input_error(tmp_path: Path, content: bytes, message: str):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(InputError, match=message) as exc:
        load_script(path)
    assert str(path) in str(exc.value)
    assert exc.value.exit_code == 2


def test_missing_file_and_directory(tmp_path: Path):
    with pytest.raises(InputError, match="no such file"):
        load_script(tmp_path / "nope.txt")
    with pytest.raises(InputError, match="is a directory"):
        load_script(tmp_path)


def test_impossible_date_in_front_matter_names_its_line():
    with pytest.raises(InputError) as exc:
        parse_text("---\ntitle: A\ndate: 2024-02-30\n---\nAnn: Hi.\n")
    assert exc.value.line == 3


def test_unclosed_front_matter():
    with pytest.raises(InputError, match="never closed"):
        parse_text("---\ntitle: A\nAnn: Hi.\n")


# Size -------------------------------------------------------------------------------------------


def test_five_megabyte_script_parses_correctly():
    block = (
        "Ann Lee: Here is a sentence with a colon: it is not a label. And another one that\n"
        "wraps onto a second line, as printed transcripts do.\n\n"
        "(LAUGHTER)\n\n"
        "Dr. Bo Chen: A reply with numbers 1, 2 and 3, and 'quotes'.\n\n"
        "It continues in a second paragraph.\n\n"
    )
    count = 5_000_000 // len(block) + 1
    script = parse_text(block * count)
    assert len(script.turns) == 2 * count
    assert script.speaker_names == ("Ann Lee", "Dr. Bo Chen")
    assert sum(1 for s in script.segments if s.kind == "cue") == count
    assert script.turns[-1].text == (
        "A reply with numbers 1, 2 and 3, and 'quotes'.\n\nIt continues in a second paragraph."
    )


def test_pathological_lines_stay_linear():
    # Long runs that could make a backtracking regex explode; correctness is what we assert.
    nasty = "A" * 50_000 + ":" + " x" * 1000 + "\n\n" + "*" * 100_000 + "\n\n" + "[" * 50_000
    script = parse_text("Ann: Hi.\n\n" + nasty + "\n", source=Path("n.md"))
    assert script.speaker_names == ("Ann",)


class _CountedPattern:
    """A compiled pattern that counts the lines it is tried on."""

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern = pattern
        self.tries = 0

    def match(self, text: str) -> re.Match[str] | None:
        self.tries += 1
        return self.pattern.match(text)


def test_a_line_of_prose_is_not_tried_against_every_label_pattern(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Most lines of a transcript are prose: the cheap checks (first character, a colon) must
    # rule out the shapes that cannot match before any pattern runs.
    counted = {}
    for module, name in [
        (labels, "LEADING_TS"), (labels, "LABEL_TS_COLON"), (labels, "LABEL_COLON"),
        (labels, "QA"), (labels, "HEARING"), (labels, "OTTER"), (labels, "CAPS_ALONE"),
        (labels, "ANNOTATION"), (labels, "TIMESTAMP_LINE"), (cues, "_CUE_LINE"),
    ]:  # fmt: skip
        counted[name] = _CountedPattern(getattr(module, name))
        monkeypatch.setattr(module, name, counted[name])
    prose = [
        "Rivers run north, slowly, and we said so again and again (really)",
        "and then the harbour opened at dawn, as it always had [it seems]",
        "Paris in the morning was quiet; nobody was there to see it.",
    ]
    script = parse_text("Ann Lee: Hello there.\n" + "\n".join(prose * 50) + "\n")
    assert script.speaker_names == ("Ann Lee",)
    assert len(script.turns) == 1
    assert {name: c.tries for name, c in counted.items() if c.tries} == {"LABEL_COLON": 1}


def test_a_rule_between_every_turn_is_one_pass_over_the_segments() -> None:
    reads = 0

    @dataclass(frozen=True)
    class CountedSegment(Segment):
        def __getattribute__(self, name: str) -> object:
            nonlocal reads
            reads += name == "line"
            return super().__getattribute__(name)

    n = 2000
    segments = [CountedSegment("turn", f"Turn {i}.", 4 * i + 1, "Ann") for i in range(n)]
    rules = [4 * i + 3 for i in range(n - 1)]
    marked = assemble._mark_parts(segments, rules)
    assert [seg.chapter for seg in marked] == [None] + [""] * (n - 1)
    assert reads < 10 * n  # scanning from the start for each rule: n^2 / 2


@pytest.mark.parametrize("line", ["__ :__ and more words", "** **: and more words"])
def test_bold_markers_around_no_name_are_prose(line: str):
    # Bold markers holding only a space and a colon: no name, so no label (it used to crash).
    script = parse_text(f"Ann: Hi.\n\n{line}\n", source=Path("n.md"))
    assert script.speaker_names == ("Ann",)
    assert "and more words" in script.turns[0].text


@pytest.mark.parametrize(
    ("text", "layout"),
    [
        ("1\n00:00:01,000 --> 00:00:02,000\nANN: Hi.\n", "srt"),
        ("title: T\nsegments:\n  - Ann: Hi.\n", "yaml"),
        ("# T\n\n**Ann:** Hi.\n\n**Bo:** Yo.\n", "markdown"),
        ("Ann: Hi.\n\nBo: Yo.\n", "text"),
    ],
)
def test_layout_detected_from_content(text: str, layout: str):
    script = parse_text(text)
    assert script.format == layout
    assert len(script.turns) >= 1
