"""The data every stage passes to the next: frozen dataclasses, no behaviour beyond derivation.

The pipeline is ``Script -> (cast) -> SpeechRequest -> Clip -> Timeline -> episode``; each stage
module takes and returns these types, so a stage can be tested, replaced or used on its own.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal

from .paths import WrittenPath, in_script, resolve

NARRATION = "(narration)"
"""What narration is called where it is counted beside the speakers."""

SegmentKind = Literal["turn", "narration", "cue"]

EMPTY: Mapping[str, Any] = MappingProxyType({})


SAMPLE_RATE = 44_100
"""The mix's sample rate: every clip is resampled to it."""
AUDIO_EXTENSIONS = (".mp3", ".wav", ".ogg", ".opus", ".m4a", ".flac", ".aac")
"""Endings of the audio files an intro, outro or music bed may name; anything else is text."""


@dataclass(frozen=True)
class Gaps:
    """Silence, in seconds, placed before a piece of speech."""

    sentence: float = 0.3
    """Between sentences of one paragraph (the engine's own trailing silence is trimmed)."""
    paragraph: float = 0.4
    """Between paragraphs or turns of one speaker."""
    speaker_change: float = 0.65
    """At a change of speaker: a little longer, as people leave room before answering."""
    cue: float = 0.6
    """A stage direction such as ``(laughs)`` when the script gives no length."""
    quick: float = 0.3
    """At a change of speaker after a one- or two-word turn, or before a short answer to a
    question: people pick up at once."""
    topic: float = 1.1
    """Before a new topic: a heading, a rule, a break cue, a named chapter, or the switch
    between narration and the interview."""
    handover: float = 0.6
    """From the intro's last word to the first line, with the intro music fading under it."""


@dataclass(frozen=True)
class Segment:
    """One unit of the script, in reading order."""

    kind: SegmentKind
    """``turn`` is a speaker's words, ``narration`` is article prose read by the narrator,
    ``cue`` is a stage direction such as ``(LAUGHTER)`` or ``[pause 1.5s]``."""
    text: str
    """Exactly as the author wrote it, less labels, timestamps and markup (unescaped)."""
    line: int
    """1-based line of the file where the segment starts."""
    speaker: str | None = None
    """Canonical speaker name for a turn; ``None`` for narration and cues."""
    chapter: str | None = None
    """An explicit chapter title that starts at this segment (YAML ``chapter:``)."""
    rate: float | None = None
    """Speed hint for this segment: a factor on the voice's rate, < 1 is slower."""
    pause: float | None = None
    """For a cue: seconds of silence it stands for (``[pause 1.5s]``); ``None`` = default."""


@dataclass(frozen=True)
class Speaker:
    name: str
    """Canonical name, as first written (``JANE DOE`` for ``JANE DOE, HOST:``)."""
    role: str | None = None
    """A role given beside the label (``HOST``), lower-cased; ``None`` when not given."""
    aliases: tuple[str, ...] = ()
    """Other labels folded into this speaker (``DOE`` after ``JANE DOE``)."""
    line: int = 0
    """Line of the speaker's first turn."""


@dataclass(frozen=True)
class Bumper:
    """An intro or outro: an audio file, a text the narrator speaks, or both."""

    audio: str | None = None
    """Path as written in the script (relative to the script's folder), or absolute when it
    came from the command line or ``--config`` (``written`` then says how it was written)."""
    text: str | None = None
    written: WrittenPath | None = field(default=None, compare=False)
    """``audio`` as given on the command line or in ``--config``, for a "not found"."""


@dataclass(frozen=True)
class Metadata:
    """Episode metadata from YAML front matter or a YAML script."""

    title: str | None = None
    show: str | None = None
    author: str | None = None
    date: str | None = None
    """ISO date (``2026-11-25``) as written."""
    description: str | None = None
    cover: str | None = None
    """Cover image path as written (relative to the script's folder)."""
    intro: Bumper | None = None
    outro: Bumper | None = None
    cast: Mapping[str, str] = field(default_factory=lambda: EMPTY)
    """Speaker name -> voice profile name or engine voice id."""
    pronounce: Mapping[str, str] = field(default_factory=lambda: EMPTY)
    """Word -> spoken form, or eSpeak phonemes written ``[[...]]``."""
    language: str = "en"
    explicit: bool = False
    extra: Mapping[str, Any] = field(default_factory=lambda: EMPTY)
    """Keys the parser does not know, kept for plugins and the JSON output."""
    lines: Mapping[str, int] = field(default_factory=lambda: EMPTY)
    """Metadata key -> line it was written on, for findings that point at it."""


@dataclass(frozen=True)
class LayoutChoice:
    """How the parser decided who speaks: what ``audiocast parse --explain`` prints."""

    name: str
    """The layout chosen (``labels``, ``name-lines``, ...), or the one ``--layout`` forced."""
    score: float
    evidence: str
    runner_up: str | None = None
    runner_up_score: float = 0.0
    aliases: tuple[tuple[str, str], ...] = ()
    """(label as written, speaker it was merged into), over the whole document."""
    forced: bool = False
    name_like_lines: int = 0
    """Lines shaped like a speaker's name (for ``narration-only`` when no turn was found)."""

    @property
    def ambiguous(self) -> bool:
        """Two layouts explain the document almost equally well."""
        return self.runner_up is not None and self.runner_up_score >= 0.8 * self.score > 0


