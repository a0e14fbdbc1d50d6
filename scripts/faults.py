"""Run hostile and unlucky cases against the installed ``audiocast`` CLI (issue 13).

    python scripts/faults.py [--python PYTHON] [-k WORD]

Each case runs the real command (``PYTHON -m audiocast``, the real engine) in a fresh folder
and prints one line: case, what a careful user expects, what happened, ok or FAIL; then a
summary. The exit status is the number of cases that failed (0 when every case holds).
``--python`` picks the interpreter whose audiocast is tried (e.g. another checkout's venv).
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import wave
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

TWO_TURNS = "---\ntitle: Faults\n---\nAna: The first turn is short.\n\nBen: So is the second.\n"
LONG_TURNS = "---\ntitle: Long\n---\n" + "".join(
    f"{'Ana' if n % 2 else 'Ben'}: Turn number {n} talks about the harbour and the boats.\n\n"
    for n in range(60)
)
BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{c}: &{c} [{', '.join(['*' + p] * 9)}]\n" for p, c in zip("abcdefgh", "bcdefghi", strict=True)
)
SIDECARS = (".chapters.json", ".vtt", ".srt", ".transcript.json")


Done = subprocess.CompletedProcess[str]


@dataclass
class Outcome:
    got: str
    ok: bool


class Runner:
    """The CLI under test, run in ``folder``."""

    def __init__(self, python: str, folder: Path) -> None:
        self.python = python
        self.folder = folder
        self.env = {**os.environ, "AUDIOCAST_CACHE_DIR": str(folder / "cache")}
        self.env["TMPDIR"] = str(folder / "tmp")
        (folder / "tmp").mkdir()

    def cmd(self, *args: object) -> list[str]:
        return [self.python, "-m", "audiocast", *map(str, args)]

    def run(self, *args: object, timeout: float = 120, **kw: object) -> Done:
        kw.setdefault("stdout", subprocess.PIPE)
        try:
            return subprocess.run(
                self.cmd(*args), stderr=subprocess.PIPE, text=True, timeout=timeout,
                env=self.env, cwd=self.folder, **kw,  # type: ignore[call-overload]
            )  # fmt: skip
        except subprocess.TimeoutExpired:
            return subprocess.CompletedProcess(
                self.cmd(*args), -999, "", f"(no answer in {timeout:g} s)"
            )

    def write(self, name: str, text: str) -> Path:
        path = self.folder / name
        path.write_text(text, encoding="utf-8")
        return path

    def render(self, script: Path, out: Path, *extra: object, timeout: float = 300) -> Done:
        return self.run("render", script, "-o", out, "-q", "--no-intro", "--no-outro", "-j", "1",
                        *extra, timeout=timeout)  # fmt: skip

    def popen(self, *args: object) -> subprocess.Popen[str]:
        return subprocess.Popen(
            self.cmd(*args), stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True,
            env=self.env, cwd=self.folder,
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        )  # fmt: skip


def one_line(done: Done, code: int = 2) -> Outcome:
    lines = done.stderr.strip().splitlines()
    shown = lines[-1][:90] if lines else "(nothing on stderr)"
    got = f"exit {done.returncode}, {len(lines)} line(s): {shown}"
    clean = "Traceback" not in shown and "internal error" not in shown  # a bug, not an answer
    return Outcome(got, done.returncode == code and len(lines) == 1 and clean)


def hidden(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def episode_set(out: Path) -> dict[str, bytes]:
    stem = out.with_suffix("")
    files = [out, *(Path(f"{stem}{s}") for s in SIDECARS)]
    return {p.name: p.read_bytes() for p in files if p.is_file()}


def wav_seconds(path: Path) -> float:
    with wave.open(str(path), "rb") as w:
        return w.getnframes() / w.getframerate()


# --- the cases -------------------------------------------------------------------------------


def case_script_dev_zero(r: Runner) -> Outcome:
    return one_line(r.run("parse", "/dev/zero", timeout=60))


def case_script_endless_pipe(r: Runner) -> Outcome:
    endless = subprocess.Popen(["yes", "Ana: again and again."], stdout=subprocess.PIPE)
    try:
        done = r.run("parse", "/dev/stdin", stdin=endless.stdout, timeout=60)
    finally:
        endless.kill()
        endless.wait()
    return one_line(done)


def case_lexicon_alias_bomb(r: Runner) -> Outcome:
    script, bomb = r.write("ep.txt", TWO_TURNS), r.write("bomb.yaml", BOMB)
    return one_line(r.run("parse", script, "--spoken", "--lexicon", bomb, timeout=60))


def case_yaml_deep_nesting(r: Runner) -> Outcome:
    deep = r.write("deep.yaml", "title: Deep\nsegments: " + "[" * 5000 + "]" * 5000 + "\n")
    return one_line(r.run("parse", deep, timeout=60))


def case_info_dev_zero(r: Runner) -> Outcome:
    return one_line(r.run("info", "/dev/zero", timeout=60))


def case_info_sparse_20_gb(r: Runner) -> Outcome:
    huge = r.folder / "huge.mp3"
    with open(huge, "wb") as fh:
        fh.truncate(20 * 1024**3)
    return one_line(r.run("info", huge, timeout=60))


def case_cover_300_mb(r: Runner) -> Outcome:
    cover = r.folder / "cover.png"
    with open(cover, "wb") as fh:
        fh.write(b"\x89PNG\r\n\x1a\n")
        fh.truncate(300 * 1024 * 1024)
    script = r.write("ep.txt", TWO_TURNS.replace("title: Faults", "title: F\ncover: cover.png"))
    start = time.monotonic()
    done = r.render(script, r.folder / "ep.mp3")
    outcome = one_line(done)
    outcome.got += f" ({time.monotonic() - start:.1f} s)"
    outcome.ok = outcome.ok and "cover" in done.stderr
    return outcome


def case_feed_control_chars(r: Runner) -> Outcome:
    from audiocast.runtime import find_ffmpeg

    folder = r.folder / "episodes"
    folder.mkdir()
    # The AUDIOCAST tag: the feed lists only files audiocast rendered.
    subprocess.run(
        [find_ffmpeg(), "-v", "error", "-f", "lavfi", "-i", "sine=d=1", "-metadata",
         "title=Bell\x07 and \x1b[31mred", "-metadata", "AUDIOCAST=1", str(folder / "ep1.mp3")],
        check=True,
    )  # fmt: skip
    done = r.run("feed", folder, "--base-url", "https://example.org/pod/", "--title", "Show")
    feed = r.folder / "feed.xml"
    ok = done.returncode == 0 and feed.exists()
    if ok:
        from lxml import etree

        try:
            etree.fromstring(feed.read_bytes())
        except etree.XMLSyntaxError:
            ok = False
    return Outcome(f"exit {done.returncode}: {done.stderr.strip()[:80] or 'feed written'}", ok)


def case_feed_empty_base_url(r: Runner) -> Outcome:
    done = r.run("feed", r.folder, "--base-url", "", "--title", "Show")
    got = f"exit {done.returncode}"
    return Outcome(got, done.returncode == 2 and "--base-url" in done.stderr)


def case_parse_escape_sequences(r: Runner) -> Outcome:
    plain = "".join(f"Ana: An ordinary line, number {n}.\n\n" for n in range(20))
    script = r.write("ep.txt", plain + "Ben: Hello \x1b[2J\x1b]0;owned\x07 there \x9b31m now.\n")
    raw = [
        a for a in ((), ("--json",)) if re.search("[\x1b\x9b]", r.run("parse", script, *a).stdout)
    ]
    return Outcome(f"raw escapes in {len(raw)} of 2 outputs", not raw)


def case_full_stdout(r: Runner) -> Outcome:
    script = r.write("ep.txt", TWO_TURNS)
    with open("/dev/full", "w") as full:
        done = r.run("parse", script, stdout=full)
    return one_line(done, code=1)


def case_ten_thousand_speakers(r: Runner) -> Outcome:
    text = "\n\n".join(f"Speaker{n:05d} Person: Turn {n}." for n in range(10_000))
    script = r.write("many.txt", text)
    start = time.monotonic()
    done = r.run("parse", script, "--json", timeout=120)
    took = time.monotonic() - start
    return Outcome(f"exit {done.returncode} in {took:.1f} s", done.returncode == 0 and took < 30)


def case_sidecar_in_the_way(r: Runner) -> Outcome:
    script, out = r.write("ep.txt", TWO_TURNS), r.folder / "ep.mp3"
    first = r.render(script, out)
    if first.returncode != 0:
        return Outcome(f"first render failed: {first.stderr.strip()[:80]}", False)
    before = episode_set(out)
    vtt = r.folder / "ep.vtt"
    vtt.unlink()
    vtt.mkdir()  # in the way of one sidecar
    del before["ep.vtt"]
    r.write("ep.txt", TWO_TURNS.replace("second", "changed second"))
    done = r.render(script, out)
    kept = episode_set(out) == before
    outcome = one_line(done, code=done.returncode if done.returncode != 0 else -1)
    outcome.got += "; earlier set whole" if kept else "; earlier set MIXED with the new one"
    outcome.ok = outcome.ok and kept and done.returncode != 0 and hidden(r.folder) == []
    return outcome


def case_immutable_sidecar(r: Runner) -> Outcome:
    script, out = r.write("ep.txt", TWO_TURNS), r.folder / "ep.mp3"
    first = r.render(script, out)
    if first.returncode != 0:
        return Outcome(f"first render failed: {first.stderr.strip()[:80]}", False)
    before = episode_set(out)
    srt = r.folder / "ep.srt"
    if subprocess.run(["chattr", "+i", str(srt)], capture_output=True).returncode != 0:
        return Outcome("skipped: chattr +i needs root on ext2/3/4", True)
    try:
        r.write("ep.txt", TWO_TURNS.replace("second", "changed second"))
        done = r.render(script, out)
    finally:
        subprocess.run(["chattr", "-i", str(srt)], capture_output=True)
    kept = episode_set(out) == before
    outcome = one_line(done, code=done.returncode if done.returncode != 0 else -1)
    outcome.got += "; earlier set whole" if kept else "; earlier set MIXED with the new one"
    outcome.ok = outcome.ok and kept and hidden(r.folder) == []
    return outcome


def _stop_a_render(r: Runner, sig: signal.Signals, code: int) -> Outcome:
    script, out = r.write("ep.txt", LONG_TURNS), r.folder / "ep.mp3"
    out.write_bytes(b"an earlier episode")
    proc = r.popen("render", script, "-o", out, "-q", "--no-cache", "-j", "2")
    time.sleep(4.0)
    proc.send_signal(sig)
    try:
        _, stderr = proc.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        _, stderr = proc.communicate()
    lines = stderr.strip().splitlines()
    left = hidden(r.folder) + [p.name for p in (r.folder / "tmp").iterdir()]
    got = f"exit {proc.returncode}, {len(lines)} line(s), leftovers {len(left)}"
    ok = proc.returncode == code and len(lines) == 1 and not left
    ok = ok and out.read_bytes() == b"an earlier episode"
    return Outcome(got, ok)


def case_sigterm_during_render(r: Runner) -> Outcome:
    return _stop_a_render(r, signal.SIGTERM, 143)


def case_sighup_during_render(r: Runner) -> Outcome:
    return _stop_a_render(r, signal.SIGHUP, 129)


def case_ctrl_c_in_espeak(r: Runner) -> Outcome:
    # say speaks sentence by sentence, dozens a second: signal once 20 clips are in its
    # scratch folder (in TMPDIR), while eSpeak NG is speaking the rest.
    text = " ".join(["The quiet harbour wakes as the boats drift out past the wall."] * 400)
    out = r.folder / "say.wav"
    proc = r.popen("say", text, "-o", out)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        if len(list((r.folder / "tmp").glob("audiocast-say-*/*.wav"))) >= 20:
            break
        time.sleep(0.01)
    proc.send_signal(signal.SIGINT)
    _, stderr = proc.communicate(timeout=60)
    lines = stderr.strip().splitlines()
    clip = "written" if out.exists() else "not written"
    got = f"exit {proc.returncode}, {len(lines)} line(s), clip {clip}"
    return Outcome(got, proc.returncode == 130 and len(lines) == 1 and not out.exists())


def case_kill_9_leftovers_cleaned(r: Runner) -> Outcome:
    script, out = r.write("ep.txt", LONG_TURNS), r.folder / "ep.mp3"
    proc = r.popen("render", script, "-o", out, "-q", "--no-cache", "-j", "2")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not hidden(r.folder):
        time.sleep(0.05)  # until the episode is being written
    time.sleep(1.0)
    proc.kill()
    proc.communicate()
    time.sleep(1.0)
    left = len(hidden(r.folder)) + len(list((r.folder / "tmp").iterdir()))
    r.write("ep.txt", TWO_TURNS)
    done = r.render(script, out)
    after = hidden(r.folder) + [p.name for p in (r.folder / "tmp").iterdir()]
    got = f"{left} left by kill -9, {len(after)} after the next render (exit {done.returncode})"
    got += f" {after[:3]}" if after else ""
    return Outcome(got, done.returncode == 0 and not after)


def _entries(r: Runner) -> list[Path]:
    return sorted((r.folder / "cache").glob("??/*.wav"))


def case_cache_entry_copied_over_another(r: Runner) -> Outcome:
    script, out = r.write("ep.txt", TWO_TURNS), r.folder / "ep.mp3"
    if r.render(script, out).returncode != 0:
        return Outcome("first render failed", False)
    entries = _entries(r)
    if len(entries) < 2:
        return Outcome(f"{len(entries)} cache entries", False)
    entries[1].write_bytes(entries[0].read_bytes())
    done = r.render(script, out)
    served = entries[1].exists() and entries[1].read_bytes() == entries[0].read_bytes()
    got = f"exit {done.returncode}, wrong clip {'served' if served else 're-made'}"
    return Outcome(got, done.returncode == 0 and not served)


def case_cache_fifo_entry(r: Runner) -> Outcome:
    script, out = r.write("ep.txt", TWO_TURNS), r.folder / "ep.mp3"
    if r.render(script, out).returncode != 0:
        return Outcome("first render failed", False)
    entry = _entries(r)[0]
    entry.unlink()
    os.mkfifo(entry)
    done = r.render(script, out, timeout=90)
    return Outcome(f"exit {done.returncode}", done.returncode == 0)


def case_cache_prune(r: Runner) -> Outcome:
    script, out = r.write("ep.txt", TWO_TURNS), r.folder / "ep.mp3"
    if r.render(script, out).returncode != 0:
        return Outcome("first render failed", False)
    done = r.run("cache", "prune", "--max-size", "0")
    got = f"exit {done.returncode}, {len(_entries(r))} entries left"
    return Outcome(got, done.returncode == 0 and not _entries(r))


def case_angle_brackets_heard(r: Runner) -> Outcome:
    said = {}
    for name, text in {"full": "x < y and y > z", "bare": "x z"}.items():
        done = r.run("say", text, "-o", r.folder / f"{name}.wav")
        if done.returncode != 0:
            return Outcome(f"say failed: {done.stderr.strip()[:80]}", False)
        said[name] = wav_seconds(r.folder / f"{name}.wav")
    got = f"'x < y and y > z' {said['full']:.1f} s, 'x z' {said['bare']:.1f} s"
    return Outcome(got, said["full"] > 1.8 * said["bare"])


def case_lexicon_control_char(r: Runner) -> Outcome:
    lexicon = r.write("pronounce.yaml", 'Petrova: "peh\\0TROH\\u0007vah"\n')
    sentence = "Petrova met the committee on a long and rainy afternoon in the old town."
    done = r.run("say", sentence, "--lexicon", lexicon, "-o", r.folder / "s.wav")
    if done.returncode != 0:
        return Outcome(f"say failed: {done.stderr.strip()[:80]}", False)
    seconds = wav_seconds(r.folder / "s.wav")
    return Outcome(f"{seconds:.1f} s of speech", seconds > 2.5)


PEAK_RSS = (
    "import resource, subprocess, sys\n"
    "done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)\n"
    "print(done.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
)


def _peak_rss_mb(r: Runner, *args: object) -> float | None:
    """The peak RSS (MB) of ``audiocast ARGS`` and its children; ``None`` when it failed."""
    done = subprocess.run(
        [r.python, "-c", PEAK_RSS, *r.cmd(*args)], capture_output=True, text=True,
        timeout=900, env=r.env, cwd=r.folder,
    )  # fmt: skip
    code, peak = done.stdout.split() if done.stdout.strip() else ("-1", "0")
    return int(peak) / 1024 if code == "0" else None


def _music_growth(r: Runner, kind: str, seconds: int, mp3: bool = False) -> Outcome:
    """Peak RSS of a render whose ``kind`` music is ``seconds`` long, less that of 5 s."""
    script = r.write("ep.txt", TWO_TURNS)
    peaks = {}
    for name, length in {"short": 5, "long": seconds}.items():
        music = r.folder / f"{name}.{'mp3' if mp3 else 'wav'}"
        made = subprocess.run(
            ["ffmpeg", "-nostdin", "-v", "error", "-f", "lavfi", "-i",
             f"sine=frequency=330:duration={length}:sample_rate=44100", "-ac", "1", str(music)],
            capture_output=True, timeout=600,
        )  # fmt: skip
        if made.returncode != 0:
            return Outcome("ffmpeg could not make the music file", False)
        config = r.write(f"{name}.yaml", f"{kind}:\n  audio: {music}\n  text: Welcome.\n")
        other = "--no-outro" if kind == "intro" else "--no-intro"
        peak = _peak_rss_mb(r, "render", script, "--config", config, "-o",
                            r.folder / f"{name}.mp3", "-q", "-j", "1", other)  # fmt: skip
        if peak is None:
            return Outcome(f"the render with {length} s of music failed", False)
        peaks[name] = peak
    growth = peaks["long"] - peaks["short"]
    got = f"peak {peaks['long']:.0f} MB vs {peaks['short']:.0f} MB with 5 s of music"
    return Outcome(got, growth < 60)


def case_hour_long_intro_music(r: Runner) -> Outcome:
    return _music_growth(r, "intro", 3600)


def case_long_outro_music(r: Runner) -> Outcome:
    return _music_growth(r, "outro", 600, mp3=True)


LOSSY_CLI = (
    "import runpy, sys\n"
    "from audiocast import plan\n"
    "real = plan.normalize\n"
    "plan.normalize = lambda t, lex=None, lang='en': real(t, lex, lang).replace('second', '')\n"
    "sys.argv = ['audiocast', *sys.argv[1:]]\n"
    "runpy.run_module('audiocast', run_name='__main__')\n"
)


def case_words_lost_by_a_rule(r: Runner) -> Outcome:
    script = r.write("ep.txt", TWO_TURNS)
    out = r.folder / "ep.mp3"
    if r.render(script, out).returncode != 0:
        return Outcome("first render failed", False)
    before = episode_set(out)
    args = ["render", script, "-o", out, "-q", "--no-intro", "--no-outro", "-j", "1"]
    done = subprocess.run(
        [r.python, "-c", LOSSY_CLI, *map(str, args)], capture_output=True, text=True,
        timeout=300, env=r.env, cwd=r.folder,
    )  # fmt: skip
    outcome = one_line(done)
    named = f"{script}:6:" in done.stderr and "'second'" in done.stderr
    kept = episode_set(out) == before
    return Outcome(f"{outcome.got}; earlier set {'whole' if kept else 'CHANGED'}",
                   outcome.ok and named and kept)  # fmt: skip


def case_hostile_text_renders_whole(r: Runner) -> Outcome:
    script = r.write("ep.txt", "---\ntitle: Marks\n---\n"
                     "Ana: We know x < y and y > z, so write to <ben@example.com> today.\n\n"
                     "Ben: VMware ran the zero\u200bwidth test, <em>twice</em>.\n")  # fmt: skip
    checked = r.run("check", script)
    done = r.render(script, r.folder / "ep.mp3")
    got = f"check exit {checked.returncode}, render exit {done.returncode}"
    return Outcome(got, checked.returncode == 0 and done.returncode == 0 and not done.stderr)


CASES: list[tuple[str, str, Callable[[Runner], Outcome]]] = [
    ("script /dev/zero", "exit 2, one line", case_script_dev_zero),
    ("script endless pipe", "exit 2, one line", case_script_endless_pipe),
    ("lexicon alias bomb", "exit 2, one line", case_lexicon_alias_bomb),
    ("yaml 5000 levels deep", "exit 2, one line", case_yaml_deep_nesting),
    ("info /dev/zero", "exit 2, one line", case_info_dev_zero),
    ("info sparse 20 GB", "exit 2, one line", case_info_sparse_20_gb),
    ("cover 300 MB", "exit 2, one line, at once", case_cover_300_mb),
    ("feed title with controls", "feed written, valid XML", case_feed_control_chars),
    ("feed --base-url ''", "usage error (exit 2)", case_feed_empty_base_url),
    ("parse escape sequences", "none printed raw", case_parse_escape_sequences),
    ("parse > /dev/full", "exit 1, one line", case_full_stdout),
    ("10,000 speakers", "parsed in seconds", case_ten_thousand_speakers),
    ("folder where a sidecar goes", "one line, earlier set whole", case_sidecar_in_the_way),
    ("immutable sidecar (chattr +i)", "one line, earlier set whole", case_immutable_sidecar),
    ("SIGTERM during render", "exit 143, one line, nothing left", case_sigterm_during_render),
    ("SIGHUP during render", "exit 129, one line, nothing left", case_sighup_during_render),
    ("Ctrl-C in eSpeak (say)", "exit 130, one line, no clip", case_ctrl_c_in_espeak),
    ("kill -9 leftovers", "cleaned by the next render", case_kill_9_leftovers_cleaned),
    ("cache entry copied", "re-made, not served", case_cache_entry_copied_over_another),
    ("cache entry is a FIFO", "re-made, no hang", case_cache_fifo_entry),
    ("cache prune --max-size 0", "every entry removed", case_cache_prune),
    ("x < y and y > z", "every word said", case_angle_brackets_heard),
    ("lexicon value with NUL", "whole sentence said", case_lexicon_control_char),
    ("words lost by a rule", "exit 2, one line, earlier set whole", case_words_lost_by_a_rule),
    ("hostile text", "checked clean, rendered whole", case_hostile_text_renders_whole),
    ("one-hour intro music (WAV)", "peak RSS within 60 MB of 5 s", case_hour_long_intro_music),
    ("10-minute outro music (MP3)", "peak RSS within 60 MB of 5 s", case_long_outro_music),
]  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--python", default=sys.executable, help="interpreter to run audiocast")
    parser.add_argument("-k", dest="word", default="", help="only cases whose name has WORD")
    args = parser.parse_args()
    chosen = [c for c in CASES if args.word.lower() in c[0].lower()]
    held = 0
    for name, expected, case in chosen:
        with tempfile.TemporaryDirectory(prefix="faults-") as folder:
            try:
                outcome = case(Runner(args.python, Path(folder)))
            except Exception as exc:  # a case that cannot even run has failed
                outcome = Outcome(f"{type(exc).__name__}: {exc}"[:100], False)
        held += outcome.ok
        mark = "ok" if outcome.ok else "FAIL"
        print(f"{name:<28} | {expected:<34} | {outcome.got} | {mark}", flush=True)
    print(f"{held} of {len(chosen)} cases hold")
    return len(chosen) - held


if __name__ == "__main__":
    sys.exit(main())
