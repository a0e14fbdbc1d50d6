"""Synthesis workers that never start (issue 12 bug 4): a start-up deadline, beside the deadline
of a request that hangs once the worker runs.

The ``fake`` engine's ``hang_at_start`` fault holds a pool worker in the engine's constructor,
before it can report ready; the process that made the pool is never held up.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

import pytest
from conftest import temp_leftovers

from audiocast.errors import EngineError
from audiocast.model import SpeechRequest, VoiceProfile
from audiocast.synth.cache import ClipCache
from audiocast.synth.pool import SynthesisPool

ALTO = VoiceProfile(name="host", voice_id="fake-alto", engine="fake")
TENOR = VoiceProfile(name="guest", voice_id="fake-tenor", engine="fake")
TEXTS = ["The first line.", "The second line.", "The third line.", "The fourth line."]


def _requests(texts: list[str]) -> list[SpeechRequest]:
    return [SpeechRequest(t, ALTO if i % 2 else TENOR) for i, t in enumerate(texts)]


def _faults(monkeypatch: pytest.MonkeyPatch, log: Path, **plan: Any) -> None:
    monkeypatch.setenv("AUDIOCAST_FAKE_FAULTS", json.dumps({**plan, "log": str(log)}))


def _calls(log: Path) -> list[dict[str, Any]]:
    if not log.exists():
        return []
    return [json.loads(line) for line in log.read_text("utf-8").splitlines()]


def _gone(pid: int) -> bool:
    try:
        return "\nState:\tZ" in Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return True


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/proc")
def test_a_worker_that_never_reports_ready_fails_the_run_naming_engine_and_voices(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = tmp_path / "calls.jsonl"
    _faults(monkeypatch, log, hang_at_start=True, hang_seconds=120)
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    monkeypatch.setenv("TMPDIR", str(tmp))
    monkeypatch.setattr("tempfile.tempdir", None)
    started = time.monotonic()
    cache = ClipCache(tmp_path / "c")
    with (
        pytest.raises(EngineError) as caught,
        SynthesisPool("fake", jobs=2, cache=cache, startup_timeout=4) as pool,
    ):
        list(pool.synthesize(_requests(TEXTS)))
    # The workers hang for 120 s: only the start-up deadline ends this early.
    assert time.monotonic() - started < 100
    message = str(caught.value)
    assert "\n" not in message
    assert "the fake engine (voice fake-alto, fake-tenor) did not start" in message
    assert "not ready after 4 s" in message
    assert multiprocessing.active_children() == []
    hung = {c["pid"] for c in _calls(log) if c["fault"] == "hang_at_start"}
    assert all(_gone(pid) for pid in hung)
    assert not any(c["fault"] is None for c in _calls(log))  # nothing was synthesized
    assert list(tmp.iterdir()) == []


def test_a_slow_start_within_the_deadline_is_waited_for(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = tmp_path / "calls.jsonl"
    _faults(monkeypatch, log, hang_at_start=True, hang_seconds=1.5)
    with SynthesisPool("fake", jobs=2, cache=ClipCache(tmp_path / "c"), startup_timeout=60) as pool:
        clips = list(pool.synthesize(_requests(TEXTS)))
    assert len(clips) == len(TEXTS)
    assert pool.workers_started == 2


def test_a_hang_during_synthesis_is_still_caught_with_a_start_up_deadline(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = tmp_path / "calls.jsonl"
    _faults(monkeypatch, log, hang=["#stuck"], hang_seconds=120, fail_times=1)
    texts = [*TEXTS[:2], "This line hangs the engine #stuck.", *TEXTS[2:]]
    started = time.monotonic()
    with SynthesisPool(
        "fake", jobs=2, cache=ClipCache(tmp_path / "c"), timeout=3, startup_timeout=60
    ) as pool:
        clips = list(pool.synthesize(_requests(texts)))
    assert time.monotonic() - started < 100
    assert len(clips) == len(texts)
    tries = [c for c in _calls(log) if c["text"] == texts[2]]
    assert [c["fault"] for c in tries] == ["hang", None]
    assert tries[0]["pid"] != tries[1]["pid"]  # the hung worker was killed, not waited for
    assert _gone(tries[0]["pid"])


def test_the_start_up_deadline_never_stops_a_ready_worker_busy_past_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = tmp_path / "calls.jsonl"
    _faults(monkeypatch, log, hang=["#slow"], hang_seconds=10)
    texts = ["A line the engine takes its time over #slow.", *TEXTS[:2]]
    with SynthesisPool(
        "fake", jobs=2, cache=ClipCache(tmp_path / "c"), timeout=90, startup_timeout=6
    ) as pool:
        clips = list(pool.synthesize(_requests(texts)))
    assert len(clips) == len(texts)
    assert [c["fault"] for c in _calls(log) if c["text"] == texts[0]] == ["hang"]
    assert pool.workers_started == 2


# The CLI with a short start-up deadline: the pool the render makes gets it through its
# constructor (the real default waits minutes for a cold engine).
CLI_WITH_SHORT_DEADLINE = textwrap.dedent(
    """
    import functools, sys
    import audiocast.pipeline
    from audiocast.launch import main

    if __name__ == "__main__":  # spawned workers import this module too
        audiocast.pipeline.SynthesisPool = functools.partial(
            audiocast.pipeline.SynthesisPool, startup_timeout=4.0
        )
        sys.argv = ["audiocast", *sys.argv[1:]]
        main()
    """
)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/proc")
def test_render_whose_workers_never_start_is_one_line_and_keeps_the_earlier_episode(
    tmp_path: Path, fake_voices: Path
) -> None:
    script = tmp_path / "ep.txt"
    script.write_text(
        "---\ntitle: Stuck\n---\nAna: The first turn.\n\nBen: The second turn.\n", "utf-8"
    )
    runner = tmp_path / "run.py"
    runner.write_text(CLI_WITH_SHORT_DEADLINE, "utf-8")
    out = tmp_path / "ep.mp3"
    out.write_bytes(b"an earlier episode")
    log = tmp_path / "calls.jsonl"
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    env = {
        **os.environ,
        "TMPDIR": str(scratch),
        "AUDIOCAST_FAKE_FAULTS": json.dumps(
            {"hang_at_start": True, "hang_seconds": 120, "log": str(log)}
        ),
    }
    cmd = [sys.executable, str(runner), "render", str(script), "-o", str(out)]
    cmd += ["--engine", "fake", "--voices", str(fake_voices), "--no-cache", "-q", "-j", "2"]
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=110)
    assert proc.returncode == 1, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert "the fake engine (voice fake-" in lines[0]
    assert "did not start" in lines[0]
    assert out.read_bytes() == b"an earlier episode"
    assert temp_leftovers(tmp_path) == []
    assert list(scratch.iterdir()) == []
    # Workers that got as far as the engine's constructor (under load some do not in 4 s).
    hung = {c["pid"] for c in _calls(log) if c["fault"] == "hang_at_start"}
    assert all(_gone(pid) for pid in hung)
