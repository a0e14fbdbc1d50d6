"""What mastering did, for the render summary and ``--json``."""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class SpeakerLevel:
    name: str
    before: float | None
    """Integrated LUFS of the speaker's clips as synthesized."""
    after: float | None
    """Integrated LUFS after levelling (and the master gain)."""


@dataclass(frozen=True)
class LoudnessReport:
    """What mastering did, for the render summary and ``--json``."""

    integrated: float | None
    true_peak: float
    loudness_range: float
    target: float
    gain: float
    speakers: tuple[SpeakerLevel, ...] = ()
    speech: float | None = None
    """The speech's integrated loudness: what the target is for (music is left out)."""

    def format(self) -> str:
        """A few lines for humans: the episode's levels, then one line per speaker."""
        lines = [
            f"speech {_fmt(self.speech)} LUFS (target {self.target:.1f}), "
            f"episode {_fmt(self.integrated)} LUFS, "
            f"true peak {_fmt(self.true_peak)} dBTP, range {self.loudness_range:.1f} LU, "
            f"gain {self.gain:+.1f} dB"
        ]
        width = max((len(s.name) for s in self.speakers), default=0)
        for s in self.speakers:
            lines.append(f"  {s.name:<{width}}  {_fmt(s.before)} -> {_fmt(s.after)} LUFS")
        return "\n".join(lines)

    def to_dict(self) -> dict[str, object]:
        return {
            "integrated": self.integrated,
            "speech": self.speech,
            "true_peak": self.true_peak,
            "loudness_range": self.loudness_range,
            "target": self.target,
            "gain": self.gain,
            "speakers": {s.name: {"before": s.before, "after": s.after} for s in self.speakers},
        }


def _fmt(value: float | None) -> str:
    if value is None or not math.isfinite(value):
        return "-inf"
    return f"{value:.1f}"
