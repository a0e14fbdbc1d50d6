"""Layouts decided per document: every family of issue 10, with the traps that look like labels.

Every fixture here is written for the test (no real transcript text)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from audiocast.check import check_script
from audiocast.cli import cli
from audiocast.errors import InputError
from audiocast.parse import ParseOptions, parse_text


def _turns(text: str, **kw: object) -> list[tuple[str | None, str]]:
    script = parse_text(text, **kw)  # type: ignore[arg-type]
    return [(t.speaker, t.text) for t in script.turns]


# -- 1. qualifiers, role prefixes, role-only labels ----------------------------------------


def test_qualifiers_and_role_prefixes_fold_into_one_speaker() -> None:
    text = (
        "Mara Quill (voice-over): The harbour was quiet that year.\n\n"
        "REPORTER Tobias Wren: Why did the boats stay in?\n\n"
        "Mara Quill: Nobody would say.\n\n"
        "Tobias Wren: And the nets?\n"
    )
    script = parse_text(text)
    assert script.speaker_names == ("Mara Quill", "Tobias Wren")
    assert len(script.turns) == 4
    assert script.speakers[1].role == "reporter"


def test_role_only_label_joins_the_one_speaker_with_that_role() -> None:
    text = (
        "Guest: Thanks for having me on.\n\n"
        "Host: Glad you came.\n\n"
        "Ines Kovac (guest): The ferry was late again.\n\n"
        "Host: It usually is.\n"
    )
    script = parse_text(text)
    assert script.speaker_names == ("Ines Kovac", "Host")
    assert [t.speaker for t in script.turns] == ["Ines Kovac", "Host", "Ines Kovac", "Host"]


# -- 2. quoted speech after a label ---------------------------------------------------------


def test_quoted_question_ends_at_its_closing_quote_and_the_presenter_goes_on() -> None:
    text = (
        "Today I will talk about kites and why they fly.\n"
        "The string matters more than you think.\n\n"
        'Audience: "Does the tail help\n'
        'or is it only for looks?"\n\n'
        "It helps, mostly with balance.\n\n"
        'Audience: "What about rain?"\n\n'
        "Rain makes them heavy.\n"
    )
    script = parse_text(text)
    assert [t.speaker for t in script.turns] == ["Presenter", "Audience"] * 2 + ["Presenter"]
    assert script.turns[1].text.endswith('looks?"')


def test_trap_a_quoted_name_colon_in_prose_is_not_a_speaker() -> None:
    text = (
        "Ada Moss: The reviews came in on Monday.\n\n"
        'Harbour Weekly: "A bold record," it said, and that was all.\n\n'
        "Ben Ould: Did you read it?\n\n"
        "Ada Moss: Twice.\n"
    )
    script = parse_text(text)
    assert script.speaker_names == ("Ada Moss", "Ben Ould")
    assert "Harbour Weekly" in script.turns[0].text


# -- 3. a name alone on its line ------------------------------------------------------------


NAME_LINES = """## Opening

Petra
So we start with the map of the valley.

Jonah
Which map?

Petra
The old one, from the library.

## Rivers and roads

Jonah
And the roads on it are still there?

