"""Failing safely (issue 7): engine faults, bad input, unwritable output and interruption.

Renders here use the ``fake`` engine (fast, with injected faults) and a folder of profiles made
for it; the CLI runs in a subprocess where exit codes, stderr and signals are real.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import decode_errors, ffmpeg, run_cli, stop_cli_when, temp_leftovers

from audiocast.cli import cli

SCRIPT = """\
---
title: Faults
---
Ana: The first turn is fine.

Ben: The second turn hides a marker here. It has two sentences.

Ana: The third turn is fine too.
"""


@pytest.fixture
def script(tmp_path: Path) -> Path:
    path = tmp_path / "ep.txt"
    path.write_text(SCRIPT, "utf-8")
    return path


class Done:
    """What a CLI run left: exit code, stdout and stderr (in-process or a subprocess)."""

    def __init__(self, returncode: int, stdout: str, stderr: str) -> None:
        self.returncode, self.stdout, self.stderr = returncode, stdout, stderr


def cli_run(*args: str | Path, faults: dict[str, object] | None = None) -> Done:
    """The CLI in this process, with ``-j 1`` engines in this process too: fast.

    Faults that kill the process (``crash``) or need workers run through ``run_cli``.
    """
    env = {"AUDIOCAST_FAKE_FAULTS": json.dumps(faults) if faults is not None else None}
    result = CliRunner().invoke(cli, [str(a) for a in args], env=env, catch_exceptions=False)
    return Done(result.exit_code, result.stdout, result.stderr)


def render(
    script: Path,
    out: Path,
    voices: Path,
    *extra: str | Path,
    faults: dict[str, object] | None = None,
) -> Done:
    return cli_run(
        "render", script, "-o", out, "--engine", "fake", "--voices", voices, "--no-cache",
        "--no-intro", "--no-outro", "-j", "1", *extra, faults=faults,
    )  # fmt: skip


def error_line(done: Done | subprocess.CompletedProcess[str]) -> str:
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("audiocast: error: ")
    return lines[0]


@pytest.mark.parametrize("kind", ["drop", "truncate", "short", "silent", "empty", "error"])
def test_a_bad_clip_is_retried_and_the_render_succeeds(
    script: Path, tmp_path: Path, fake_voices: Path, kind: str
) -> None:
    log = tmp_path / "calls.jsonl"
    out = tmp_path / "ep.mp3"
    faults = {kind: ["marker"], "fail_times": 1, "log": str(log)}
    done = render(script, out, fake_voices, "-q", faults=faults)
    assert done.returncode == 0, done.stderr
    assert decode_errors(out) == ""
    calls = [json.loads(line) for line in log.read_text("utf-8").splitlines()]
    marked = [c for c in calls if "marker" in c["text"]]
    assert [c["fault"] for c in marked] == [kind, None]
    assert temp_leftovers(tmp_path) == []


def test_a_clip_that_always_fails_names_the_turn_and_leaves_nothing(
    script: Path, tmp_path: Path, fake_voices: Path
) -> None:
    out = tmp_path / "ep.mp3"
    out.write_bytes(b"an earlier episode")
    done = render(script, out, fake_voices, faults={"drop": ["marker"]})
    assert done.returncode == 1
    line = error_line(done)
    assert f"{script}:6:" in line and "Ben" in line and "The second turn hides" in line
    assert out.read_bytes() == b"an earlier episode"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ep.mp3", "ep.txt"]


def test_a_clip_of_implausible_duration_is_caught(
    script: Path, tmp_path: Path, fake_voices: Path
) -> None:
    done = render(script, tmp_path / "ep.mp3", fake_voices, faults={"short": ["marker"]})
    assert done.returncode == 1
    line = error_line(done)
    assert f"{script}:6: speech synthesis failed for Ben's turn (too-short): 'The second" in line


def test_a_killed_worker_is_replaced(script: Path, tmp_path: Path, fake_voices: Path) -> None:
    log = tmp_path / "calls.jsonl"
    out = tmp_path / "ep.mp3"
    env = dict(os.environ)
    env["AUDIOCAST_FAKE_FAULTS"] = json.dumps(
        {"crash": ["marker"], "fail_times": 1, "log": str(log)}
    )
    done = run_cli(
        "render", script, "-o", out, "--engine", "fake", "--voices", fake_voices, "-q",
        "--no-cache", "--no-intro", "--no-outro", "-j", "2", env=env,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert decode_errors(out) == ""
    calls = [json.loads(line) for line in log.read_text("utf-8").splitlines()]
    assert len({c["pid"] for c in calls if "marker" in c["text"]}) == 2


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="POSIX signals")
def test_sigint_stops_promptly_and_cleanly(script: Path, tmp_path: Path, fake_voices: Path) -> None:
    log = tmp_path / "calls.jsonl"
    out = tmp_path / "ep.mp3"
    out.write_bytes(b"an earlier episode")
    faults = json.dumps({"hang": ["marker"], "hang_seconds": 60, "log": str(log)})
    args: list[str | Path] = ["render", script, "-o", out, "--engine", "fake"]
    args += ["--voices", fake_voices, "--no-cache", "-q", "-j", "2"]
    returncode, stderr = stop_cli_when(
        args,
        lambda: "marker" in (log.read_text("utf-8") if log.exists() else ""),
        "SIGINT",
        env={"AUDIOCAST_FAKE_FAULTS": faults},
        within=30,
        answer=5,
    )
    workers = {json.loads(line)["pid"] for line in log.read_text("utf-8").splitlines()}
    assert returncode == 130
    assert stderr.strip().splitlines()[-1] == "audiocast: interrupted"
    assert out.read_bytes() == b"an earlier episode"
    assert temp_leftovers(tmp_path) == []
    time.sleep(0.2)
    for pid in workers:
        assert not Path(f"/proc/{pid}").exists() or "zombie" in _state(pid), pid


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/status").read_text().lower()
    except OSError:
        return "zombie"


@contextlib.contextmanager
def _read_only_folder(folder: Path) -> Iterator[Path]:
    """A folder nobody may write into: mode 555, or, for root (whom modes do not stop), a
    read-only tmpfs mounted there (skip when mounting is not allowed)."""
    folder.mkdir()
    if os.geteuid() != 0:
        folder.chmod(0o555)
        yield folder
        return
    made = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "ro,size=64k", "tmpfs", str(folder)],
        capture_output=True,
        check=False,
    )
    if made.returncode != 0:
        pytest.skip(f"root, and cannot mount a read-only tmpfs: {made.stderr.decode().strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=False)


@pytest.mark.parametrize("where", ["under-a-file", "proc", "directory", "read-only"])
def test_unwritable_output_fails_before_synthesis(
    script: Path, tmp_path: Path, fake_voices: Path, where: str
) -> None:
    log = tmp_path / "calls.jsonl"
    stack = contextlib.ExitStack()
    if where == "under-a-file":
        out = script / "ep.mp3"  # its parent is a regular file
    elif where == "proc":
        out = Path("/proc/audiocast-test/ep.mp3")
    elif where == "directory":
        out = tmp_path / "ep.mp3"
        out.mkdir()
    else:
        out = stack.enter_context(_read_only_folder(tmp_path / "ro")) / "ep.mp3"
    with stack:
        done = render(script, out, fake_voices, faults={"log": str(log)})
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    said = {
        "under-a-file": f"{script}: cannot write there: a file is in the way of the folder",
        "proc": "/proc/audiocast-test: cannot create folder",
        "directory": f"{out}: output path is a directory",
        "read-only": f"{out.parent}: folder is not writable",
    }[where]
    assert error_line(done).startswith(f"audiocast: error: {said}")
    assert not log.exists()  # nothing was synthesized


@pytest.mark.parametrize(
    ("name", "data", "needle"),
    [
        ("empty.txt", b"", "empty"),
        ("blank.txt", b"  \n\t\n ", "empty"),
        ("binary.txt", bytes(range(256)) * 4, "binary"),
        ("utf16.txt", b"\xff\xfeA\x00n\x00a\x00:\x00 \x00\x00\xd8", "utf-16"),
        ("bad.yaml", b"title: x\nsegments:\n  - Ana: [unclosed\n", "YAML"),
        ("cues.md", b"# Only a title\n\n[music]\n", "no speech"),
    ],
)
def test_bad_scripts_are_exit_2_one_line_and_debug_adds_the_traceback(
    tmp_path: Path, fake_voices: Path, name: str, data: bytes, needle: str
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    done = render(path, tmp_path / "ep.mp3", fake_voices)
    assert done.returncode == 2
    line = error_line(done)
    assert str(path) in line
    assert needle.lower() in line.lower(), line
    debug = cli_run(
        "--debug", "render", path, "-o", tmp_path / "ep.mp3", "--engine", "fake",
        "--voices", fake_voices,
    )  # fmt: skip
    assert debug.returncode == 2 and "Traceback" in debug.stderr
    assert not (tmp_path / "ep.mp3").exists()


def test_missing_and_directory_scripts(tmp_path: Path, fake_voices: Path) -> None:
    for path, needle in ((tmp_path / "nope.txt", "script not found"), (tmp_path, "directory")):
        done = render(path, tmp_path / "ep.mp3", fake_voices)
        assert done.returncode == 2 and needle in error_line(done)


def test_intro_file_text_only_and_none(script: Path, tmp_path: Path, fake_voices: Path) -> None:
    music = tmp_path / "jingle.ogg"
    made = ffmpeg("-v", "error", "-f", "lavfi", "-i", "sine=f=440:d=3", "-c:a", "libvorbis", music)
    assert made.returncode == 0
    for intro, first in ((str(music), "Ana"), ("Hello and welcome to faults.", "Narrator")):
        out = tmp_path / "ep.mp3"
        done = cli_run(
            "render", script, "-o", out, "--engine", "fake", "--voices", fake_voices,
            "--intro", intro, "--no-outro", "--json", "-j", "1",
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        titles = [c["title"] for c in json.loads(done.stdout)["chapters"]]
        assert titles[0] == "Intro"
        vtt = out.with_suffix(".vtt").read_text("utf-8")
        assert f"<v {first}>" in vtt.split("-->", 1)[1].split("\n\n")[0]
        assert decode_errors(out) == ""
    bare = render(script, tmp_path / "bare.mp3", fake_voices, "--json")
    assert "Intro" not in [c["title"] for c in json.loads(bare.stdout)["chapters"]]


@pytest.mark.parametrize("kind", ["missing", "corrupt"])
def test_bad_intro_file_is_one_line_naming_it_before_synthesis(
    script: Path, tmp_path: Path, fake_voices: Path, kind: str
) -> None:
    intro = tmp_path / "intro.mp3"
    if kind == "corrupt":
        intro.write_bytes(os.urandom(4000))
    out = tmp_path / "ep.mp3"
    log = tmp_path / "calls.jsonl"
    done = cli_run(
        "render", script, "-o", out, "--engine", "fake", "--voices", fake_voices,
        "--intro", intro, "--no-cache", "-j", "1", faults={"log": str(log)},
    )  # fmt: skip
    assert done.returncode == 2
    assert "intro.mp3" in error_line(done)
    assert not out.exists() and temp_leftovers(tmp_path) == []
    assert not log.exists()  # nothing was synthesized


@pytest.mark.parametrize("kind", ["missing", "corrupt"])
def test_bad_cover_is_one_line_naming_it_before_synthesis(
    tmp_path: Path, fake_voices: Path, kind: str
) -> None:
    cover = tmp_path / "cover.png"
    if kind == "corrupt":
        cover.write_bytes(os.urandom(500))
    script = tmp_path / "ep.txt"
    script.write_text(f"---\ntitle: C\ncover: {cover.name}\n---\nAna: Hi there.\n", "utf-8")
    log = tmp_path / "calls.jsonl"
    done = render(script, tmp_path / "ep.mp3", fake_voices, faults={"log": str(log)})
    assert done.returncode == 2
    assert "cover.png" in error_line(done)
    assert not log.exists() and not (tmp_path / "ep.mp3").exists()


def test_fake_engine_without_its_profiles_says_so(script: Path, tmp_path: Path) -> None:
    done = cli_run("render", script, "-o", tmp_path / "ep.mp3", "--engine", "fake")
    assert done.returncode == 2
    assert "no voice profiles for the 'fake' engine" in error_line(done)


@pytest.fixture
def full_disk(tmp_path: Path) -> Iterator[Path]:
    """A 256 KiB tmpfs: a real 'no space left on device' (needs root and mount; else skip)."""
    mount = tmp_path / "full"
    mount.mkdir()
    made = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(mount)],
        capture_output=True,
        check=False,
    )
    if made.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here: {made.stderr.decode().strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], check=False)


def test_a_full_disk_is_one_line_naming_the_output_and_leaves_nothing(
    script: Path, full_disk: Path, fake_voices: Path
) -> None:
    out = full_disk / "ep.wav"  # uncompressed, so the 256 KiB fill up for sure
    done = render(script, out, fake_voices)
    assert done.returncode == 1
    line = error_line(done)
    assert f"{out}: no space left on device" in line, line
    assert "-o" in line  # says what to do
    assert list(full_disk.iterdir()) == []
