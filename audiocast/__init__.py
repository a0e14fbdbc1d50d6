"""audiocast: turn a written interview into a finished podcast episode, offline.

The library behind the ``audiocast`` command::

    from audiocast import RenderOptions, load_script, render

    result = render(load_script("episode.txt"), RenderOptions(loudness=-19))

Names load on first use, so ``import audiocast`` stays cheap for tools that only parse.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS = {
    "load_script": "audiocast.parse",
    "parse_text": "audiocast.parse",
    "check_script": "audiocast.check",
    "check_file": "audiocast.check",
    "normalize": "audiocast.normalize",
    "render": "audiocast.pipeline",
    "RenderOptions": "audiocast.pipeline",
    "RenderResult": "audiocast.pipeline",
    "cast_script": "audiocast.pipeline",
    "say_text": "audiocast.audition",
    "Script": "audiocast.model",
    "Segment": "audiocast.model",
    "Speaker": "audiocast.model",
    "VoiceProfile": "audiocast.model",
    "AudiocastError": "audiocast.errors",
}

__all__ = [
    "AudiocastError",
    "RenderOptions",
    "RenderResult",
    "Script",
    "Segment",
    "Speaker",
    "VoiceProfile",
    "__version__",
    "cast_script",
    "check_file",
    "check_script",
    "load_script",
    "normalize",
    "parse_text",
    "render",
    "say_text",
]

if TYPE_CHECKING:
    from .audition import say_text
    from .check import check_file, check_script
    from .errors import AudiocastError
    from .model import Script, Segment, Speaker, VoiceProfile
    from .normalize import normalize
    from .parse import load_script, parse_text
    from .pipeline import RenderOptions, RenderResult, cast_script, render


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'audiocast' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
