"""Render the example and compare its decoded audio with a reference: a saved file or a revision.

    python scripts/compare_render.py --reference old.wav
    python scripts/compare_render.py --revision main~5      # renders that revision in a worktree

The candidate is this checkout's ``audiocast render scripts/example.txt --jobs 1`` with a fresh
cache folder (so every clip is synthesized cold); a revision's reference is rendered the same
way from a temporary ``git worktree`` of it. Both files are decoded by ffmpeg to 44.1 kHz mono
float32 and compared sample by sample. Prints the lengths, the largest difference and the
difference's level; exits 0 when the decoded audio is identical, 1 when it is not.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = Path("scripts/example.txt")


def ffmpeg() -> str:
    from audiocast.runtime import find_ffmpeg

    return find_ffmpeg()


def render(checkout: Path, output: Path) -> None:
    """``audiocast render`` of the example in ``checkout``, cold, one worker, into ``output``."""
    with tempfile.TemporaryDirectory(prefix="compare-cache-") as cache:
        code = (
            "import sys; sys.path.insert(0, sys.argv[1]); from audiocast.cli import main; "
            "sys.argv = ['audiocast', *sys.argv[2:]]; main()"
        )
        args = ["render", str(EXAMPLE), "--jobs", "1", "--cache-dir", cache, "-q"]
        subprocess.run(
            [sys.executable, "-c", code, str(checkout), *args, "-o", str(output)],
            cwd=checkout,
            check=True,
        )


def decode(path: Path) -> np.ndarray:
    cmd = [ffmpeg(), "-nostdin", "-v", "error", "-i", str(path), "-map", "0:a:0"]
    cmd += ["-f", "f32le", "-ac", "1", "-ar", "44100", "-"]
    raw = subprocess.run(cmd, capture_output=True, check=True).stdout
    return np.frombuffer(raw, dtype="<f4")


def reference_from(revision: str, work: Path) -> Path:
    tree = work / "reference-tree"
    subprocess.run(
        ["git", "-C", str(ROOT), "worktree", "add", "--detach", "-q", str(tree), revision],
        check=True,
    )
    try:
        out = work / "reference.wav"
        render(tree, out)
        return out
    finally:
        subprocess.run(
            ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)], check=True
        )


def compare(reference: np.ndarray, candidate: np.ndarray) -> bool:
    print(f"reference {reference.size} samples ({reference.size / 44100:.3f} s)")
    print(f"candidate {candidate.size} samples ({candidate.size / 44100:.3f} s)")
    n = min(reference.size, candidate.size)
    diff = np.abs(reference[:n].astype(np.float64) - candidate[:n].astype(np.float64))
    peak = float(diff.max()) if n else 0.0
    differing = int(np.count_nonzero(diff))
    rms = float(np.sqrt(np.mean(diff**2))) if n else 0.0
    level = f"{20 * np.log10(rms):.1f} dBFS" if rms > 0 else "-inf dBFS"
    print(f"samples that differ: {differing} of {n}; largest difference {peak:.3g}; rms {level}")
    same = reference.size == candidate.size and differing == 0
    print("identical" if same else "DIFFERENT")
    return same


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--reference", type=Path, help="a saved render of the example")
    source.add_argument("--revision", help="a git revision to render the reference from")
    parser.add_argument("--keep", type=Path, help="also save the candidate render here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="compare-render-") as tmp:
        work = Path(tmp)
        reference = args.reference or reference_from(args.revision, work)
        candidate = args.keep or work / "candidate.wav"
        render(ROOT, candidate)
        return 0 if compare(decode(reference), decode(candidate)) else 1


if __name__ == "__main__":
    sys.exit(main())
