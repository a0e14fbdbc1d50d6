"""Each speaker's loudness in a rendered episode, measured apart from the render's own meter.

The episode is decoded by ffmpeg, each speaker's spans are cut at the times of its
``NAME.transcript.json``, joined, and measured with pyloudnorm (ITU-R BS.1770-4): the figures a
producer would get from another tool, to hold the render's report against. ``speech`` is every
span together; with ``--skip-bumpers`` the first and last spans (the intro's and outro's words,
spoken over music) are left out. Needs ``pyloudnorm`` (part of ``.[dev]``).

    python scripts/speaker_levels.py output/tiny-forests-big-shade.mp3 [--skip-bumpers]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pyloudnorm

from audiocast.export.probe import decode_frames

RATE = 44100


def decoded(path: Path) -> npt.NDArray[np.float64]:
    """The whole file, mono, as float64 samples."""
    return np.concatenate([c[:, 0] for c in decode_frames(path, RATE, 1, 10.0)]).astype(np.float64)


def speaker_levels(
    episode: Path, transcript: Path | None = None, skip_bumpers: bool = False
) -> dict[str, float]:
    """``{speaker: LUFS}`` and ``"speech"``: every span measured as one signal."""
    transcript = transcript or episode.with_name(episode.stem + ".transcript.json")
    spans = json.loads(transcript.read_text(encoding="utf-8"))["segments"]
    if skip_bumpers:
        spans = spans[1:-1]
    audio = decoded(episode)
    parts: dict[str, list[npt.NDArray[np.float64]]] = {}
    for span in spans:
        start, end = round(span["startTime"] * RATE), round(span["endTime"] * RATE)
        parts.setdefault(span["speaker"], []).append(audio[start:end])
    meter = pyloudnorm.Meter(RATE)
    levels = {
        name: float(meter.integrated_loudness(np.concatenate(p))) for name, p in parts.items()
    }
    every = [a for p in parts.values() for a in p]
    levels["speech"] = float(meter.integrated_loudness(np.concatenate(every)))
    return levels


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("episode", type=Path)
    parser.add_argument("--transcript", type=Path, help="default: EPISODE.transcript.json")
    parser.add_argument(
        "--skip-bumpers", action="store_true", help="leave out the first and last spans"
    )
    args = parser.parse_args()
    levels = speaker_levels(args.episode, args.transcript, args.skip_bumpers)
    speakers = {k: v for k, v in levels.items() if k != "speech"}
    for name, level in speakers.items():
        print(f"{name:<20} {level:6.1f} LUFS")
    print(f"{'speech':<20} {levels['speech']:6.1f} LUFS")
    print(f"{'spread':<20} {max(speakers.values()) - min(speakers.values()):6.1f} LU")
    return 0


if __name__ == "__main__":
    sys.exit(main())
