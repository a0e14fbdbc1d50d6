"""``render()``: the stages composed, from a script file to a finished episode and its sidecars.

Synthesis runs in worker processes ahead of the mixer; the mixer levels each clip, places it
and streams it through the limiter into the encoder, so the episode is never whole in memory
and encoding overlaps synthesis. Every output is written under a temporary name and renamed only
when all of them are complete.
"""

from __future__ import annotations

import collections
import contextlib
import dataclasses
import json
import os
import re
import subprocess
import tempfile
import unicodedata
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from . import master
from .atomic import atomic_path, check_writable
from .casting import Casting, cast
from .errors import AudiocastError, AudioError, EngineError, InputError, ScriptError, VoiceError
from .export.audio import Encoder, Format, format_for
from .export.captions import to_srt, to_transcript_json, to_vtt
from .export.chapters import chapters_json
from .export.probe import measure_file
from .export.tags import EpisodeTags, read_cover, write_tags
from .mix import (
    AUDIO_EXTENSIONS,
    SAMPLE_RATE,
    Gaps,
    decode_file,
    duck_under,
    join,
    level,
    read_clip,
    silence,
    sting,
    trim_silence,
)
from .model import Bumper, CaptionCue, Chapter, Clip, Script, VoiceProfile
from .normalize import lexicon_for
from .parse import load_script
from .plan import (
    BumperPlan,
    Pause,
    Plan,
    Utterance,
    build_plan,
    default_intro,
    default_outro,
)
from .runtime import find_ffmpeg
from .synth.base import get_synthesizer
from .synth.cache import ClipCache, default_cache_dir
from .synth.pool import SynthesisFailed, SynthesisPool
from .timeline import Placement, Timeline, captions, chapters
from .voices import load_profiles, require_folders

Progress = Callable[[int, int], None]

MUSIC_UNDER_DB = -6.0
"""Intro/outro music sits this far below the speech target before ducking."""
DUCK_DB = -16.0
MUSIC_LEAD = 1.6
"""Seconds of music before the intro speech starts."""
MAX_NAMED_CHAPTERS = 250
"""Chapters a script may name; with Intro and Outro they must fit ID3's 255-entry CTOC."""
LOUDNESS_TOLERANCE = 0.5
"""LU the streamed episode may miss the loudness target by before the encoded file is measured
and, if it misses too, corrected by a second pass. The stream corrects for its gaps, music beds
and codec as it goes, so this is a safety net for episodes too short for that to settle."""


@dataclass(frozen=True)
class RenderOptions:
    output: Path | None = None
    """Episode path; its extension picks the format. Default ``output/<slug>.mp3``."""
    engine: str = "pyttsx3"
    jobs: int | None = None
    cache_dir: Path | None = None
    use_cache: bool = True
    cast: Mapping[str, str] = field(default_factory=dict)
    """Speaker -> profile or voice id; wins over the script's own ``cast:``."""
    voices_dirs: tuple[Path, ...] = ()
    lexicon: Path | None = None
    gaps: Gaps = field(default_factory=Gaps)
    intro: Bumper | None = None
    outro: Bumper | None = None
    use_intro: bool = True
    use_outro: bool = True
    master: bool = True
    loudness: float = -16.0
    true_peak: float = -1.0
    sidecars: bool = True
    """Chapters JSON, WebVTT, SRT and JSON transcript beside the episode."""
    only: tuple[int, int] | None = None
    """Render only segments ``a..b`` (1-based numbers as ``audiocast parse`` shows them)."""
    bitrate: int = 96
    progress: Progress | None = None


@dataclass(frozen=True)
class RenderResult:
    path: Path
    duration: float
    size: int
    sidecars: tuple[Path, ...]
    chapters: tuple[Chapter, ...]
    cues: tuple[CaptionCue, ...]
    casting: Casting
    loudness: master.LoudnessReport
    warnings: tuple[str, ...] = ()


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:80].rstrip("-") or "episode"


