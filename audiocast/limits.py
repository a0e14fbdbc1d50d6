"""The range of every number a user can set, read by the command line and by ``--config`` alike,
and the check that turns a bad value into a one-line error naming its setting."""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import InputError


@dataclass(frozen=True)
class Limit:
    low: float
    high: float
    unit: str

    def describe(self) -> str:
        return f"a number from {self.low:g} to {self.high:g} {self.unit}".rstrip()

    def check(
        self, value: Any, key: str, path: Path | None = None, line: int | None = None
    ) -> float:
        """``value`` as a float when it is a finite number in range; else ``InputError``."""
        # bool is an int to Python, but "loudness: yes" is no number.
        number = value if isinstance(value, int | float) and not isinstance(value, bool) else None
        if number is None or not math.isfinite(number) or not self.low <= number <= self.high:
            shown = repr(value) if isinstance(value, str) else str(value)
            raise InputError(
                f"{key} must be {self.describe()}, not {shown[:40]}",
                path=path,
                line=line,
                hint=f"set {key} to {self.describe()}",
            )
        return float(number)


LOUDNESS = Limit(-40.0, -5.0, "LUFS")
"""Integrated loudness target."""
GAP = Limit(0.0, 10.0, "seconds")
"""Any pause between pieces of speech."""
BITRATE = Limit(16, 320, "kbit/s")
JOBS = Limit(1, 64, "")
RATE_SCALE = Limit(0.3, 3.0, "")
"""``say --rate``: a speed factor."""
