"""ctypes bindings to the eSpeak NG library pyttsx3 loaded: what pyttsx3 gets wrong or lacks.

Synchronous output (one blocking ``espeak_Synth`` per clip, samples collected by our callback),
parameters read back correctly, the library's version and data folder, and the guard against a
forked child of a process that initialised eSpeak NG (it would hang).
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from ..errors import EngineError
from ..signals import deferred_stop_requests
from .verify import ClipDefect

WAIT_SECONDS = 10.0
"""Last-resort bound on any wait for the engine (a clip, eSpeak's queue) before a retry."""

RATE, VOLUME, PITCH = 1, 2, 3
"""espeak_PARAMETER numbers from speak_lib.h."""
CHARS_UTF8, PHONEMES, ENDPAUSE = 1, 0x100, 0x1000
"""espeak_Synth flags from speak_lib.h."""
OUTPUT_SYNCHRONOUS = 1
"""espeak_ng_OUTPUT_MODE from espeak_ng.h."""
_SYNCHRONOUS_PIDS: list[int] = []
"""Processes whose eSpeak NG was switched to synchronous output: a fact about the process."""
SynthCallback = ctypes.CFUNCTYPE(
    ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.c_void_p
)


class ClipCollector:
    """What eSpeak NG's synth callback fills: the samples of one clip, stopped early when it
    runs past its deadline or a stop request (Ctrl-C, SIGTERM) is pending."""

    def __init__(self) -> None:
        self._sink: list[bytes] = []
        self._deadline = 0.0
        self._expired = False
        self._stop_requests: list[int] = []

    def _collect(self, wav: Any, count: int, events: Any) -> int:
        if self._stop_requests:
            return 1  # stop; the synthesis call raises the request once eSpeak NG returns
        if wav and count > 0:
            self._sink.append(ctypes.string_at(wav, count * 2))
        if time.monotonic() > self._deadline:
            self._expired = True
            return 1  # asks eSpeak NG to stop
        return 0


class EspeakControl(ClipCollector):
    """Direct calls into the loaded eSpeak NG that pyttsx3 gets wrong or does not offer.

    (pyttsx3 declares ``espeak_GetParameter`` with one argument; it takes two.)
    """

    def __init__(self) -> None:
        from pyttsx3.drivers import _espeak

        self._get = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_int, ctypes.c_int)(
            ("espeak_GetParameter", _espeak.dll)
        )
        self._playing = ctypes.CFUNCTYPE(ctypes.c_int)(("espeak_IsPlaying", _espeak.dll))
        self._output = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_char_p)(
            ("espeak_ng_InitializeOutput", _espeak.dll)
        )
        self._rate = ctypes.CFUNCTYPE(ctypes.c_int)(("espeak_ng_GetSampleRate", _espeak.dll))
        self._set_callback = ctypes.CFUNCTYPE(None, SynthCallback)(
            ("espeak_SetSynthCallback", _espeak.dll)
        )
        self._synth = ctypes.CFUNCTYPE(
            ctypes.c_int,
            ctypes.c_char_p,
            ctypes.c_size_t,
            ctypes.c_uint,
            ctypes.c_int,
            ctypes.c_uint,
            ctypes.c_uint,
            ctypes.c_void_p,
            ctypes.c_void_p,
        )(("espeak_Synth", _espeak.dll))
        # eSpeak NG keeps the callback's address, so it lives as long as this object; each
        # synth() call gives it a fresh sink.
        ClipCollector.__init__(self)
        self._callback = SynthCallback(self._collect)

    @property
    def synchronous(self) -> bool:
        return os.getpid() in _SYNCHRONOUS_PIDS

    def make_synchronous(self) -> bool:
        """Switch this process's eSpeak NG to synchronous output (once); False if it was busy.

        Only the output mode changes: voice, parameters and the data folder stay. It happens
        while the library's thread is idle, and nothing is queued to that thread afterwards.
        """
        if self.synchronous:
            return True
        if not self.settle():
            return False
        if self._output(OUTPUT_SYNCHRONOUS, 0, None) != 0:
            return False
        _SYNCHRONOUS_PIDS.append(os.getpid())
        return True

    def sample_rate(self) -> int:
        return int(self._rate()) or 22050

    def synth(self, text: str, *, phonemes: bool) -> tuple[bytes, bool]:
        """(16-bit mono samples of ``text``, whether it ran over ``WAIT_SECONDS`` and stopped).

        Blocks until eSpeak NG has spoken all of ``text``; the callback runs on this thread.
        """
        self._sink, self._expired = [], False
        self._deadline = time.monotonic() + WAIT_SECONDS
        flags = CHARS_UTF8 | ENDPAUSE | (PHONEMES if phonemes else 0)
        data = text.encode("utf-8") + b"\0"
        # Set every time: a pyttsx3 engine made since then installed its own callback.
        self._set_callback(self._callback)
        # ctypes prints and swallows what the callback raises: a Ctrl-C there would be lost.
        with deferred_stop_requests() as self._stop_requests:
            status = self._synth(data, len(data), 0, 0, 0, flags, None, None)
        samples, self._sink = b"".join(self._sink), []
        if status != 0:
            raise ClipDefect("missing", f"eSpeak NG refused the text (status {status})")
        return samples, self._expired

    def parameters(self, which: Iterable[int]) -> dict[int, int]:
        return {p: int(self._get(p, 1)) for p in which}

    def settle(self, timeout: float = WAIT_SECONDS) -> bool:
        """Wait until eSpeak NG's command queue is empty; False if ``timeout`` ran out."""
        deadline = time.monotonic() + timeout
        while self._playing():
            if time.monotonic() > deadline:
                return False
            time.sleep(0.002)
        return True


