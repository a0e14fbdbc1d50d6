"""Temporary names that say who made them, so what a killed render left can be cleaned.

Every temporary file or folder a render makes is named ``<prefix><pid>-<random>``: the pid of
the process that made it. A later render (or ``cache prune``) removes the ones whose process is
gone (``kill -9``, a power cut), and leaves alone those of renders still running. The names
stay short, so a temporary file beside a long but legal output name is never refused.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
import tempfile
from pathlib import Path

HIDDEN_PREFIX = ".ac-"
"""Beside an output: ``.ac-<pid>-<random><suffix>`` (hidden, short)."""
SYNTH_PREFIX = "audiocast-synth-"
"""In the system's temporary folder: the synthesis pool's working folder."""
_OWNED = re.compile(r"^(?:\.ac-|audiocast-synth-|\.tmp-)(\d+)-")


def temp_name(suffix: str = "", prefix: str = HIDDEN_PREFIX) -> str:
    """A fresh temporary name owned by this process."""
    return f"{prefix}{os.getpid()}-{secrets.token_hex(4)}{suffix}"


def owned_prefix(prefix: str = HIDDEN_PREFIX) -> str:
    """For ``tempfile``'s ``prefix=``: its random part follows."""
    return f"{prefix}{os.getpid()}-"


def make_temp_dir(prefix: str = SYNTH_PREFIX) -> Path:
    """A new private folder in the system's temporary folder, owned by this process."""
    return Path(tempfile.mkdtemp(prefix=f"{prefix}{os.getpid()}-"))


def owner(name: str) -> int | None:
    """The pid in a temporary name made by ``temp_name``/``make_temp_dir``, else ``None``."""
    match = _OWNED.match(name)
    return int(match.group(1)) if match else None


def process_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True  # someone else's process: alive as far as we can tell
    return True


def is_orphan(path: Path) -> bool:
    """True when ``path`` is one of our temporary names and its process is gone."""
    pid = owner(path.name)
    return pid is not None and not process_alive(pid)


def remove_orphans(folder: Path, pattern: str = f"{HIDDEN_PREFIX}*") -> list[Path]:
    """Remove what dead processes left in ``folder`` (names matching ``pattern``)."""
    removed: list[Path] = []
    with contextlib.suppress(OSError):
        for path in folder.glob(pattern):
            if not is_orphan(path):
                continue
            with contextlib.suppress(OSError):
                if path.is_dir() and not path.is_symlink():
                    shutil.rmtree(path)
                else:
                    path.unlink()
                removed.append(path)
    return removed


def remove_orphan_synth_dirs() -> list[Path]:
    """Synthesis folders in the system's temporary folder whose render was killed."""
    return remove_orphans(Path(tempfile.gettempdir()), f"{SYNTH_PREFIX}*")
