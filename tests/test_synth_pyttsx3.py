"""The pyttsx3 backend, through the real eSpeak NG (bundled unless the system has one)."""

from __future__ import annotations

import itertools
import json
import os
import re
import subprocess
import sys
import textwrap
import wave
from pathlib import Path

import numpy as np
import pytest

from audiocast.errors import EngineError, VoiceError
from audiocast.model import VoiceProfile
from audiocast.synth.base import Synthesizer, get_synthesizer
from audiocast.synth.espeak_fresh import Speech, Utterance
from audiocast.synth.pyttsx3_backend import Pyttsx3Synthesizer, clamp_rate, split_text
from audiocast.synth.verify import ClipDefect, duration_band, verify_wav
from audiocast.voices import load_profiles

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="voice ids and data paths are eSpeak NG's"
)

SENTENCE = (
    "Welcome back to the show. Today we talk about rivers, bridges and the people who build them."
)


@pytest.fixture(scope="module")
def synth() -> Pyttsx3Synthesizer:
    return Pyttsx3Synthesizer()


def voice(voice_id: str = "en-us", **kw: object) -> VoiceProfile:
    return VoiceProfile(name=f"test-{voice_id}", voice_id=voice_id, **kw)  # type: ignore[arg-type]


def samples(path: Path) -> np.ndarray:
    with wave.open(str(path)) as w:
        return np.frombuffer(w.readframes(w.getnframes()), dtype="<i2").astype(np.float64)


def features(path: Path) -> tuple[float, float]:
    """(median F0 of voiced frames by autocorrelation, spectral centroid), both in Hz."""
    x, sr, n = samples(path), 22_050, 1024
    f0s = []
    for start in range(0, len(x) - n, 512):
        frame = x[start : start + n] - x[start : start + n].mean()
        if np.sqrt(np.mean(frame**2)) < 500:
            continue
        ac = np.correlate(frame, frame, "full")[n - 1 :]
        lo, hi = sr // 400, sr // 60
        lag = lo + int(np.argmax(ac[lo:hi]))
        if ac[lag] > 0.3 * ac[0]:
            f0s.append(sr / lag)
    spectrum = np.abs(np.fft.rfft(x))
    freqs = np.fft.rfftfreq(len(x), 1 / sr)
    return float(np.median(f0s)), float((spectrum * freqs).sum() / spectrum.sum())


def test_is_a_registered_synthesizer(synth: Pyttsx3Synthesizer) -> None:
    assert isinstance(synth, Synthesizer)
    assert synth.name == "pyttsx3"
    assert isinstance(get_synthesizer("pyttsx3"), Pyttsx3Synthesizer)


def test_clip_is_22050_hz_mono_16_bit_and_plausible(
    synth: Pyttsx3Synthesizer, tmp_path: Path
) -> None:
    out = tmp_path / "clip.wav"
    synth.synthesize(SENTENCE, voice("en-us"), out)
    with wave.open(str(out)) as w:
        assert (w.getframerate(), w.getnchannels(), w.getsampwidth()) == (22_050, 1, 2)
    clip = verify_wav(out, SENTENCE, 175)
    low, high = duration_band(SENTENCE, 175)
    assert low < clip.duration < high
    # No temporary file is left beside the output.
    assert [p.name for p in tmp_path.iterdir()] == ["clip.wav"]


def test_version_names_both_layers(synth: Pyttsx3Synthesizer) -> None:
    assert re.fullmatch(
        r"pyttsx3 \S+ / eSpeak NG \d+\.\d+\S* \((system|bundled), fresh state per clip\)",
        synth.version(),
    )


def test_voices_come_from_the_engine(synth: Pyttsx3Synthesizer) -> None:
    voices = {v.id: v for v in synth.voices()}
    assert "gmw/en-us" in voices
    assert "en-us" in voices["gmw/en-us"].languages
    assert {"f3", "m3", "klatt"} <= set(synth.variants())