Petra
Most of them.
"""


def test_name_alone_on_its_line_and_headings_are_not_speakers() -> None:
    script = parse_text(NAME_LINES, source=Path("talk.md"))
    assert script.speaker_names == ("Petra", "Jonah")
    assert len(script.turns) == 5
    assert script.layout is not None and script.layout.name == "name-lines"
    narration = [s.text for s in script.segments if s.kind == "narration"]
    assert "Rivers and roads" in narration


def test_trap_a_heading_shaped_like_a_label_is_not_a_speaker() -> None:
    text = "Background\n\nThe town sits on a river.\n\nLena Ortiz: I grew up there.\n"
    script = parse_text(text)
    assert script.speaker_names == ("Lena Ortiz",)


# -- 4. timestamp and name; bold names without a colon -------------------------------------


def test_name_and_timestamp_header_with_no_blank_lines() -> None:
    text = (
        "Oskar 00:01:02:\nWelcome back to the show.\n"
        "Wen- 00:01:09:\nGood to be here.\n"
        "Oskar  00:01:15:\nLet us begin.\n"
    )
    script = parse_text(text)
    assert script.speaker_names == ("Oskar", "Wen")
    assert len(script.turns) == 3


def test_bold_names_with_timestamps_in_markdown() -> None:
    text = (
        "The talk opens with the slides.\n\n"
        "**Audience** 00:10:00\n\nHow big is the dataset?\n\n"
        "**Rosa Lind** 00:10:08\nAbout a terabyte.\n\n"
        "**Audience** 00:10:20\n\nThanks.\n"
    )
    script = parse_text(text, source=Path("talk.md"))
    assert [t.speaker for t in script.turns] == ["Rosa Lind", "Audience", "Rosa Lind", "Audience"]


# -- 5. a label alone, speech after blank lines --------------------------------------------


def test_label_alone_with_the_speech_after_blank_lines() -> None:
    text = "Nils Berg:\n\n\nThe tide came early.\n\nAnna Vik:\n\nIt always does.\n"
    assert _turns(text) == [("Nils Berg", "The tide came early."), ("Anna Vik", "It always does.")]


# -- 6. aliases over the whole document -----------------------------------------------------


def test_initials_declared_then_used() -> None:
    text = (
        "Kira Solis (KS): Welcome.\n\nTheo Marsh (TM): Thanks.\n\nKS: Shall we start?\n\nTM: Yes.\n"
    )
    script = parse_text(text)
    assert script.speaker_names == ("Kira Solis", "Theo Marsh")
    assert script.speakers[0].aliases == ("KS",)


def test_first_name_and_initial_expand_to_the_name_the_text_gives() -> None:
    text = (
        "Mia R.: That was Dorian Pell, who builds organs.\n\n"
        "Dorian P.: Forty years now.\n\n"
        "Mia R.: Forty!\n"
    )
    script = parse_text(text)
    assert script.speaker_names == ("Mia R.", "Dorian Pell")


def test_trap_an_alias_that_would_merge_two_people_is_kept_apart() -> None:
    text = (
        "Host: Today Ann Sorel and Ann Sato join us.\n\n"
        "Ann S.: Hello.\n\n"
        "Mr. Sato: Hello from me too.\n\n"
        "Host: Ann Sato, you start.\n"
    )
    script = parse_text(text)
    assert "Ann S." in script.speaker_names  # two Ann S... in the text: not guessed
    assert "Ann Sato" in script.speaker_names  # one given name before Sato


def test_surname_after_full_name_and_title_case_variants() -> None:
    text = "Dr. Ivo Lenz: Hello.\n\nRosa Kim: Hi.\n\nLENZ: Shall we?\n"
    assert parse_text(text).speaker_names == ("Dr. Ivo Lenz", "Rosa Kim")


def test_transcript_in_a_front_matter_block() -> None:
    text = (
        "---\ntitle: A page\ntranscript: |\n"
        "    **Ola:** First words.\n\n    **Per:** Second words.\n---\n"
    )
    script = parse_text(text, source=Path("page.md"))
    assert [(t.speaker, t.line) for t in script.turns] == [("Ola", 4), ("Per", 6)]


# -- 9. non-Latin labels, full-width colons -------------------------------------------------


def test_cjk_labels_with_full_width_colon_and_initials() -> None:
    text = (
        "林小雨（LX）：大家好。\n\n王大山（WD）：你好。\n\nLX：我们开始吧。\n\n"
        "Иван: Привет.\n\nLX：好的。\n\nsora_k：我也来了。\n\nsora_k：再见。\n"
    )
    script = parse_text(text)
    assert script.speaker_names == ("林小雨", "王大山", "Иван", "sora_k")
    assert script.turns[2].text == "我们开始吧。"


def test_trap_colon_inside_a_sentence_and_a_lowercase_word_are_not_labels() -> None:
    text = (
        "Eva Lund: The rule is simple: nobody leaves early.\n"
        "note: that was a joke.\n\nOtto Falk: Was it?\n"
    )
    script = parse_text(text)
    assert script.speaker_names == ("Eva Lund", "Otto Falk")
    assert "note: that was a joke." in script.turns[0].text


# -- 10. timestamps inside turns ------------------------------------------------------------


def test_stranded_timestamps_are_never_spoken_nor_a_turn_break() -> None:
    text = "Lars Ek: We drove north [00:04:10] for hours.\n\n[00:04:30]\n\nThen it snowed.\n"
    assert _turns(text) == [("Lars Ek", "We drove north for hours.\n\nThen it snowed.")]


# -- anonymous callers, headings inside a turn ---------------------------------------------


def test_consecutive_male_placeholders_are_separate_callers() -> None:
    text = "Host: Your messages.\n\nMale: First call.\n\nMale: Second call.\n\nHost: Thanks.\n"
    assert len(parse_text(text).turns) == 4


def test_heading_between_two_blocks_of_one_speaker_keeps_one_turn() -> None:
    text = "Ana: One.\n\nBo: Two.\n\n# Part two\n\nBo: Three.\n\nAna: Four.\n"
    script = parse_text(text, source=Path("x.md"))
    assert [t.speaker for t in script.turns] == ["Ana", "Bo", "Ana"]
    assert any(s.kind == "narration" and s.text == "Part two" for s in script.segments)


# -- the decision, --explain, check and overrides -------------------------------------------


def test_overrides_speakers_mapping_and_aliases() -> None:
    text = (
        "---\nspeakers:\n  KS: Kira Solis\naliases:\n  TM: Theo Marsh\n---\n"
        "KS: Hello.\n\nTM: Hi.\n\nKS: Bye.\n"
    )
    assert parse_text(text).speaker_names == ("Kira Solis", "Theo Marsh")


def test_declared_speakers_make_a_single_name_line_a_label() -> None:
    text = "Intro words.\n\nGreta\nI speak alone.\n"
    assert not parse_text(text).turns
    forced = parse_text(text, options=ParseOptions(speakers=("Greta",)))
    assert [t.speaker for t in forced.turns] == ["Greta"]


def test_layout_option_forces_and_an_unknown_one_is_an_error() -> None:
    script = parse_text(NAME_LINES, source=Path("t.md"), options=ParseOptions(layout="labels"))
    assert not script.turns
    assert script.layout is not None and script.layout.forced
    codes = {f.code for f in check_script(script)}
    assert "narration-only" in codes
    with pytest.raises(InputError, match="unknown layout"):
        parse_text(NAME_LINES, options=ParseOptions(layout="sideways"))


def test_bad_speakers_value_names_its_line() -> None:
    with pytest.raises(InputError, match=r"<text>:2: 'speakers' must be"):
        parse_text("---\nspeakers: 3\n---\nAna: Hi.\n")


def test_cli_explain_and_check_layout(tmp_path: Path) -> None:
    path = tmp_path / "talk.md"
    path.write_text(NAME_LINES, encoding="utf-8")
    runner = CliRunner()
    out = runner.invoke(cli, ["parse", "--explain", str(path)])
    assert out.exit_code == 0, out.output
    assert "Layout: name-lines" in out.output
    assert "Runner-up: labels" in out.output
    bad = runner.invoke(cli, ["check", "--layout", "labels", str(path)])
    assert bad.exit_code == 1
    assert f"{path}:1: 5 lines look like speaker names but no turn was found" in bad.output
    config = tmp_path / "c.yaml"
    config.write_text("speakers:\n  Petra: Petra Novak\n", encoding="utf-8")
    named = runner.invoke(cli, ["parse", "--config", str(config), str(path)])
    assert "Petra Novak" in named.output


# -- 8. screenplays -------------------------------------------------------------------------

SCREENPLAY = """          INT. LIGHTHOUSE - NIGHT

          Rain on the glass. ODA climbs the stairs.

                              ODA (V.O.)
                    Every night the same ninety steps.

          She stops at the top.

                              ODA
                        (quietly)
                    Ninety-one tonight.

                                                  12.

                              KEEPER
                    Item one: the lamp. Item two: you.

          (4)
          EXT. CLIFF - DAWN

                              ODA (CONT'D)
                    Then we wait.
"""


def test_screenplay_cues_extensions_parentheticals_and_action() -> None:
    script = parse_text(SCREENPLAY)
    assert script.layout is not None and script.layout.name == "screenplay"
    assert script.speaker_names == ("ODA", "KEEPER")
    assert [t.speaker for t in script.turns] == ["ODA", "KEEPER", "ODA"]
    assert script.turns[0].text == "Every night the same ninety steps.\n\nNinety-one tonight."
    assert script.turns[1].text == "Item one: the lamp. Item two: you."  # colons in dialogue
    kinds = [(s.kind, s.text) for s in script.segments]
    assert ("cue", "quietly") in kinds
    assert ("narration", "She stops at the top.") in kinds
    assert ("narration", "INT. LIGHTHOUSE - NIGHT") in kinds
    assert all("12." not in s.text and s.text != "(4)" for s in script.segments)


def test_directions_omit_leaves_scene_headings_and_action_out() -> None:
    script = parse_text(SCREENPLAY, options=ParseOptions(directions="omit"))
    assert [(s.kind, s.speaker) for s in script.segments] == [
        ("turn", "ODA"), ("cue", None), ("turn", "KEEPER"), ("turn", "ODA"),
    ]  # fmt: skip
    assert script.turns[0].text == "Every night the same ninety steps.\n\nNinety-one tonight."
    # The default, and ``narrate`` said outright, read them.
    for options in (None, ParseOptions(directions="narrate")):
        narrated = parse_text(SCREENPLAY, options=options)
        assert ("narration", "She stops at the top.") in [
            (s.kind, s.text) for s in narrated.segments
        ]


def test_directions_in_front_matter_and_its_one_line_error() -> None:
    front = "---\ndirections: omit\n---\n"
    script = parse_text(front + SCREENPLAY)
    assert all(s.kind != "narration" for s in script.segments)
    # A command line's (or config's) ``narrate`` wins over the front matter.
    script = parse_text(front + SCREENPLAY, options=ParseOptions(directions="narrate"))
    assert any(s.text == "She stops at the top." for s in script.segments)
    with pytest.raises(InputError) as caught:
        parse_text("---\ntitle: T\ndirections: skip\n---\n" + SCREENPLAY)
    assert caught.value.line == 3
    assert "'directions' must be narrate or omit" in str(caught.value)


def test_cli_directions_option_over_the_config(tmp_path: Path) -> None:
    path = tmp_path / "play.txt"
    path.write_text(SCREENPLAY, encoding="utf-8")
    config = tmp_path / "c.yaml"
    config.write_text("directions: omit\n", encoding="utf-8")
    runner = CliRunner()
    omitted = runner.invoke(cli, ["check", "--stats", "--config", str(config), str(path)])
    assert omitted.exit_code == 0, omitted.output
    assert "total: 18 words" in omitted.output and "(narration)" not in omitted.output
    narrated = runner.invoke(
        cli, ["check", "--stats", "--config", str(config), "--directions", "narrate", str(path)]
    )
    assert "(narration): 4 paragraphs, 21 words" in narrated.output
    assert "total: 39 words" in narrated.output
    parsed = runner.invoke(cli, ["parse", "--directions", "omit", str(path)])
    assert parsed.exit_code == 0 and "INT. LIGHTHOUSE" not in parsed.output
    assert "Then we wait." in parsed.output
    bad = runner.invoke(cli, ["parse", "--directions", "skip", str(path)])
    assert bad.exit_code == 2
    config.write_text("cast: {}\ndirections: [omit]\n", encoding="utf-8")
    wrong = runner.invoke(cli, ["parse", "--config", str(config), str(path)])
    assert wrong.exit_code == 2
    assert f"{config}:2: 'directions' must be narrate or omit" in wrong.output


# -- 7. court and deposition transcripts ----------------------------------------------------

COURT = """            UNITED STATES DISTRICT COURT
            NORTHERN VALLEY DIVISION
Case 9:99-cv-00001 Document 7 Filed 01/02/03 Page 4 of 9
                                                   4
1      Q      Mrs. Vale, you ran the bakery?
2      A      For ten years, until the flood came and
Case 9:99-cv-00001 Document 7 Filed 01/02/03 Page 5 of 9
                                                   5
1      took the ovens.
2      Q      Thank you.
3                MS. ORTA:     I pass the witness.
4                THE COURT:     Redirect?
5                MR. BELL:     Briefly, Your Honor.
6                       REDIRECT EXAMINATION
7      BY MR. BELL:
8      Q      Who paid for the ovens?
9      A      The insurer did.
10                THE COURT:     You may step down.
11                MR. BELL:     We call Mr. Ivo Sand.
12            IVO SAND, DEFENDANT'S WITNESS, SWORN
13      Q      (By Mr. Bell) Your name?
14      A      Ivo Sand.
"""


def test_court_transcript_q_and_a_belong_to_examiner_and_witness() -> None:
    script = parse_text(COURT)
    assert script.layout is not None and script.layout.name == "court"
    assert [t.speaker for t in script.turns] == [
        "MS. ORTA", "Mrs. Vale", "MS. ORTA", "THE COURT", "MR. BELL", "Mrs. Vale",
        "THE COURT", "MR. BELL", "Ivo Sand",
    ]  # fmt: skip
    # The page break inside an answer: one sentence, no header, no page or line numbers.
    assert script.turns[1].text == "For ten years, until the flood came and took the ovens."
    spoken = " ".join(s.text for s in script.segments)
    assert "Document 7" not in spoken and "DISTRICT COURT" not in spoken
    assert ("narration", "REDIRECT EXAMINATION") in [(s.kind, s.text) for s in script.segments]
