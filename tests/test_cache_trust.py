"""A clip cache you can trust (issue 13) and keep bounded (issue 12 bug 11): entries checked
against their key, hostile entries re-made without hanging, clips held once handed out, and
prune by age and size with least-recently-used eviction.
"""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest
from audiocast_fake import FakeSynthesizer
from conftest import run_cli

from audiocast.leftovers import SYNTH_PREFIX
from audiocast.mix import read_clip
from audiocast.model import SpeechRequest, VoiceProfile
from audiocast.pipeline import RenderOptions, render
from audiocast.synth.cache import ClipCache
from audiocast.synth.cache_prune import parse_age, parse_size, prune

VOICE = VoiceProfile(name="host", voice_id="fake-alto", engine="fake", description="warm")
ONE = SpeechRequest("The harbour opens at dawn.", VOICE)
TWO = SpeechRequest("The market closes before the rain.", VOICE)


def key_of(request: SpeechRequest) -> str:
    return ClipCache.key(request, "fake", "1")


def stored(cache: ClipCache, request: SpeechRequest, folder: Path) -> Path:
    wav = folder / f"{key_of(request)[:8]}.wav"
    FakeSynthesizer({}).synthesize(request.text, request.voice, wav)
    return cache.put(key_of(request), wav).path


def test_a_valid_clip_copied_over_another_entry_is_not_served(tmp_path: Path) -> None:
    cache = ClipCache(tmp_path / "cache")
    one, two = stored(cache, ONE, tmp_path), stored(cache, TWO, tmp_path)
    two.write_bytes(one.read_bytes())  # a whole, self-consistent entry, for the wrong text
    assert cache.get(key_of(ONE)) is not None
    assert cache.get(key_of(TWO)) is None
    assert not two.exists()


def _plant(kind: str, entry: Path) -> None:
    entry.parent.mkdir(parents=True, exist_ok=True)
    if kind == "directory":
        entry.mkdir()
        (entry / "inside.wav").write_bytes(b"x")
    elif kind == "fifo":
        os.mkfifo(entry)
    elif kind == "link-to-dev-zero":
        entry.symlink_to("/dev/zero")
    elif kind == "sparse-20-gb":
        with open(entry, "wb") as fh:
            fh.truncate(20 * 1024**3)


