"""Conversational timing and what stage directions become: gaps that adapt, SDH sounds, SSML."""

from __future__ import annotations

from pathlib import Path

import pytest

from audiocast.announce import default_intro, default_outro
from audiocast.model import Gaps
from audiocast.pacing import sound_caption, ssml_break_seconds
from audiocast.parse import parse_text
from audiocast.pipeline import cast_script
from audiocast.plan import Pause, Utterance, build_plan

# Every key a different length, so a gap taken from the wrong key shows.
GAPS = Gaps(
    sentence=0.11, paragraph=0.22, speaker_change=0.33, quick=0.44, topic=0.55, handover=0.66
)


def _gaps(text: str, voices: Path, **kw: object) -> list[tuple[str, float]]:
    """(text, gap) of every utterance; ``Gaps()`` unless ``gaps=`` is given."""
    script = parse_text(text)
    plan = build_plan(script, cast_script(script, engine="fake", voices_dirs=[voices]), **kw)  # type: ignore[arg-type]
    return [(i.text, round(i.gap, 2)) for i in plan.items if isinstance(i, Utterance)]


def test_gaps_adapt_to_the_conversation(fake_voices: Path) -> None:
    said = _gaps(
        "Ann, HOST: Did you plant the oaks last spring?\n\n"
        "Bo: Yes.\n\n"
        "Ann: And the birches, which need a wetter corner of the plot?\n\n"
        "Bo: We planted those later, in the autumn, once the ground had settled.\n\n"
        "Ann: Why then?\n\n"
        "Bo: Because the soil holds water better after the summer.\n",
        fake_voices,
        gaps=GAPS,
    )
    # quick (0.44): a short answer to a question, and after a one- or two-word turn ("Yes.",
    # "Why then?"); speaker_change (0.33) before a full answer and after one.
    assert [g for _, g in said] == [0.0, 0.44, 0.44, 0.33, 0.33, 0.44]


def test_the_default_gaps_are_the_documented_ones(fake_voices: Path) -> None:
    said = _gaps(
        "Ann, HOST: Where do the oaks go? Near the fence.\n\nAnn: Tell me more.\n\n"
        "Bo: We planted those later, once the ground had settled.\n\nAnn: Why?\n\n"
        "Bo: Because the soil holds water.\n\n(BREAK)\n\nAnn: Now for something else.\n",
        fake_voices,
    )
    # docs/production.md: sentence 0.3, paragraph 0.4, speaker_change 0.65, quick 0.3 (after
    # the one-word "Why?"), topic 1.1 (after a break).
    assert [g for _, g in said] == [0.0, 0.3, 0.4, 0.65, 0.65, 0.3, 1.1]


def test_a_new_topic_gets_a_longer_breath(fake_voices: Path) -> None:
    said = _gaps(
        "Ann, HOST: First question, about oaks?\n\nBo: Oaks grow slowly.\n\n"
        "(BREAK)\n\nAnn: Now for something else entirely?\n\nBo: Sure.\n",
        fake_voices,
        gaps=GAPS,
    )
    # topic (0.55) after the break; quick (0.44) for the short answers to the two questions.
    assert [g for _, g in said] == [0.0, 0.44, 0.55, 0.44]


def test_the_first_line_follows_the_intro_after_the_handover(fake_voices: Path) -> None:
    script = parse_text("Ann: Hello there.\n\nBo: Hi.\n")
    casting = cast_script(script, engine="fake", voices_dirs=[fake_voices])
    for gaps, handover in ((None, 0.6), (GAPS, 0.66)):  # docs/production.md: 0.6 by default
        plan = build_plan(script, casting, intro=default_intro(script), gaps=gaps)
        first = next(i for i in plan.items if isinstance(i, Utterance) and i.segment is not None)
        assert first.gap == handover


def test_sounds_are_kept_as_sdh_captions_and_a_cue_only_turn_stays(fake_voices: Path) -> None:
    script = parse_text("Ann: It was this big. [laughs] Really.\n\nBo: [laughs]\n\nAnn: Yes.\n")
    plan = build_plan(script, cast_script(script, engine="fake", voices_dirs=[fake_voices]))
    texts = [i.text for i in plan.items if isinstance(i, Utterance)]
    assert texts[0] == "It was this big. [laughs]"
    assert all("[laughs]" not in i.request.text for i in plan.items if isinstance(i, Utterance))
    pauses = [i for i in plan.items if isinstance(i, Pause) and i.caption]
    assert [(p.caption, p.speaker) for p in pauses] == [("[laughs]", "Bo")]
    assert pauses[0].seconds == 0.6  # docs/production.md: a cue with no length of its own


@pytest.mark.parametrize(
    ("cue", "caption"),
    [
        ("LAUGHTER", "[LAUGHTER]"),
        ("(applause)", "[applause]"),
        ("[pause 2s]", None),
        ("beat", None),
        ("Break", None),
        ("commercial break", None),
    ],
)
def test_only_sounds_are_captioned(cue: str, caption: str | None) -> None:
    assert sound_caption(cue) == caption


@pytest.mark.parametrize(
    ("tag", "seconds"),
    [
        ('<break time="1s"/>', 1.0),
        ("<break time='250ms'/>", 0.25),
        ('<break strength="strong"/>', 0.8),
        ("<break/>", 0.5),
        ('<break time="30s"/>', 10.0),
    ],
)
def test_ssml_break_lengths(tag: str, seconds: float) -> None:
    assert ssml_break_seconds(tag) == pytest.approx(seconds)


def test_an_ssml_break_is_a_pause_not_dropped(fake_voices: Path) -> None:
    said = _gaps('Ann: Wait for it. <break time="1.5s"/> Now.\n', fake_voices)
    assert said == [("Wait for it.", 0.0), ("Now.", 1.8)]  # the sentence gap, 0.3, and the break


@pytest.mark.parametrize(
    ("front", "intro", "outro"),
    [
        (
            "title: Tides\nshow: Coast",
            "Welcome to Coast. Today: Tides, with Bo Lind.",
            "That was Tides, with Bo Lind. Thanks for listening to Coast.",
        ),
        (
            "title: Tides",
            "Hello, and welcome. Today: Tides, with Bo Lind.",
            "That was Tides, with Bo Lind. Thanks for listening.",
        ),
        (
            "show: Coast",
            "Welcome to Coast. Today, my guest is Bo Lind.",
            "My thanks to Bo Lind, and to you for listening to Coast.",
        ),
    ],
)
def test_bumpers_are_worded_as_a_host_would(front: str, intro: str, outro: str) -> None:
    script = parse_text(f"---\n{front}\n---\nAnn Ray, HOST: Hello there.\n\nBo Lind: Hi.\n")
    assert default_intro(script).text == intro
    assert default_outro(script).text == outro
    assert "None" not in intro + outro and "This is:" not in intro


def test_several_guests_are_named_in_one_phrase() -> None:
    script = parse_text("---\ntitle: Roots\n---\nAnn, HOST: Hi.\n\nBo: Hi.\n\nCy: Hi.\n")
    assert default_intro(script).text == "Hello, and welcome. Today: Roots, with Bo and Cy."
