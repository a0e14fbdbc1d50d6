"""Human and JSON renderings of results, shared by the CLI commands."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # only for annotations: 'cache info' must not load the render stack
    from collections.abc import Iterable, Mapping

    from .casting import Casting
    from .model import EngineVoice, VoiceProfile
    from .pipeline import RenderResult


def format_duration(seconds: float) -> str:
    total = round(seconds)
    h, rest = divmod(total, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


def format_size(size: int) -> str:
    value = float(size)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1000 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1000
    raise AssertionError("unreachable")


def casting_to_dict(casting: Casting) -> dict[str, Any]:
    return {
        "speakers": {name: p.to_dict() for name, p in casting.voices.items()},
        "narrator": casting.narrator.to_dict(),
        "warnings": list(casting.warnings),
    }


def result_to_dict(result: RenderResult) -> dict[str, Any]:
    return {
        "path": str(result.path),
        "duration": round(result.duration, 3),
        "size": result.size,
        "sidecars": [str(p) for p in result.sidecars],
        "page": str(result.page) if result.page else None,
        "chapters": [{"start": c.start, "end": c.end, "title": c.title} for c in result.chapters],
        "loudness": result.loudness.to_dict(),
        "cast": casting_to_dict(result.casting),
        "warnings": list(result.warnings),
    }


def is_english(voice: EngineVoice) -> bool:
    return any(lang.lower().startswith("en") for lang in voice.languages) or "en" in voice.id


def voices_lines(
    profiles: Mapping[str, VoiceProfile], engine_voices: Iterable[EngineVoice], engine: str
) -> list[str]:
    """``audiocast voices``: the profiles, then the engine's own voices, one a line."""
    lines = ["Profiles (use the name in a script's cast: or with --voice):"]
    width = max((len(n) for n in profiles), default=0)
    for p in profiles.values():
        roles = f" [{', '.join(p.roles)}]" if p.roles else ""
        lines.append(f"  {p.name:<{width}}  {p.voice_id:<16} {p.description}{roles}")
    lines.append(
        f"\nEngine voices ({engine}; any id works in cast:, add +f3, +m3... for variants):"
    )
    lines += [f"  {v.id:<22} {v.name}" for v in engine_voices]
    return lines


def casting_lines(casting: Casting) -> list[str]:
    """``audiocast cast``: one line a speaker, then the narration's voice."""
    width = max((len(n) for n in casting.voices), default=8)
    lines = [
        f"{name:<{width}}  {profile.name:<12} {profile.voice_id:<14} {profile.description}"
        for name, profile in casting.voices.items()
    ]
    n = casting.narrator
    lines.append(f"{'(narration)':<{width}}  {n.name:<12} {n.voice_id:<14} {n.description}")
    return lines