def default_output(script: Script, suffix: str = ".mp3") -> Path:
    name = script.title or (script.source.stem if script.source else "episode")
    return Path("output") / f"{slugify(name)}{suffix}"


def sidecar_paths(episode: Path) -> dict[str, Path]:
    stem = episode.with_suffix("")
    return {
        "chapters": Path(f"{stem}.chapters.json"),
        "vtt": Path(f"{stem}.vtt"),
        "srt": Path(f"{stem}.srt"),
        "transcript": Path(f"{stem}.transcript.json"),
    }


def cast_script(
    script: Script,
    *,
    overrides: Mapping[str, str] | None = None,
    engine: str = "pyttsx3",
    voices_dirs: Sequence[Path] = (),
) -> Casting:
    """Who speaks with which voice: the script's ``voices/`` folder, then ``voices_dirs``.

    Only profiles made for ``engine`` take part: a profile's ``voice_id`` means something to
    its own engine only, so rendering with another engine needs profiles for it (``--voices``).
    """
    require_folders(voices_dirs)
    dirs = list(voices_dirs)
    if script.source is not None:
        dirs.insert(0, script.source.parent / "voices")
    profiles = engine_profiles(load_profiles([d for d in dirs if d.is_dir()]), engine)
    synth = get_synthesizer(engine)
    try:
        return cast(script, profiles, overrides or {}, synth)
    finally:
        synth.close()


def engine_profiles(profiles: Mapping[str, VoiceProfile], engine: str) -> dict[str, VoiceProfile]:
    """The profiles whose ``engine`` is ``engine``; a ``VoiceError`` when there are none."""
    chosen = {name: p for name, p in profiles.items() if p.engine == engine}
    if not chosen:
        raise VoiceError(
            f"no voice profiles for the {engine!r} engine",
            hint=f"pass --voices DIR, a folder of profiles with 'engine: {engine}'",
        )
    return chosen


def prepare(script: Script, options: RenderOptions) -> tuple[Casting, Plan]:
    """Casting and the plan: everything decided before synthesis, and every input checked."""
    if not script.turns and not any(s.kind == "narration" for s in script.segments):
        raise ScriptError(
            "no speech found: the script has no turns and no narration",
            path=script.source,
            hint="write turns as 'Name: words'",
        )
    casting = cast_script(
        script, overrides=options.cast, engine=options.engine, voices_dirs=options.voices_dirs
    )
    lexicon = lexicon_for(script, options.lexicon)
    segments: list[int] | None = None
    intro = outro = None
    if options.only is not None:
        first, last = options.only
        count = len(script.segments)
        if not (1 <= first <= last <= count):
            raise InputError(
                f"--only {first}..{last} is outside the script's segments 1..{count}",
                path=script.source,
                hint="see the numbers 'audiocast parse' prints",
            )
        segments = list(range(first - 1, last))
    else:
        if options.use_intro:
            intro = options.intro or script.metadata.intro or default_intro(script)
        if options.use_outro:
            outro = options.outro or script.metadata.outro or default_outro(script)
    for bumper in (intro, outro):
        if bumper and bumper.audio and bumper.audio != "sting":
            path = script.resolve(bumper.audio)
            if not path.is_file() or path.suffix.lower() not in AUDIO_EXTENSIONS:
                line = script.metadata.lines.get("intro" if bumper is intro else "outro")
                raise InputError(
                    f"intro/outro audio file not found: {bumper.audio}",
                    path=script.source,
                    line=line,
                    hint="fix the path, relative to the script's folder",
                )
            decode_file(path, seconds=0.5)  # unreadable: say so now, not after synthesis
    named = [s for s in script.segments if s.chapter]
    if len(named) > MAX_NAMED_CHAPTERS:
        raise ScriptError(
            f"{len(named)} chapters: an MP3's table of contents holds at most 255",
            path=script.source,
            line=named[MAX_NAMED_CHAPTERS].line,
            hint=f"name at most {MAX_NAMED_CHAPTERS} chapters",
        )
    if script.metadata.cover:
        cover = script.resolve(script.metadata.cover)
        if not cover.is_file():
            raise InputError(
                f"cover image not found: {script.metadata.cover}",
                path=script.source,
                line=script.metadata.lines.get("cover"),
                hint="fix the path, relative to the script's folder",
            )
        read_cover(cover)  # not a JPEG or PNG: say so now, not after synthesis
    plan = build_plan(
        script,
        casting,
        gaps=options.gaps,
        lexicon=lexicon,
        intro=intro,
        outro=outro,
        segments=segments,
    )
    if not plan.requests:
        raise ScriptError("nothing to say in the chosen segments", path=script.source)
    return casting, plan


