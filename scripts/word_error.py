"""Word error rate of a rendered episode, heard by PocketSphinx's bundled US English model.

A coarse, offline stand-in for a listener: the whole episode is decoded as one utterance and
compared word by word with what its captions say in spoken form (numbers and abbreviations as
the normalizer writes them out). Decoding cue by cue scored far worse (Piper 54 % against 34 %
whole, on the example) because a caption cue is two short lines whose times inside a sentence
are interpolated, so cuts land mid-word and the recogniser has no context: it measured the
cutting, not the voice. ``score`` gives the same figure for any recording of the same text
(``scripts/bench.py --engine piper`` scores the piper CLI's own reading beside audiocast's).
Needs ``pip install pocketsphinx`` (part of ``.[test]``).
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


def spoken_reference(vtt: Path) -> str:
    """What the captions of an episode say, in spoken form."""
    import webvtt

    from audiocast.normalize import normalize

    cues = (re.sub(r"<[^>]+>", "", cue.text).replace("\n", " ") for cue in webvtt.read(str(vtt)))
    return normalize(" ".join(cues))


def score(audio_file: Path, reference: str) -> tuple[float, int]:
    """(word error rate, reference words) of ``audio_file`` heard whole against ``reference``."""
    from pocketsphinx import Decoder

    decoder = Decoder(samprate=RATE, logfn="/dev/null")
    decoder.start_utt()
    decoder.process_raw(_decode_audio(audio_file).tobytes(), full_utt=True)
    decoder.end_utt()
    hyp = decoder.hyp()
    heard = words(hyp.hypstr) if hyp is not None else []
    expected = words(reference)
    return edit_distance(expected, heard) / max(len(expected), 1), len(expected)


def word_error(episode: Path, vtt: Path) -> tuple[float, int]:
    """(word error rate, reference words) of ``episode`` against its WebVTT captions."""
    return score(episode, spoken_reference(vtt))


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
