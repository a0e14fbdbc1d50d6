"""What ``audiocast voices`` says about Piper voices: found where, language, quality, speakers."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..errors import VoiceError
from .piper_voices import PiperVoiceFiles, discover_voices, user_voice_dir


def _found(voices_dirs: Sequence[Path]) -> tuple[list[PiperVoiceFiles], str | None]:
    try:
        return discover_voices(voices_dirs), None
    except VoiceError as exc:  # one broken voice should not hide the listing
        return [], str(exc)


def piper_voices_report(voices_dirs: Sequence[Path] = ()) -> dict[str, Any]:
    """JSON-safe: every Piper voice found, and the folder ``voices add`` downloads into."""
    voices, error = _found(voices_dirs)
    return {
        "user_folder": str(user_voice_dir()),
        "voices": [
            {
                "name": v.name,
                "language": v.language,
                "quality": v.quality,
                "speakers": v.speaker_count,
                "source": v.source,
                "model": str(v.model),
            }
            for v in voices
        ],
        "error": error,
    }


def piper_voice_lines(voices_dirs: Sequence[Path] = ()) -> list[str]:
    """The listing's Piper section, one line a voice, and a blank line after it."""
    voices, error = _found(voices_dirs)
    lines = ["Piper voices (--engine piper; `audiocast voices add NAME` downloads more):"]
    if error:
        lines.append(f"  error: {error}")
    if not voices and not error:
        lines.append("  none: pip install 'audiocast[piper]' brings en_US-joe-medium")
    width = max((len(v.name) for v in voices), default=0)
    for v in voices:
        speakers = f"{v.speaker_count} speaker{'s' if v.speaker_count > 1 else ''}"
        lines.append(
            f"  {v.name:<{width}}  {v.language or '?':<6} {v.quality or '?':<7} "
            f"{speakers:<11} {v.source}"
        )
    lines.append(f"  user folder: {user_voice_dir()}")
    lines.append("")
    return lines
