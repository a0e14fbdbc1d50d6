"""Which Piper voices casting offers, from voice files on disk (no model is run here)."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest

from audiocast.casting import Casting, cast
from audiocast.errors import VoiceError
from audiocast.model import Script, Segment, Speaker
from audiocast.synth.piper_profiles import (
    DERIVED_SEMITONES,
    SEMITONE_POINTS,
    PiperParams,
    casting_pool,
    contrasting_speakers,
    validate_speaker,
)
from audiocast.synth.piper_voices import find_voice


def fake_voice(folder: Path, name: str, speakers: int = 1) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    model = folder / f"{name}.onnx"
    model.write_bytes(b"not run in these tests")
    config = {
        "audio": {"sample_rate": 22050, "quality": "high"},
        "language": {"code": "en_GB"},
        "num_speakers": speakers,
        "speaker_id_map": {f"p{n}": n for n in range(speakers)} if speakers > 1 else {},
    }
    model.with_name(model.name + ".json").write_text(json.dumps(config), encoding="utf-8")
    return model


@pytest.fixture(autouse=True)
def only_these_voices(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("AUDIOCAST_PIPER_VOICES", str(tmp_path / "user"))
    # Installed voice packages (joe) are hidden: these tests count voices.
    monkeypatch.setattr("audiocast.synth.piper_voices.package_voices", lambda: [])


def test_no_voice_at_all_is_one_clear_error() -> None:
    with pytest.raises(VoiceError, match="no Piper voices found") as err:
        casting_pool({}, 3)
    assert "audiocast[piper]" in str(err.value)


def test_multi_speaker_model_gives_speakers_spread_for_contrast(tmp_path: Path) -> None:
    fake_voice(tmp_path / "user", "en_GB-crowd-high", speakers=100)
    pool, warnings = casting_pool({}, 4)
    assert warnings == []
    assert list(pool) == [
        "en_GB-crowd-high",
        "en_GB-crowd-high#p33",
        "en_GB-crowd-high#p66",
        "en_GB-crowd-high#p99",
    ]
    assert [p.setting("speaker", 0) for p in pool.values()] == [0, 33, 66, 99]
    assert pool["en_GB-crowd-high"].roles == ("narrator",)
    assert pool["en_GB-crowd-high#p33"].roles == ("host",)


def test_one_single_speaker_model_derives_voices_apart_in_pitch(tmp_path: Path) -> None:
    fake_voice(tmp_path / "voices", "solo")
    pool, warnings = casting_pool({}, 5, [tmp_path / "voices"])
    semitones = sorted(PiperParams.of(p).semitones for p in pool.values())
    assert len(set(semitones)) == 5
    gaps = [b - a for a, b in itertools.pairwise(semitones)]
    assert min(gaps) >= DERIVED_SEMITONES  # 2 ** (3 / 12) is 19 % apart
    assert len(warnings) == 1 and "more voices sound better" in warnings[0]
    # Voices only in a --voices folder are named by path, so worker processes find them.
    assert all(
        p.voice_id == str((tmp_path / "voices" / "solo.onnx").resolve()) for p in pool.values()
    )


def test_pitch_and_pace_settings() -> None:
    from audiocast.model import VoiceProfile

    voice = VoiceProfile(
        name="v",
        voice_id="x",
        engine="piper",
        pitch=50 - SEMITONE_POINTS,
        settings=(("length_scale", 1.2),),
    )
    params = PiperParams.of(voice, rate_scale=1.5)
    assert params.semitones == -1 and params.length_scale == pytest.approx(0.8)
    assert params.noise_scale is None


def test_speaker_errors(tmp_path: Path) -> None:
    from audiocast.model import VoiceProfile

    fake_voice(tmp_path / "user", "crowd", speakers=4)
    fake_voice(tmp_path / "user", "solo")
    crowd, solo = find_voice("crowd"), find_voice("solo")

    def profile(voice_id: str, **settings: float) -> VoiceProfile:
        return VoiceProfile(
            name="p", voice_id=voice_id, engine="piper", settings=tuple(settings.items())
        )

    assert validate_speaker(profile("crowd#p2"), crowd) == 2
    assert validate_speaker(profile("crowd", speaker=3), crowd) == 3
    with pytest.raises(VoiceError, match=r"has no speaker .7.*speaker ids: 0 to 3"):
        validate_speaker(profile("crowd", speaker=7), crowd)
    with pytest.raises(VoiceError, match="has one speaker, not speaker 1"):
        validate_speaker(profile("solo#1"), solo)
    assert contrasting_speakers(4, 10) == [0, 1, 2, 3]


def test_engine_comes_from_flag_config_or_script(tmp_path: Path) -> None:
    from audiocast.config import load_config
    from audiocast.parse import load_script
    from audiocast.synth.choice import chosen_engine

    script = tmp_path / "ep.txt"
    script.write_text("---\ntitle: T\nengine: piper\n---\nAna: Hello there.\n", encoding="utf-8")
    parsed = load_script(script)
    config = tmp_path / "render.yaml"
    config.write_text("engine: fake\n", encoding="utf-8")
    assert chosen_engine(parsed) == "piper"
    assert chosen_engine(parsed, None, load_config(config).engine) == "fake"
    assert chosen_engine(parsed, "pyttsx3", "fake") == "pyttsx3"
    script.write_text("Ana: Hello there.\n", encoding="utf-8")
    assert chosen_engine(load_script(script)) == "pyttsx3"


def interview(narration: int, host: int, guest: int) -> Script:
    """A script whose narration, host and guest say that many words."""
    segments = (
        Segment("narration", " ".join(["word"] * narration), 1),
        Segment("turn", " ".join(["ask"] * host), 2, speaker="HOST"),
        Segment("turn", " ".join(["answer"] * guest), 3, speaker="GUEST"),
    )
    return Script(
        title="T", segments=segments, speakers=(Speaker("HOST", line=2), Speaker("GUEST", line=3))
    )


def test_the_voice_as_it_is_goes_to_whoever_is_heard_most(tmp_path: Path) -> None:
    fake_voice(tmp_path / "user", "solo")
    pool, _ = casting_pool({}, 3)

    def natural(casting: Casting) -> str:
        voices = {**casting.voices, "(narration)": casting.narrator}
        (name,) = [n for n, p in voices.items() if PiperParams.of(p).semitones == 0]
        return name

    assert natural(cast(interview(narration=50, host=10, guest=40), pool)) == "(narration)"
    heard = cast(interview(narration=5, host=10, guest=40), pool)
    assert natural(heard) == "GUEST"
    assert "heard most" in heard.reasons["GUEST"]
    assert natural(cast(interview(narration=5, host=60, guest=40), pool)) == "HOST"
    # Every voice stays distinct, and a cast voice is never moved.
    assert len({heard.narrator.name, *(p.name for p in heard.voices.values())}) == 3
    kept = cast(interview(5, 10, 40), pool, {"narrator": "solo"}, strict=("narrator",))
    assert natural(kept) == "(narration)"
