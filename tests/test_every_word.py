"""Every word heard (issue 13): ``<`` and ``>`` are text unless they make a real tag, lexicon
values are cleaned like the script, and the render checks what it synthesized against the
script rather than against its own captions.
"""

from __future__ import annotations

import re
import sys
import wave
from pathlib import Path

import pytest
from conftest import run_cli
from hypothesis import given
from hypothesis import strategies as st

from audiocast import plan as plan_module
from audiocast.normalize import Lexicon, normalize, spoken_form
from audiocast.normalize.coverage import lost_words
from audiocast.pipeline import RenderOptions, render


@pytest.mark.parametrize(
    ("text", "heard"),
    [
        ("x < y and y > z", "x less than y and y greater than z"),
        ("Write to <ben@example.com> today.", "Write to ben at example dot com today."),
        ("if a<b and c>d then", "if a less than b and c greater than d then"),
        ("It holds for n <= 3.", "It holds for n less than or equal to three."),
        ("See <https://example.org/notes> now.", "See example dot org slash notes now."),
    ],
)
def test_angle_brackets_are_words_not_markup(text: str, heard: str) -> None:
    assert normalize(text) == heard


@pytest.mark.parametrize(
    "text", ["a <b>bold</b> word", 'a <span class="x">bold</span> word', "a<br/>bold word"]
)
def test_real_html_tags_are_still_dropped(text: str) -> None:
    assert normalize(text).replace("  ", " ") in {"a bold word", "a bold  word"}


@given(st.text(alphabet="ab <>/=\"'&;:.x", max_size=40))
def test_no_angle_bracket_ever_reaches_the_engine(text: str) -> None:
    out = normalize(text)
    assert "<" not in out and ">" not in out


def test_lexicon_values_are_cleaned_like_the_script() -> None:
    lexicon = Lexicon({"Petrova": "peh\x00\x07TROH\x1b[2Jvah <i>x</i>"})
    out = normalize("Petrova met the committee.", lexicon)
    assert not re.search(r"[\x00-\x1f\x7f<>]", out), out
    assert out.endswith("met the committee.")


def test_phoneme_entries_stay_phonemes() -> None:
    assert "[[p@'troUv@]]" in normalize("Petrova", Lexicon({"Petrova": "[[p@'troUv@]]"}))


def test_lost_words_finds_what_a_rule_ate_and_ignores_what_rules_rewrite() -> None:
    assert "and" in lost_words("x < y and y > z", "x z")
    said = "Doctor Ivanova won five dollars in nineteen ninety-nine, PM."
    assert lost_words("Dr. Ivanova won $5 in 1999 (laughs), 3 p.m.", said) == []
    assert lost_words("Call Petrova", "Call peh TROH vah", rewritten=["Petrova"]) == []


def test_a_render_with_allow_lost_words_warns_when_words_never_reached_the_engine(
    tmp_path: Path, fake_voices: Path, write_script, monkeypatch: pytest.MonkeyPatch
) -> None:
    script = write_script("---\ntitle: Words\n---\nAna: Every single word must be heard.\n")
    real = plan_module.normalize
    # A rule that eats words, as the angle-bracket rule once did: the captions still show them.
    monkeypatch.setattr(
        plan_module, "normalize", lambda t, lex=None, language="en": real(t, lex, language)[:10]
    )
    result = render(
        script,
        RenderOptions(
            output=tmp_path / "ep.mp3",
            engine="fake",
            voices_dirs=(fake_voices,),
            jobs=1,
            use_intro=False,
            use_outro=False,
            use_cache=False,
            allow_lost_words=True,
        ),
    )
    assert any("words not spoken" in w and "'heard'" in w for w in result.warnings)
    assert "heard" in " ".join(c.text for c in result.cues)


def _seconds(path: Path) -> float:
    with wave.open(str(path), "rb") as w:
        return w.getnframes() / w.getframerate()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="eSpeak NG")
def test_the_engine_says_the_words_between_angle_brackets(tmp_path: Path) -> None:
    said = {}
    for name, text in {"full": "x < y and y > z", "bare": "x z"}.items():
        done = run_cli("say", text, "-o", tmp_path / f"{name}.wav")
        assert done.returncode == 0, done.stderr
        said[name] = _seconds(tmp_path / f"{name}.wav")
    assert said["full"] > 1.8 * said["bare"], said


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="eSpeak NG")
def test_a_control_character_in_a_lexicon_value_cannot_cut_the_sentence(tmp_path: Path) -> None:
    lexicon = tmp_path / "pronounce.yaml"
    lexicon.write_text('Petrova: "peh\\0TROH\\u0007vah"\n', "utf-8")
    sentence = "Petrova met the committee on a long and rainy afternoon in the old town."
    done = run_cli("say", sentence, "--lexicon", lexicon, "-o", tmp_path / "s.wav")
    assert done.returncode == 0, done.stderr
    assert _seconds(tmp_path / "s.wav") > 2.5


def test_spoken_form_of_a_whole_turn_keeps_the_comparison() -> None:
    assert "less than" in spoken_form("We know x < y. And y > z.")