def test_builtin_profiles_are_measurably_distinct(
    synth: Pyttsx3Synthesizer, tmp_path: Path
) -> None:
    measured = {}
    for name, profile in sorted(load_profiles().items()):
        out = tmp_path / f"{name}.wav"
        synth.synthesize(SENTENCE, profile, out)
        measured[name] = features(out)
    # Hosts: one low, one high voice.
    assert measured["host-b"][0] > 1.5 * measured["host-a"][0]
    for (a, fa), (b, fb) in itertools.combinations(measured.items(), 2):
        gap = max(abs(x - y) / max(x, y) for x, y in zip(fa, fb, strict=True))
        assert gap > 0.08, f"{a} and {b} sound alike: F0/centroid {fa} vs {fb}"


def test_pitch_and_variant_change_the_sound(synth: Pyttsx3Synthesizer, tmp_path: Path) -> None:
    paths = {}
    for key, profile in {
        "low": voice("en-us", pitch=20),
        "high": voice("en-us", pitch=90),
        "female": voice("en-us+f3"),
    }.items():
        paths[key] = tmp_path / f"{key}.wav"
        synth.synthesize(SENTENCE, profile, paths[key])
    low, high, female = (features(paths[k])[0] for k in ("low", "high", "female"))
    assert high > 1.3 * low
    assert female > 1.5 * features(paths["low"])[0]


def test_rate_changes_duration(synth: Pyttsx3Synthesizer, tmp_path: Path) -> None:
    slow, fast = tmp_path / "slow.wav", tmp_path / "fast.wav"
    synth.synthesize(SENTENCE, voice(rate=175), slow, rate_scale=0.7)
    synth.synthesize(SENTENCE, voice(rate=175), fast, rate_scale=1.4)
    ratio = len(samples(slow)) / len(samples(fast))
    assert 1.5 < ratio < 2.6  # 1.4 / 0.7 = 2, less the fixed pauses


def test_rate_is_clamped_to_espeak_range() -> None:
    assert clamp_rate(10) == 80
    assert clamp_rate(175 * 1.2) == 210
    assert clamp_rate(900) == 450


@pytest.mark.parametrize(
    ("voice_id", "suggested"),
    [
        ("en-uss", "en-us"),
        ("englsh", "en"),
    ],
)
def test_unknown_voice_id_is_rejected_with_near_matches(
    synth: Pyttsx3Synthesizer, voice_id: str, suggested: str
) -> None:
    with pytest.raises(VoiceError) as err:
        synth.check_voice(voice(voice_id))
    message = str(err.value)
    assert repr(voice_id) in message
    # The suggestion itself, not a prefix of another ("en" in "en-shaw").
    assert re.search(rf"did you mean (.*, )?{re.escape(suggested)}(,|\?)", message), message


@pytest.mark.parametrize(
    ("voice_id", "suggested"), [("en-us+F3", "en-us+f3"), ("en-us+klat", "en-us+klatt")]
)
def test_unknown_variant_is_rejected_with_near_matches(
    synth: Pyttsx3Synthesizer, voice_id: str, suggested: str
) -> None:
    with pytest.raises(VoiceError, match="variant") as err:
        synth.check_voice(voice(voice_id))
    assert suggested in str(err.value)


@pytest.mark.parametrize(
    "voice_id", ["en-us", "gmw/en-us", "English (America)", "en-gb-x-rp+m7", "en+klatt"]
)
def test_known_voice_ids_pass(synth: Pyttsx3Synthesizer, voice_id: str) -> None:
    synth.check_voice(voice(voice_id))


def test_profile_of_another_engine_is_rejected(synth: Pyttsx3Synthesizer) -> None:
    with pytest.raises(VoiceError, match="for engine 'fake'"):
        synth.check_voice(VoiceProfile("x", "en-us", engine="fake"))


