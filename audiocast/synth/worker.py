"""The worker side of the synthesis pool: one engine in a spawned process, tasks in, outcomes out.

A worker synthesizes each task into the path it is given and verifies the clip, so only good
clips reach the parent; every failure comes back as an :class:`Outcome` (retry or fatal), never
as an exception across the pipe.
"""

from __future__ import annotations

import contextlib
import os
import signal
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any, Literal

from ..errors import AudiocastError, EngineError, VoiceError
from ..model import SpeechRequest
from .base import Synthesizer, get_synthesizer
from .verify import ClipDefect, verify_wav


@dataclass(frozen=True)
class Task:
    key: str
    request: SpeechRequest
    out: Path


@dataclass(frozen=True)
class Outcome:
    key: str
    out: Path
    status: Literal["ok", "retry", "fatal"]
    reason: str = ""
    error: tuple[str, str, str | None] | None = None
    """For ``fatal``: (exception class name, message, hint), rebuilt in the parent."""


def pack_error(exc: AudiocastError) -> tuple[str, str, str | None]:
    return (type(exc).__name__, exc.message, exc.hint)


def unpack_error(packed: tuple[str, str, str | None]) -> AudiocastError:
    kind, message, hint = packed
    cls = VoiceError if kind == "VoiceError" else EngineError
    return cls(message, hint=hint)


def verify(path: Path, request: SpeechRequest) -> str | None:
    """``None`` for a good clip, else why it is not (``ClipDefect.reason``)."""
    try:
        verify_wav(path, request.text, request.voice.rate * request.rate_scale)
    except ClipDefect as exc:
        return exc.reason
    return None


def attempt(engine: Synthesizer, task: Task) -> Outcome:
    """Synthesize and verify one request. Engine failures come back as outcomes, not raises."""
    req = task.request
    try:
        engine.synthesize(req.text, req.voice, task.out, req.rate_scale)
    except VoiceError as exc:
        return Outcome(task.key, task.out, "fatal", error=pack_error(exc))
    except AudiocastError as exc:
        return Outcome(task.key, task.out, "retry", reason=exc.message)
    except Exception as exc:
        # A third-party engine's own exception: retried like any failure, and named if it stays.
        return Outcome(task.key, task.out, "retry", reason=f"{type(exc).__name__}: {exc}")
    reason = verify(task.out, req)
    if reason is not None:
        return Outcome(task.key, task.out, "retry", reason=reason)
    return Outcome(task.key, task.out, "ok")


def worker_main(conn: Connection, engine_name: str, device: str | None = None) -> None:
    """Run in a worker process: one engine, requests in, outcomes out, until ``None`` or EOF."""
    # Ctrl-C is the parent's to handle: it stops workers itself, promptly and cleanly.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # Engines print (pyttsx3: "Audio saved to ..."), and stdout may be the user's output.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.close(devnull)
    try:
        engine = get_synthesizer(engine_name, device)
        version = engine.version()
    except AudiocastError as exc:
        conn.send(("fatal", pack_error(exc)))
        return
    except Exception as exc:
        conn.send(("fatal", ("EngineError", f"{engine_name} cannot start: {exc}", None)))
        return
    try:
        conn.send(("ready", version))
        while True:
            task = conn.recv()
            if task is None:
                break
            conn.send(("outcome", attempt(engine, task)))
    except (EOFError, OSError, KeyboardInterrupt):
        pass  # the parent is gone (a reset or broken pipe) or stopping us: exit quietly
    finally:
        engine.close()


class Worker:
    def __init__(self, ctx: Any, engine: str, number: int, device: str | None = None) -> None:
        parent_end, child_end = ctx.Pipe(duplex=True)
        self.process: BaseProcess = ctx.Process(
            target=worker_main,
            args=(child_end, engine, device),
            name=f"audiocast-synth-{number}",
            daemon=True,
        )
        self._child_end: Connection | None = child_end
        self.conn: Connection = parent_end
        self.ready = False
        self.tasks: deque[Task] = deque()
        """Sent and not yet answered, oldest first: the worker is busy with the first."""
        self.deadline = 0.0
        """Until ready, when it must be; then when the first task is overdue."""
        self.started = False

    def start(self) -> None:
        """Start the process; call once the worker is where ``close`` will find it, since a
        Ctrl-C held back during the start is raised as soon as it returns."""
        with sigint_blocked():
            self.process.start()
            self.started = True
        if self._child_end is not None:
            self._child_end.close()
            self._child_end = None

    def stop(self, grace: float) -> None:
        """Wait up to ``grace`` seconds for the process to end, then end it."""
        if self._child_end is not None:
            self._child_end.close()
        if not self.started:
            self.conn.close()
            return
        if grace > 0:
            self.process.join(grace)
        if self.process.is_alive():
            self.process.terminate()
            self.process.join(1.0)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.conn.close()
        self.process.close()


@contextlib.contextmanager
def sigint_blocked() -> Iterator[None]:
    """Hold Ctrl-C back while a child starts: the child inherits the blocked mask through exec,
    so a Ctrl-C sent to the whole process group cannot break it while it imports; the parent
    gets its Ctrl-C as soon as the mask is restored."""
    if not hasattr(signal, "pthread_sigmask"):  # Windows: no signal masks, nothing to hold
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)
