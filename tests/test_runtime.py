"""The fallback binaries (issue 3): with no system eSpeak NG and no ffmpeg on PATH, a render
uses the library shipped by espeakng-loader and the binary shipped by imageio-ffmpeg."""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

import pytest
from conftest import decode_errors, run_cli

from audiocast.errors import AudioError
from audiocast.export.audio import Encoder
from audiocast.runtime import find_ffmpeg

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="eSpeak NG is the engine on Linux only"
)


def bundled_env() -> dict[str, str]:
    env = dict(os.environ)
    env["AUDIOCAST_ESPEAK"] = "bundled"
    env["AUDIOCAST_FFMPEG"] = "bundled"
    folders = env.get("PATH", "").split(os.pathsep)
    env["PATH"] = os.pathsep.join(
        f
        for f in folders
        if f and not any(shutil.which(t, path=f) for t in ("ffmpeg", "espeak-ng"))
    )
    return env


def test_render_with_the_bundled_espeak_and_ffmpeg(tmp_path: Path) -> None:
    env = bundled_env()
    assert shutil.which("ffmpeg", path=env["PATH"]) is None
    script = tmp_path / "s.txt"
    script.write_text("Ana: A short line.\n\nBen: And a reply.\n", "utf-8")
    out = tmp_path / "ep.mp3"
    done = run_cli(
        "--debug", "render", script, "-o", out, "--no-intro", "--no-outro", "--no-cache",
        env=env,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "audiocast: ffmpeg: bundled " in done.stderr and "imageio_ffmpeg" in done.stderr
    assert "audiocast: eSpeak NG: bundled " in done.stderr
    assert "espeakng_loader" in done.stderr
    assert decode_errors(out) == ""


def test_voices_json_names_the_binaries(tmp_path: Path) -> None:
    done = run_cli("voices", "--json", env=bundled_env())
    assert done.returncode == 0, done.stderr
    runtime = json.loads(done.stdout)["runtime"]
    assert any(line.startswith("ffmpeg: bundled ") for line in runtime)
    assert any(line.startswith("eSpeak NG: bundled ") for line in runtime)


def test_an_ffmpeg_that_cannot_run_is_an_audiocast_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = tmp_path / "ffmpeg"
    fake.write_bytes(b"\x00\x01 not a program")
    fake.chmod(0o755)  # executable, so which() accepts it, but exec fails (ENOEXEC)
    monkeypatch.setenv("AUDIOCAST_FFMPEG", str(fake))
    find_ffmpeg.cache_clear()
    try:
        with pytest.raises(AudioError, match="cannot run ffmpeg"):
            Encoder(tmp_path / "out.mp3", 22_050)
    finally:
        monkeypatch.undo()
        find_ffmpeg.cache_clear()
    assert not (tmp_path / "out.mp3").exists()
