"""Print how fast a whole catalogue renders: one `render` after another, `render-all` on the
local pool, and `render-all --cluster local:2`, plus the Dask scheduler's overhead per task.

    python scripts/bench_catalogue.py                    # twelve 5-minute episodes per engine
    python scripts/bench_catalogue.py --episodes 4 --minutes 1     # a quick look

Every run starts from an empty clip cache, in one process run after another on the same cores,
with each engine installed (pyttsx3; Piper when the piper extra and a Piper voice are there).
The machine's load average is printed beside each figure: other work on the cores skews it.
Needs the cluster extra (``pip install -e '.[cluster]'``). Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import logging
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench import build_script, machine  # the interview builder of bench.py

OVERHEAD_TASKS = 2000


def audiocast(*args: str | Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "audiocast", *map(str, args)], capture_output=True, text=True
    )
    if done.returncode != 0:
        sys.exit(f"audiocast {' '.join(map(str, args[:2]))} failed:\n{done.stderr}")


def load() -> str:
    return "load {:.1f}/{:.1f}".format(*os.getloadavg()[:2])


def make_catalogue(folder: Path, episodes: int, minutes: float) -> None:
    folder.mkdir(parents=True)
    for n in range(episodes):
        text, _ = build_script(minutes, seed=100 + n)
        title = text.splitlines()[1]
        text = text.replace(title, f"title: Catalogue episode {n + 1}", 1)
        (folder / f"episode-{n + 1:02d}.txt").write_text(text, encoding="utf-8")


def engine_works(engine: str, work: Path) -> bool:
    """The engine is installed and speaks a line here (Piper also needs a voice model)."""
    from audiocast.synth.base import available_engines

    if engine not in available_engines():
        return False
    say = ["say", "A quick check.", "--engine", engine, "--voice", "narrator"]
    done = subprocess.run(
        [sys.executable, "-m", "audiocast", *say, "-o", str(work / f"check-{engine}.wav")],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        print(f"{engine}: skipped ({done.stderr.strip().splitlines()[-1:]})")
    return done.returncode == 0


def bench_engine(engine: str, scripts: Path, work: Path, episodes: int) -> dict[str, float]:
    common = ["--engine", engine, "-q"]
    rates: dict[str, float] = {}

    def report(name: str, seconds: float, before: str) -> None:
        rates[name] = episodes / (seconds / 60)
        print(f"  {name:<34} {seconds:7.1f} s  {rates[name]:6.2f} episodes/min  ({before})")

    before, start = load(), time.perf_counter()
    for script in sorted(scripts.glob("*.txt")):
        audiocast(
            "render", script, "-o", work / "one" / f"{script.stem}.mp3",
            "--cache-dir", work / f"{engine}-cache-one", *common,
        )  # fmt: skip
    report("one render after another", time.perf_counter() - start, before)

    before, start = load(), time.perf_counter()
    audiocast(
        "render-all", scripts, "-o", work / "pool", "--cache-dir", work / f"{engine}-cache-pool",
        *common,
    )  # fmt: skip
    report("render-all, local pool", time.perf_counter() - start, before)

    before, start = load(), time.perf_counter()
    audiocast(
        "render-all", scripts, "-o", work / "dask", "--cache-dir", work / f"{engine}-cache-dask",
        "--cluster", "local:2", *common,
    )  # fmt: skip
    report("render-all --cluster local:2", time.perf_counter() - start, before)
    return rates


def scheduler_overhead() -> float:
    """Seconds of scheduling per task: trivial tasks through a 2-worker LocalCluster."""
    from distributed import Client, LocalCluster

    logging.getLogger("distributed").setLevel(logging.ERROR)  # its INFO lines are noise here
    with (
        LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            host="127.0.0.1",
            dashboard_address=None,
            silence_logs=40,
        ) as cluster,
        Client(cluster) as client,
    ):
        client.gather(client.map(abs, range(-50, 0)))  # warm up the workers
        start = time.perf_counter()
        client.gather(client.map(abs, range(OVERHEAD_TASKS)))
        return (time.perf_counter() - start) / OVERHEAD_TASKS


def clips_per_episode(scripts: Path) -> float:
    from audiocast.options import RenderOptions
    from audiocast.parse import load_script
    from audiocast.prepare import prepare

    counts = [
        len(prepare(load_script(s), RenderOptions())[1].requests) for s in scripts.glob("*.txt")
    ]
    return sum(counts) / len(counts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--episodes", type=int, default=12)
    parser.add_argument("--minutes", type=float, default=5.0, help="Speech per episode.")
    parser.add_argument("--engines", default="pyttsx3,piper", help="Engines, comma-separated.")
    args = parser.parse_args()
    print(f"machine: {machine()}; {load()}")
    with tempfile.TemporaryDirectory(prefix="audiocast-bench-catalogue-") as tmp:
        work = Path(tmp)
        scripts = work / "scripts"
        make_catalogue(scripts, args.episodes, args.minutes)
        clips = clips_per_episode(scripts)
        print(f"catalogue: {args.episodes} episodes of about {args.minutes:g} minutes, "
              f"{clips:.0f} clips each")  # fmt: skip
        results: dict[str, dict[str, float]] = {}
        for engine in [e.strip() for e in args.engines.split(",") if e.strip()]:
            if not engine_works(engine, work):
                if engine != "piper":
                    print(f"{engine}: skipped (not available)")
                continue
            print(f"{engine}:")
            results[engine] = bench_engine(engine, scripts, work / engine, args.episodes)
        overhead = scheduler_overhead()
    tasks = clips + 1  # its clips and its mix
    ceiling = 60 / (overhead * tasks)
    print(f"scheduler overhead: {overhead * 1000:.2f} ms per task ({load()}); "
          f"{tasks:.0f} tasks per episode, so one scheduler keeps up with about "
          f"{ceiling:,.0f} episodes/min")  # fmt: skip
    for engine, rates in results.items():
        pool, dask = rates["render-all, local pool"], rates["render-all --cluster local:2"]
        print(f"{engine}: the cluster run costs {100 * (pool / dask - 1):+.0f} % time vs the "
              f"local pool; the pool runs {pool / rates['one render after another']:.2f}x "
              "one render after another")  # fmt: skip
        per_machine = dask
        for n in (1, 4, 16, 64, 256):
            print(f"  projection, {n:>3} machines like this one: "
                  f"{min(n * per_machine, ceiling):8.1f} episodes/min")  # fmt: skip


if __name__ == "__main__":
    main()
