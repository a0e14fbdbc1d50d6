"""Stop requests (issue 13): SIGTERM and SIGHUP act like Ctrl-C, and Ctrl-C is never lost,
even while eSpeak NG runs in the CLI's own process.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import default_sigint, stop_cli_when, temp_leftovers

SCRIPT = """\
---
title: Signals
---
Ana: The first turn is fine.

Ben: The second turn hides a marker here. It has two sentences.

Ana: The third turn is fine too.
"""
# Long enough that eSpeak NG is still speaking well after its first sentence is on disk
# (``say`` speaks sentence by sentence, about 40 a second on an idle machine).
LONG = " ".join(["The quiet harbour wakes slowly as the boats drift out past the wall."] * 400)


def _logged(log: Path, text: str) -> bool:
    return text in (log.read_text("utf-8") if log.exists() else "")


def _pids(log: Path) -> set[int]:
    return {json.loads(line)["pid"] for line in log.read_text("utf-8").splitlines()}


def _gone(pid: int) -> bool:
    try:
        return "zombie" in Path(f"/proc/{pid}/status").read_text().lower()
    except OSError:
        return True


@pytest.mark.parametrize(("sig", "code"), [("SIGTERM", 143), ("SIGHUP", 129)])
def test_sigterm_and_sighup_stop_a_render_like_ctrl_c(
    tmp_path: Path, fake_voices: Path, sig: str, code: int
) -> None:
    script = tmp_path / "ep.txt"
    script.write_text(SCRIPT, "utf-8")
    log = tmp_path / "calls.jsonl"
    out = tmp_path / "ep.mp3"
    out.write_bytes(b"an earlier episode")
    faults = json.dumps({"hang": ["marker"], "hang_seconds": 60, "log": str(log)})
    args: list[str | Path] = ["render", script, "-o", out, "--engine", "fake"]
    args += ["--voices", fake_voices, "--no-cache", "-q", "-j", "2"]
    returncode, stderr = stop_cli_when(
        args,
        lambda: _logged(log, "marker"),
        sig,
        env={"AUDIOCAST_FAKE_FAULTS": faults},
        within=30,
        answer=10,
    )
    workers = _pids(log)
    assert returncode == code, stderr
    assert stderr.strip().splitlines() == [f"audiocast: stopped by {sig}"]
    assert out.read_bytes() == b"an earlier episode"
    assert temp_leftovers(tmp_path) == []
    time.sleep(0.2)
    assert all(_gone(pid) for pid in workers)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="eSpeak NG and /proc")
@pytest.mark.parametrize(("sig", "code"), [("SIGINT", 130), ("SIGTERM", 143)])
def test_a_stop_while_espeak_speaks_in_this_process_is_not_swallowed(
    tmp_path: Path, sig: str, code: int
) -> None:
    out = tmp_path / "say.wav"
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    # Wait until 20 sentences are on disk: eSpeak NG is speaking steadily, most of the time
    # inside its callback (right after the first clip, Python code between clips would take
    # the signal and the test would pass without the hold).
    returncode, stderr = stop_cli_when(
        ["say", LONG, "-o", out],
        lambda: len(list(scratch.glob("audiocast-say-*/*.wav"))) >= 20,
        sig,
        scratch,
        answer=30,
    )
    assert returncode == code, stderr
    assert len(stderr.strip().splitlines()) == 1, stderr
    assert not out.exists()
    assert list(scratch.iterdir()) == []


HALF_MADE = """
import signal, sys, wave
import click
from audiocast.cli.app import AudiocastGroup
from audiocast.signals import stop_requests_interrupt


@click.group(cls=AudiocastGroup)
def group():
    pass


@group.command()
def stop():
    # What a stop between an object's creation and its __init__ leaves behind: a wave reader
    # whose __del__ fails when it is collected, after the one-line message.
    half = wave.Wave_read.__new__(wave.Wave_read)
    signal.raise_signal(signal.SIGTERM if sys.argv[-1] == "term" else signal.SIGINT)


group(sys.argv[1:2])
"""


@pytest.mark.parametrize(
    ("how", "code", "line"), [("term", 143, "stopped by SIGTERM"), ("int", 130, "interrupted")]
)
def test_an_object_a_stop_cut_in_half_says_nothing_after_the_one_line(
    how: str, code: int, line: str
) -> None:
    done = subprocess.run(
        [sys.executable, "-c", HALF_MADE, "stop", how],
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=default_sigint,
    )
    assert (done.returncode, done.stderr) == (code, f"audiocast: {line}\n")


STOP_AT_INITIALISATION = """
import signal
from audiocast.runtime import prepare_espeak
from audiocast.synth.espeak_fresh import FreshEspeak, Utterance, loaded_espeak_path

# The system's eSpeak NG or the bundled one, as a render loads it (CI has no system copy).
prepare_espeak()


class StopRightAfterInitialising:
    # The library copy, with a Ctrl-C landing the moment eSpeak NG has initialised (its own
    # thread now runs from the copy, which must not be unloaded under it).
    def __init__(self, lib):
        self._lib = lib

    def __getattr__(self, name):
        return getattr(self._lib, name)

    def espeak_ng_Initialize(self, *args):
        status = self._lib.espeak_ng_Initialize(*args)
        signal.raise_signal(signal.SIGINT)
        return status


class Stopped(FreshEspeak):
    def _load(self):
        return StopRightAfterInitialising(super()._load())


fresh = Stopped(loaded_espeak_path())
voice = Utterance("en-us", 175, 50, 100)
try:
    fresh.speak("Never spoken.", voice, phonemes=False, timeout=10)
except KeyboardInterrupt:
    print("stopped")
# The process goes on after the stop, and the next clip is spoken whole.
again = FreshEspeak(loaded_espeak_path())
print(len(again.speak("Spoken.", voice, phonemes=False, timeout=10).samples) > 0)
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="memfd and RTLD_DEEPBIND")
def test_a_stop_as_a_fresh_espeak_starts_waits_until_it_is_unloaded() -> None:
    done = subprocess.run(
        [sys.executable, "-c", STOP_AT_INITIALISATION],
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=default_sigint,
    )
    assert (done.returncode, done.stdout, done.stderr) == (0, "stopped\nTrue\n", "")


SWALLOWED = """
import signal, sys
from pathlib import Path
import click
from audiocast.atomic import atomic_path
from audiocast.cli.app import AudiocastGroup


class StopsWhenCollected:
    # Python prints and ignores what __del__ raises: the Ctrl-C raised here is swallowed.
    def __del__(self):
        signal.raise_signal(signal.SIGINT if sys.argv[-1] == "int" else signal.SIGTERM)


@click.group(cls=AudiocastGroup)
def group():
    pass


@group.command()
@click.argument("out", type=Path)
def write(out):
    with atomic_path(out) as tmp:
        StopsWhenCollected()
        tmp.write_text("a new episode")


group(sys.argv[1:3])
"""


@pytest.mark.parametrize(
    ("how", "code", "line"), [("int", 130, "interrupted"), ("term", 143, "stopped by SIGTERM")]
)
def test_a_stop_swallowed_in_a_destructor_still_stops_before_the_output_is_replaced(
    tmp_path: Path, how: str, code: int, line: str
) -> None:
    out = tmp_path / "ep.mp3"
    out.write_text("an earlier episode")
    done = subprocess.run(
        [sys.executable, "-c", SWALLOWED, "write", str(out), how],
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=default_sigint,
    )
    assert (done.returncode, done.stderr) == (code, f"audiocast: {line}\n")
    assert out.read_text() == "an earlier episode"
    assert temp_leftovers(tmp_path) == []
