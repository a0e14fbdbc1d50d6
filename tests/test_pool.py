"""The synthesis pool: order, cache use, retries, dead and hung workers, Ctrl-C, real engine."""

from __future__ import annotations

import dataclasses
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
import wave
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from audiocast_fake import FakeSynthesizer
from conftest import default_sigint

from audiocast.errors import EngineError, VoiceError
from audiocast.model import Clip, SpeechRequest, VoiceProfile
from audiocast.synth.cache import ClipCache
from audiocast.synth.pool import LOOKAHEAD_PER_JOB, SynthesisFailed, SynthesisPool

ALTO = VoiceProfile(name="host", voice_id="fake-alto", engine="fake")
TENOR = VoiceProfile(name="guest", voice_id="fake-tenor", engine="fake", rate=150)


def requests_for(texts: list[str]) -> list[SpeechRequest]:
    return [SpeechRequest(t, ALTO if i % 2 else TENOR) for i, t in enumerate(texts)]


def set_faults(monkeypatch: pytest.MonkeyPatch, log: Path, **plan: Any) -> Path:
    """Configure the fake engine in this process and in workers spawned from now on."""
    monkeypatch.setenv("AUDIOCAST_FAKE_FAULTS", json.dumps({**plan, "log": str(log)}))
    return log


def calls(log: Path) -> list[dict[str, Any]]:
    if not log.exists():
        return []
    return [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]


def samples(clip: Clip) -> np.ndarray:
    with wave.open(str(clip.path), "rb") as w:
        return np.frombuffer(w.readframes(w.getnframes()), dtype="<i2")


def direct(request: SpeechRequest, tmp_path: Path) -> np.ndarray:
    out = tmp_path / "direct.wav"
    FakeSynthesizer({}).synthesize(request.text, request.voice, out, request.rate_scale)
    with wave.open(str(out), "rb") as w:
        return np.frombuffer(w.readframes(w.getnframes()), dtype="<i2")


def test_fake_engine_is_a_synthesizer_with_voice_dependent_deterministic_audio(
    tmp_path: Path,
) -> None:
    from audiocast.synth.base import Synthesizer, get_synthesizer

    engine = get_synthesizer("fake")
    assert isinstance(engine, Synthesizer)
    assert all(v.id.startswith("fake") for v in engine.voices())
    text = "Four words right here."
    one = direct(SpeechRequest(text, ALTO), tmp_path)
    assert np.array_equal(one, direct(SpeechRequest(text, ALTO), tmp_path))
    baritone = dataclasses.replace(ALTO, voice_id="fake-baritone")
    other = direct(SpeechRequest(text, baritone), tmp_path)

    def dominant_hz(x: np.ndarray) -> float:
        spectrum = np.abs(np.fft.rfft(x.astype(np.float64)))
        return float(np.argmax(spectrum[1:]) + 1) * 22_050 / len(x)

    assert abs(dominant_hz(one) - dominant_hz(other)) > 10
    # Duration follows words and rate: 4 words at 175 wpm, then at half the speed.
    assert len(one) / 22_050 == pytest.approx(4 / 175 * 60, rel=0.01)
    slow = direct(SpeechRequest(text, ALTO, rate_scale=0.5), tmp_path)
    assert len(slow) == pytest.approx(2 * len(one), rel=0.01)
    with pytest.raises(VoiceError, match="fake"):
        engine.check_voice(dataclasses.replace(ALTO, voice_id="en-us"))


