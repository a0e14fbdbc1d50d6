"""The clip cache: keys, self-checking entries, atomic writes, info/clear, location."""

from __future__ import annotations

import dataclasses
import os
import threading
import wave
from pathlib import Path

import numpy as np
import pytest
import scipy.io.wavfile
from audiocast_fake import FakeSynthesizer

from audiocast.errors import EngineError, OutputError
from audiocast.model import SpeechRequest, VoiceProfile
from audiocast.synth import cache as cache_module
from audiocast.synth.cache import ClipCache, default_cache_dir

VOICE = VoiceProfile(name="host", voice_id="fake-alto", engine="fake", description="warm")
REQUEST = SpeechRequest("The harbour opens at dawn.", VOICE)


def make_wav(path: Path, text: str = "A clip for the cache test.") -> Path:
    FakeSynthesizer({}).synthesize(text, VOICE, path)
    return path


def read_samples(path: Path) -> np.ndarray:
    with wave.open(str(path), "rb") as w:
        return np.frombuffer(w.readframes(w.getnframes()), dtype="<i2")


def key_of(request: SpeechRequest, engine: str = "fake", version: str = "1") -> str:
    return ClipCache.key(request, engine, version)


def test_key_changes_with_every_field_that_shapes_the_audio() -> None:
    base = key_of(REQUEST)
    variants = {
        "engine": key_of(REQUEST, engine="pyttsx3"),
        "version": key_of(REQUEST, version="2"),
        "text": key_of(dataclasses.replace(REQUEST, text="The harbour opens at dusk.")),
        "rate_scale": key_of(dataclasses.replace(REQUEST, rate_scale=0.9)),
    }
    for field, value in {"voice_id": "fake-tenor", "rate": 160, "pitch": 60, "volume": 0.8}.items():
        voice = dataclasses.replace(VOICE, **{field: value})
        variants[field] = key_of(dataclasses.replace(REQUEST, voice=voice))
    assert base not in variants.values()
    assert len(set(variants.values())) == len(variants)
    assert len(base) == 64 and int(base, 16) >= 0


def test_key_ignores_profile_name_description_and_roles() -> None:
    renamed = dataclasses.replace(VOICE, name="guest", description="other", roles=("guest",))
    assert key_of(dataclasses.replace(REQUEST, voice=renamed)) == key_of(REQUEST)


def test_put_then_get_returns_the_same_audio(tmp_path: Path) -> None:
    source = make_wav(tmp_path / "clip.wav")
    cache = ClipCache(tmp_path / "cache")
    key = key_of(REQUEST)
    assert cache.get(key) is None
    stored = cache.put(key, source)
    assert stored.path == tmp_path / "cache" / key[:2] / f"{key}.wav"
    assert source.exists()
    found = cache.get(key)
    assert found == stored
    assert np.array_equal(read_samples(found.path), read_samples(source))
    assert found.frames == len(read_samples(source)) and found.sample_rate == 22_050
    # The check chunk is invisible to a strict third-party reader (warnings are errors here).
    rate, data = scipy.io.wavfile.read(found.path)
    assert rate == 22_050 and np.array_equal(data, read_samples(source))