def test_unknown_voice_leaves_an_earlier_file_alone(
    synth: Pyttsx3Synthesizer, tmp_path: Path
) -> None:
    out = tmp_path / "keep.wav"
    out.write_bytes(b"earlier")
    with pytest.raises(VoiceError):
        synth.synthesize("Hello.", voice("xx-nope"), out)
    assert out.read_bytes() == b"earlier"
    assert list(tmp_path.iterdir()) == [out]


def test_audio_saved_chatter_stays_off_stdout(
    synth: Pyttsx3Synthesizer, tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    synth.synthesize("Nothing to see here.", voice(), tmp_path / "quiet.wav")
    captured = capfd.readouterr()
    assert "Audio saved" not in captured.out + captured.err
    assert (tmp_path / "quiet.wav").exists()


def test_long_text_is_chunked_and_complete(synth: Pyttsx3Synthesizer, tmp_path: Path) -> None:
    text = " ".join(
        f"Stop {i} on the tour is the {word} bridge, which opened after a long wait; "
        "people still cross it every morning."
        for i, word in zip(range(30), itertools.cycle(["stone", "iron", "rope", "glass"]))
    )
    assert len(text) > 3000
    pieces = split_text(text, synth.chunk_chars)
    assert len(pieces) >= 5
    whole = tmp_path / "whole.wav"
    synth.synthesize(text, voice(), whole)
    # The whole is the pieces spoken one by one, sample for sample: every piece starts from
    # eSpeak NG's initial state, whatever was spoken before it.
    parts = []
    for i, piece in enumerate(pieces):
        part = tmp_path / f"part{i}.wav"
        synth.synthesize(piece, voice(), part)
        parts.append(samples(part))
    assert np.array_equal(samples(whole), np.concatenate(parts))
    assert verify_wav(whole, text, 175).duration > 60


def test_split_text_keeps_every_word_and_cuts_at_sentences() -> None:
    text = "One two three. " * 100 + "A clause, another clause, " * 60 + "end."
    pieces = split_text(text, 120)
    assert " ".join(pieces).split() == text.split()
    assert all(len(p) <= 120 for p in pieces)
    assert pieces[0].endswith(".")
    assert split_text("   ") == []
    assert split_text("Short.") == ["Short."]
    assert split_text("x" * 250, 100) == ["x" * 100, "x" * 100, "x" * 50]


def test_empty_text_is_an_engine_error(synth: Pyttsx3Synthesizer, tmp_path: Path) -> None:
    with pytest.raises(EngineError, match="nothing to synthesize"):
        synth.synthesize("  \n ", voice(), tmp_path / "e.wav")


def test_missing_clip_is_retried(
    synth: Pyttsx3Synthesizer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = synth._speak_once
    calls: list[str] = []

    def flaky(text: str, profile: VoiceProfile, rate: int, out: Path) -> None:
        calls.append(text)
        real(text, profile, rate, out)
        if len(calls) == 1:
            out.unlink()  # the engine "returned" without a file

    monkeypatch.setattr(synth, "_speak_once", flaky)
    monkeypatch.setattr("audiocast.synth.pyttsx3_backend.WAIT_SECONDS", 0.1)
    synth.synthesize("Second time lucky.", voice(), tmp_path / "retry.wav")
    assert len(calls) == 2
    verify_wav(tmp_path / "retry.wav", "Second time lucky.", 175)


def test_persistent_defect_raises_naming_the_text(
    synth: Pyttsx3Synthesizer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = synth._speak_once
    calls: list[str] = []

    def truncating(text: str, profile: VoiceProfile, rate: int, out: Path) -> None:
        calls.append(text)
        real(text, profile, rate, out)
        data = out.read_bytes()
        out.write_bytes(data[: len(data) // 2])

    monkeypatch.setattr(synth, "_speak_once", truncating)
    monkeypatch.setattr("audiocast.synth.pyttsx3_backend.WAIT_SECONDS", 0.1)
    text = "This sentence keeps coming back cut in half, every single time it is spoken aloud."
    with pytest.raises(EngineError) as err:
        synth.synthesize(text, voice(), tmp_path / "bad.wav")
    assert not isinstance(err.value, ClipDefect)
    assert text[:60] in str(err.value)
    assert re.search(r"header declares \d+ bytes of audio but \d+ are present", str(err.value))
    assert len(calls) == synth.retries == 3
    assert not (tmp_path / "bad.wav").exists()


def test_a_closed_engine_can_be_replaced_in_the_same_process(tmp_path: Path) -> None:
    first = Pyttsx3Synthesizer()
    first.synthesize("First.", voice(), tmp_path / "1.wav")
    first.close()
    second = Pyttsx3Synthesizer()
    second.synthesize("Second.", voice("en-us+f3"), tmp_path / "2.wav")
    verify_wav(tmp_path / "2.wav", "Second.", 175)


def test_bundled_espeak_on_a_fresh_process(tmp_path: Path) -> None:
    """The path a machine without a system eSpeak NG takes: the espeakng-loader library."""
    out = tmp_path / "bundled.wav"
    code = textwrap.dedent(
        f"""
        import json
        from pathlib import Path
        from audiocast.model import VoiceProfile
        from audiocast.synth.pyttsx3_backend import Pyttsx3Synthesizer
        from audiocast.synth.verify import verify_wav
        s = Pyttsx3Synthesizer()
        s.synthesize("Fresh machine, bundled voice.", VoiceProfile("t", "en-gb-x-rp+m7"),
                     Path({str(out)!r}))
        clip = verify_wav(Path({str(out)!r}), "Fresh machine, bundled voice.", 175)
        print(json.dumps({{"version": s.version(), "duration": clip.duration}}))
        """
    )
    env = {**os.environ, "AUDIOCAST_ESPEAK": "bundled"}
    env.pop("ESPEAK_DATA_PATH", None)
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["version"].endswith("(bundled, fresh state per clip)")
    assert result["duration"] > 0.5
    assert "Audio saved" not in done.stdout


def test_a_forked_child_fails_clearly_instead_of_hanging(tmp_path: Path) -> None:
    code = textwrap.dedent(
        f"""
        import os
        from pathlib import Path
        from audiocast.errors import EngineError
        from audiocast.model import VoiceProfile
        from audiocast.synth.pyttsx3_backend import Pyttsx3Synthesizer
        voice = VoiceProfile("t", "en-us")
        Pyttsx3Synthesizer().synthesize("Parent.", voice, Path({str(tmp_path / "p.wav")!r}))
        pid = os.fork()
        if pid == 0:
            try:
                Pyttsx3Synthesizer().synthesize("Child.", voice, Path({str(tmp_path / "c.wav")!r}))
                os._exit(0)
            except EngineError as exc:
                print(exc, flush=True)
                os._exit(3)
        _, status = os.waitpid(pid, 0)
        print("child exit", os.waitstatus_to_exitcode(status))
        """
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "forked" in done.stdout and "spawn" in done.stdout
    assert done.stdout.strip().endswith("child exit 3")
    assert not (tmp_path / "c.wav").exists()


def test_no_clip_waits_on_a_timeout_under_load(tmp_path: Path) -> None:
    """200 short clips while a CPU burner competes: none may need a timeout or a retry.

    Under load, eSpeak's IsPlaying flickers true while its thread closes an idle stream; a
    pyttsx3 stop() that sees it arms a cancel (``_stopping``) that fires in a later run loop.
    Through runAndWait that broke about 1 clip in 100, which then waited out WAIT_SECONDS.
    The cancel is armed before every clip here, so the old path fails this test.
    """
    code = textwrap.dedent(
        f"""
        import dataclasses, json, subprocess, sys
        from pathlib import Path
        from audiocast.model import VoiceProfile
        from audiocast.synth.pyttsx3_backend import Pyttsx3Synthesizer
        from audiocast.synth.verify import verify_wav
        burner = subprocess.Popen([sys.executable, "-c", "while True: pass"])
        try:
            s = Pyttsx3Synthesizer()
            voices = [VoiceProfile("a", "en-us"), VoiceProfile("b", "en-us+f3", rate=190)]
            for i in range(200):
                if s._engine is not None:
                    s._engine.proxy._driver._stopping = True  # what a flickering stop() leaves
                out = Path({str(tmp_path)!r}) / f"{{i % 7}}.wav"
                s.synthesize(f"Short clip {{i}}.", voices[i % 2], out)
                verify_wav(out, f"Short clip {{i}}.", voices[i % 2].rate)
        finally:
            burner.kill()
            burner.wait()
        print(json.dumps(dataclasses.asdict(s.stats())))
        """
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    stats = json.loads(done.stdout.strip().splitlines()[-1])
    assert stats == {"attempts": 200, "retries": 0, "timeouts": 0}


def test_an_expired_wait_is_counted(
    synth: Pyttsx3Synthesizer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The counters the load test relies on do move when a clip needs the safety net."""
    monkeypatch.setattr("audiocast.synth.espeak.WAIT_SECONDS", 0.0)
    before = synth.stats()
    with pytest.raises(EngineError, match="ran over"):
        synth.synthesize("This one runs out of time at once.", voice(), tmp_path / "t.wav")
    after = synth.stats()
    assert after.timeouts - before.timeouts == synth.retries
    assert after.retries - before.retries == synth.retries - 1
    assert not (tmp_path / "t.wav").exists()


def _duration(path: Path) -> float:
    with wave.open(str(path)) as w:
        return w.getnframes() / w.getframerate()


def test_phonemes_in_double_brackets_are_spoken_as_phonemes(
    synth: Pyttsx3Synthesizer, tmp_path: Path
) -> None:
    synth.synthesize("Meet [[p@'troUv@]] today.", voice(), tmp_path / "phonemes.wav")
    synth.synthesize("Meet Petrova today.", voice(), tmp_path / "word.wav")
    # The same bracket text without eSpeak's phoneme flag: letters and symbols read out.
    control = synth._espeak_control()
    assert control is not None
    literal, _ = control.synth("Meet [[p@'troUv@]] today.", phonemes=False)
    literal_seconds = len(literal) / 2 / 22_050
    phonemes, word = _duration(tmp_path / "phonemes.wav"), _duration(tmp_path / "word.wav")
    assert abs(phonemes - word) < 0.15 * word
    assert literal_seconds > 1.3 * phonemes


def test_phoneme_flag_only_for_text_with_double_brackets(
    synth: Pyttsx3Synthesizer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fresh = synth._fresh_espeak()
    assert fresh is not None
    seen: list[bool] = []
    real = fresh.speak

    def spy(text: str, utterance: Utterance, *, phonemes: bool, timeout: float) -> Speech:
        seen.append(phonemes)
        return real(text, utterance, phonemes=phonemes, timeout=timeout)

    monkeypatch.setattr(fresh, "speak", spy)
    synth.synthesize("Plain words, no brackets.", voice(), tmp_path / "plain.wav")
    synth.synthesize("Say [[zE'lEnski]] slowly.", voice(), tmp_path / "ph.wav")
    assert seen == [False, True]
    verify_wav(tmp_path / "plain.wav", "Plain words, no brackets.", 175)


def test_split_text_never_cuts_inside_phonemes() -> None:
    span = "[[h@l'oU, w'3:ld. ,Ek'spl0r]]"
    text = f"One two. Three {span} four five six seven eight nine."
    for limit in range(len(span), len(text)):
        pieces = split_text(text, limit)
        assert " ".join(pieces) == text
        for piece in pieces:
            assert piece.count("[[") == piece.count("]]"), (limit, pieces)
