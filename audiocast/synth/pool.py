"""Parallel synthesis: one engine per worker process, clips checked, cached and yielded in order.

Workers are ``spawn``-started processes (pyttsx3 hangs in forked children), each talking to the
parent over its own pipe, so the parent always knows which request each worker holds: when a
worker dies or overruns its time, exactly that request is retried and the worker replaced.
Workers synthesize into a private temporary folder and verify the clip; the parent stores good
clips in the ``ClipCache`` and hands them out in request order. Work in flight is bounded (a few
requests per worker ahead of the consumer), so memory stays flat however long the episode.
Workers start on the first cache miss, so a re-render served from the cache starts none.
"""

from __future__ import annotations

import contextlib
import io
import multiprocessing
import os
import shutil
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from multiprocessing.connection import wait
from pathlib import Path
from typing import Any

from ..errors import EngineError
from ..leftovers import make_temp_dir, remove_orphan_synth_dirs
from ..model import Clip, SpeechRequest
from .base import Synthesizer, get_synthesizer
from .cache import ClipCache
from .worker import Outcome, Task, Worker, attempt, unpack_error

DEFAULT_TIMEOUT = 120.0
"""Seconds one request may take in a worker before the worker is killed and the request retried.
A sentence takes well under a second; this only catches an engine that hangs."""
DEFAULT_STARTUP_TIMEOUT = 300.0
"""Seconds a new worker may take to start its engine and report ready before the render fails.
Measured on a 2-core machine at load 9: pyttsx3 4.5-5 s, Piper 16-19 s (importing onnxruntime,
piper and numpy from a cold disk); this only catches an engine that hangs while it starts."""
LOOKAHEAD_PER_JOB = 4
"""Requests scheduled ahead of the consumer, per worker: what bounds memory and temp files."""
PIPELINE_DEPTH = 3
"""Jobs queued in one worker at a time (at most ``LOOKAHEAD_PER_JOB``)."""
_STOP_GRACE = 2.0

ProgressCallback = Callable[[int, int], None]