class _Stream:
    """The mixer's output: levels, limits, measures and encodes, while recording placements.

    Each clip is levelled to the target as it arrives, so nothing waits for the whole episode.
    The gaps and music beds between clips pull the whole a little below its parts; that bias is
    measured as the stream goes (everything vs. speech alone) and the following clips aim that
    much higher, so the finished episode lands on the target in one pass.
    """

    BIAS_EVERY = 8
    """Clips between re-estimates of the bias (each costs a pass over the block energies)."""
    MAX_BIAS = 3.0

    def __init__(self, encoder: Encoder, options: RenderOptions, fmt: Format) -> None:
        self.encoder = encoder
        self.options = options
        self.codec_gain = fmt.gain_db if options.master else 0.0
        self.target = options.loudness - self.codec_gain
        self.ceiling = options.true_peak - fmt.headroom_db
        self.limiter = master.Limiter(SAMPLE_RATE, ceiling_db=self.ceiling)
        self.position = 0
        self.placements: list[Placement] = []
        # With mastering, the limiter knows the output's true peak: no second oversampling.
        self.meter = master.Meter(SAMPLE_RATE, true_peak=not options.master)
        self.speech_meter = master.Meter(SAMPLE_RATE, true_peak=False)
        self.bias = 0.0
        self.gains: list[float] = []
        # Each speaker's level as synthesized; a running meter, so memory stays flat.
        self.before: dict[str, master.Meter] = {}
        # Each speaker's level as the listener hears it: metered after the limiter, by
        # following the placements through the limiter's delayed output.
        self.after: dict[str, master.Meter] = {}
        self._emitted = 0
        self._unmetered: collections.deque[Placement] = collections.deque()

    def write(self, samples: np.ndarray) -> None:
        if samples.size == 0:
            return
        out = self.limiter.process(samples) if self.options.master else samples
        self._emit(out)
        self.position += samples.size

    def _emit(self, out: np.ndarray) -> None:
        if out.size:
            self.meter.feed(out)
            self._meter_speakers(out)
            self.encoder.write(out)
            self._emitted += out.size

    def _meter_speakers(self, out: np.ndarray) -> None:
        first, last = self._emitted, self._emitted + out.size
        while self._unmetered:
            p = self._unmetered[0]
            start = round(p.start * SAMPLE_RATE)
            end = round(p.end * SAMPLE_RATE)
            if start >= last:
                return
            lo, hi = max(start, first), min(end, last)
            if hi > lo:
                meter = self.after.setdefault(
                    p.utterance.speaker, master.Meter(SAMPLE_RATE, true_peak=False)
                )
                meter.feed_part(self.meter, lo - first, hi - first)
                self.speech_meter.feed_part(self.meter, lo - first, hi - first)
            if end > last:
                return
            self._unmetered.popleft()

    def finish(self) -> None:
        if self.options.master:
            self._emit(self.limiter.flush())

    def result(self) -> master.Measurement:
        """The whole stream's measurement, as the encoded file will measure."""
        total = self.meter.result().with_gain(self.codec_gain)
        if self.options.master:
            # The codec's scaling and its peak overshoot roughly cancel; the limiter's figure
            # before encoding is the honest one to report.
            total = dataclasses.replace(total, true_peak=self.limiter.output_true_peak)
        return total

    @property
    def seconds(self) -> float:
        return self.position / SAMPLE_RATE

    def _update_bias(self) -> None:
        whole = self.meter.result().integrated
        speech = self.speech_meter.result().integrated
        if whole is not None and speech is not None:
            # How far the gaps and beds pull the whole below its speech depends on the script's
            # shape, not on the level, so the speech simply aims that much higher from now on.
            self.bias = max(-self.MAX_BIAS, min(self.MAX_BIAS, speech - whole))

    def speech(self, utterance: Utterance, clip: Clip) -> np.ndarray:
        """A clip levelled to the target: every sentence, so every voice, at the same loudness."""
        audio = trim_silence(read_clip(clip))
        if audio.size == 0:
            raise EngineError(
                f"the engine returned silence for: {utterance.text[:60]!r}",
                hint="try again; if it persists, try another voice",
            )
        # The clip as synthesized: its loudness (K-weighting only, no true peak: cheap), shared
        # with the speaker's running meter.
        quick = master.Meter(SAMPLE_RATE, true_peak=False)
        quick.feed(audio)
        if utterance.speaker not in self.before:
            self.before[utterance.speaker] = master.Meter(SAMPLE_RATE, true_peak=False)
        self.before[utterance.speaker].feed_part(quick, 0, audio.size)
        loudness = quick.result().integrated
        if not self.options.master or loudness is None:
            return audio
        audio = master.compress_peaks(audio, SAMPLE_RATE, loudness)
        # Sample peaks suffice to predict the limiter here: the speech was synthesized at half
        # this rate, so it holds nothing near Nyquist to overshoot between samples. The limiter
        # itself still works on true peaks.
        exact = master.Meter(SAMPLE_RATE, true_peak=False)
        exact.feed(audio)
        measured = exact.result()
        if measured.integrated is not None:
            if len(self.gains) % self.BIAS_EVERY == self.BIAS_EVERY - 1:
                self._update_bias()
            gain = master.master_gain(measured, self.target + self.bias, ceiling_db=self.ceiling)
            self.gains.append(gain)
            audio = level(audio, gain)
        return audio

    def place(self, utterance: Utterance, start: float, audio: np.ndarray) -> None:
        placement = Placement(
            start=start, end=start + audio.size / SAMPLE_RATE, utterance=utterance
        )
        self.placements.append(placement)
        self._unmetered.append(placement)


