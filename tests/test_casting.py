"""Casting: explicit cast, then host/guest/panel profiles, the narrator, and running out."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

import pytest

from audiocast.casting import Casting, cast
from audiocast.errors import VoiceError
from audiocast.model import Metadata, Script, Segment, Speaker, VoiceProfile
from audiocast.synth.pyttsx3_backend import Pyttsx3Synthesizer
from audiocast.voices import load_profiles

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="eSpeak NG ids")


@pytest.fixture(scope="module")
def profiles(tmp_path_factory: pytest.TempPathFactory) -> dict[str, VoiceProfile]:
    """The built-ins only, whatever ./voices/ the tests happen to run beside."""
    here = Path.cwd()
    os.chdir(tmp_path_factory.mktemp("elsewhere"))
    try:
        return load_profiles()
    finally:
        os.chdir(here)


@pytest.fixture(scope="module")
def engine() -> Pyttsx3Synthesizer:
    return Pyttsx3Synthesizer()


def script(
    names: Sequence[str],
    cast_map: Mapping[str, str] | None = None,
    roles: Mapping[str, str] | None = None,
    aliases: Mapping[str, tuple[str, ...]] | None = None,
) -> Script:
    roles, aliases = roles or {}, aliases or {}
    segments = [Segment("narration", "An article paragraph.", 1)]
    segments += [Segment("turn", f"Line from {n}.", i + 2, speaker=n) for i, n in enumerate(names)]
    segments.append(Segment("cue", "(LAUGHTER)", len(names) + 2))
    return Script(
        title="Test",
        segments=tuple(segments),
        speakers=tuple(
            Speaker(n, roles.get(n), aliases.get(n, ()), line=i + 2) for i, n in enumerate(names)
        ),
        metadata=Metadata(cast=dict(cast_map or {}), lines={"cast": 4}),
        source=Path("/shows/ep1.md"),
    )


def names_of(casting: Casting) -> dict[str, str]:
    return {speaker: p.name for speaker, p in casting.voices.items()}


def sounds(casting: Casting) -> set[tuple[str, int, int]]:
    return {(p.voice_id, p.pitch, p.rate) for p in casting.voices.values()}


def test_interview_first_speaker_hosts_and_narration_gets_the_narrator(
    profiles: dict[str, VoiceProfile],
) -> None:
    s = script(["JANE DOE", "SAM LEE"])
    casting = cast(s, profiles)
    assert names_of(casting) == {"JANE DOE": "host-a", "SAM LEE": "guest-a"}
    assert casting.narrator.name == "narrator"
    assert casting.warnings == ()
    narration, jane, sam, cue = s.segments
    assert casting.voice_for(narration) is casting.narrator
    assert casting.voice_for(cue) is casting.narrator
    assert casting.voice_for(jane).name == "host-a"
    assert casting.voice_for(sam).name == "guest-a"


def test_a_speaker_with_the_host_role_gets_the_host_voice(
    profiles: dict[str, VoiceProfile],
) -> None:
    casting = cast(script(["GUEST", "ANCHOR", "OTHER"], roles={"ANCHOR": "host"}), profiles)
    assert names_of(casting) == {"GUEST": "guest-a", "ANCHOR": "host-a", "OTHER": "guest-b"}


def test_two_hosts_get_both_host_profiles(profiles: dict[str, VoiceProfile]) -> None:
    casting = cast(script(["A", "B", "C"], roles={"A": "host", "B": "co-host"}), profiles)
    assert names_of(casting) == {"A": "host-a", "B": "host-b", "C": "guest-a"}


def test_same_script_same_casting_and_cast_order_does_not_matter(
    profiles: dict[str, VoiceProfile],
) -> None:
    names = ["ANA", "BEN", "CY", "DEE"]
    one = cast(script(names, {"CY": "panel-3", "ANA": "guest-b"}), profiles)
    two = cast(script(names, {"ANA": "guest-b", "CY": "panel-3"}), profiles)
    again = cast(script(names, {"CY": "panel-3", "ANA": "guest-b"}), profiles)
    assert names_of(one) == names_of(two) == names_of(again)
    assert one == again
    assert one.voices["CY"].name == "panel-3" and one.voices["ANA"].name == "guest-b"


def test_explicit_profiles_are_not_reused_by_automatic_casting(
    profiles: dict[str, VoiceProfile],
) -> None:
    casting = cast(script(["HOST", "GUEST", "THIRD"], {"GUEST": "host-a"}), profiles)
    assert names_of(casting) == {"HOST": "host-b", "GUEST": "host-a", "THIRD": "guest-a"}
    assert casting.sources == {"HOST": "auto", "GUEST": "cast", "THIRD": "auto"}


def test_cast_keys_match_names_and_aliases_ignoring_case(
    profiles: dict[str, VoiceProfile],
) -> None:
    s = script(
        ["JANE DOE", "SAM"], {"jane  doe": "panel-1", "Lee": "panel-2"}, aliases={"SAM": ("LEE",)}
    )
    assert names_of(cast(s, profiles)) == {"JANE DOE": "panel-1", "SAM": "panel-2"}


def test_overrides_win_over_the_script_cast(profiles: dict[str, VoiceProfile]) -> None:
    s = script(["A", "B"], {"A": "panel-1", "B": "panel-2"})
    casting = cast(s, profiles, overrides={"a": "guest-b"})
    assert names_of(casting) == {"A": "guest-b", "B": "panel-2"}


def test_a_cast_entry_that_matches_no_speaker_is_an_error(
    profiles: dict[str, VoiceProfile],
) -> None:
    with pytest.raises(VoiceError) as err:
        cast(script(["Alice", "Bob"], {"Alise": "panel-8", "narrator": "panel-7"}), profiles)
    assert "'Alise' matches no speaker" in str(err.value)
    assert "did you mean Alice?" in str(err.value) and err.value.line == 4
    # A --voice override must match too, with near matches...
    with pytest.raises(VoiceError, match=r"--voice 'Bobb'.*did you mean Bob\?"):
        cast(script(["Alice", "Bob"]), profiles, overrides={"Bobb": "panel-8"}, strict=["Bobb"])
    # ...but a --config file serves many episodes: its entries for absent speakers stay quiet.
    quiet = cast(script(["Alice"]), profiles, overrides={"Bob": "panel-8"})
    assert quiet.warnings == ()


def test_narrator_key_sets_the_narrator(profiles: dict[str, VoiceProfile]) -> None:
    casting = cast(script(["A", "B"], {"narrator": "panel-8"}), profiles)
    assert casting.narrator.name == "panel-8"
    assert "panel-8" not in names_of(casting).values()


def test_a_speaker_called_narrator_speaks_with_the_narrator(
    profiles: dict[str, VoiceProfile],
) -> None:
    casting = cast(script(["NARRATOR", "ROMEO", "JULIET"]), profiles)
    assert casting.voices["NARRATOR"] is casting.narrator
    assert names_of(casting)["ROMEO"] == "host-a"


def test_unknown_profile_names_speaker_value_line_and_near_matches(
    profiles: dict[str, VoiceProfile],
) -> None:
    with pytest.raises(VoiceError) as err:
        cast(script(["JANE", "SAM"], {"SAM": "gest-a"}), profiles)
    message = str(err.value)
    assert message.startswith(f"{Path('/shows/ep1.md')}:4: cast: SAM: ")
    assert "'gest-a'" in message and "guest-a" in message


def test_unknown_override_names_the_config_file(profiles: dict[str, VoiceProfile]) -> None:
    with pytest.raises(VoiceError) as err:
        cast(script(["JANE"]), profiles, {"JANE": "hots-b"}, overrides_path=Path("render.yaml"))
    assert str(err.value).startswith("render.yaml: cast: JANE: ")
    assert "host-b" in str(err.value)


@linux_only
def test_explicit_engine_voice_id(
    profiles: dict[str, VoiceProfile], engine: Pyttsx3Synthesizer
) -> None:
    casting = cast(script(["A", "B"], {"B": "en-gb-x-rp+f4"}), profiles, engine=engine)
    assert casting.voices["B"].voice_id == "en-gb-x-rp+f4"
    assert casting.voices["B"].engine == "pyttsx3"
    assert casting.voices["A"].name == "host-a"


@linux_only
def test_unknown_engine_voice_id_lists_engine_near_matches(
    profiles: dict[str, VoiceProfile], engine: Pyttsx3Synthesizer
) -> None:
    with pytest.raises(VoiceError) as err:
        cast(script(["A", "B"], {"B": "en-us+f9"}), profiles, engine=engine)
    message = str(err.value)
    assert "cast: B:" in message and "'en-us+f9'" in message and "en-us+f" in message


@linux_only
def test_auto_cast_profiles_are_checked_by_the_engine(engine: Pyttsx3Synthesizer) -> None:
    custom = {
        "narrator": VoiceProfile("narrator", "en-gb-x-rp", roles=("narrator",)),
        "host-x": VoiceProfile("host-x", "en-uss+m3", roles=("host",)),
    }
    with pytest.raises(VoiceError, match="en-uss"):
        cast(script(["A"]), custom, engine=engine)


def test_panel_of_six_all_distinct(profiles: dict[str, VoiceProfile]) -> None:
    s = script(["MODERATOR", "P1", "P2", "P3", "P4", "P5"], roles={"MODERATOR": "moderator"})
    casting = cast(s, profiles)
    assert casting.voices["MODERATOR"].name == "host-a"
    assert len(set(names_of(casting).values())) == 6
    assert len(sounds(casting)) == 6
    assert casting.narrator not in casting.voices.values()
    assert casting.warnings == ()


def test_play_with_twelve_characters_all_distinct(profiles: dict[str, VoiceProfile]) -> None:
    characters = [f"CHARACTER {i}" for i in range(1, 13)]
    casting = cast(script(characters), profiles)
    assert len(set(names_of(casting).values())) == 12
    assert len(sounds(casting)) == 12
    assert "narrator" not in names_of(casting).values()
    assert casting.warnings == ()
    assert casting.distinct_voices == 12


def test_running_out_derives_distinct_voices_and_warns(
    profiles: dict[str, VoiceProfile],
) -> None:
    characters = [f"C{i}" for i in range(15)]
    casting = cast(script(characters), profiles)
    derived = [n for n, how in casting.sources.items() if how == "derived"]
    assert derived == ["C12", "C13", "C14"]
    assert all("~" in casting.voices[n].name for n in derived)
    assert len(sounds(casting)) == 15
    assert all(0 <= p.pitch <= 100 and 80 <= p.rate <= 450 for p in casting.voices.values())
    assert len(casting.warnings) == 1
    assert casting.warnings[0].startswith("15 speakers but 12 distinct voice profiles")
    assert "C14" in casting.warnings[0]


def test_tiny_profile_set_still_gives_distinct_voices() -> None:
    custom = {
        "narrator": VoiceProfile("narrator", "en-gb-x-rp", roles=("narrator",)),
        "solo": VoiceProfile("solo", "en-us", roles=("host",)),
    }
    casting = cast(script(["A", "B", "C", "D"]), custom)
    assert casting.voices["A"].name == "solo"
    assert len(sounds(casting)) == 4
    assert "narrator" not in names_of(casting).values()
    assert casting.warnings and "4 speakers but 1 distinct" in casting.warnings[0]


def test_shared_explicit_voice_is_reported(profiles: dict[str, VoiceProfile]) -> None:
    casting = cast(script(["A", "B"], {"A": "guest-a", "B": "guest-a"}), profiles)
    assert casting.warnings == ("A, B share the voice guest-a",)


def test_turn_by_an_uncast_speaker_is_a_clear_error(profiles: dict[str, VoiceProfile]) -> None:
    casting = cast(script(["A"]), profiles)
    with pytest.raises(VoiceError, match="'Z' has no voice"):
        casting.voice_for(Segment("turn", "Hi.", 9, speaker="Z"))


def test_speakers_found_only_in_turns_are_cast(profiles: dict[str, VoiceProfile]) -> None:
    s = Script("t", (Segment("turn", "Hi.", 1, "X"), Segment("turn", "Yo.", 2, "Y")))
    assert names_of(cast(s, profiles)) == {"X": "host-a", "Y": "guest-a"}


def test_to_dict_is_json_safe(profiles: dict[str, VoiceProfile]) -> None:
    casting = cast(script(["A", "B"], {"B": "panel-4"}), profiles)
    data = json.loads(json.dumps(casting.to_dict()))
    assert data["narrator"]["name"] == "narrator"
    assert [(s["speaker"], s["name"], s["source"]) for s in data["speakers"]] == [
        ("A", "host-a", "auto"),
        ("B", "panel-4", "cast"),
    ]
    assert data["warnings"] == []


def test_titles_and_hints_cast_by_gender_and_cast_says_why(
    profiles: dict[str, VoiceProfile],
) -> None:
    from audiocast.gender import voice_gender

    s = script(
        ["Mr. Tom Hale", "Ms. Ada Lee", "Mrs. Jo Park", "Robin"], roles={"Mr. Tom Hale": "host"}
    )
    meta = Metadata(extra={"speakers": {"Robin": {"gender": "male"}}}, lines={})
    s = Script(s.title, s.segments, s.speakers, meta, s.source)
    casting = cast(s, profiles)
    genders = {n: voice_gender(p) for n, p in casting.voices.items()}
    assert genders == {
        "Mr. Tom Hale": "male",
        "Ms. Ada Lee": "female",
        "Mrs. Jo Park": "female",
        "Robin": "male",
    }
    assert casting.reasons["Ms. Ada Lee"] == "guest voice, female (title Ms.)"
    assert casting.reasons["Robin"] == "guest voice, male (speakers: gender)"


def test_a_speakers_voice_hint_casts_like_cast(profiles: dict[str, VoiceProfile]) -> None:
    s = script(["Ann", "Kit"])
    meta = Metadata(extra={"speakers": {"kit": {"voice": "panel-4"}}}, lines={})
    casting = cast(Script(s.title, s.segments, s.speakers, meta, s.source), profiles)
    assert casting.voices["Kit"].name == "panel-4"
    assert casting.reasons["Kit"] == "speakers: voice"


def test_speakers_hints_in_front_matter_keep_the_display_name() -> None:
    from audiocast.parse import parse_text
    from audiocast.prepare import cast_script

    script = parse_text(
        "---\nspeakers:\n  Robin: {name: Robin Vale, gender: female}\n---\n"
        "Tom, HOST: Hello there?\n\nRobin: Hi.\n"
    )
    assert script.speaker_names == ("Tom", "Robin Vale")
    casting = cast_script(script)
    assert list(casting.voices) == ["Tom", "Robin Vale"]
    assert casting.reasons["Robin Vale"] == "guest voice, female (speakers: gender)"