def default_jobs() -> int:
    """The CPUs this process may run on (its affinity mask where the OS has one)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return os.cpu_count() or 1


class SynthesisFailed(EngineError):
    """A request kept producing bad clips after every retry.

    ``index`` is the request's 0-based position in the sequence given to ``synthesize``, so a
    caller can name the turn and line it came from.
    """

    def __init__(self, index: int, total: int, text: str, attempts: int, reason: str) -> None:
        short = text if len(text) <= 60 else text[:60] + "..."
        super().__init__(
            f"speech clip {index + 1} of {total} failed {attempts} times ({reason}): {short!r}",
            hint="run again; if it persists, rephrase that text or choose another voice",
        )
        self.index = index
        self.text = text
        self.reason = reason


class SynthesisPool:
    """Synthesize many requests in parallel; use as a context manager.

    ``jobs`` worker processes (default: ``default_jobs()``, the usable CPUs) each run their own
    ``engine``; ``jobs=1`` runs the engine in this process instead (same checks, no crash or
    hang recovery), unless ``in_process=False``. A bad clip (missing, empty, truncated, silent,
    wrong length) or a worker that dies or exceeds ``timeout`` seconds is retried up to
    ``retries`` times, then ``SynthesisFailed`` is raised. A worker that does not report ready
    within ``startup_timeout`` seconds fails the run with an ``EngineError`` naming the engine
    and the voices waiting for it (it would hang again). ``on_progress(done, total)`` is
    called as clips become ready. Leaving the ``with`` block, normally or by an exception such
    as ``KeyboardInterrupt``, stops the workers and removes every temporary file.
    """

    def __init__(
        self,
        engine: str,
        jobs: int | None = None,
        cache: ClipCache | None = None,
        retries: int = 3,
        on_progress: ProgressCallback | None = None,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        startup_timeout: float = DEFAULT_STARTUP_TIMEOUT,
        in_process: bool | None = None,
        device: str | None = None,
    ) -> None:
        self.engine_name = engine
        self.device = device
        """Passed to the engine (``cuda`` for Piper); ``None`` is its default."""
        self.jobs = max(1, jobs if jobs is not None else default_jobs())
        self.cache = cache if cache is not None else ClipCache()
        self.retries = max(0, retries)
        self.on_progress = on_progress
        self.timeout = timeout
        self.startup_timeout = startup_timeout
        self.in_process = self.jobs == 1 if in_process is None else in_process
        self._ctx = multiprocessing.get_context("spawn")
        self._workers: list[Worker] = []
        self.workers_started = 0
        """Worker processes started so far, replacements included."""
        self._early_deaths = 0
        self._engine: Synthesizer | None = None
        self._version: str | None = None
        self._tmpdir: Path | None = None
        self._serial = 0
        self._busy = False
        self._pending: deque[Task] = deque()
        self._waiting: dict[str, list[int]] = {}
        self._ready: dict[int, Clip] = {}
        self._attempts: dict[str, int] = {}
        self._requests: Sequence[SpeechRequest] = ()
        self._total = 0
        self._done = 0
        self.synthesized = 0
        """Clips made by the engine (not served from the cache) since the pool started."""

    def __enter__(self) -> SynthesisPool:
        self.start()
        return self

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        self.close(force=exc_type is not None)

    def start(self) -> None:
        if self._tmpdir is not None:
            return
        remove_orphan_synth_dirs()  # what renders killed with -9 left behind
        self._tmpdir = make_temp_dir()
        # Workers are started on the first cache miss, as many as there is work for: a
        # re-render served from the cache starts none.
        if self.in_process:
            try:
                self._engine = get_synthesizer(self.engine_name, self.device)
                self._version = self._engine.version()
            except BaseException:
                self.close(force=True)
                raise

    def close(self, force: bool = False) -> None:
        """Stop the workers (at once when ``force``) and delete temporary files. Idempotent."""
        workers, self._workers = self._workers, []
        for worker in workers:
            if not worker.tasks and not force:
                with contextlib.suppress(OSError):
                    worker.conn.send(None)
        deadline = time.monotonic() + (0.0 if force else _STOP_GRACE)
        for worker in workers:
            worker.stop(0.0 if worker.tasks else max(0.0, deadline - time.monotonic()))
        if self._engine is not None:
            engine, self._engine = self._engine, None
            engine.close()
        if self._tmpdir is not None:
            shutil.rmtree(self._tmpdir, ignore_errors=True)
            self._tmpdir = None

    @property
    def engine_version(self) -> str:
        """The engine's version (part of every cache key).

        Asked of an engine made in this process for the purpose, which is cheaper than a
        worker (pyttsx3: 70 ms, a worker 200-300 ms) and safe, since workers are spawned.
        """
        self.start()
        if self._version is None:
            probe = get_synthesizer(self.engine_name, self.device)
            try:
                self._version = probe.version()
            finally:
                probe.close()
        return self._version

    def key(self, request: SpeechRequest) -> str:
        return self.cache.key(request, self.engine_name, self.engine_version)

    def synthesize(self, requests: Sequence[SpeechRequest]) -> Iterator[Clip]:
        """Yield one clip per request, in request order, each as soon as it and those before
        it are ready. Cache hits never reach a worker; identical requests are made once.

        One ``synthesize`` iteration at a time per pool. The clips live in the cache.
        """
        if self._busy:
            raise RuntimeError("SynthesisPool.synthesize is already running")
        self._busy = True
        try:
            yield from self._run(requests)
        finally:
            self._busy = False
            # Outcomes still in flight after an early stop are cached or dropped on arrival.
            self._pending.clear()
            self._waiting.clear()
            self._ready.clear()
            self._attempts.clear()

    def _run(self, requests: Sequence[SpeechRequest]) -> Iterator[Clip]:
        self.start()
        total = self._total = len(requests)
        self._done = 0
        self._requests = requests
        lookahead = LOOKAHEAD_PER_JOB * self.jobs
        keys = [self.key(request) for request in requests]
        early = self._schedule_misses(keys, lookahead)
        scheduled = 0
        for index in range(total):
            while scheduled < total and scheduled < index + lookahead:
                if scheduled not in early:
                    self._schedule(scheduled, keys[scheduled])
                scheduled += 1
            while index not in self._ready:
                self._pump()
            if self._pending or any(w.tasks or not w.ready for w in self._workers):
                self._pump(block=False)  # early work moves on while hits are served
            yield self._ready.pop(index)

    def _schedule_misses(self, keys: list[str], limit: int) -> set[int]:
        """Schedule now the first ``limit`` requests the cache has no clip for (a look at the
        folder, not a read), and return their indexes. A re-render's few misses are then made
        while the mixer works through the hits before them: when it waited until it reached
        one, an hour's re-render stood 3 s on a worker starting and speaking it. A cold render
        schedules the same first requests as before."""
        early: set[int] = set()
        for index, key in enumerate(keys):
            if key in self._waiting:
                self._waiting[key].append(index)
            elif len(self._waiting) >= limit:
                break
            elif not self.cache.has(key):
                self._waiting[key] = [index]
                self._pending.append(self._task(key, self._requests[index]))
            else:
                continue
            early.add(index)
        return early

    def _schedule(self, index: int, key: str) -> None:
        if key in self._waiting:
            self._waiting[key].append(index)
            return
        clip = self.cache.get(key)
        if clip is not None:
            self._mark_ready([index], clip)
            return
        self._waiting[key] = [index]
        self._pending.append(self._task(key, self._requests[index]))

    def _task(self, key: str, request: SpeechRequest) -> Task:
        assert self._tmpdir is not None
        self._serial += 1
        return Task(key, request, self._tmpdir / f"{self._serial:08d}-{key[:16]}.wav")

    def _mark_ready(self, indexes: list[int], clip: Clip) -> None:
        for index in indexes:
            self._ready[index] = clip
            self._done += 1
            if self.on_progress is not None:
                self.on_progress(self._done, self._total)

    def _pump(self, block: bool = True) -> None:
        """Make progress: hand out pending work, then settle at least one event (with
        ``block``) or the events already there."""
        if self._engine is not None:
            if self._pending:
                task = self._pending.popleft()
                with contextlib.redirect_stdout(io.StringIO()):
                    outcome = attempt(self._engine, task)
                self._settle(task, outcome)
            return
        # One worker per pending job, up to ``jobs``; a starting or idle worker counts.
        idle = sum(1 for w in self._workers if not w.tasks)
        for _ in range(min(len(self._pending) - idle, self.jobs - len(self._workers))):
            self._spawn()
        # Each worker gets a few jobs queued, so it keeps working while the consumer is busy
        # with the clips already yielded (this generator only runs when asked for a clip).
        for worker in list(self._workers):
            while worker.ready and len(worker.tasks) < PIPELINE_DEPTH and self._pending:
                task = self._pending.popleft()
                if not worker.tasks:
                    worker.deadline = time.monotonic() + self.timeout
                worker.tasks.append(task)
                try:
                    worker.conn.send(task)
                except OSError:  # it died since it last spoke
                    self._replace(worker, "the worker process died")
                    break
        deadlines = [w.deadline for w in self._workers if w.tasks or not w.ready]
        timeout = max(0.0, min(deadlines) - time.monotonic()) if deadlines else None
        if not block:
            timeout = 0.0
        if not self._workers:
            raise RuntimeError("SynthesisPool: waiting with no work and no workers")
        handles: list[Any] = [w.conn for w in self._workers]
        handles += [w.process.sentinel for w in self._workers]
        events = set(wait(handles, timeout))
        for worker in list(self._workers):
            if worker.conn in events:
                try:
                    message = worker.conn.recv()
                except (EOFError, OSError):
                    self._replace(worker, "the worker process died")
                    continue
                self._on_message(worker, message)
            elif worker.process.sentinel in events:
                self._replace(worker, f"the worker process died (exit {worker.process.exitcode})")
            elif not worker.ready and time.monotonic() >= worker.deadline:
                raise self._never_started()
            elif worker.tasks and time.monotonic() >= worker.deadline:
                self._replace(worker, f"no clip after {self.timeout:g} s")

    def _on_message(self, worker: Worker, message: tuple[Any, ...]) -> None:
        kind = message[0]
        if kind == "ready":
            worker.ready = True
        elif kind == "fatal":
            raise unpack_error(message[1])
        elif kind == "outcome":
            task = worker.tasks.popleft()
            if worker.tasks:
                worker.deadline = time.monotonic() + self.timeout
            self._settle(task, message[1])

    def _never_started(self) -> EngineError:
        waiting = [self._requests[indexes[0]] for indexes in self._waiting.values()]
        voices = sorted({request.voice.voice_id for request in waiting})
        named = f" (voice {', '.join(voices)})" if voices else ""
        return EngineError(
            f"the {self.engine_name} engine{named} did not start: its worker process was not "
            f"ready after {self.startup_timeout:g} s",
            hint=f"check the engine alone: audiocast say Hello --engine {self.engine_name}",
        )

    def _settle(self, task: Task, outcome: Outcome) -> None:
        try:
            if outcome.status == "fatal":
                assert outcome.error is not None
                raise unpack_error(outcome.error)
            if outcome.status == "ok":
                self.synthesized += 1
                clip = self.cache.put(task.key, task.out)
                self._mark_ready(self._waiting.pop(task.key, []), clip)
            elif task.key in self._waiting:
                self._retry(task, outcome.reason)
        finally:
            task.out.unlink(missing_ok=True)

    def _retry(self, task: Task, reason: str) -> None:
        attempts = self._attempts.get(task.key, 0) + 1
        self._attempts[task.key] = attempts
        if attempts > self.retries:
            index = self._waiting[task.key][0]
            raise SynthesisFailed(index, self._total, task.request.text, attempts, reason)
        self._pending.appendleft(self._task(task.key, task.request))

    def _replace(self, worker: Worker, reason: str) -> None:
        tasks, worker.tasks = worker.tasks, deque()
        self._workers.remove(worker)
        worker.stop(0.0)
        if not worker.ready:
            # A worker that dies before its engine starts would die again: don't loop forever.
            self._early_deaths += 1
            if self._early_deaths > self.jobs + self.retries:
                raise EngineError(
                    f"the {self.engine_name} engine's worker process keeps dying at start",
                    hint="run with --jobs 1 to see the engine's own error",
                )
        if not tasks:
            return
        # Only the first job was running; the ones queued behind it go back without penalty.
        for queued in reversed(list(tasks)[1:]):
            queued.out.unlink(missing_ok=True)
            self._pending.appendleft(queued)
        task = tasks[0]
        task.out.unlink(missing_ok=True)
        if task.key in self._waiting:
            self._retry(task, reason)

    def _spawn(self) -> None:
        self.workers_started += 1
        worker = Worker(self._ctx, self.engine_name, self.workers_started, self.device)
        self._workers.append(worker)
        worker.deadline = time.monotonic() + self.startup_timeout
        worker.start()