def _music(
    stream: _Stream, script: Script, bumper: BumperPlan, options: RenderOptions
) -> np.ndarray | None:
    if bumper.music is None:
        return None
    music = sting() if bumper.music == "sting" else decode_file(script.resolve(bumper.music))
    if options.master and music.size:
        measured = master.measure(music, SAMPLE_RATE)
        if measured.integrated is not None:
            gain = master.gain_db(measured.integrated, stream.target + MUSIC_UNDER_DB)
            music = level(music, gain)
    return music


def _bumper(
    stream: _Stream,
    script: Script,
    bumper: BumperPlan,
    clips: Iterator[Clip],
    options: RenderOptions,
) -> None:
    music = _music(stream, script, bumper, options)
    pieces: list[np.ndarray] = []
    offsets: list[tuple[Utterance, int, np.ndarray]] = []
    length = 0
    for u in bumper.utterances:
        gap = silence(u.gap if pieces else 0.0)
        audio = stream.speech(u, next(clips))
        pieces += [gap, audio]
        offsets.append((u, length + gap.size, audio))
        length += gap.size + audio.size
    speech = join(pieces)
    if music is None:
        start, mixed = 0.0, speech
    elif speech.size == 0:
        start, mixed = 0.0, music
    else:
        # The intro's music leads in and then ducks; the outro's speech comes first, music after.
        start = MUSIC_LEAD if bumper.kind == "intro" else 0.0
        if bumper.kind == "intro":
            mixed = duck_under(music, speech, start, duck_db=DUCK_DB, tail=1.2)
        else:
            tail = np.concatenate([silence(0.3), music])
            mixed = join([speech, tail])
    base = stream.seconds
    for u, offset, audio in offsets:
        stream.place(u, base + start + offset / SAMPLE_RATE, audio)
    stream.write(mixed)


