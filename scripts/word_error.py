"""Word error rate of a rendered episode, heard by PocketSphinx's bundled US English model.

A coarse, offline stand-in for a listener: each caption cue of the episode (its real clip
boundaries) is cut from the audio, decoded, and compared word by word with what the cue says
in spoken form (numbers and abbreviations as the normalizer writes them out). Used by
``scripts/bench.py --engine piper``; needs ``pip install pocketsphinx`` (part of ``.[test]``).
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

RATE = 16000
_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def edit_distance(reference: list[str], heard: list[str]) -> int:
    """Word-level Levenshtein distance (substitutions, insertions, deletions)."""
    previous = list(range(len(heard) + 1))
    for i, ref in enumerate(reference, 1):
        current = [i]
        for j, word in enumerate(heard, 1):
            current.append(
                min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ref != word))
            )
        previous = current
    return previous[-1]


def _decode_audio(episode: Path) -> np.ndarray:
    from audiocast.runtime import find_ffmpeg

    cmd = [find_ffmpeg(), "-nostdin", "-v", "error", "-i", str(episode)]
    cmd += ["-f", "s16le", "-ac", "1", "-ar", str(RATE), "-"]
    return np.frombuffer(subprocess.run(cmd, capture_output=True, check=True).stdout, "<i2")


def word_error(episode: Path, vtt: Path) -> tuple[float, int]:
    """(word error rate, reference words) of ``episode`` against its WebVTT captions."""
    import webvtt
    from pocketsphinx import Decoder

    from audiocast.normalize import normalize

    audio = _decode_audio(episode)
    decoder = Decoder(samprate=RATE, logfn="/dev/null")
    errors = total = 0
    for cue in webvtt.read(str(vtt)):
        start, end = int(cue.start_in_seconds * RATE), int(cue.end_in_seconds * RATE)
        text = re.sub(r"<[^>]+>", "", cue.text)
        reference = words(normalize(text))
        decoder.start_utt()
        decoder.process_raw(audio[start : end + RATE // 4].tobytes(), full_utt=True)
        decoder.end_utt()
        hyp = decoder.hyp()
        heard = words(hyp.hypstr) if hyp is not None else []
        errors += edit_distance(reference, heard)
        total += len(reference)
    return errors / max(total, 1), total


def render_and_score(script: Path, engine: str, work: Path) -> tuple[float, int]:
    """Render ``script`` with ``engine`` (no intro or outro: the captions are the reference)."""
    out = work / f"wer-{engine}.wav"
    cmd = [sys.executable, "-m", "audiocast", "render", str(script), "-o", str(out)]
    cmd += ["--engine", engine, "--no-intro", "--no-outro", "--quiet", "--no-cache"]
    subprocess.run(cmd, check=True, capture_output=True)
    return word_error(out, out.with_suffix(".vtt"))


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "scripts/example.txt")
    with tempfile.TemporaryDirectory() as folder:
        for name in ("pyttsx3", "piper"):
            rate, count = render_and_score(target, name, Path(folder))
            print(f"{name}: {rate:.1%} word error over {count} words")
