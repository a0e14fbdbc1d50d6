"""How long an episode will be, from the plan its render would use, without rendering it.

The estimate walks the same ``Plan`` as ``mixdown``: every gap and cue pause it writes, the intro's
music lead-in, the outro's music, the tail. Only the length of each clip is not known before
synthesis. A clip already in the clip cache is measured (exactly as the mixer trims it); the
others are predicted from the voice's speaking rate, measured by speaking a few calibration
sentences with that very voice and engine. The calibration clips go into the clip cache like any
other clip (its key holds the engine, its version, the voice and its rate settings), so a voice
is measured once per machine and ``check --stats`` stays a matter of seconds.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

import numpy as np

from .mix import decode_file, read_wav, trim_silence
from .mix_layout import END_TAIL, HANDOVER_FADE, MUSIC_LEAD, OUTRO_MUSIC_GAP, STING_SECONDS
from .model import NARRATION, SAMPLE_RATE, Clip, Gaps, Script, SpeechRequest, VoiceProfile
from .options import RenderOptions
from .plan import BumperPlan, Pause, Plan, Utterance
from .prepare import prepare
from .synth.cache import ClipCache, default_cache_dir
from .synth.choice import chosen_engine
from .synth.pool import SynthesisPool

CALIBRATION = (
    "That surprised us.",
    "We started the project three years ago, with a small grant and a lot of patience.",
    "If you look at the figures over a whole season, the difference between the planted plots "
    "and the bare ones is larger than anyone on the team expected, and it keeps growing.",
)
"""Sentences of ordinary length and punctuation, spoken once per voice to measure its rate."""


@dataclass(frozen=True)
class SpeechRate:
    """A voice's pace as measured: a clip lasts ``per_clip + per_char * len(text)`` seconds."""

    per_clip: float
    """Seconds every clip takes whatever its length (the final syllable's fall, the edges the
    mixer keeps)."""
    per_char: float
    """Seconds per character of the spoken text (spaces and punctuation included, so commas
    and long words weigh in)."""

    def seconds(self, text: str) -> float:
        return self.per_clip + self.per_char * len(text)

    @staticmethod
    def fit(samples: Sequence[tuple[str, float]]) -> SpeechRate:
        """The least-squares line through ``(text, seconds)`` samples (at least two lengths)."""
        chars = np.array([len(text) for text, _ in samples], dtype=float)
        seconds = np.array([s for _, s in samples], dtype=float)
        slope, intercept = np.polyfit(chars, seconds, 1)
        if intercept < 0:  # a clip never takes less than nothing: the rate through zero
            return SpeechRate(0.0, float(seconds.sum() / chars.sum()))
        return SpeechRate(float(intercept), float(slope))


@dataclass(frozen=True)
class Estimate:
    """An episode's length before synthesis, in parts (seconds)."""

    speech: float
    """The script's words: turns and narration."""
    pauses: float
    """Silence the plan sets: gaps between sentences and turns, cue pauses, the end's tail."""
    bumpers: float
    """The intro and the outro: their words, their music, the gap before the outro."""
    speakers: dict[str, float] = field(default_factory=dict)
    """Speech seconds per speaker, narration as ``(narration)``."""
    engine: str = ""
    clips: int = 0
    cached: int = 0
    """Clips found in the clip cache: their length is measured, not predicted."""

    @property
    def total(self) -> float:
        return self.speech + self.pauses + self.bumpers


def clip_seconds(clip: Clip) -> float:
    """The length the mixer gives ``clip``: the engine's leading and trailing silence cut."""
    samples, rate = read_wav(clip.path, clip.wav)
    return trim_silence(samples, rate=rate).size / rate


def music_seconds(script: Script, music: str) -> float:
    """The length of an intro's or outro's music: the built-in sting's, or the file's."""
    if music == "sting":
        return STING_SECONDS
    from .export.tags import duration_of

    path = script.resolve(music)
    length = duration_of(path)
    if length is None:  # a format mutagen cannot time: decode it
        return decode_file(path).size / SAMPLE_RATE
    return length


def _voice_key(request: SpeechRequest) -> tuple[VoiceProfile, float]:
    return request.voice, request.rate_scale


