"""The one "did you mean ...?" hint every unknown-name error ends with."""

from __future__ import annotations

from collections.abc import Sequence


def did_you_mean(near: Sequence[str], otherwise: str = "", *, kind: str = "") -> str:
    """``did you mean a, b?`` (``did you mean profile a?`` with ``kind``), or ``otherwise``
    when nothing is near."""
    if not near:
        return otherwise
    return f"did you mean {kind + ' ' if kind else ''}{', '.join(near)}?"