@dataclass(frozen=True)
class Script:
    """A parsed script: what every later stage consumes."""

    title: str | None
    segments: tuple[Segment, ...]
    speakers: tuple[Speaker, ...] = ()
    """In order of first appearance."""
    metadata: Metadata = field(default_factory=Metadata)
    source: Path | None = None
    """The file it was read from; relative paths in metadata resolve against its folder."""
    title_line: int | None = None
    format: str = "text"
    """The layout the parser recognised (``text``, ``markdown``, ``webvtt``, ``yaml``, ...)."""
    layout: LayoutChoice | None = None
    """For text and Markdown: which layout of speaker labels was chosen, and why."""

    def spoken(self) -> Iterator[tuple[str, int]]:
        """``(who, words)`` for every segment that is heard (cues are not): a turn's speaker,
        else ``NARRATION``."""
        for segment in self.segments:
            if segment.kind != "cue":
                who = segment.speaker if segment.kind == "turn" and segment.speaker else NARRATION
                yield who, len(segment.text.split())

    @property
    def turns(self) -> tuple[Segment, ...]:
        return tuple(s for s in self.segments if s.kind == "turn")

    @property
    def speaker_names(self) -> tuple[str, ...]:
        return tuple(s.name for s in self.speakers)

    def resolve(self, path: str) -> Path:
        """A path written in the script, made absolute against the script's folder."""
        return resolve(path, in_script(self.source, ""))


NATURAL_PITCH = 50
"""A profile's pitch when the engine's voice is not shifted."""


@dataclass(frozen=True)
class VoiceProfile:
    """A voice as a producer names it: an engine voice plus how it is driven."""

    name: str
    voice_id: str
    """The engine's own voice id (eSpeak NG: ``en-us``, ``en-gb+f3``, ``gmw/en-us+m3``)."""
    engine: str = "pyttsx3"
    rate: int = 175
    """Words per minute; eSpeak NG's default is 175, < 175 is slower."""
    pitch: int = NATURAL_PITCH
    """0-100, eSpeak NG's scale; 50 is the voice's natural pitch, higher is higher."""
    volume: float = 1.0
    """0.0-1.0 as the engine applies it (mastering levels voices afterwards)."""
    description: str = ""
    roles: tuple[str, ...] = ()
    """What automatic casting may use it for: ``host``, ``guest``, ``narrator``."""
    settings: tuple[tuple[str, float], ...] = ()
    """Engine-specific numbers, sorted by name (Piper: ``speaker``, ``length_scale``,
    ``noise_scale``, ``noise_w_scale``); a tuple so that the profile stays hashable."""

    def setting(self, key: str, default: float) -> float:
        """The engine setting ``key``, or ``default`` when the profile does not set it."""
        return dict(self.settings).get(key, default)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> VoiceProfile:
        roles = data.get("roles", data.get("role", ()))
        if isinstance(roles, str):
            roles = (roles,)
        return cls(
            name=str(data["name"]),
            voice_id=str(data.get("voice_id", data.get("voice", ""))),
            engine=str(data.get("engine", "pyttsx3")),
            rate=int(data.get("rate", 175)),
            pitch=int(data.get("pitch", 50)),
            volume=float(data.get("volume", 1.0)),
            description=str(data.get("description", "")),
            roles=tuple(str(r) for r in roles),
            settings=tuple(sorted((str(k), float(v)) for k, v in data.get("settings", {}).items())),
        )

    def to_dict(self) -> dict[str, Any]:
        extra = {"settings": dict(self.settings)} if self.settings else {}
        return {
            "name": self.name,
            "engine": self.engine,
            "voice_id": self.voice_id,
            "rate": self.rate,
            "pitch": self.pitch,
            "volume": self.volume,
            "description": self.description,
            "roles": list(self.roles),
            **extra,
        }


@dataclass(frozen=True)
class EngineVoice:
    """A voice the engine itself offers."""

    id: str
    name: str
    languages: tuple[str, ...] = ()
    gender: str | None = None


@dataclass(frozen=True)
class SpeechRequest:
    """One piece of text to synthesize: about a sentence, never more than a few hundred chars."""

    text: str
    """The text to speak (after normalization)."""
    voice: VoiceProfile
    rate_scale: float = 1.0
    """Multiplies the voice's rate (a per-turn speed hint)."""


@dataclass(frozen=True)
class Clip:
    """Synthesized speech: 16-bit mono WAV, on disk and (from the cache) held in memory."""

    path: Path
    sample_rate: int
    frames: int
    wav: bytes | None = field(default=None, repr=False, compare=False)
    """The WAV file's bytes when already read: the clip then no longer depends on ``path``,
    which another process may delete (``cache clear``) before the mixer gets to it."""

    @property
    def duration(self) -> float:
        return self.frames / self.sample_rate if self.sample_rate else 0.0


@dataclass(frozen=True)
class Chapter:
    start: float
    """Seconds from the start of the episode."""
    title: str
    end: float | None = None


@dataclass(frozen=True)
class CaptionCue:
    start: float
    end: float
    text: str
    """As the author wrote it (not the spoken form)."""
    speaker: str | None = None
    opens_paragraph: bool = field(default=False, compare=False)
    """A sentence that starts a paragraph: the caption layout never joins it onto the cue
    before it."""


@dataclass(frozen=True)
class Finding:
    """A problem ``audiocast check`` reports."""

    path: str
    line: int
    message: str
    severity: Literal["error", "warning"] = "error"
    code: str = ""
    """A short stable id (``no-turns``, ``similar-label``...) for filtering and docs."""

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"