class Estimator:
    """Estimates episodes with one engine, measuring each voice once; a context manager.

    Clips are spoken (in one worker process) only for a voice not measured yet on this
    machine; otherwise the engine is asked for its version alone, which the cache keys hold.
    """

    def __init__(self, engine: str, cache: ClipCache, device: str | None = None) -> None:
        self.engine = engine
        self.cache = cache
        self.device = device
        self._pool: SynthesisPool | None = None
        self._version: str | None = None
        self._rates: dict[tuple[VoiceProfile, float], SpeechRate] = {}

    def __enter__(self) -> Estimator:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.close()
            self._pool = None

    def version(self) -> str:
        """The engine's version, as the clip cache keys hold it."""
        if self._version is None:
            from .synth.base import get_synthesizer

            synth = get_synthesizer(self.engine, self.device)
            try:
                self._version = synth.version()
            finally:
                synth.close()
        return self._version

    def cached(self, request: SpeechRequest) -> Clip | None:
        return self.cache.get(ClipCache.key(request, self.engine, self.version()))

    def _speak(self, requests: Sequence[SpeechRequest]) -> Iterator[Clip]:
        if self._pool is None:
            # One worker process: a few short sentences, and an engine that may not share a
            # process with another (Piper refuses one where pyttsx3 has loaded eSpeak NG).
            self._pool = SynthesisPool(
                self.engine, jobs=1, cache=self.cache, device=self.device, in_process=False
            )
            self._pool.start()
        return self._pool.synthesize(requests)

    def rate(self, request: SpeechRequest) -> SpeechRate:
        """The measured rate of the voice (at the rate scale) that speaks ``request``."""
        key = _voice_key(request)
        if key not in self._rates:
            calibration = [SpeechRequest(text, *key) for text in CALIBRATION]
            samples = []
            for req, clip in zip(calibration, self._clips(calibration), strict=True):
                samples.append((req.text, clip_seconds(clip)))
            self._rates[key] = SpeechRate.fit(samples)
        return self._rates[key]

    def _clips(self, requests: Sequence[SpeechRequest]) -> Iterator[Clip]:
        """Clips for ``requests``: from the cache, the engine speaking only what is missing."""
        found = [self.cached(r) for r in requests]
        missing = [r for r, c in zip(requests, found, strict=True) if c is None]
        made = self._speak(missing) if missing else iter(())
        for clip in found:
            yield clip if clip is not None else next(made)

    def utterance_seconds(self, utterances: Iterable[Utterance]) -> tuple[list[float], int]:
        """Each utterance's speech length, and how many of them were measured from the cache."""
        out, cached = [], 0
        for u in utterances:
            clip = self.cached(u.request)
            if clip is not None:
                out.append(clip_seconds(clip))
                cached += 1
            else:
                out.append(self.rate(u.request).seconds(u.request.text))
        return out, cached

    def estimate(self, script: Script, plan: Plan, gaps: Gaps) -> Estimate:
        """The length of ``plan`` (``script``'s, rendered with ``gaps``) as ``mixdown`` lays it."""
        utterances = plan.utterances
        lengths, cached = self.utterance_seconds(utterances)
        seconds = dict(zip(map(id, utterances), lengths, strict=True))
        speech = pauses = bumpers = 0.0
        speakers: dict[str, float] = {}
        for item in plan.items:
            if isinstance(item, Pause):
                pauses += item.seconds
            elif isinstance(item, Utterance):
                pauses += item.gap
                speech += seconds[id(item)]
                who = _speaker(script, item)
                speakers[who] = speakers.get(who, 0.0) + seconds[id(item)]
            else:
                bumpers += _bumper_seconds(script, item, seconds, gaps)
        last = plan.items[-1] if plan.items else None
        if not (isinstance(last, BumperPlan) and last.music is not None):
            pauses += END_TAIL
        return Estimate(speech, pauses, bumpers, speakers, self.engine, len(utterances), cached)


def _speaker(script: Script, utterance: Utterance) -> str:
    segment = script.segments[utterance.segment] if utterance.segment is not None else None
    if segment is not None and segment.kind == "turn" and segment.speaker:
        return segment.speaker
    return NARRATION


def _bumper_seconds(
    script: Script, bumper: BumperPlan, seconds: dict[int, float], gaps: Gaps
) -> float:
    """An intro or outro as ``mixdown`` mixes it: the intro's music leads in under its words
    (and fades out under the first line, adding nothing); the outro's music follows its
    words, after the gap at a change of speaker."""
    words = sum(seconds[id(u)] for u in bumper.utterances)
    words += sum(u.gap for u in bumper.utterances[1:])
    before = gaps.speaker_change if bumper.kind == "outro" else 0.0
    if bumper.music is None:
        return before + words
    if not bumper.utterances:
        if bumper.kind == "intro" and bumper.music == "sting":
            # A wordless intro's sting is held through the handover and its fade.
            return max(STING_SECONDS, round(MUSIC_LEAD + gaps.handover + HANDOVER_FADE, 1))
        return before + music_seconds(script, bumper.music)
    if bumper.kind == "intro":
        return MUSIC_LEAD + words
    return before + words + OUTRO_MUSIC_GAP + music_seconds(script, bumper.music)


def render_options(
    config_file: Path | None,
    engine: str | None = None,
    cache_dir: Path | None = None,
    lexicon: Path | None = None,
) -> RenderOptions:
    """The settings ``audiocast render --config FILE`` would use for the plan (``check
    --stats`` has no render flags beyond these)."""
    from .config import RenderConfig, load_config

    config = load_config(config_file) if config_file else RenderConfig()
    return RenderOptions(
        engine=engine or config.engine,
        cache_dir=cache_dir,
        shared_cast=config.cast,
        voices_dirs=config.voices_dirs,
        lexicon=lexicon or config.lexicon,
        gaps=config.gaps,
        intro=config.intro,
        outro=config.outro,
    )


def estimate_script(script: Script, options: RenderOptions | None = None) -> Estimate:
    """The length ``render(script, options)`` would give, from the same plan and clip cache."""
    options = options or RenderOptions()
    engine = chosen_engine(script, options.engine)
    _, plan = prepare(script, options)
    cache = ClipCache(options.cache_dir or default_cache_dir())
    with Estimator(engine, cache, options.device) as estimator:
        return estimator.estimate(script, plan, options.gaps)


__all__ = [
    "CALIBRATION",
    "Estimate",
    "Estimator",
    "SpeechRate",
    "estimate_script",
    "render_options",
]
