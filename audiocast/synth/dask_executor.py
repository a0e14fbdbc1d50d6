"""Clips as Dask tasks: a cluster to send them to, and what a worker does with one.

Needs the ``cluster`` extra (``pip install 'audiocast[cluster]'``, which brings Dask's
``distributed``). A worker keeps one engine per engine name for its whole life (the
``EngineCache`` plugin), so a voice is loaded once, not once per clip. Clips go into a
``ClipCache`` folder every worker sees: the same content addressing and atomic renames as on one
machine, so two workers making the same clip (a rerun after a worker died) is harmless.
"""

from __future__ import annotations

import contextlib
import io
import logging
import re
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from distributed import Client, LocalCluster, WorkerPlugin, get_worker

from ..errors import AudiocastError, EngineError, UsageError
from ..model import Clip, SpeechRequest
from .base import Synthesizer, get_synthesizer
from .cache import ClipCache
from .worker import Task, attempt, unpack_error

CONNECT_TIMEOUT = 5.0
"""Seconds to wait for a scheduler before saying it cannot be reached."""
RETRIES = 3
"""Attempts after the first at one clip, as in the local pool."""
PLUGIN_NAME = "audiocast-engines"
LOCAL = re.compile(r"local(?::(\d+))?")


class ClusterError(AudiocastError):
    """The cluster cannot be used: unreachable scheduler, missing extra, bad address."""


@contextlib.contextmanager
def open_client(spec: str, timeout: float = CONNECT_TIMEOUT) -> Iterator[Client]:
    """A client of the cluster ``spec`` names, with the engine cache on every worker.

    ``tcp://HOST:PORT`` (or any address Dask takes) connects to a running scheduler;
    ``local`` or ``local:N`` starts a ``LocalCluster`` of N single-threaded worker processes
    on 127.0.0.1 for this block only.
    """
    with contextlib.ExitStack() as stack:
        match = LOCAL.fullmatch(spec.strip())
        if match:
            # The scheduler then runs in this process: its INFO lines are not the user's.
            stack.enter_context(_quiet_logger("distributed"))
            workers = int(match.group(1)) if match.group(1) else None
            if workers == 0:
                raise UsageError("--cluster local:N needs at least one worker", hint="local:2")
            address: Any = stack.enter_context(
                LocalCluster(
                    n_workers=workers,
                    threads_per_worker=1,
                    processes=True,
                    host="127.0.0.1",
                    # None still binds port 8787 on every interface (and fails when it is taken):
                    # an ephemeral loopback port keeps the HTTP endpoint private and free.
                    dashboard_address="127.0.0.1:0",
                    silence_logs=40,  # logging.ERROR: a rerun task is not the user's concern
                )
            )
        elif "://" in spec or ":" in spec:
            address = spec.strip()
        else:
            raise UsageError(
                f"not a cluster address: {spec!r}",
                hint="use tcp://HOST:8786 for a running scheduler, or local:N",
            )
        try:
            client = stack.enter_context(Client(address, timeout=timeout))
        except OSError as exc:
            why = f"no answer after {timeout:g} s" if "Timed out" in str(exc) else str(exc)
            raise ClusterError(
                f"cannot reach the Dask scheduler at {spec}: {why}",
                hint="start it with dask-scheduler, or check the address and port",
            ) from None
        client.register_plugin(EngineCache(), name=PLUGIN_NAME)
        yield client


@contextlib.contextmanager
def _quiet_logger(name: str) -> Iterator[None]:
    logger = logging.getLogger(name)
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


class EngineCache(WorkerPlugin):
    """A worker plugin holding one engine per (engine name, thread) until the worker ends.

    Engines are not shared between threads (``Synthesizer``), so a worker with several
    threads gets one engine each; single-threaded workers suit engines that use every core.
    The plugin is sent to each worker empty: ``setup`` runs there.
    """

    def setup(self, worker: Any) -> None:
        self._engines: dict[tuple[str, int], tuple[Synthesizer, str]] = {}
        self._lock = threading.Lock()

    def engine(self, name: str) -> tuple[Synthesizer, str]:
        """This thread's engine ``name`` and its version, made on first use."""
        slot = (name, threading.get_ident())
        with self._lock:
            found = self._engines.get(slot)
        if found is None:
            engine = get_synthesizer(name)
            found = (engine, engine.version())
            with self._lock:
                self._engines[slot] = found
        return found

    def teardown(self, worker: Any) -> None:
        with self._lock:
            engines, self._engines = list(self._engines.values()), {}
        for engine, _ in engines:
            with contextlib.suppress(Exception):
                engine.close()


@dataclass(frozen=True)
class MadeClip:
    clip: Clip
    seconds: float
    """Worker time spent making it (0 for a cache hit)."""


def make_clip(request: SpeechRequest, engine: str, version: str, cache_dir: str) -> MadeClip:
    """The Dask task for one clip: from the shared cache, else synthesized, verified, stored."""
    started = time.perf_counter()
    cache = ClipCache(Path(cache_dir))
    key = cache.key(request, engine, version)
    clip = cache.get(key)
    if clip is not None:
        return MadeClip(clip, 0.0)
    plugin = get_worker().plugins[PLUGIN_NAME]
    assert isinstance(plugin, EngineCache)
    synth, worker_version = plugin.engine(engine)
    if worker_version != version:
        # The key promises the client's engine: another version would cache other audio.
        raise EngineError(
            f"this worker's {engine} engine is {worker_version}, the client's {version}",
            hint="install the same audiocast and engine versions on every worker",
        )
    reason = ""
    with tempfile.TemporaryDirectory(prefix="audiocast-clip-") as tmp:
        out = Path(tmp) / f"{key[:16]}.wav"
        for _ in range(RETRIES + 1):
            # Engines print (pyttsx3: "Audio saved to ..."); a worker's stdout is its log.
            with contextlib.redirect_stdout(io.StringIO()):
                outcome = attempt(synth, Task(key, request, out))
            if outcome.status == "ok":
                stored = cache.put(key, out)
                return MadeClip(stored, time.perf_counter() - started)
            if outcome.status == "fatal":
                assert outcome.error is not None
                raise unpack_error(outcome.error)
            reason = outcome.reason
            out.unlink(missing_ok=True)
    words = request.text if len(request.text) <= 60 else request.text[:60] + "..."
    raise EngineError(
        f"speech synthesis failed {RETRIES + 1} times ({reason}): {words!r}",
        hint="run again; if it persists, rephrase that sentence or cast another voice",
    )


def clip_task_key(cache_key: str) -> str:
    """The Dask key of a clip's task: equal clips across episodes are one task."""
    return f"audiocast-clip-{cache_key}"


class DaskExecutor:
    """A ``ClipExecutor`` on a cluster: every request a task, clips yielded in order."""

    def __init__(self, client: Client, engine: str, version: str, cache_dir: Path) -> None:
        self.client = client
        self.engine = engine
        self.version = version
        self.cache_dir = Path(cache_dir).resolve()

    def submit(self, requests: Sequence[SpeechRequest]) -> list[Any]:
        """One future per request (equal requests share one)."""
        futures = []
        for request in requests:
            key = ClipCache.key(request, self.engine, self.version)
            futures.append(
                self.client.submit(
                    make_clip,
                    request,
                    self.engine,
                    self.version,
                    str(self.cache_dir),
                    key=clip_task_key(key),
                )
            )
        return futures

    def synthesize(self, requests: Sequence[SpeechRequest]) -> Iterator[Clip]:
        futures = self.submit(requests)
        try:
            for future in futures:
                yield future.result().clip
        finally:
            self.client.cancel(futures)
