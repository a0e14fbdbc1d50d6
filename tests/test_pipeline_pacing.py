"""Rendered with the real engine and decoded: the intro hands over, the end has a tail, room
tone replaces digital silence, and the speech sits at the target whatever the music holds."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pyloudnorm
import pytest
from conftest import decode

from audiocast.model import Bumper, Gaps
from audiocast.pipeline import RenderOptions, RenderResult, render

RATE = 44_100
SHORT = """\
---
title: Bird Boxes
show: The Bench
---
Ana Ruiz, HOST: Welcome back. What did you build this week?

Ben Osei: A bird box, from one plank of cedar.

Ana Ruiz: Did the birds move in?
"""


def _render(tmp_path: Path, cache: Path, name: str, **options: object) -> RenderResult:
    script = tmp_path / "short.txt"
    script.write_text(SHORT, encoding="utf-8")
    opts = RenderOptions(output=tmp_path / f"{name}.wav", cache_dir=cache, **options)  # type: ignore[arg-type]
    return render(script, opts)


def _segments(result: RenderResult) -> list[dict[str, object]]:
    path = result.path.with_suffix(".transcript.json")
    return json.loads(path.read_text(encoding="utf-8"))["segments"]


def _longest_silence(x: np.ndarray) -> float:
    """Seconds of the longest run of digital zero (as a decoder returns it: below -90 dBFS)."""
    quiet = np.abs(x) < 10 ** (-90 / 20)
    best = run = 0
    for q in quiet:
        run = run + 1 if q else 0
        best = max(best, run)
    return best / RATE


def _speech_loudness(x: np.ndarray, segments: list[dict[str, object]]) -> float:
    body = [s for s in segments if s.get("speaker") not in (None, "Narrator")]
    speech = np.concatenate(
        [x[int(float(s["startTime"]) * RATE) : int(float(s["endTime"]) * RATE)] for s in body]  # type: ignore[arg-type]
    )
    return float(pyloudnorm.Meter(RATE).integrated_loudness(speech.astype(np.float64)))


@pytest.fixture(scope="module")
def produced(tmp_path_factory: pytest.TempPathFactory, session_cache: Path) -> RenderResult:
    return _render(tmp_path_factory.mktemp("produced"), session_cache, "ep")


def test_the_intro_hands_over_in_under_a_second_with_music_under_it(
    produced: RenderResult,
) -> None:
    segments = _segments(produced)
    intro = next(s for s in segments if s.get("speaker") == "Narrator")
    first = next(s for s in segments if s.get("speaker") == "Ana Ruiz")
    handover = float(first["startTime"]) - float(intro["endTime"])  # type: ignore[arg-type]
    assert 0.5 <= handover <= 0.8
    x = decode(produced.path)
    gap = x[int(float(intro["endTime"]) * RATE) : int(float(first["startTime"]) * RATE)]  # type: ignore[arg-type]
    assert _longest_silence(gap) < 0.05
    assert 20 * np.log10(np.sqrt(np.mean(gap.astype(np.float64) ** 2))) > -50  # music, audibly


def test_speech_sits_at_the_target_whatever_the_bumpers_hold(
    produced: RenderResult, tmp_path: Path, session_cache: Path
) -> None:
    bare = _render(tmp_path, session_cache, "bare", use_intro=False, use_outro=False)
    with_music = _speech_loudness(decode(produced.path), _segments(produced))
    without = _speech_loudness(decode(bare.path), _segments(bare))
    assert abs(with_music - without) <= 0.5
    assert abs(with_music - -16.0) <= 1.0
    assert produced.loudness.speech is not None and abs(produced.loudness.speech + 16.0) <= 0.5


def test_a_text_outro_ends_on_a_tail_not_on_the_last_word(
    tmp_path: Path, session_cache: Path
) -> None:
    result = _render(
        tmp_path, session_cache, "text-outro", outro=Bumper(text="Thanks for listening.")
    )
    last = _segments(result)[-1]
    tail = result.duration - float(last["endTime"])  # type: ignore[arg-type]
    assert 0.5 <= tail <= 1.5


def test_room_tone_replaces_digital_silence(tmp_path: Path, session_cache: Path) -> None:
    plain = _render(tmp_path, session_cache, "plain", use_intro=False, use_outro=False)
    toned = _render(
        tmp_path, session_cache, "toned", use_intro=False, use_outro=False, room_tone=-60.0
    )
    assert _longest_silence(decode(plain.path)) >= Gaps().quick - 0.05
    x = decode(toned.path)
    assert _longest_silence(x) < 0.01
    segments = _segments(toned)
    a, b = float(segments[0]["endTime"]), float(segments[1]["startTime"])  # type: ignore[arg-type]
    floor = x[int((a + 0.05) * RATE) : int((b - 0.05) * RATE)].astype(np.float64)
    level = 20 * np.log10(np.sqrt(np.mean(floor**2)))
    assert -66 <= level <= -54  # about the -60 dBFS asked for, after mastering's gain
