"""``render()``: the stages composed, from a script file to a finished episode and its sidecars.

Synthesis runs in worker processes ahead of the mixer; the mixer places each clip and the
mastering stream levels and limits it on its way into the encoder, so the episode is never whole
in memory and encoding overlaps synthesis. Every output is written under a temporary name and
committed as one set (``outputs``) only when all are complete. Each step lives in its own module:
``prepare`` (checks, casting, plan), ``synth.pool`` (clips), ``mixdown`` (the timeline),
``master.stream`` (levels), ``export`` (the audio, its tags, the sidecars, the loudness check).
"""

from __future__ import annotations

import contextlib
import dataclasses
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .atomic import check_writable
from .casting import Casting
from .errors import AudiocastError, EngineError
from .export.audio import FORMATS, Encoder, check_output
from .export.ceiling import keep_ceiling
from .export.loudness import settle_loudness
from .export.page import page_for_render, page_path, stage_page
from .export.sidecars import sidecar_paths, stage_sidecars
from .export.tags import EpisodeTags, duration_of, write_tags
from .language import with_language
from .leftovers import SYNTH_PREFIX, owned_prefix
from .master import LoudnessReport
from .master.stream import Mastering, MasteringStream
from .mixdown import mixdown
from .model import SAMPLE_RATE, CaptionCue, Chapter, Script
from .normalize import Lexicon, lexicon_for
from .normalize.coverage import lost_word_warnings
from .options import RenderOptions
from .outputs import OutputSet
from .parse import load_script
from .plan import Plan
from .prepare import cast_script, default_output, prepare, slugify
from .synth.cache import ClipCache, default_cache_dir
from .synth.choice import chosen_engine
from .synth.espeak_fresh import carried_over_warning
from .synth.executor import ClipExecutor
from .synth.pool import SynthesisFailed, SynthesisPool
from .timeline import caption_cues, captions, chapters


@dataclass(frozen=True)
class RenderResult:
    path: Path
    duration: float
    size: int
    sidecars: tuple[Path, ...]
    chapters: tuple[Chapter, ...]
    cues: tuple[CaptionCue, ...]
    """The transcript's cues: whole sentences, with sounds such as ``[laughs]``."""
    casting: Casting
    loudness: LoudnessReport
    warnings: tuple[str, ...] = ()
    page: Path | None = None
    captions: tuple[CaptionCue, ...] = ()
    """What the VTT and SRT show: two lines of at most 42 characters, about 7 s a cue."""


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


def _check_nothing_lost(
    script: Script, plan: Plan, cues: Sequence[CaptionCue], lexicon: Lexicon | None
) -> list[str]:
    """Every sentence planned must be in the captions, in order (a clip silently skipped), and
    every word of the script in what was synthesized (a rule that ate words): warnings."""
    planned = [w for u in plan.utterances for w in u.text.split()]
    heard = [w for cue in cues for w in cue.text.split()]
    if planned != heard:
        raise EngineError("the episode lost words between the script and the audio (a bug)")
    return lost_word_warnings(script, plan, lexicon)


