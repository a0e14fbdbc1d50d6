"""audiocast.check: lint rules with stable codes, and the spoken-length estimate."""

from __future__ import annotations

from pathlib import Path

import pytest

from audiocast.check import (
    check_file,
    check_script,
    github_annotation,
    speaker_stats,
    stats_lines,
)
from audiocast.errors import InputError
from audiocast.estimate import Estimate
from audiocast.parse import parse_text

SCRIPTS = Path(__file__).resolve().parent.parent / "scripts"


def _codes(text: str, source: Path | None = None) -> list[tuple[str, int]]:
    return [(f.code, f.line) for f in check_script(parse_text(text, source))]


def test_clean_script_has_no_findings():
    assert _codes("Ann: Hello.\n\nBo: Hi.\n\nAnn: Bye.\n") == []


@pytest.mark.parametrize("name", ["example.txt", "example.yaml"])
def test_the_shipped_examples_are_clean(name: str):
    assert check_file(SCRIPTS / name) == []


def test_no_turns():
    findings = check_script(parse_text("Just some prose.\n\nAnd more prose.\n", Path("a.txt")))
    assert [(f.code, f.line, f.path) for f in findings] == [("no-turns", 1, "a.txt")]
    assert str(findings[0]).startswith("a.txt:1: no speaker turns found")


def test_empty_turn():
    assert _codes("Ann: Hello.\n\nBo:\n\nAnn: Still here?\n") == [("empty-turn", 3)]


def test_similar_label_used_once():
    text = "Dr. Petrova: One.\n\nEd: Two.\n\nDr Petrova: Three.\n\nDr. Petrova: Four.\n"
    findings = check_script(parse_text(text, Path("s.txt")))
    assert [(f.code, f.line) for f in findings] == [("similar-label", 5)]
    assert "'Dr Petrova'" in findings[0].message and "'Dr. Petrova'" in findings[0].message


def test_near_miss_spelling_is_similar_but_distinct_people_are_not():
    assert _codes("Jonathan: a\n\nB: b\n\nJonathan: c\n\nJonathon: d\n") == [("similar-label", 7)]
    play = "First Citizen: a\n\nSecond Citizen: b\n\nFirst Citizen: c\n\nSecond Citizen: d\n"
    assert _codes(play) == []
    assert _codes("Speaker 1: a\n\nSpeaker 2: b\n") == []
    assert _codes("Jean Pierre: a\n\nBo: b\n\nJeanPierre: c\n") == [("similar-label", 5)]


def test_unknown_cast_points_at_the_cast_line():
    text = "---\ntitle: T\ncast:\n  Ann: host-a\n  Zed: guest-a\n  narrator: narrator\n---\n"
    assert _codes(text + "Ann: Hi.\n\nBo: Hello.\n") == [("unknown-cast", 3)]


def test_cast_may_name_an_alias():
    text = "---\ncast:\n  Doe: host-a\n---\nJANE DOE, HOST: Hi.\n\nBo: Yo.\n\nDOE: Bye.\n"
    assert _codes(text) == []


def test_check_file_propagates_input_errors(tmp_path: Path):
    with pytest.raises(InputError):
        check_file(tmp_path / "missing.txt")


def test_speaker_stats_counts_words_and_takes_seconds_from_the_estimate():
    script = parse_text(
        "Intro prose of five words.\n\nAnn: one two three four\n\n(LAUGHTER)\n\n"
        "Bo: five six\n\nAnn: seven\n"
    )
    stats = speaker_stats(script)
    assert [(s.speaker, s.turns, s.words, s.seconds) for s in stats] == [
        ("Ann", 2, 5, 0.0),
        ("Bo", 1, 2, 0.0),
        ("(narration)", 1, 5, 0.0),
    ]
    estimate = Estimate(
        speech=9.0,
        pauses=4.0,
        bumpers=10.0,
        speakers={"Ann": 3.0, "Bo": 1.5, "(narration)": 4.5},
        engine="pyttsx3",
        clips=5,
        cached=2,
    )
    stats = speaker_stats(script, estimate)
    assert [s.seconds for s in stats] == [3.0, 1.5, 4.5]
    lines = stats_lines(stats, estimate)
    assert lines[0] == "  Ann: 2 turns, 5 words, ~0:03"
    assert lines[-2] == "  speech ~0:09, pauses ~0:04, intro/outro ~0:10"
    assert lines[-1] == (
        "  total: 12 words, ~0:23 (pyttsx3 rate measured per voice, "
        "2 of 5 clips already synthesized)"
    )


def test_github_annotation_escapes():
    line = github_annotation("a,b:c.txt", 3, "50% bad\nthing")
    assert line == "::error file=a%2Cb%3Ac.txt,line=3::50%25 bad%0Athing"
