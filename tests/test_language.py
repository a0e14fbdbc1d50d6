"""The episode's language: its voices, how numbers are read, its intro, its tags and page.

Real eSpeak NG voices throughout (the system's 1.51 or the bundled one): the assertions hold
for both, so they compare languages (``de``, region ``GB``), never exact voice ids.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from lxml import etree
from mutagen.id3 import ID3

from audiocast.announce import default_intro, default_outro, unannounced
from audiocast.cli import cli
from audiocast.errors import VoiceError
from audiocast.export.feed import ShowSettings, build_feed
from audiocast.language import chosen_language, num2words_language, primary, region
from audiocast.language_voices import voice_language
from audiocast.normalize import normalize, spoken_form
from audiocast.options import RenderOptions
from audiocast.parse import load_script, parse_text
from audiocast.pipeline import render
from audiocast.prepare import cast_script, prepare
from audiocast.synth.base import get_synthesizer

GERMAN = """\
---
title: Kleine Wälder
show: Grüne Ecke
language: de
---
Anna: Wir haben 21 Bäume gepflanzt.

Ben: Und Dr. Weber kam auch?
"""


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def one_line_error(result: Result) -> str:
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.output
    return lines[0]


@pytest.fixture(scope="module")
def espeak_voices() -> list:
    engine = get_synthesizer("pyttsx3")
    try:
        return engine.voices()
    finally:
        engine.close()


def _language_of(voice_id: str, voices: list) -> str:
    from audiocast.model import VoiceProfile

    tag = voice_language(VoiceProfile(name="x", voice_id=voice_id), voices)
    assert tag is not None, voice_id
    return tag


def _absent_language(voices: list) -> str:
    spoken = {primary(lang) for v in voices for lang in v.languages}
    return next(code for code in ("zu", "xh", "yo", "ig", "wo") if code not in spoken)


def test_a_german_script_renders_with_german_voices_and_numbers(
    tmp_path: Path, espeak_voices: list
) -> None:
    source = tmp_path / "de.txt"
    source.write_text(GERMAN, encoding="utf-8")
    script = load_script(source)
    options = RenderOptions(output=tmp_path / "de.mp3", jobs=1, use_cache=False)
    casting, plan = prepare(script, options)
    for voice in (*casting.voices.values(), casting.narrator):
        assert primary(_language_of(voice.voice_id, espeak_voices)) == "de", voice
    said = [u.request.text for u in plan.utterances]
    assert "Wir haben einundzwanzig Bäume gepflanzt." in said
    assert any("Dr. Weber" in s for s in said)  # English-only "Doctor" is not applied
    assert said[0].startswith("Willkommen bei Grüne Ecke.")  # the German default intro

    result = render(source, options)
    assert result.duration > 2
    assert str(ID3(result.path)["TLAN"]) == "deu"
    page = result.page.read_text(encoding="utf-8") if result.page else ""
    assert '<html lang="de"' in page and 'srclang="de"' in page
    feed = build_feed(tmp_path, ShowSettings(title="Grüne Ecke"), "https://example.com/")
    channel = etree.fromstring(feed).find("channel")
    assert channel is not None and channel.findtext("language") == "de"  # show.yaml has none
    transcripts = channel.findall(".//{*}transcript")
    assert transcripts and {t.get("language") for t in transcripts} == {"de"}
    english = build_feed(tmp_path, ShowSettings(title="S", language="en"), "https://e.com/")
    assert etree.fromstring(english).findtext("channel/language") == "en"


def test_a_language_no_voice_speaks_fails_before_synthesis(
    tmp_path: Path, espeak_voices: list
) -> None:
    code = _absent_language(espeak_voices)
    source = tmp_path / "ep.txt"
    source.write_text(GERMAN.replace("language: de", f"language: {code}"), encoding="utf-8")
    cache = tmp_path / "cache"
    result = run("render", source, "-o", tmp_path / "ep.mp3", "--cache-dir", cache)
    assert result.exit_code == 2
    line = one_line_error(result)
    assert f"'{code}'" in line and "pyttsx3" in line and "audiocast voices" in line
    assert "install" in line
    assert not (tmp_path / "ep.mp3").exists()
    assert not cache.exists() or not any(cache.rglob("*.wav"))  # nothing was synthesized


def test_en_gb_casting_picks_british_voices(espeak_voices: list) -> None:
    script = parse_text("Sam Reyes, HOST: Hello there.\n\nAda: Hi.\n\nBo: Hey.\n\nCy: Good day.\n")
    casting = cast_script(script, language="en-GB")
    for voice in (*casting.voices.values(), casting.narrator):
        tag = _language_of(voice.voice_id, espeak_voices)
        assert primary(tag) == "en" and region(tag) == "GB", (voice.name, tag)
    austrian = cast_script(script, language="de-AT")  # eSpeak has no Austrian voice
    assert {primary(v.voice_id.partition("+")[0]) for v in austrian.voices.values()} == {"de"}
    assert any("other de voices" in w for w in austrian.warnings)
    american = cast_script(script, language="en-US")
    assert {region(_language_of(v.voice_id, espeak_voices)) for v in american.voices.values()} == {
        "US"
    }


def test_a_cast_voice_of_another_language_is_a_warning(tmp_path: Path) -> None:
    source = tmp_path / "de.txt"
    source.write_text(GERMAN, encoding="utf-8")
    result = run("cast", source, "--voice", "Anna=host-a", "--json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert "Anna: voice host-a (en-us) does not speak de" in data["warnings"]
    assert data["speakers"]["Anna"]["voice_id"] == "en-us+m3"
    assert primary(data["speakers"]["Ben"]["voice_id"].partition("+")[0]) == "de"
    shown = run("cast", source, "--voice", "Anna=host-a")
    assert "warning: Anna: voice host-a (en-us) does not speak de" in shown.stderr


def test_the_command_line_language_wins_over_config_over_front_matter(tmp_path: Path) -> None:
    source = tmp_path / "de.txt"
    source.write_text(GERMAN, encoding="utf-8")
    conf = tmp_path / "c.yaml"
    conf.write_text("language: fr-FR\n", encoding="utf-8")

    def languages(*extra: str | Path) -> set[str]:
        result = run("cast", source, "--json", *extra)
        assert result.exit_code == 0, result.stderr
        ids = [s["voice_id"] for s in json.loads(result.stdout)["speakers"].values()]
        return {primary(i.partition("+")[0]) for i in ids}

    assert languages() == {"de"}
    assert languages("--config", conf) == {"fr"}
    assert languages("--config", conf, "--language", "es") == {"es"}


@pytest.mark.parametrize(
    ("where", "text", "key"),
    [
        ("front", "---\nlanguage: xx\n---\nAna: Hallo.\n", "language"),
        ("config", "language: english\n", "language"),
        ("option", "e", "--language"),
    ],
)
def test_a_malformed_language_is_one_line_naming_the_key(
    tmp_path: Path, where: str, text: str, key: str
) -> None:
    source = tmp_path / "ep.txt"
    source.write_text(text if where == "front" else "Ana: Hallo.\n", encoding="utf-8")
    args: list[str | Path] = ["render", source, "-o", tmp_path / "ep.mp3"]
    if where == "config":
        (tmp_path / "c.yaml").write_text(text, encoding="utf-8")
        args += ["--config", tmp_path / "c.yaml"]
    elif where == "option":
        args += ["--language", text]
    result = run(*args)
    assert result.exit_code == 2
    line = one_line_error(result)
    assert key in line and "not a language code" in line
    if where != "option":
        assert ":1:" in line or ":2:" in line  # the file and line of the key
    assert not (tmp_path / "ep.mp3").exists()


def test_numbers_are_read_in_the_episode_language() -> None:
    assert normalize("Wir haben 21 Bäume.", language="de") == "Wir haben einundzwanzig Bäume."
    assert normalize("Il a 21 ans.", language="fr-FR") == "Il a vingt et un ans."
    assert normalize("Tengo 3 gatos.", language="es") == "Tengo tres gatos."
    # English keeps every rule, whatever the region.
    assert normalize("Dr. Li has 21 trees.", language="en-GB") == (
        "Doctor Li has twenty-one trees."
    )


def test_english_only_rules_are_not_applied_to_another_language() -> None:
    text = "Dr. Weber & Co. sahen King Charles III auf example.com #5."
    said = spoken_form(text, language="de")
    for english in ("Doctor", "Company", "the third", "dot", "number", " and "):
        assert english not in said, said
    assert "Dr. Weber" in said and "fünf" in said
    # Decimals, German ordinals and times are the voice's own reading, left as written.
    assert normalize("Am 21. Mai um 10:30 mit 3,5 kg.", language="de") == (
        "Am 21. Mai um 10:30 mit 3,5 kg."
    )
    # A language num2words lacks keeps its digits for the engine.
    assert num2words_language("sw") is None
    assert normalize("Nina 21.", language="sw") == "Nina 21."
    assert num2words_language("fr-CH") == "fr_CH" and num2words_language("de-AT") == "de"


def test_the_default_intro_and_outro_follow_the_language() -> None:
    text = "---\ntitle: T\nshow: S\nlanguage: {}\n---\nAna: Hi.\n\nBo: Yes.\n"
    german = parse_text(text.format("de"))
    assert default_intro(german).text == "Willkommen bei S. Heute: T, mit Bo."
    assert default_outro(german).text == "Das war T, mit Bo. Danke fürs Zuhören bei S."
    assert default_intro(parse_text(text.format("fr"))).text == (
        "Bienvenue dans S. Aujourd'hui : T, avec Bo."
    )
    assert unannounced(german) is None
    swahili = parse_text(text.format("sw"))
    assert default_intro(swahili).text is None and default_intro(swahili).audio == "sting"
    assert "sw" in (unannounced(swahili) or "")
    assert default_intro(parse_text(text.format("en-GB"))).text == (
        "Welcome to S. Today: T, with Bo."
    )


def test_chosen_language_precedence() -> None:
    script = parse_text("---\nlanguage: de\n---\nAna: Hallo.\n")
    assert chosen_language(script) == "de"
    assert chosen_language(script, None, "fr") == "fr"
    assert chosen_language(script, "es", "fr") == "es"
    assert chosen_language(parse_text("Ana: Hi.\n")) == "en"


def test_a_language_without_any_voice_is_an_error_in_cast_script(espeak_voices: list) -> None:
    code = _absent_language(espeak_voices)
    with pytest.raises(VoiceError, match=f"'{code}'"):
        cast_script(parse_text("Ana: Hi.\n"), language=code)


def test_check_takes_the_language_and_refuses_a_bad_one(tmp_path: Path) -> None:
    source = tmp_path / "ep.txt"
    source.write_text("Ana: Am 21. Mai, Dr. Weber.\n", encoding="utf-8")
    bad = run("check", source, "--language", "e")
    assert bad.exit_code == 2 and "--language" in one_line_error(bad)
    assert run("check", source, "--language", "de").exit_code == 0
