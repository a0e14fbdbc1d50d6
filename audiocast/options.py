"""What a render is asked to do: the one settings object every stage reads its part of."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from .model import Bumper, Gaps

Progress = Callable[[int, int], None]
T = TypeVar("T")


@dataclass(frozen=True)
class RenderOptions:
    output: Path | None = None
    """Episode path; its extension picks the format. Default ``output/<slug>.mp3``."""
    engine: str | None = None
    """The speech engine; ``None``: the script's ``engine:``, else pyttsx3 (``chosen_engine``)."""
    language: str | None = None
    """The episode's language tag; ``None``: the script's ``language:``, else ``en``."""
    device: str | None = None
    """Where the engine runs (``cuda`` for Piper with onnxruntime-gpu); ``None``: its default."""
    jobs: int | None = None
    cache_dir: Path | None = None
    use_cache: bool = True
    cast: Mapping[str, str] = field(default_factory=dict)
    """Speaker -> profile or voice id (``--voice``); wins over the script's own ``cast:``. An
    entry that names no speaker of the script is an error with near matches."""
    shared_cast: Mapping[str, str] = field(default_factory=dict)
    """A ``--config`` file's cast: like ``cast`` but below it, and entries for speakers this
    script does not have are ignored (one config serves many episodes)."""
    voices_dirs: tuple[Path, ...] = ()
    lexicon: Path | None = None
    gaps: Gaps = field(default_factory=Gaps)
    intro: Bumper | None = None
    outro: Bumper | None = None
    use_intro: bool = True
    use_outro: bool = True
    master: bool = True
    loudness: float = -16.0
    """Integrated loudness of the speech in LUFS: intro and outro music do not move it."""
    true_peak: float = -1.0
    room_tone: float | None = None
    """A noise floor at this dBFS under the episode instead of digital silence (``-60``)."""
    sidecars: bool = True
    """Chapters JSON, WebVTT, SRT and JSON transcript beside the episode."""
    page: bool = True
    """The listener's page ``NAME.html`` beside the episode (``audiocast.export.page``)."""
    only: tuple[int, int] | None = None
    """Render only segments ``a..b`` (1-based numbers as ``audiocast parse`` shows them)."""
    bitrate: int = 96
    progress: Progress | None = None
    allow_lost_words: bool = False
    """Render even when words of the script would not reach the engine (``--allow-lost-words``):
    they become warnings instead of an error before synthesis."""


def first_set(*values: T | None) -> T:
    """The first value that is set: the command line's, then config's, then the default."""
    for value in values:
        if value is not None:
            return value
    raise ValueError("no value and no default")
