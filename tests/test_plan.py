"""The plan: every sentence of every turn becomes one request, in order, with the right voice
and gap; cues become pauses; bumpers are spoken by the narrator."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from audiocast.announce import default_intro, default_outro
from audiocast.casting import Casting
from audiocast.model import Bumper, Gaps, Script
from audiocast.parse import load_script
from audiocast.pipeline import cast_script
from audiocast.plan import (
    BumperPlan,
    Pause,
    Utterance,
    build_plan,
    speech_units,
)

TEXT = """\
---
title: Rain Barrels
show: Water Week
---
Ines, HOST: Do rain barrels help? I keep hearing they do.

Ines: Tell me more.

Tom: They do. One barrel holds two hundred litres.

[laughs]

Tom: Empty it before a storm.
"""


@pytest.fixture
def parsed(tmp_path: Path) -> Script:
    path = tmp_path / "rain.txt"
    path.write_text(TEXT, "utf-8")
    return load_script(path)


@pytest.fixture
def casting(parsed: Script, fake_voices: Path) -> Casting:
    return cast_script(parsed, engine="fake", voices_dirs=[fake_voices])


def test_one_request_per_sentence_in_order(parsed: Script, casting: Casting) -> None:
    plan = build_plan(parsed, casting)
    said = [i for i in plan.items if isinstance(i, Utterance)]
    assert [u.request for u in said] == plan.requests
    assert [u.text for u in said] == [
        "Do rain barrels help?",
        "I keep hearing they do.",
        "Tell me more.",
        "They do.",
        "One barrel holds two hundred litres.",
        "Empty it before a storm.",
    ]
    script_words = [w for s in parsed.turns for w in s.text.split()]
    assert [w for u in said for w in u.text.split()] == script_words


def test_voices_and_gaps(parsed: Script, casting: Casting) -> None:
    gaps = Gaps(sentence=0.1, paragraph=0.2, speaker_change=0.7)
    said = [i for i in build_plan(parsed, casting, gaps=gaps).items if isinstance(i, Utterance)]
    host, guest = casting.voices["Ines"], casting.voices["Tom"]
    assert host != guest
    assert [u.request.voice for u in said] == [host, host, host, guest, guest, guest]
    assert [u.gap for u in said] == [0.0, 0.1, 0.2, 0.7, 0.1, 0.2]
    assert [u.new_cue for u in said] == [True, False, True, True, False, True]


def test_cues_become_pauses(parsed: Script, casting: Casting) -> None:
    items = build_plan(parsed, casting).items
    pauses = [i for i in items if isinstance(i, Pause)]
    # "[laughs]" gives no length: docs/production.md's 0.6 s for a cue, captioned as the sound.
    assert [(p.seconds, p.caption) for p in pauses] == [(0.6, "[laughs]")]


def test_bumpers_are_spoken_by_the_narrator(parsed: Script, casting: Casting) -> None:
    intro, outro = default_intro(parsed), default_outro(parsed)
    assert intro.audio == "sting" and "Water Week" in (intro.text or "")
    assert "Rain Barrels" in (outro.text or "")
    plan = build_plan(parsed, casting, intro=intro, outro=Bumper(text="Bye now."))
    first, last = plan.items[0], plan.items[-1]
    assert isinstance(first, BumperPlan) and first.kind == "intro" and first.music == "sting"
    assert isinstance(last, BumperPlan) and last.music is None
    assert [u.text for u in last.utterances] == ["Bye now."]
    for bumper in (first, last):
        assert all(u.request.voice == casting.narrator for u in bumper.utterances)
        assert all(u.speaker == "Narrator" and u.segment is None for u in bumper.utterances)
    assert plan.requests[0].voice == casting.narrator


def test_only_some_segments(parsed: Script, casting: Casting) -> None:
    plan = build_plan(parsed, casting, segments=[1])
    assert [u.text for u in plan.items if isinstance(u, Utterance)] == [
        "They do.",
        "One barrel holds two hundred litres.",
        "Empty it before a storm.",
    ]
    assert plan.items[0].gap == 0.0  # type: ignore[union-attr]


def test_speech_units_drop_empty_pieces() -> None:
    assert speech_units("  One.   Two!  ") == ["One.", "Two!"]
    assert speech_units("   ") == []


def test_a_sentence_of_punctuation_alone_is_not_spoken(fake_voices: Path) -> None:
    from audiocast.parse import parse_text

    script = parse_text("Ann: Are you there?\n\nBo: .\n\nAnn: Hello? ... Anyone?\n\nBo: Yes.\n")
    plan = build_plan(script, cast_script(script, engine="fake", voices_dirs=[fake_voices]))
    assert [r.text for r in plan.requests] == ["Are you there?", "Hello?", "Anyone?", "Yes."]


def test_stage_directions_inside_a_turn_become_pauses_where_they_stand(fake_voices: Path) -> None:
    from audiocast.parse import parse_text

    script = parse_text(
        "Ann: I told him so. (LAUGHTER) And he listened. [pause 2s] Then we left.\n\nBo: Yes.\n"
    )
    plan = build_plan(script, cast_script(script, engine="fake", voices_dirs=[fake_voices]))
    said = [(item.text, round(item.gap, 2)) for item in plan.items if isinstance(item, Utterance)]
    gaps = Gaps()
    assert said == [
        ("I told him so. [LAUGHTER]", 0.0),
        ("And he listened.", round(gaps.sentence + 0.6, 2)),
        ("Then we left.", round(gaps.sentence + 2.0, 2)),
        ("Yes.", gaps.speaker_change),
    ]
    assert all("(" not in item.request.text for item in plan.items if isinstance(item, Utterance))


@pytest.mark.parametrize(
    ("front", "intro", "outro"),
    [
        ("title: Tides\nshow: Coast", "Welcome to Coast. Today: Tides.", "That was Tides."),
        (
            "title: Tides",
            "Hello, and welcome. Today: Tides.",
            "That was Tides. Thanks for listening.",
        ),
        ("show: Coast", "Welcome to Coast.", "Thanks for listening to Coast."),
    ],
)
def test_default_bumpers_announce_what_the_script_names(front: str, intro: str, outro: str) -> None:
    from audiocast.parse import parse_text

    script = parse_text(f"---\n{front}\n---\nAnn: Hello there.\n")
    assert default_intro(script).text == intro
    assert (default_outro(script).text or "").startswith(outro)
    assert default_intro(script).audio == "sting"


def test_planning_and_config_do_not_load_the_mixer() -> None:
    """``Gaps`` and the audio extensions live in model.py: planning needs no pydub."""
    code = (
        "import sys, audiocast.plan, audiocast.config; "
        "print('pydub' in sys.modules, 'audiocast.mix' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]
