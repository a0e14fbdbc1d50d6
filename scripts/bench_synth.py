"""Print synthesis throughput: clips per second for jobs=1 and jobs=2, cold and warm cache.

    python scripts/bench_synth.py [--engine pyttsx3] [--count 100] [--jobs 1 2]

Every sentence is different, so a cold run synthesizes each one; the warm run repeats it
against the filled cache. Each jobs value gets its own fresh temporary cache.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from audiocast.model import SpeechRequest, VoiceProfile
from audiocast.synth.cache import ClipCache
from audiocast.synth.pool import SynthesisPool

SUBJECTS = ["The harbour master", "Our guest", "A retired engineer", "The night editor", "She"]
VERBS = ["described", "remembered", "questioned", "explained", "mapped"]
OBJECTS = [
    "the winter storms that closed the bay",
    "how the old lighthouse was rebuilt",
    "a budget that never quite balanced",
    "the long road from the coast to the capital",
    "why the ferries ran late every Tuesday",
]


def sentences(count: int) -> list[str]:
    out = []
    for i in range(count):
        s = SUBJECTS[i % len(SUBJECTS)]
        v = VERBS[(i // len(SUBJECTS)) % len(VERBS)]
        o = OBJECTS[(i // 3) % len(OBJECTS)]
        out.append(f"{s} {v} {o}, in part {i + 1}.")
    return out


def run(engine: str, voice: VoiceProfile, texts: list[str], jobs: int, cache: ClipCache) -> float:
    requests = [SpeechRequest(t, voice) for t in texts]
    start = time.perf_counter()
    with SynthesisPool(engine, jobs=jobs, cache=cache) as pool:
        audio = sum(clip.duration for clip in pool.synthesize(requests))
    elapsed = time.perf_counter() - start
    print(f"  {len(texts) / elapsed:7.1f} clips/s  {elapsed:6.2f} s  ({audio:.0f} s of speech)")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--engine",
        default="pyttsx3",
        help="a registered engine; the tests' fake engine needs PYTHONPATH=tests/support",
    )
    parser.add_argument("--voice", default=None, help="engine voice id")
    parser.add_argument("--count", type=int, default=100)
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    voice_id = args.voice or ("fake-alto" if args.engine == "fake" else "en-us")
    voice = VoiceProfile(name="bench", voice_id=voice_id, engine=args.engine)
    texts = sentences(args.count)
    cold: dict[int, float] = {}
    for jobs in args.jobs:
        with tempfile.TemporaryDirectory(prefix="audiocast-bench-") as folder:
            cache = ClipCache(Path(folder))
            print(f"jobs={jobs} cold cache:")
            cold[jobs] = run(args.engine, voice, texts, jobs, cache)
            print(f"jobs={jobs} warm cache:")
            run(args.engine, voice, texts, jobs, cache)
    base = min(cold)
    for jobs, elapsed in sorted(cold.items()):
        print(f"cold speed-up jobs={jobs} vs jobs={base}: {cold[base] / elapsed:.2f}x")


if __name__ == "__main__":
    main()