def _mix(
    stream: _Stream, script: Script, plan: Plan, clips: Iterator[Clip], options: RenderOptions
) -> Timeline:
    intro_end = outro_start = None
    for item in plan.items:
        if isinstance(item, Pause):
            stream.write(silence(item.seconds))
        elif isinstance(item, Utterance):
            audio = stream.speech(item, next(clips))
            stream.write(silence(item.gap))
            stream.place(item, stream.seconds, audio)
            stream.write(audio)
        else:
            if item.kind == "outro":
                stream.write(silence(options.gaps.speaker_change))
                outro_start = stream.seconds
            _bumper(stream, script, item, clips, options)
            if item.kind == "intro":
                stream.write(silence(options.gaps.speaker_change))
                intro_end = stream.seconds
    stream.finish()
    return Timeline(tuple(stream.placements), stream.seconds, intro_end, outro_start)


def _failed_turn(script: Script, plan: Plan, exc: SynthesisFailed) -> EngineError:
    """The pool's failure restated as the script's turn: its line, speaker and first words."""
    utterance = plan.utterances[exc.index]
    if utterance.segment is None:
        where, line = "the intro or outro", None
    else:
        segment = script.segments[utterance.segment]
        line = segment.line
        where = f"{segment.speaker}'s turn" if segment.speaker else "narration"
    words = utterance.text.split()
    first = " ".join(words[:8]) + (" ..." if len(words) > 8 else "")
    return EngineError(
        f"speech synthesis failed for {where} ({exc.reason}): {first!r}",
        path=script.source,
        line=line,
        hint="run again; if it persists, rephrase that sentence or cast another voice",
    )


def _check_nothing_lost(plan: Plan, cues: Sequence[CaptionCue]) -> None:
    """Every sentence planned must be in the captions, in order: a clip silently skipped shows."""
    planned = [w for u in plan.utterances for w in u.text.split()]
    heard = [w for cue in cues for w in cue.text.split()]
    if planned != heard:
        raise EngineError("the episode lost words between the script and the audio (a bug)")


def _correct_loudness(path: Path, options: RenderOptions) -> float:
    """Measure the encoded episode at ``path``; if it misses the target by more than the
    tolerance, re-encode it once with the correcting gain, through the limiter. Returns the
    gain applied in dB (0.0 when the file was already on target)."""
    measured = measure_file(path)
    if measured.integrated is None:
        return 0.0
    if abs(options.loudness - measured.integrated) <= LOUDNESS_TOLERANCE:
        return 0.0
    fmt = format_for(path)
    # The gain that lands on the target after the limiter and the codec (as in _Stream).
    gain = master.master_gain(
        measured, options.loudness - fmt.gain_db, ceiling_db=options.true_peak - fmt.headroom_db
    )
    rate = fmt.rate
    fixed = path.with_name(f"{path.stem}.level{path.suffix}")
    cmd = [find_ffmpeg(), "-nostdin", "-v", "error", "-i", str(path), "-map", "0:a:0"]
    cmd += ["-f", "f32le", "-ac", "1", "-ar", str(rate), "-"]
    limiter = master.Limiter(rate, ceiling_db=options.true_peak - fmt.headroom_db)
    chunk = rate * 4 * 10  # ten seconds of float32 samples
    try:
        with (
            subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL) as proc,
            Encoder(fixed, rate, bitrate=options.bitrate) as encoder,
        ):
            assert proc.stdout is not None
            pending = b""
            while data := proc.stdout.read(chunk):
                data = pending + data
                usable = len(data) // 4 * 4
                pending = data[usable:]
                samples = np.frombuffer(data[:usable], dtype="<f4")
                encoder.write(limiter.process(level(samples, gain)))
            encoder.write(limiter.flush())
            if proc.wait() != 0:
                raise AudioError("cannot decode the episode to correct its loudness", path=path)
        os.replace(fixed, path)
    except BaseException:
        fixed.unlink(missing_ok=True)
        raise
    return gain


