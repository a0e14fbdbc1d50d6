"""Every voice at the speech target as heard: each speaker's spans are cut from the decoded
episode at the transcript's times and measured with pyloudnorm, not with audiocast's meter."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

from conftest import ffmpeg, run_cli

TARGET = -16.0
_SPEC = importlib.util.spec_from_file_location(
    "speaker_levels", Path(__file__).resolve().parent.parent / "scripts" / "speaker_levels.py"
)
assert _SPEC is not None and _SPEC.loader is not None
speaker_levels = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(speaker_levels)

OPENING = [
    "Good evening, and welcome to a small programme about small woods.",
    "Two winters ago, a street of terraced houses dug up a strip of grass by its car park.",
    "They planted it thickly, the way a forest grows back on its own.",
    "The council gave the saplings; the neighbours gave the weekends.",
    "Tonight, one of the people who started it tells us how it went.",
    "We begin, as they did, with the first spade in the ground.",
]
LINES = [
    "Where did the first trees go in?",
    "Along the north fence, in two short rows.",
    "Why there?",
    "It gets the worst of the afternoon sun.",
    "How many did you plant that day?",
    "Forty, with six volunteers and one wheelbarrow.",
    "Did any of them fail?",
    "Three, all by the drain, where the soil stays wet.",
    "What did you put in their place?",
    "Willows. They like their feet wet.",
    "And the shade, one year on?",
    "You can feel it the moment you step off the pavement.",
    "Would you do it again?",
    "Tomorrow, if the council lets us.",
    "Thank you for your time.",
    "Thank you for asking about it.",
    "One more thing: who waters them in a dry August?",
    "The school next door. Each class takes a week.",
    "And the children, do they like it?",
    "They have named every tree, and they check on them daily.",
    "Has anyone measured the difference in the air?",
    "A student did, with a cheap sensor, for a whole summer.",
    "What did she find?",
    "Two degrees cooler under the canopy by late afternoon.",
    "Is that a lot?",
    "On a hot day it is the difference between a walk and a wait indoors.",
    "Last question: what would you tell another street?",
    "Start small, start in autumn, and ask the neighbours first.",
]


def _script(folder: Path) -> Path:
    # The host speaks first and alone for a while, as a narrator would: the lines the stream
    # levels before it has heard anything, which later ones must not drift away from.
    turns = [f"Host: {line}" for line in OPENING]
    turns += [f"{'Host' if i % 2 == 0 else 'Guest'}: {line}" for i, line in enumerate(LINES)]
    script = folder / "levels.txt"
    script.write_text("---\ntitle: Levels\n---\n" + "\n\n".join(turns) + "\n", "utf-8")
    return script


def test_voices_of_different_levels_land_together_on_the_speech_target(tmp_path: Path) -> None:
    out = tmp_path / "levels.mp3"
    done = run_cli(
        "render", _script(tmp_path), "-o", out,
        "--voice", "Host=narrator", "--voice", "Guest=guest-a", "--no-intro", "--no-outro",
        "--no-page", "--json", timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    reported = json.loads(done.stdout)["loudness"]["speakers"]
    # The voices really differ as synthesized (the narrator is the quieter, as in the example).
    assert reported["Guest"]["before"] - reported["Host"]["before"] > 2.0
    speakers = speaker_levels.speaker_levels(out)
    speech = speakers.pop("speech")
    assert set(speakers) == {"Host", "Guest"}
    spread = max(speakers.values()) - min(speakers.values())
    assert spread <= 0.5, f"per-speaker loudness {speakers} spread {spread:.1f} LU"
    for name, level in speakers.items():
        assert abs(level - TARGET) <= 0.5, f"{name} at {level:.1f} LUFS"
    assert abs(speech - TARGET) <= 0.5, f"speech at {speech:.1f} LUFS"
    # The ceiling still holds on the encoded file, as ffmpeg's meter reads it.
    peak = ffmpeg("-nostats", "-i", out, "-af", "ebur128=peak=true", "-f", "null", "-")
    summary = peak.stderr.decode().rsplit("Summary:", 1)[-1]
    true_peak = float(summary.split("Peak:")[-1].split("dBFS")[0])
    assert true_peak <= -1.0, summary
