"""Human and JSON renderings of results, shared by the CLI commands."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # only for annotations: 'cache info' must not load the render stack
    from .casting import Casting
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
        "chapters": [{"start": c.start, "end": c.end, "title": c.title} for c in result.chapters],
        "loudness": result.loudness.to_dict(),
        "cast": casting_to_dict(result.casting),
        "warnings": list(result.warnings),
    }
