"""Click parameter types for the numbers of ``audiocast.limits``: the same ranges as ``--config``,
and no NaN (click's FloatRange lets ``nan`` through, since it compares false with both ends)."""

from __future__ import annotations

import math
from typing import Any

import click

from ..limits import Limit


class FiniteFloatRange(click.FloatRange):
    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        number = super().convert(value, param, ctx)
        if not math.isfinite(number):
            self.fail(f"{value!r} is not a finite number.", param, ctx)
        return number


def within(limit: Limit) -> click.FloatRange:
    """The click type of a finite number in ``limit``."""
    return FiniteFloatRange(limit.low, limit.high)


def whole_within(limit: Limit) -> click.IntRange:
    """The click type of a whole number in ``limit``."""
    return click.IntRange(int(limit.low), int(limit.high))
