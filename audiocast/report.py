"""Human and JSON renderings of results, shared by the CLI commands."""

from __future__ import annotations

from collections.abc import Sequence
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


def format_table(rows: Sequence[tuple[str, ...]], indent: str = "  ") -> list[str]:
    """Rows as aligned columns: each column as wide as its longest cell, the last one free."""
    if not rows:
        return []
    widths = [max(len(row[i]) for row in rows if i < len(row)) for i in range(len(rows[0]))]
    out = []
    for row in rows:
        cells = [cell.ljust(widths[i]) for i, cell in enumerate(row[:-1])] + list(row[-1:])
        out.append((indent + "  ".join(cells)).rstrip())
    return out


def casting_rows(casting: Casting) -> list[tuple[str, ...]]:
    """``audiocast cast``'s table: speaker, profile, voice id, why, description."""
    rows: list[tuple[str, ...]] = [
        (name, p.name, p.voice_id, casting.reasons.get(name, ""), p.description)
        for name, p in casting.voices.items()
    ]
    n = casting.narrator
    rows.append(("(narration)", n.name, n.voice_id, "narration", n.description))
    return rows


def casting_to_dict(casting: Casting) -> dict[str, Any]:
    return {
        "speakers": {
            name: {**p.to_dict(), "reason": casting.reasons.get(name, "")}
            for name, p in casting.voices.items()
        },
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
    """Whether the voice speaks English (its language's primary subtag is ``en``)."""
    from .voices import speaks_language

    return speaks_language(voice, "en")


def voices_lines(
    profiles: Mapping[str, VoiceProfile], engine_voices: Iterable[EngineVoice], engine: str
) -> list[str]:
    """``audiocast voices``: the profiles, then the engine's own voices, in aligned columns."""
    lines = ["Profiles (use the name in a script's cast: or with --voice):"]
    lines += format_table(
        [
            (p.name, p.voice_id, p.description + (f" [{', '.join(p.roles)}]" if p.roles else ""))
            for p in profiles.values()
        ]
    )
    lines.append(
        f"\nEngine voices ({engine}; any id works in cast:, add +f3, +m3... for variants):"
    )
    lines += format_table([(v.id, ", ".join(v.languages), v.name) for v in engine_voices])
    return lines


def casting_lines(casting: Casting) -> list[str]:
    """``audiocast cast``: one aligned line a speaker (with why), then the narration's voice."""
    return format_table(casting_rows(casting), indent="")