@pytest.mark.parametrize("damage", ["flip-sample", "truncate", "zero-length", "not-wav"])
def test_corrupt_entry_is_a_miss_deleted_and_remade(tmp_path: Path, damage: str) -> None:
    source = make_wav(tmp_path / "clip.wav")
    cache = ClipCache(tmp_path / "cache")
    key = key_of(REQUEST)
    entry = cache.put(key, source).path
    raw = bytearray(entry.read_bytes())
    if damage == "flip-sample":
        raw[len(raw) // 2] ^= 0x55
    elif damage == "truncate":
        raw = raw[: len(raw) - 1000]
    elif damage == "zero-length":
        raw = bytearray()
    else:
        raw = bytearray(b"ID3" + bytes(200))
    entry.write_bytes(bytes(raw))
    assert cache.get(key) is None
    assert not entry.exists()
    cache.put(key, source)
    again = cache.get(key)
    assert again is not None and np.array_equal(read_samples(again.path), read_samples(source))


def test_plain_wav_without_check_chunk_is_not_trusted(tmp_path: Path) -> None:
    cache = ClipCache(tmp_path / "cache")
    key = key_of(REQUEST)
    planted = cache.path_for(key)
    planted.parent.mkdir(parents=True)
    make_wav(planted)
    assert cache.get(key) is None


@pytest.mark.parametrize("fault", ["truncate", "empty", "drop"])
def test_put_refuses_an_incomplete_clip(tmp_path: Path, fault: str) -> None:
    bad = tmp_path / "bad.wav"
    FakeSynthesizer({fault: ["cache"]}).synthesize("A cache clip.", VOICE, bad)
    cache = ClipCache(tmp_path / "cache")
    with pytest.raises(EngineError):
        cache.put(key_of(REQUEST), bad)
    assert cache.info().entries == 0


def test_interrupted_put_keeps_the_old_entry_and_leaves_no_temp_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = ClipCache(tmp_path / "cache")
    key = key_of(REQUEST)
    old = cache.put(key, make_wav(tmp_path / "old.wav", "The first take of it."))
    old_samples = read_samples(old.path)

    def interrupted(src: str, dst: str) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(cache_module.os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        cache.put(key, make_wav(tmp_path / "new.wav", "A second and longer take of it."))
    monkeypatch.undo()
    assert [p.name for p in old.path.parent.iterdir()] == [old.path.name]
    survivor = cache.get(key)
    assert survivor is not None and np.array_equal(read_samples(survivor.path), old_samples)


def test_a_clear_by_another_process_during_a_put_does_not_fail_the_put(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = ClipCache(tmp_path / "cache")
    other_render = ClipCache(tmp_path / "cache")
    key = key_of(REQUEST)
    source = make_wav(tmp_path / "clip.wav")
    real_replace = os.replace
    renames: list[str] = []

    def cleared_in_between(src: str, dst: str) -> None:
        # `audiocast cache clear` runs after our temporary file is written, before the rename:
        # it deletes that file and the folder holding it.
        renames.append(src)
        if len(renames) == 1:
            other_render.clear()
        real_replace(src, dst)

    monkeypatch.setattr(cache_module.os, "replace", cleared_in_between)
    clip = cache.put(key, source)
    monkeypatch.undo()
    assert len(renames) == 2  # the first rename lost its file; the put started again
    stored = cache.get(key)
    assert stored is not None and stored.path == clip.path
    assert np.array_equal(read_samples(stored.path), read_samples(source))
    assert [p.name for p in clip.path.parent.iterdir()] == [clip.path.name]


def test_concurrent_writers_and_readers_never_see_a_bad_entry(tmp_path: Path) -> None:
    cache = ClipCache(tmp_path / "cache")
    key = key_of(REQUEST)
    takes = [make_wav(tmp_path / f"take{i}.wav", "word " * (5 + i)) for i in range(3)]
    valid = {len(read_samples(t)) for t in takes}
    cache.put(key, takes[0])
    misses: list[int] = []

    def write(i: int) -> None:
        for _ in range(30):
            cache.put(key, takes[i])

    def read() -> None:
        for _ in range(60):
            clip = cache.get(key)
            if clip is None or clip.frames not in valid:
                misses.append(1)

    threads = [threading.Thread(target=write, args=(i,)) for i in range(3)]
    threads.append(threading.Thread(target=read))
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert misses == []
    assert cache.info().entries == 1
    assert [p.name for p in (tmp_path / "cache" / key[:2]).iterdir()] == [f"{key}.wav"]


def test_info_and_clear(tmp_path: Path) -> None:
    cache = ClipCache(tmp_path / "cache")
    assert cache.info().entries == 0 and cache.info().bytes == 0
    keys = []
    for i in range(3):
        request = dataclasses.replace(REQUEST, text=f"Clip number {i} of three.")
        keys.append(key_of(request))
        cache.put(keys[-1], make_wav(tmp_path / f"{i}.wav", request.text))
    info = cache.info()
    assert info.path == tmp_path / "cache"
    assert info.entries == 3
    assert info.bytes == sum(cache.path_for(k).stat().st_size for k in keys)
    # A leftover of a render killed mid-write is not an entry, and clear() removes it.
    leftover = cache.path_for(keys[0]).parent / ".tmp-abandoned.wav"
    leftover.write_bytes(b"RIFF")
    assert cache.info().entries == 3
    assert cache.clear() == 3
    assert cache.info().entries == 0
    assert not leftover.exists()
    assert all(cache.get(k) is None for k in keys)


def test_missing_cache_folder_reads_as_empty(tmp_path: Path) -> None:
    cache = ClipCache(tmp_path / "nowhere")
    assert cache.info().entries == 0
    assert cache.clear() == 0
    assert cache.get(key_of(REQUEST)) is None


def test_env_var_overrides_the_default_location(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("AUDIOCAST_CACHE_DIR", raising=False)
    platform_default = default_cache_dir()
    assert "audiocast" in platform_default.parts[-2:]
    monkeypatch.setenv("AUDIOCAST_CACHE_DIR", str(tmp_path / "mine"))
    assert default_cache_dir() == tmp_path / "mine"
    assert ClipCache().directory == tmp_path / "mine"


def test_unwritable_cache_is_an_output_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    cache = ClipCache(blocker / "cache")
    with pytest.raises(OutputError, match="--no-cache"):
        cache.put(key_of(REQUEST), make_wav(tmp_path / "clip.wav"))