def render(source: str | Path | Script, options: RenderOptions = RenderOptions()) -> RenderResult:
    """Render a script file (or a parsed ``Script``) to an episode; return what was written."""
    script = source if isinstance(source, Script) else load_script(source)
    output = options.output or default_output(script)
    if output.is_dir():
        check_writable(output)  # names the directory: clearer than "no extension"
    format_for(output)
    check_writable(output)
    casting, plan = prepare(script, options)
    host = script.speakers[0].name if script.speakers else None
    for s in script.speakers:
        if s.role == "host":
            host = s.name
            break

    with contextlib.ExitStack() as stack:
        cache_dir = options.cache_dir or default_cache_dir()
        if not options.use_cache:
            cache_dir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="audiocast-")))
        cache = ClipCache(cache_dir)
        pool = stack.enter_context(
            SynthesisPool(
                options.engine,
                # An audition slice is a few clips: starting workers would cost more than it saves.
                jobs=options.jobs or (1 if options.only else None),
                cache=cache,
                on_progress=options.progress,
            )
        )
        tmp_audio = stack.enter_context(atomic_path(output))
        with Encoder(tmp_audio, SAMPLE_RATE, bitrate=options.bitrate) as encoder:
            stream = _Stream(encoder, options, format_for(output))
            clips = pool.synthesize(plan.requests)
            try:
                timeline = _mix(stream, script, plan, clips, options)
            except SynthesisFailed as exc:
                raise _failed_turn(script, plan, exc) from exc
        correction = 0.0
        total = stream.result()
        off = abs((total.integrated or options.loudness) - options.loudness)
        if options.master and off > LOUDNESS_TOLERANCE:
            correction = _correct_loudness(tmp_audio, options)
        cues = captions(timeline.placements)
        _check_nothing_lost(plan, cues)
        marks = chapters(script, timeline, host) if options.only is None else []
        write_tags(tmp_audio, episode_tags(script), marks)
        written = [output]
        if options.sidecars:
            paths = sidecar_paths(output)
            texts = {
                "chapters": json.dumps(chapters_json(marks, script.title), indent=2) + "\n",
                "vtt": to_vtt(cues),
                "srt": to_srt(cues),
                "transcript": json.dumps(to_transcript_json(cues), indent=2) + "\n",
            }
            for key, text in texts.items():
                tmp = stack.enter_context(atomic_path(paths[key]))
                tmp.write_text(text, encoding="utf-8")
                written.append(paths[key])
        # Leaving the ExitStack renames every temporary file into place, audio last.

    if correction:
        total = measure_file(output)

    def after(name: str) -> float | None:
        level = stream.after[name].result().integrated if name in stream.after else None
        return None if level is None else level + correction + stream.codec_gain

    report = master.LoudnessReport(
        integrated=total.integrated,
        true_peak=total.true_peak_db,
        loudness_range=total.loudness_range,
        target=options.loudness,
        gain=(float(np.mean(stream.gains)) if stream.gains else 0.0) + correction,
        speakers=tuple(
            master.SpeakerLevel(
                name=name, before=stream.before[name].result().integrated, after=after(name)
            )
            for name in stream.before
        ),
    )
    return RenderResult(
        path=output,
        duration=timeline.duration,
        size=output.stat().st_size,
        sidecars=tuple(written[1:]),
        chapters=tuple(marks),
        cues=tuple(cues),
        casting=casting,
        loudness=report,
        warnings=tuple(casting.warnings),
    )


def episode_tags(script: Script) -> EpisodeTags:
    meta = script.metadata
    cover = script.resolve(meta.cover) if meta.cover else None
    return EpisodeTags(
        title=script.title or "Untitled episode",
        show=meta.show,
        author=meta.author,
        date=meta.date,
        description=meta.description,
        cover=cover,
        language=meta.language,
        explicit=meta.explicit,
        comment=None,
    )


__all__ = [
    "AudiocastError",
    "RenderOptions",
    "RenderResult",
    "default_output",
    "render",
    "sidecar_paths",
    "slugify",
]
