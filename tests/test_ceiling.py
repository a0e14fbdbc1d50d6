"""The true-peak ceiling holds on the encoded file of every format, as ffmpeg's own meter reads
it, and the render and ``info`` report what that meter reads."""

from __future__ import annotations

import itertools
import json
import re
from pathlib import Path

import pytest
from conftest import ffmpeg, run_cli

CEILING = -1.0

LOUD = """\
---
title: Loud One
show: Tests
---
Ana: Stop! Watch out! Sss, shh, ksss, tchh!

Ben: Fire! Fire! Everybody out, now, now, now!
"""


def ffmpeg_true_peak(path: Path) -> float:
    """The true peak (dBTP) ffmpeg's ``ebur128=peak=true`` prints for the file."""
    done = ffmpeg("-nostats", "-i", path, "-af", "ebur128=peak=true", "-f", "null", "-")
    assert done.returncode == 0, done.stderr.decode()
    summary = done.stderr.decode().rsplit("Summary:", 1)[-1]
    match = re.search(r"True peak:\s+Peak:\s+(-?[\d.]+|-inf) dBFS", summary)
    assert match, summary
    return float(match.group(1))


def render(script: Path, out: Path) -> dict:
    done = run_cli("render", script, "-o", out, "--no-sidecars", "--json", timeout=600)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.mark.parametrize("ext", ["mp3", "m4a", "ogg", "opus", "flac", "wav"])
def test_a_short_loud_episode_stays_under_the_ceiling_in_every_format(
    tmp_path: Path, ext: str
) -> None:
    script = tmp_path / "loud.txt"
    script.write_text(LOUD, "utf-8")
    out = tmp_path / f"loud.{ext}"
    reported = render(script, out)["loudness"]
    measured = ffmpeg_true_peak(out)
    assert measured <= CEILING
    # The render reports the file's true peak, not the stream's before the codec.
    assert reported["true_peak"] == pytest.approx(measured, abs=0.1)
    info = json.loads(run_cli("info", out, "--json").stdout)
    assert info["channels"] == 1
    assert info["loudness"]["true_peak"] == pytest.approx(measured, abs=0.1)


def long_interview(words: int) -> str:
    """An interview of about ``words`` words, varied enough to read like speech."""
    openers = ["So", "Well", "Honestly", "Look", "Right", "And yet", "Of course"]
    subjects = ["the harbour", "our volunteers", "the old mill", "every tenant", "the council"]
    verbs = ["rebuilt", "argued about", "measured", "painted", "flooded", "rescued"]
    things = ["the sea wall", "forty benches", "a rooftop garden", "the ferry timetable"]
    ends = ["last winter.", "in two weeks!", "before anyone asked?", "with no budget at all."]
    sentences = (
        f"{o}, {s} {v} {t} {e}"
        for o, s, v, t, e in itertools.product(openers, subjects, verbs, things, ends)
    )
    turns, count, speaker = [], 0, itertools.cycle(["Ines Duarte, HOST", "Tom Okoro"])
    while count < words:
        turn = " ".join(next(sentences) for _ in range(3))
        turns.append(f"{next(speaker)}: {turn}")
        count += len(turn.split())
    return "---\ntitle: The Harbour Year\nshow: Tests\n---\n" + "\n\n".join(turns) + "\n"


def test_an_episode_of_seed_size_stays_under_the_ceiling(tmp_path: Path) -> None:
    script = tmp_path / "long.txt"
    script.write_text(long_interview(1000), "utf-8")
    out = tmp_path / "long.m4a"
    reported = render(script, out)
    assert reported["duration"] > 240
    assert ffmpeg_true_peak(out) <= CEILING
    # The target is the speech's loudness (music and bumpers are left out of it).
    assert reported["loudness"]["speech"] == pytest.approx(-16.0, abs=0.5)
