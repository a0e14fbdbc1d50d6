"""Shared fixtures: a private clip cache, tiny scripts, fake-engine voices, audio helpers.

The fault-injecting ``fake`` engine (``support/audiocast_fake.py``) is registered the way a
third-party engine is: ``support/`` holds its module and a ``dist-info`` with an
``audiocast.synthesizers`` entry point, and goes on ``sys.path`` here and on ``PYTHONPATH`` for
the CLI subprocesses (spawned pool workers inherit ``sys.path``). It is not in the production
engine table.

Every test runs with ``AUDIOCAST_CACHE_DIR`` pointing into pytest's temporary folders, so no test
reads or writes the user's real clip cache. The cache is shared by the session: re-rendering the
same sentence with the same voice is a cache hit, which keeps the render tests fast.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pytest

from audiocast.runtime import find_ffmpeg

SUPPORT = Path(__file__).parent / "support"
if str(SUPPORT) not in sys.path:
    sys.path.insert(0, str(SUPPORT))

TWO_SPEAKERS = """\
---
title: Pocket Gardens
show: Small Things
author: Lee Park
date: 2026-01-05
description: A short talk about window boxes.
---
Lee Park, HOST: Why grow herbs on a window sill?

Mira Chen: They smell good and they cost almost nothing.

Lee Park: Which one should I start with?

Mira Chen: Start with mint. It forgives everything.
"""

FAKE_VOICES = {
    "fake-host": ("fake-baritone", "host"),
    "fake-guest": ("fake-soprano", "guest"),
    "fake-guest-2": ("fake-tenor", "guest"),
    "fake-narrator": ("fake-alto", "narrator"),
}


@pytest.fixture(scope="session")
def session_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("clip-cache")


@pytest.fixture(autouse=True)
def private_cache(monkeypatch: pytest.MonkeyPatch, session_cache: Path) -> Path:
    """Never touch the user's cache, in this process or in the CLI subprocesses tests start."""
    monkeypatch.setenv("AUDIOCAST_CACHE_DIR", str(session_cache))
    path = os.environ.get("PYTHONPATH")
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(SUPPORT), *([path] if path else [])]))
    monkeypatch.delenv("AUDIOCAST_FAKE_FAULTS", raising=False)
    return session_cache


@pytest.fixture
def write_script(tmp_path: Path) -> Callable[..., Path]:
    """``write_script(text, name="ep.txt")``: a script file in the test's folder."""

    def write(text: str, name: str = "ep.txt") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write


@pytest.fixture(scope="session")
def fake_voices(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder of voice profiles for the ``fake`` engine (``--voices``)."""
    folder = tmp_path_factory.mktemp("fake-voices")
    for name, (voice_id, role) in FAKE_VOICES.items():
        (folder / f"{name}.yaml").write_text(
            f"name: {name}\nengine: fake\nvoice_id: {voice_id}\nroles: [{role}]\n"
            f"description: test voice\n",
            encoding="utf-8",
        )
    return folder


def run_cli(
    *args: str | Path, env: dict[str, str] | None = None, cwd: Path | None = None, timeout=120
) -> subprocess.CompletedProcess[str]:
    """``audiocast ARGS`` in a real subprocess (real exit codes, real stderr)."""
    return subprocess.run(
        [sys.executable, "-m", "audiocast", *map(str, args)],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=timeout,
    )


def default_sigint() -> None:
    """A child's ``preexec_fn``: SIGINT's default action, as a terminal's Ctrl-C finds it. A test
    runner started in the background has SIGINT ignored, and its children inherit that."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def stop_cli_when(
    args: list[str | Path],
    ready: Callable[[], bool],
    sig: str,
    scratch: Path | None = None,
    *,
    env: dict[str, str] | None = None,
    within: float = 60,
    answer: float = 60,
) -> tuple[int, str]:
    """``audiocast ARGS`` (with ``env`` added to this environment, and its temp folder in
    ``scratch`` when given), sent ``sig`` once ``ready()`` holds (within ``within`` seconds);
    its exit code and stderr after at most ``answer`` more."""
    environment = {**os.environ, **(env or {})}
    if scratch is not None:
        environment["TMPDIR"] = str(scratch)
    proc = subprocess.Popen(
        [sys.executable, "-m", "audiocast", *map(str, args)],
        stderr=subprocess.PIPE,
        text=True,
        env=environment,
        preexec_fn=default_sigint,
    )
    deadline = time.monotonic() + within
    while time.monotonic() < deadline and proc.poll() is None and not ready():
        time.sleep(0.01)
    assert proc.poll() is None, "the command finished before it could be stopped"
    proc.send_signal(getattr(signal, sig))
    try:
        _, stderr = proc.communicate(timeout=answer)
    finally:
        proc.kill()
    return proc.returncode, stderr


def ffmpeg(*args: str | Path) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [find_ffmpeg(), "-nostdin", "-hide_banner", *map(str, args)], capture_output=True
    )


def decode(path: Path, rate: int = 44_100) -> np.ndarray:
    """The file's audio as float32 mono samples at ``rate``, decoded by ffmpeg."""
    done = ffmpeg("-v", "error", "-i", path, "-f", "f32le", "-ac", "1", "-ar", str(rate), "-")
    assert done.returncode == 0, done.stderr.decode()
    return np.frombuffer(done.stdout, dtype="<f4")


def decode_errors(path: Path) -> str:
    """What ffmpeg complains about while decoding the whole file ('' for a clean file)."""
    done = ffmpeg("-v", "error", "-i", path, "-f", "null", "-")
    return (done.stderr.decode() + ("" if done.returncode == 0 else " (failed)")).strip()


def temp_leftovers(folder: Path) -> list[str]:
    """Hidden write-then-rename temporaries (``.name.XXXX.ext``) left in ``folder``."""
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


@pytest.fixture
def no_leftovers() -> Iterator[Callable[[Path], list[str]]]:
    yield temp_leftovers
