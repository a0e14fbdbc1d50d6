"""Engine voice ids as people write them, and `voices`/`cast` output people can read and pipe."""

from __future__ import annotations

import subprocess
import sys
import wave
from pathlib import Path

import pytest
from conftest import run_cli

from audiocast.model import EngineVoice, VoiceProfile
from audiocast.report import format_table
from audiocast.synth.pyttsx3_backend import Pyttsx3Synthesizer
from audiocast.voices import speaks_language

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="eSpeak NG ids")


@pytest.fixture(scope="module")
def engine() -> Pyttsx3Synthesizer:
    synth = Pyttsx3Synthesizer()
    yield synth  # type: ignore[misc]
    synth.close()


def test_a_language_is_matched_by_its_primary_subtag() -> None:
    central = EngineVoice("aav/vi-vn-x-central", "Vietnamese (Central)", ("vi-vn-x-central",))
    scots = EngineVoice("gmw/en-gb-scotland", "English (Scotland)", ("en-gb-scotland",))
    assert not speaks_language(central, "en")
    assert speaks_language(scots, "en") and speaks_language(scots, "EN_gb")
    assert speaks_language(central, "vi")


@linux_only
def test_voices_lists_only_english_voices(tmp_path: Path) -> None:
    done = run_cli("voices", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    engine_part = done.stdout.split("Engine voices", 1)[1]
    assert "central" not in engine_part and "vi-vn" not in engine_part
    assert "en-gb-scotland" in engine_part


def test_tables_stay_aligned_with_long_ids() -> None:
    rows = [("a", "en-gb-x-gbcwmd+f4", "Q"), ("panel-long-name", "us", "Z")]
    lines = format_table(rows)
    assert lines[0].index("Q") == lines[1].index("Z")
    assert lines[1].index("us") == lines[0].index("en-gb")


@linux_only
def test_every_english_accent_takes_a_variant(engine: Pyttsx3Synthesizer, tmp_path: Path) -> None:
    english = [v for v in engine.voices() if speaks_language(v, "en")]
    assert english
    ids = {v.id.rsplit("/", 1)[-1] for v in english} | {
        lang for v in english for lang in v.languages
    }
    assert "en-gb" in ids  # a language code, not an eSpeak voice name
    for base in sorted(ids):
        profile = VoiceProfile(name=base, voice_id=f"{base}+f4")
        engine.check_voice(profile)
    out = tmp_path / "gb.wav"
    engine.synthesize("Good morning.", VoiceProfile(name="gb", voice_id="en-gb+f4"), out)
    with wave.open(str(out)) as w:
        assert w.getnframes() > 0.3 * w.getframerate()


def test_piping_into_head_never_ends_in_broken_pipe(tmp_path: Path) -> None:
    (tmp_path / "s.txt").write_text("Ann: Hello.\n\nBo: Hi.\n", encoding="utf-8")
    # A reader that has gone before the first line is written, as `| head -0` leaves.
    proc = subprocess.Popen(
        [sys.executable, "-m", "audiocast", "voices", "--all"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=tmp_path,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()
    err = proc.stderr.read().decode()
    proc.stderr.close()
    proc.wait(timeout=60)
    assert "BrokenPipeError" not in err and "internal error" not in err, err
    assert proc.returncode in (0, 141)
