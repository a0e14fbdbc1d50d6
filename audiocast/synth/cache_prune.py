"""Keeping the clip cache bounded: prune by age and total size, least recently used first.

An entry's modification time is its last use (``ClipCache.get`` touches it), so trimming to a
size removes the clips no recent render asked for. Safe while renders run: a render holds every
clip it was handed in memory, and one whose entry vanishes before it is asked for makes it again.
"""

from __future__ import annotations

import contextlib
import re
import time
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError
from ..leftovers import remove_orphan_synth_dirs, remove_orphans
from .cache import ClipCache, discard

_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)i?b?\s*$", re.I)
_AGE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhdw])\s*$", re.I)
_SIZE_UNITS = {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3, "t": 1024**4}
_AGE_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}


@dataclass(frozen=True)
class PruneResult:
    removed: int
    """Entries removed."""
    freed: int
    """Bytes those entries held."""
    kept: int
    kept_bytes: int
    leftovers: int
    """Temporary files and folders of killed renders removed."""


def parse_size(text: str) -> int:
    """``500M``, ``2G``, ``1.5GB``, ``800k``, ``1048576`` as bytes (powers of 1024)."""
    match = _SIZE.match(text)
    if not match:
        raise InputError(f"not a size: {text!r}", hint="write it like 500M or 2G")
    return int(float(match.group(1)) * _SIZE_UNITS[match.group(2).lower()])


def parse_age(text: str) -> float:
    """``30d``, ``12h``, ``2w``, ``90m``, ``45s`` as seconds."""
    match = _AGE.match(text)
    if not match:
        raise InputError(f"not an age: {text!r}", hint="write it like 30d, 12h or 2w")
    return float(match.group(1)) * _AGE_UNITS[match.group(2).lower()]


def prune(
    cache: ClipCache,
    *,
    max_bytes: int | None = None,
    older_than: float | None = None,
    leftovers: bool = False,
) -> PruneResult:
    """Remove entries unused for ``older_than`` seconds, then the least recently used ones
    until the rest fit in ``max_bytes``; with ``leftovers``, also what killed renders left."""
    entries: list[tuple[float, int, Path]] = []
    for path in cache._entries():
        with contextlib.suppress(OSError):
            info = path.stat()
            entries.append((info.st_mtime, info.st_size, path))
    entries.sort()
    now = time.time()
    total = sum(size for _, size, _ in entries)
    removed = freed = 0
    for mtime, size, path in entries:
        too_old = older_than is not None and now - mtime > older_than
        too_big = max_bytes is not None and total > max_bytes
        if not (too_old or too_big):
            continue
        if discard(path):
            removed += 1
            freed += size
        total -= size
    swept = 0
    if leftovers:
        if cache.directory.is_dir():
            for sub in cache.directory.iterdir():
                if sub.is_dir():
                    swept += len(remove_orphans(sub, ".tmp-*"))
        swept += len(remove_orphan_synth_dirs())
    return PruneResult(
        removed=removed,
        freed=freed,
        kept=len(entries) - removed,
        kept_bytes=total,
        leftovers=swept,
    )
