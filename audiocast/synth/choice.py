"""Which engine speaks a script: the first of the command line, the config file, the script's
own ``engine:`` (front matter or YAML script), else pyttsx3."""

from __future__ import annotations

from ..model import Script

DEFAULT_ENGINE = "pyttsx3"


def chosen_engine(script: Script | None, *given: str | None) -> str:
    """The first of ``given`` that is set (``--engine``, then the config's), else the script's
    ``engine:``, else ``DEFAULT_ENGINE``."""
    for engine in given:
        if engine and engine.strip():
            return engine.strip()
    written = script.metadata.extra.get("engine") if script is not None else None
    if isinstance(written, str) and written.strip():
        return written.strip()
    return DEFAULT_ENGINE