def render(
    source: str | Path | Script,
    options: RenderOptions | None = None,
    executor: ClipExecutor | None = None,
) -> RenderResult:
    """Render a script file (or a parsed ``Script``) to an episode; return what was written.

    Clips come from ``executor`` when given (a catalogue's shared pool, a cluster's clips),
    else from a ``SynthesisPool`` of this render's own.
    """
    options = options or RenderOptions()
    script = source if isinstance(source, Script) else load_script(source)
    script = with_language(script, options.language)
    options = dataclasses.replace(options, engine=chosen_engine(script, options.engine))
    output = options.output or default_output(script)
    if output.is_dir() and output.suffix.lower() not in FORMATS:
        # A folder: the episode goes in it under its usual name ("ep.mp3/" stays an error).
        output = output / default_output(script).name
    fmt = check_output(output)
    if options.sidecars:
        for sidecar in sidecar_paths(output).values():
            check_writable(sidecar)  # a name too long, or a folder in the way: say so now
    casting, plan = prepare(script, options)
    mastering = Mastering(
        rate=SAMPLE_RATE,
        enabled=options.master,
        loudness=options.loudness,
        true_peak=options.true_peak,
        codec_gain=fmt.gain_db,
        headroom=fmt.headroom_db,
    )

    with contextlib.ExitStack() as stack:
        if executor is None:
            executor = stack.enter_context(_own_pool(stack, options))
        outputs = stack.enter_context(OutputSet())
        tmp_audio = outputs.stage(output)
        with Encoder(tmp_audio, SAMPLE_RATE, bitrate=options.bitrate) as encoder:
            stream = MasteringStream(encoder, mastering)
            clips = executor.synthesize(plan.requests)
            try:
                timeline = mixdown(
                    stream, script, plan, clips, options.gaps, room_tone=options.room_tone
                )
            except SynthesisFailed as exc:
                raise _failed_turn(script, plan, exc) from exc
        engine_notes = _engine_warnings(executor)
        total, correction = settle_loudness(
            tmp_audio, stream.result(), mastering, options.bitrate, stream.speech_level()
        )
        if options.master:
            # What a listener's player reads: the encoded file, measured and held under.
            total = keep_ceiling(tmp_audio, options.true_peak, options.bitrate)
        cues = captions(timeline.placements, timeline.sounds)
        shown = caption_cues(timeline.placements, timeline.sounds)
        lost = _check_nothing_lost(
            script, plan, captions(timeline.placements), lexicon_for(script, options.lexicon)
        )
        # An --only preview keeps the chapters of the part it renders.
        marks = chapters(script, timeline)
        tags = EpisodeTags.from_script(script)
        write_tags(tmp_audio, tags, marks)
        sidecars = []
        if options.sidecars:
            sidecars = stage_sidecars(outputs, output, marks, script.title, cues, shown)
        page = None
        if options.page:
            size, length = tmp_audio.stat().st_size, duration_of(tmp_audio) or timeline.duration
            listing = page_for_render(
                output, tags, marks, cues, duration=length, size=size, sidecars=options.sidecars
            )
            page = stage_page(outputs, listing, page_path(output))
        outputs.commit()  # the episode, sidecars and page replace the earlier ones together

    return RenderResult(
        path=output,
        duration=timeline.duration,
        size=output.stat().st_size,
        sidecars=tuple(sidecars),
        chapters=tuple(marks),
        cues=tuple(cues),
        captions=tuple(shown),
        casting=casting,
        loudness=stream.report(total, correction),
        warnings=(*casting.warnings, *lost, *engine_notes),
        page=page,
    )


def _engine_warnings(executor: ClipExecutor) -> list[str]:
    """What the engine that made the clips warns about, once per render (a pool's version is
    already known by now: it keys every clip)."""
    version = getattr(executor, "engine_version", None)
    note = carried_over_warning(version) if isinstance(version, str) else None
    return [note] if note else []


def _own_pool(stack: contextlib.ExitStack, options: RenderOptions) -> SynthesisPool:
    cache_dir = options.cache_dir or default_cache_dir()
    if not options.use_cache:
        # Named for this process, so a render killed with -9 leaves nothing for good.
        private = tempfile.TemporaryDirectory(prefix=owned_prefix(SYNTH_PREFIX))
        cache_dir = Path(stack.enter_context(private))
    return SynthesisPool(
        chosen_engine(None, options.engine),
        # An audition slice is a few clips: starting workers would cost more than it saves.
        jobs=options.jobs or (1 if options.only else None),
        cache=ClipCache(cache_dir),
        on_progress=options.progress,
        device=options.device,
    )


__all__ = [
    "AudiocastError",
    "RenderOptions",
    "RenderResult",
    "cast_script",
    "default_output",
    "render",
    "sidecar_paths",
    "slugify",
]