@pytest.mark.parametrize("kind", ["directory", "fifo", "link-to-dev-zero", "sparse-20-gb"])
def test_a_hostile_entry_is_a_miss_removed_and_remade(tmp_path: Path, kind: str) -> None:
    # Run in a child with a deadline: the old cache waited forever on the FIFO and read
    # /dev/zero until memory ran out.
    cache_dir = tmp_path / "cache"
    entry = ClipCache(cache_dir).path_for(key_of(ONE))
    _plant(kind, entry)
    code = (
        "import sys\n"
        "from audiocast.synth.cache import ClipCache\n"
        f"print(ClipCache({str(cache_dir)!r}).get({key_of(ONE)!r}))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=20)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "None"
    assert not entry.exists() and not entry.is_symlink()
    cache = ClipCache(cache_dir)
    remade = stored(cache, ONE, tmp_path)
    assert remade == entry and cache.get(key_of(ONE)) is not None


def test_clear_copes_with_whatever_it_finds(tmp_path: Path) -> None:
    cache = ClipCache(tmp_path / "cache")
    stored(cache, ONE, tmp_path)
    for i, kind in enumerate(["directory", "fifo", "link-to-dev-zero"]):
        _plant(kind, cache.directory / "ab" / f"ab{i:062d}.wav")
    assert cache.clear() == 4
    assert list(cache.directory.iterdir()) == []


def test_a_clip_handed_out_survives_its_entry_being_removed(tmp_path: Path) -> None:
    cache = ClipCache(tmp_path / "cache")
    entry = stored(cache, ONE, tmp_path)
    clip = cache.get(key_of(ONE))
    assert clip is not None
    before = read_clip(clip)
    ClipCache(tmp_path / "cache").clear()  # as `cache clear` from another process does
    assert not entry.exists()
    assert np.array_equal(read_clip(clip), before)


def test_a_render_survives_cache_clear_running_beside_it(
    tmp_path: Path, fake_voices: Path, write_script
) -> None:
    lines = "\n\n".join(f"Ana: Sentence number {n} of a long turn." for n in range(12))
    script = write_script(f"---\ntitle: Held\n---\n{lines}\n")
    cache_dir = tmp_path / "cache"
    options = RenderOptions(
        engine="fake", voices_dirs=(fake_voices,), jobs=1, cache_dir=cache_dir,
        use_intro=False, use_outro=False,
    )  # fmt: skip
    render(script, dataclasses.replace(options, output=tmp_path / "warm.mp3"))
    stop = threading.Event()

    def clear_again_and_again() -> None:
        while not stop.wait(0.002):
            ClipCache(cache_dir).clear()

    clearer = threading.Thread(target=clear_again_and_again)
    clearer.start()
    try:
        for n in range(2):  # served from the cache, then made again as the entries vanish
            result = render(script, dataclasses.replace(options, output=tmp_path / f"{n}.mp3"))
            assert result.duration > 5
    finally:
        stop.set()
        clearer.join()


def test_get_marks_an_entry_used_and_prune_by_size_removes_the_least_recently_used(
    tmp_path: Path,
) -> None:
    cache = ClipCache(tmp_path / "cache", max_bytes=None)
    one, two = stored(cache, ONE, tmp_path), stored(cache, TWO, tmp_path)
    old = time.time() - 3600
    os.utime(one, (old, old))
    os.utime(two, (old - 60, old - 60))  # two was used before one...
    assert cache.get(key_of(TWO)) is not None  # ...until now
    done = prune(cache, max_bytes=two.stat().st_size)
    assert (done.removed, done.kept) == (1, 1)
    assert not one.exists() and two.exists()


def test_prune_by_age(tmp_path: Path) -> None:
    cache = ClipCache(tmp_path / "cache", max_bytes=None)
    one, two = stored(cache, ONE, tmp_path), stored(cache, TWO, tmp_path)
    month = time.time() - 31 * 86400
    os.utime(one, (month, month))
    size = one.stat().st_size
    done = prune(cache, older_than=parse_age("30d"))
    assert (done.removed, done.freed) == (1, size)
    assert not one.exists() and two.exists()


def test_the_size_cap_holds_as_clips_are_added(tmp_path: Path) -> None:
    probe = ClipCache(tmp_path / "probe", max_bytes=None)
    size = stored(probe, ONE, tmp_path).stat().st_size
    cache = ClipCache(tmp_path / "cache", max_bytes=3 * size)
    for n in range(12):
        request = dataclasses.replace(ONE, text=f"The harbour opens at dawn, day {n}.")
        stored(cache, request, tmp_path)
    info = cache.info()
    assert info.bytes <= 3 * size * 1.2 and 0 < info.entries <= 4
    newest = dataclasses.replace(ONE, text="The harbour opens at dawn, day 11.")
    assert cache.get(key_of(newest)) is not None  # the last one made is kept


def test_a_default_cap_exists() -> None:
    assert ClipCache("unused").max_bytes is not None


def test_sizes_and_ages_parse() -> None:
    assert parse_size("500M") == 500 * 1024**2
    assert parse_size("1.5G") == int(1.5 * 1024**3)
    assert parse_size("2048") == 2048
    assert parse_age("12h") == 12 * 3600 and parse_age("2w") == 14 * 86400


def test_cache_prune_command_removes_entries_and_killed_renders_leftovers(
    tmp_path: Path,
) -> None:
    cache = ClipCache(tmp_path / "cache", max_bytes=None)
    one = stored(cache, ONE, tmp_path)
    two = stored(cache, TWO, tmp_path)
    month = time.time() - 40 * 86400
    os.utime(one, (month, month))
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    tmp = tmp_path / "tmp"
    synth = tmp / f"{SYNTH_PREFIX}{dead.pid}-abcd"
    synth.mkdir(parents=True)
    (synth / "00000001-clip.wav").write_bytes(b"partial")
    partial = two.parent / f".tmp-{dead.pid}-xyz.wav"
    partial.write_bytes(b"partial")
    env = {**os.environ, "TMPDIR": str(tmp)}
    done = run_cli("cache", "prune", "--cache-dir", cache.directory, "--older-than", "30d", env=env)
    assert done.returncode == 0, done.stderr
    assert "removed 1 clips" in done.stdout and "2 leftovers" in done.stdout, done.stdout
    assert not one.exists() and two.exists()
    assert not synth.exists() and not partial.exists()
    bad = run_cli("cache", "prune", "--cache-dir", cache.directory, "--max-size", "lots")
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1 and "500M" in bad.stderr