def test_fake_faults_env_must_be_a_json_object(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AUDIOCAST_FAKE_FAULTS", "[1, 2")
    with pytest.raises(EngineError, match="AUDIOCAST_FAKE_FAULTS"):
        FakeSynthesizer()
    monkeypatch.setenv("AUDIOCAST_FAKE_FAULTS", '{"dorp": [1]}')
    with pytest.raises(EngineError, match="dorp"):
        FakeSynthesizer()


@pytest.fixture
def log(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return set_faults(monkeypatch, tmp_path / "calls.jsonl")


def test_many_requests_come_back_in_order(tmp_path: Path, log: Path) -> None:
    # Lengths vary a lot, so workers finish out of order.
    texts = [" ".join(["word"] * (1 + (i * 7) % 23)) + f" number {i}." for i in range(48)]
    requests = requests_for(texts)
    progress: list[tuple[int, int]] = []
    with SynthesisPool(
        "fake",
        jobs=2,
        cache=ClipCache(tmp_path / "cache"),
        on_progress=lambda d, t: progress.append((d, t)),
    ) as pool:
        clips = list(pool.synthesize(requests))
    assert len(clips) == len(requests)
    for request, clip in zip(requests, clips, strict=True):
        assert np.array_equal(samples(clip), direct(request, tmp_path))
    assert progress[-1] == (48, 48)
    assert [d for d, _ in progress] == list(range(1, 49))


def test_cache_hits_skip_the_engine_and_an_edit_costs_one_clip(tmp_path: Path, log: Path) -> None:
    texts = [f"Sentence {i} of the interview, spoken once." for i in range(10)]
    cache = ClipCache(tmp_path / "cache")
    with SynthesisPool("fake", jobs=2, cache=cache) as pool:
        first = list(pool.synthesize(requests_for(texts)))
    assert len(calls(log)) == 10
    texts[4] = "Sentence four, edited by the producer."
    with SynthesisPool("fake", jobs=2, cache=cache) as pool:
        second = list(pool.synthesize(requests_for(texts)))
        assert pool.synthesized == 1
        assert pool.workers_started == 1
    with SynthesisPool("fake", jobs=2, cache=cache) as pool:
        assert list(pool.synthesize(requests_for(texts))) == second
        assert pool.workers_started == 0
    assert len(calls(log)) == 11
    assert calls(log)[-1]["text"] == texts[4]
    assert [c.path for i, c in enumerate(second) if i != 4] == [
        c.path for i, c in enumerate(first) if i != 4
    ]


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_re_renders_miss_is_made_before_the_consumer_reaches_it(
    tmp_path: Path, log: Path, jobs: int
) -> None:
    texts = [f"Sentence {i} of the interview, spoken once." for i in range(40)]
    cache = ClipCache(tmp_path / "cache")
    with SynthesisPool("fake", jobs=jobs, cache=cache) as pool:
        list(pool.synthesize(requests_for(texts)))
    texts[36] = "Sentence thirty-six, edited by the producer."
    with SynthesisPool("fake", jobs=jobs, cache=cache) as pool:
        clips = pool.synthesize(requests_for(texts))
        served = [next(clips)]
        # Far beyond the look-ahead window, the edited line is already being made.
        assert LOOKAHEAD_PER_JOB * jobs + 1 < 36
        if jobs == 1:
            assert pool.synthesized == 1  # in this process: made at the first clip served
        else:
            assert pool.workers_started == 1
        served += list(clips)
        assert pool.synthesized == 1
    assert calls(log)[-1]["text"] == texts[36]
    assert np.array_equal(samples(served[36]), direct(requests_for(texts)[36], tmp_path))


def test_identical_requests_are_synthesized_once(tmp_path: Path, log: Path) -> None:
    texts = ["Yes.", "No.", "Yes.", "Maybe so.", "Yes.", "No."]
    with SynthesisPool("fake", jobs=2, cache=ClipCache(tmp_path / "c")) as pool:
        clips = list(pool.synthesize([SpeechRequest(t, ALTO) for t in texts]))
    assert sorted(c["text"] for c in calls(log)) == ["Maybe so.", "No.", "Yes."]
    assert clips[0].path == clips[2].path == clips[4].path != clips[1].path


@pytest.mark.parametrize("fault", ["drop", "truncate", "silent", "empty", "error"])
def test_a_bad_clip_is_retried(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fault: str) -> None:
    log = set_faults(monkeypatch, tmp_path / "calls.jsonl", **{fault: ["#bad"]}, fail_times=2)
    texts = [f"Plain sentence {i}." for i in range(6)]
    texts[3] = "This one goes wrong at first #bad."
    with SynthesisPool("fake", jobs=2, cache=ClipCache(tmp_path / "c")) as pool:
        clips = list(pool.synthesize(requests_for(texts)))
    assert np.array_equal(samples(clips[3]), direct(requests_for(texts)[3], tmp_path))
    assert [c["text"] for c in calls(log)].count(texts[3]) == 3
    assert [c["fault"] for c in calls(log) if c["text"] == texts[3]] == [fault, fault, None]


def test_retries_are_bounded_then_the_failure_names_the_request(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = set_faults(monkeypatch, tmp_path / "calls.jsonl", truncate=["#always"])
    texts = [f"Fine sentence {i}." for i in range(5)]
    texts[2] = "An unlucky sentence that the engine always cuts short, whatever we do #always."
    cache = ClipCache(tmp_path / "c")
    with (
        pytest.raises(SynthesisFailed) as info,
        SynthesisPool("fake", jobs=2, cache=cache, retries=2) as pool,
    ):
        list(pool.synthesize(requests_for(texts)))
    error = info.value
    assert isinstance(error, EngineError)
    assert error.index == 2
    assert error.reason == "truncated"
    assert "clip 3 of 5" in str(error)
    assert texts[2][:60] in str(error) and texts[2] not in str(error)
    assert [c["text"] for c in calls(log)].count(texts[2]) == 3
    assert cache.get(ClipCache.key(requests_for(texts)[2], "fake", "fake 1")) is None


def test_a_dying_worker_is_replaced_and_the_run_completes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = set_faults(monkeypatch, tmp_path / "calls.jsonl", crash=["#die"], fail_times=1)
    texts = [f"Ordinary line {i}." for i in range(8)]
    texts[1] = "The worker dies on this line #die."
    texts[6] = "And on this one as well #die."
    with SynthesisPool("fake", jobs=2, cache=ClipCache(tmp_path / "c")) as pool:
        clips = list(pool.synthesize(requests_for(texts)))
    for request, clip in zip(requests_for(texts), clips, strict=False):
        assert np.array_equal(samples(clip), direct(request, tmp_path))
    crashed = {c["pid"] for c in calls(log) if c["fault"] == "crash"}
    assert len(crashed) == 2
    assert all(not Path(f"/proc/{pid}").exists() or _is_zombie(pid) for pid in crashed)
    assert len({c["pid"] for c in calls(log)}) >= 3


def test_a_hung_worker_is_killed_after_the_timeout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = set_faults(
        monkeypatch, tmp_path / "calls.jsonl", hang=["#stuck"], hang_seconds=60, fail_times=1
    )
    texts = ["Before.", "This line hangs the engine #stuck.", "After."]
    with SynthesisPool("fake", jobs=2, cache=ClipCache(tmp_path / "c"), timeout=1.0) as pool:
        clips = list(pool.synthesize(requests_for(texts)))
    assert len(clips) == 3
    assert [c["fault"] for c in calls(log) if c["text"] == texts[1]] == ["hang", None]


def test_in_process_mode_verifies_and_retries_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = set_faults(monkeypatch, tmp_path / "calls.jsonl", silent=["#hush"], fail_times=1)
    texts = ["One line.", "A line that comes out silent first #hush.", "Third line."]
    with SynthesisPool("fake", jobs=1, cache=ClipCache(tmp_path / "c")) as pool:
        assert pool.in_process
        clips = list(pool.synthesize(requests_for(texts)))
    assert {c["pid"] for c in calls(log)} == {os.getpid()}
    assert len(calls(log)) == 4
    assert np.array_equal(samples(clips[1]), direct(requests_for(texts)[1], tmp_path))


@pytest.mark.parametrize("jobs", [1, 2])
def test_an_unknown_voice_fails_at_once(tmp_path: Path, log: Path, jobs: int) -> None:
    bad = VoiceProfile(name="x", voice_id="en-us", engine="fake")
    with (
        pytest.raises(VoiceError, match="en-us"),
        SynthesisPool("fake", jobs=jobs, cache=ClipCache(tmp_path / "c")) as pool,
    ):
        list(pool.synthesize([SpeechRequest("Hello there.", bad)]))
    assert len(calls(log)) == 0


@pytest.mark.parametrize("jobs", [1, 2])
def test_an_engine_that_cannot_start_is_reported(tmp_path: Path, jobs: int) -> None:
    with (
        pytest.raises(VoiceError, match="unknown speech engine 'fak'"),
        SynthesisPool("fak", jobs=jobs, cache=ClipCache(tmp_path / "c")) as pool,
    ):
        list(pool.synthesize([SpeechRequest("Hello there.", ALTO)]))


def test_stopping_early_leaves_the_pool_usable(tmp_path: Path, log: Path) -> None:
    texts = [f"Line {i} of a long run." for i in range(30)]
    with SynthesisPool("fake", jobs=2, cache=ClipCache(tmp_path / "c")) as pool:
        for _ in zip(range(3), pool.synthesize(requests_for(texts)), strict=False):
            pass
        clips = list(pool.synthesize(requests_for(texts[:5])))
    assert len(clips) == 5
    for request, clip in zip(requests_for(texts), clips, strict=False):
        assert np.array_equal(samples(clip), direct(request, tmp_path))


def test_work_ahead_of_the_consumer_is_bounded(tmp_path: Path, log: Path) -> None:
    texts = [f"Line {i} of a three hour episode." for i in range(200)]
    with SynthesisPool("fake", jobs=2, cache=ClipCache(tmp_path / "c")) as pool:
        clips = pool.synthesize(requests_for(texts))
        next(clips)
        clips.close()
    assert 1 <= len(calls(log)) <= LOOKAHEAD_PER_JOB * 2


def test_temp_files_are_gone_after_a_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    monkeypatch.setenv("TMPDIR", str(tmp))
    monkeypatch.setattr("tempfile.tempdir", None)
    with SynthesisPool("fake", jobs=2, cache=ClipCache(tmp_path / "c")) as pool:
        list(pool.synthesize(requests_for(["One.", "Two.", "Three."])))
        assert len(list(tmp.iterdir())) == 1
    assert list(tmp.iterdir()) == []


SIGINT_SCRIPT = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from audiocast.model import SpeechRequest, VoiceProfile
    from audiocast.synth.cache import ClipCache
    from audiocast.synth.pool import SynthesisPool

    if __name__ == "__main__":
        voice = VoiceProfile(name="v", voice_id="fake-alto", engine="fake")
        texts = [f"Line {i} that takes the engine forever #stuck." for i in range(20)]
        try:
            with SynthesisPool("fake", jobs=2, cache=ClipCache(sys.argv[1])) as pool:
                for clip in pool.synthesize([SpeechRequest(t, voice) for t in texts]):
                    pass
        except KeyboardInterrupt:
            print("interrupted", flush=True)
            sys.exit(130)
    """
)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="signals and /proc")
@pytest.mark.parametrize("target", ["parent", "process-group"])
def test_sigint_stops_workers_and_leaves_no_temp_files(tmp_path: Path, target: str) -> None:
    """``process-group`` is a terminal's Ctrl-C: workers get it too and must leave it to the
    parent."""
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    log = tmp_path / "calls.jsonl"
    script = tmp_path / "render.py"
    script.write_text(SIGINT_SCRIPT, encoding="utf-8")
    env = {
        **os.environ,
        "TMPDIR": str(tmp),
        "AUDIOCAST_FAKE_FAULTS": json.dumps(
            {"hang": ["#stuck"], "hang_seconds": 120, "log": str(log)}
        ),
    }
    proc = subprocess.Popen(
        [sys.executable, str(script), str(tmp_path / "cache")],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        preexec_fn=default_sigint,
    )
    try:
        for _ in range(300):  # up to 30 s for both workers to start and hang
            if len(calls(log)) >= 2:
                break
            time.sleep(0.1)
        assert len(calls(log)) >= 2, proc.stderr.read() if proc.poll() is not None else ""
        if target == "parent":
            proc.send_signal(signal.SIGINT)
        else:
            os.killpg(proc.pid, signal.SIGINT)
        # Workers hang for 120 s: this returns early only if the pool stops them.
        out, err = proc.communicate(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 130, err
    assert out.strip() == "interrupted"
    assert "Traceback" not in err
    for pid in {c["pid"] for c in calls(log)}:
        assert not Path(f"/proc/{pid}").exists() or _is_zombie(pid)
    assert list(tmp.iterdir()) == []
    assert not list((tmp_path / "cache").glob("*/.tmp-*"))


def _is_zombie(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return True
    return "\nState:\tZ" in status


def test_real_engine_with_two_workers(tmp_path: Path) -> None:
    pytest.importorskip("audiocast.synth.pyttsx3_backend")
    from audiocast.synth.verify import verify_wav

    voice = VoiceProfile(name="host", voice_id="en-us")
    texts = ["Welcome to the show.", "Thanks for having me.", "Let us begin with the harbour."]
    with SynthesisPool("pyttsx3", jobs=2, cache=ClipCache(tmp_path / "c")) as pool:
        clips = list(pool.synthesize([SpeechRequest(t, voice) for t in texts]))
        assert pool.synthesized == 3
    for text, clip in zip(texts, clips, strict=True):
        assert verify_wav(clip.path, text, voice.rate) == clip
        assert clip.sample_rate == 22_050
    assert clips[2].duration > clips[0].duration


def test_the_fake_engine_is_registered_by_the_tests_not_shipped() -> None:
    """The fault-injecting engine is a test double: outside the suite (no tests/support on the
    path) the engine table holds only the real engines."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    code = "from audiocast.synth.base import available_engines; print(available_engines())"
    shipped = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout
    assert "pyttsx3" in shipped and "fake" not in shipped
    from audiocast.synth.base import available_engines

    assert "fake" in available_engines()  # registered here through its entry point
