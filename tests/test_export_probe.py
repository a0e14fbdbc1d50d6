"""audiocast info: duration, loudness, tags and chapters of a real short episode."""

from __future__ import annotations

import json
import subprocess
import threading
from pathlib import Path

import numpy as np
import pytest
from export_fixtures import encode, tone

from audiocast import master
from audiocast.errors import AudioError, InputError
from audiocast.export.probe import episode_info, format_info, measure_file
from audiocast.export.tags import EpisodeTags, write_tags
from audiocast.model import Chapter
from audiocast.runtime import find_ffmpeg


@pytest.fixture
def episode(tmp_path: Path) -> Path:
    # Two levels so the loudness range is not zero; 997 Hz so the reading is known.
    samples = np.concatenate((tone(4.0, -20.0, 997.0), tone(4.0, -26.0, 997.0)))
    mp3 = encode(samples, tmp_path / "episode.mp3")
    write_tags(
        mp3,
        EpisodeTags(title="Solder", show="The Workshop", date="2026-11-25"),
        [Chapter(0.0, "Loud part"), Chapter(4.0, "Quiet part")],
    )
    return mp3


def test_episode_info_reads_what_a_player_sees(episode: Path) -> None:
    info = episode_info(episode)
    assert info["duration"] == pytest.approx(8.0, abs=0.05)
    assert info["size"] == episode.stat().st_size
    loud = info["loudness"]
    # -20 dBFS at 997 Hz reads -23.0 LUFS, -26 dBFS reads -29.0; the gate keeps both.
    expected = master.measure(
        np.concatenate((tone(4.0, -20.0, 997.0), tone(4.0, -26.0, 997.0))), 44100
    ).integrated
    assert loud["integrated"] == pytest.approx(expected, abs=0.3)
    assert loud["true_peak"] == pytest.approx(-20.0, abs=0.3)
    assert loud["range"] == pytest.approx(6.0, abs=0.5)
    assert info["tags"]["title"] == "Solder"
    assert [c["title"] for c in info["chapters"]] == ["Loud part", "Quiet part"]
    assert info["chapters"][1]["start"] == 4.0
    json.dumps(info)  # --json must be able to print it


def test_format_info_is_short_and_complete(episode: Path) -> None:
    text = format_info(episode_info(episode))
    assert "0:08.0" in text
    assert "LUFS" in text and "dBTP" in text and "LU" in text
    assert "Solder" in text and "The Workshop" in text
    assert "Loud part" in text and "0:04.000" in text
    assert len(text.splitlines()) < 20


def test_measure_file_sums_stereo_channels(tmp_path: Path) -> None:
    # BS.1770 adds the channels' powers: the same tone in both channels reads +3 LU.
    x = tone(3.0, -20.0, 997.0)
    mono = encode(x, tmp_path / "mono.flac")
    stereo = tmp_path / "stereo.flac"
    subprocess.run(
        [
            find_ffmpeg(),
            "-v",
            "error",
            "-f",
            "f32le",
            "-ar",
            "44100",
            "-ac",
            "2",
            "-i",
            "-",
            str(stereo),
        ],
        input=np.stack((x, x), axis=1).astype("<f4").tobytes(),
        check=True,
    )
    one, two = measure_file(mono), measure_file(stereo)
    assert one.integrated is not None and two.integrated is not None
    assert two.integrated - one.integrated == pytest.approx(3.01, abs=0.05)
    assert two.true_peak_db == pytest.approx(one.true_peak_db, abs=0.05)


def test_missing_and_broken_files(tmp_path: Path) -> None:
    with pytest.raises(InputError):
        episode_info(tmp_path / "nope.mp3")
    broken = tmp_path / "broken.ogg"
    broken.write_bytes(b"OggS" + b"\x00" * 100)
    with pytest.raises(AudioError):
        episode_info(broken)


def test_a_damaged_file_that_makes_ffmpeg_log_a_lot_is_still_measured(tmp_path: Path) -> None:
    # Garbage every few hundred bytes: ffmpeg logs two lines per bad frame, well over the
    # 64 KiB a stderr pipe holds, which used to stall it while the meter waited on stdout.
    # (Long enough that ffmpeg 5.1, which logs less per bad frame than newer ones, logs that much.)
    good = encode(tone(150.0), tmp_path / "good.mp3").read_bytes()
    damaged = bytearray(good)
    for start in range(2000, len(damaged) - 100, 300):
        damaged[start : start + 40] = bytes((start * 7 + i) % 256 for i in range(40))
    bad = tmp_path / "damaged.mp3"
    bad.write_bytes(bytes(damaged))
    log = subprocess.run(
        [find_ffmpeg(), "-nostdin", "-v", "error", "-i", str(bad), "-f", "f32le", "-"],
        capture_output=True,
        check=False,
    ).stderr
    assert len(log) > 1 << 16  # the premise: more than a pipe holds

    found: list[master.Measurement] = []
    worker = threading.Thread(target=lambda: found.append(measure_file(bad)), daemon=True)
    worker.start()
    worker.join(120)  # a hang guard, not a speed requirement
    assert found, "measure_file hung on a damaged file"
    assert found[0].integrated is not None
