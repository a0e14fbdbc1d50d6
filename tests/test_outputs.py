"""Outputs commit as one set (issue 13): an earlier episode and its sidecars survive any failure
together, a killed render's leftovers are cleaned by the next one, temporary names stay short.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import decode_errors

from audiocast import outputs as outputs_module
from audiocast.errors import OutputError
from audiocast.leftovers import temp_name
from audiocast.outputs import OutputSet, clean_folder
from audiocast.pipeline import RenderOptions, render

SCRIPT = """\
---
title: Sets
---
Ana: The first turn of the set.

Ben: The second turn of the set.
"""
SIDECARS = (".chapters.json", ".vtt", ".srt", ".transcript.json")


def _options(out: Path, voices: Path) -> RenderOptions:
    return RenderOptions(
        output=out, engine="fake", voices_dirs=(voices,), jobs=1, use_intro=False,
        use_outro=False,
    )  # fmt: skip


def _set(out: Path) -> dict[str, bytes]:
    stem = out.with_suffix("")
    files = [out, *(Path(f"{stem}{s}") for s in SIDECARS)]
    return {p.name: p.read_bytes() for p in files if p.is_file()}


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


@pytest.fixture
def earlier(tmp_path: Path, fake_voices: Path) -> tuple[Path, dict[str, bytes]]:
    """An episode rendered once, and the bytes of its whole set."""
    script = tmp_path / "ep.txt"
    script.write_text(SCRIPT, "utf-8")
    out = tmp_path / "ep.mp3"
    render(script, _options(out, fake_voices))
    script.write_text(SCRIPT.replace("second turn", "changed second turn"), "utf-8")
    return out, _set(out)


@pytest.mark.parametrize("failing", ["ep.mp3", "ep.vtt", "ep.transcript.json"])
def test_a_failed_rename_leaves_the_earlier_set_whole(
    earlier: tuple[Path, dict[str, bytes]],
    fake_voices: Path,
    monkeypatch: pytest.MonkeyPatch,
    failing: str,
) -> None:
    out, before = earlier
    real_replace = os.replace

    def replace(src: str | Path, dst: str | Path) -> None:
        if Path(dst).name == failing and Path(src).name.startswith(".ac-"):
            raise PermissionError(1, "Operation not permitted", str(dst))
        real_replace(src, dst)

    monkeypatch.setattr(outputs_module.os, "replace", replace)
    with pytest.raises(OutputError) as caught:
        render(out.parent / "ep.txt", _options(out, fake_voices))
    assert "\n" not in str(caught.value) and "earlier files were kept" in str(caught.value)
    assert _set(out) == before  # audio and sidecars: all old, none new
    assert sorted(p.name for p in out.parent.iterdir() if p.name.startswith(".")) == []


def test_a_folder_where_a_sidecar_goes_fails_before_synthesis(
    earlier: tuple[Path, dict[str, bytes]], fake_voices: Path
) -> None:
    out, before = earlier
    (out.parent / "ep.vtt").unlink()
    (out.parent / "ep.vtt").mkdir()
    with pytest.raises(OutputError, match=r"ep\.vtt"):
        render(out.parent / "ep.txt", _options(out, fake_voices))
    del before["ep.vtt"]
    assert _set(out) == before


def test_a_commit_killed_half_way_is_rolled_back_by_the_next_render(tmp_path: Path) -> None:
    dest_a, dest_b, dest_c = tmp_path / "ep.mp3", tmp_path / "ep.vtt", tmp_path / "ep.srt"
    dest_a.write_bytes(b"old audio")
    dest_b.write_bytes(b"old captions")
    pid = _dead_pid()
    # What a render killed between its first and second rename leaves: the audio replaced,
    # the captions not yet, a new .srt placed that did not exist before, and the journal.
    kept = tmp_path / f".ac-{pid}-aaaa.old"
    os.link(dest_a, kept)
    (tmp_path / "staged").write_bytes(b"new audio")
    os.replace(tmp_path / "staged", dest_a)
    new_b = tmp_path / f".ac-{pid}-bbbb.vtt"
    new_b.write_bytes(b"new captions")
    dest_c.write_bytes(b"new srt")
    kept_b = tmp_path / f".ac-{pid}-cccc.old"
    os.link(dest_b, kept_b)
    journal = tmp_path / f".ac-{pid}-dddd.commit"
    entries = [
        {"dest": str(dest_a), "old": str(kept), "new": str(tmp_path / f".ac-{pid}-x.mp3")},
        {"dest": str(dest_b), "old": str(kept_b), "new": str(new_b)},
        {"dest": str(dest_c), "old": None, "new": str(tmp_path / f".ac-{pid}-y.srt")},
    ]
    journal.write_text(json.dumps(entries), "utf-8")
    clean_folder(tmp_path)
    assert dest_a.read_bytes() == b"old audio"
    assert dest_b.read_bytes() == b"old captions"
    assert not dest_c.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ep.mp3", "ep.vtt"]


def test_a_live_renders_temporaries_are_left_alone(tmp_path: Path) -> None:
    mine = tmp_path / temp_name(".mp3")
    mine.write_bytes(b"being written")
    dead = tmp_path / f".ac-{_dead_pid()}-abcd1234.mp3"
    dead.write_bytes(b"partial")
    clean_folder(tmp_path)
    assert mine.exists() and not dead.exists()


def test_output_set_discards_everything_on_an_exception(tmp_path: Path) -> None:
    dest = tmp_path / "ep.mp3"
    dest.write_bytes(b"old")
    with pytest.raises(RuntimeError), OutputSet() as outs:
        outs.stage(dest).write_bytes(b"new")
        outs.stage(tmp_path / "ep.vtt").write_text("WEBVTT\n")
        raise RuntimeError("boom")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ep.mp3"]
    assert dest.read_bytes() == b"old"


def test_a_long_but_legal_output_name_is_accepted(tmp_path: Path, fake_voices: Path) -> None:
    script = tmp_path / "ep.txt"
    script.write_text(SCRIPT, "utf-8")
    # 255 bytes with ".transcript.json": the longest name whose every sidecar is legal too.
    out = tmp_path / ("n" * (255 - len(".transcript.json")) + ".mp3")
    result = render(script, _options(out, fake_voices))
    assert result.path == out and decode_errors(out) == ""
    assert len(result.sidecars) == 4


def test_an_output_name_too_long_for_its_sidecars_fails_before_synthesis(
    tmp_path: Path, fake_voices: Path
) -> None:
    script = tmp_path / "ep.txt"
    script.write_text(SCRIPT, "utf-8")
    out = tmp_path / ("n" * 245 + ".mp3")
    log = tmp_path / "calls.jsonl"
    os.environ["AUDIOCAST_FAKE_FAULTS"] = json.dumps({"log": str(log)})
    with pytest.raises(OutputError, match="file name too long"):
        render(script, _options(out, fake_voices))
    assert not log.exists()  # nothing was synthesized


def test_kill_9_leftovers_are_cleaned_by_the_next_render(tmp_path: Path, fake_voices: Path) -> None:
    script = tmp_path / "ep.txt"
    script.write_text(SCRIPT, "utf-8")
    out = tmp_path / "ep.mp3"
    log = tmp_path / "calls.jsonl"
    env = dict(os.environ)
    env["AUDIOCAST_FAKE_FAULTS"] = json.dumps(
        {"hang": ["second turn"], "hang_seconds": 3, "log": str(log)}
    )
    env["TMPDIR"] = str(tmp_path / "tmp")
    (tmp_path / "tmp").mkdir()
    cmd = [sys.executable, "-m", "audiocast", "render", str(script), "-o", str(out), "-q"]
    cmd += ["--engine", "fake", "--voices", str(fake_voices), "--no-cache", "-j", "2"]
    cmd += ["--no-intro", "--no-outro"]
    proc = subprocess.Popen(cmd, env=env, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and "second turn" not in (
        log.read_text("utf-8") if log.exists() else ""
    ):
        time.sleep(0.05)
    proc.kill()
    proc.wait()
    # Workers notice their parent is gone at their next send, and exit without a word.
    _, stderr = proc.communicate(timeout=10)
    assert "Traceback" not in stderr and "Error" not in stderr, stderr
    hidden = [p.name for p in tmp_path.iterdir() if p.name.startswith(".ac-")]
    synth = list((tmp_path / "tmp").glob("audiocast-synth-*"))
    assert hidden and synth  # what kill -9 leaves today
    env.pop("AUDIOCAST_FAKE_FAULTS")
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
    assert list((tmp_path / "tmp").glob("audiocast-synth-*")) == []