ESPEAK_OWNER: list[int] = []
"""The process that initialised eSpeak NG: a fact about the process, hence module-level."""


def refuse_inherited_espeak() -> None:
    """Fail clearly, instead of hanging, in a child forked from a process that ran eSpeak."""
    driver = sys.modules.get("pyttsx3.drivers.espeak")
    initialised = getattr(getattr(driver, "EspeakDriver", None), "_moduleInitialized", False)
    if initialised and ESPEAK_OWNER and ESPEAK_OWNER[0] != os.getpid():
        raise EngineError(
            "eSpeak NG was started before this process was forked and would hang here",
            hint="start worker processes with the 'spawn' method",
        )


def espeak_info() -> tuple[str, str | None]:
    """(version, data folder) from the loaded eSpeak NG library."""
    try:
        from pyttsx3.drivers import _espeak
    except (ImportError, RuntimeError):
        return "unknown", None
    path = ctypes.c_char_p()
    info: Callable[..., bytes | None] = ctypes.CFUNCTYPE(
        ctypes.c_char_p, ctypes.POINTER(ctypes.c_char_p)
    )(("espeak_Info", _espeak.dll))
    version = info(ctypes.byref(path))
    data = path.value.decode("utf-8", "replace") if path.value else None
    return (version.decode("ascii", "replace") if version else "unknown"), data


def espeak_data_path() -> Path:
    """eSpeak NG's data folder (the one holding ``voices/``), wherever this machine has it."""
    _, path = espeak_info()
    candidates = [path] if path else []
    env = os.environ.get("ESPEAK_DATA_PATH")
    if env:
        candidates += [os.path.join(env, "espeak-ng-data"), env]
    with contextlib.suppress(ImportError):
        import espeakng_loader

        candidates.append(str(espeakng_loader.get_data_path()))
    for candidate in candidates:
        if (Path(candidate) / "voices").is_dir():
            return Path(candidate)
    raise EngineError("cannot find eSpeak NG's data folder", hint="set ESPEAK_DATA_PATH")
