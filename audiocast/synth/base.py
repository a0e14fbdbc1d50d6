"""The interface every speech engine implements, and the registry that finds engines by name.

Engines are registered like third-party plugins, through the ``audiocast.synthesizers``
entry-point group (``name = "module:Class"``), so a new engine is a package, not a patch.
"""

from __future__ import annotations

import difflib
import inspect
from collections.abc import Callable, Mapping, Sequence
from importlib.metadata import entry_points
from pathlib import Path
from typing import Protocol, runtime_checkable

from ..errors import EngineError, VoiceError
from ..model import EngineVoice, VoiceProfile
from ..suggest import did_you_mean

ENTRY_POINT_GROUP = "audiocast.synthesizers"


@runtime_checkable
class Synthesizer(Protocol):
    """A speech engine. One instance lives in one process and is not shared between threads."""

    name: str
    """Registry name, as written in a voice profile's ``engine:``."""

    def version(self) -> str:
        """Engine and library version: part of every cache key, so an upgrade re-synthesizes."""
        ...

    def voices(self) -> list[EngineVoice]:
        """The engine voices available on this machine."""
        ...

    def check_voice(self, voice: VoiceProfile) -> None:
        """Raise ``VoiceError`` (naming near matches) when the engine cannot speak ``voice``."""
        ...

    def synthesize(
        self, text: str, voice: VoiceProfile, out: Path, rate_scale: float = 1.0
    ) -> None:
        """Write ``text`` spoken by ``voice`` to ``out`` as a 16-bit mono WAV file.

        ``text`` is at most a few sentences. Raises ``EngineError`` when no good clip could
        be made after the engine's own retries.
        """
        ...

    def close(self) -> None:
        """Release the engine; the instance is unusable afterwards."""
        ...


# Engines that ship with audiocast; entry points add to these and may override them.
_BUILTIN: dict[str, str] = {
    "pyttsx3": "audiocast.synth.pyttsx3_backend:Pyttsx3Synthesizer",
    "piper": "audiocast.synth.piper_backend:PiperSynthesizer",
}


def _registry() -> dict[str, str]:
    table = dict(_BUILTIN)
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        table[ep.name] = ep.value
    return table


def available_engines() -> list[str]:
    return sorted(_registry())


def engine_factory(name: str) -> Callable[..., Synthesizer]:
    """The class registered as ``name`` (called with no arguments, or ``device=`` for engines
    that take one); unknown names list choices."""
    table = _registry()
    if name not in table:
        near = difflib.get_close_matches(name, table, n=3)
        hint = did_you_mean(near, f"choose from {', '.join(sorted(table))}")
        raise VoiceError(f"unknown speech engine {name!r}", hint=hint)
    module_name, _, attr = table[name].partition(":")
    try:
        module = __import__(module_name, fromlist=[attr])
        factory: Callable[..., Synthesizer] = getattr(module, attr)
    except (ImportError, AttributeError) as exc:
        raise EngineError(f"speech engine {name!r} cannot be loaded: {exc}") from exc
    return factory


def engine_pool(
    engine: Synthesizer, profiles: Mapping[str, VoiceProfile], needed: int, dirs: Sequence[Path]
) -> tuple[dict[str, VoiceProfile], tuple[str, ...]]:
    """The profiles casting may use with ``engine``, and warnings about them.

    An engine whose voices are files on disk (Piper) adds them through an optional
    ``casting_pool(profiles, needed, dirs)`` method; others use ``profiles`` as they are.
    """
    pool = getattr(engine, "casting_pool", None)
    if not callable(pool):
        return dict(profiles), ()
    chosen, warnings = pool(profiles, needed, dirs)
    return dict(chosen), tuple(warnings)


def get_synthesizer(name: str, device: str | None = None) -> Synthesizer:
    """A new engine instance of the registered ``name``; ``device`` (``cuda``) for engines that
    run on one (Piper). ``None`` is the engine's default."""
    factory = engine_factory(name)
    if device is None:
        return factory()
    if "device" not in inspect.signature(factory).parameters:
        raise EngineError(
            f"the {name} engine does not run on a device",
            hint="--device is for the piper engine; leave it out",
        )
    return factory(device=device)
