"""A catalogue on a Dask cluster: clips are tasks, each episode's mix-master-encode a task on them.

The episode task runs the ordinary ``render()`` on a worker with the clips already made
(``ReadyClips``), so the episode file is written, atomically, by whichever worker mixes it: the
show folder and the clip cache must be paths every worker sees. Tasks are submitted episode by
episode (its clips, then its mix), and Dask runs earlier submissions first, so episodes finish
in order while later clips keep the workers busy. A worker that dies has its tasks rerun
elsewhere (Dask's own recovery); clips already in the cache come back at once.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .catalogue import EpisodeOutcome, PlannedEpisode, Progress, engine_version, write_manifest
from .errors import AudiocastError, UsageError
from .model import Script, SpeechRequest
from .options import RenderOptions
from .pipeline import render
from .synth.choice import chosen_engine
from .synth.executor import ReadyClips

if TYPE_CHECKING:
    from distributed import Client


def _dask() -> Any:
    try:
        from .synth import dask_executor
    except ImportError as exc:
        if not (exc.name or "").startswith(("distributed", "dask")):
            raise
        raise UsageError(
            "--cluster needs Dask's distributed package", hint="pip install 'audiocast[cluster]'"
        ) from None
    return dask_executor


@dataclass(frozen=True)
class EpisodeDone:
    duration: float
    seconds: float
    """Worker time: the episode's clips plus its mix."""
    warnings: tuple[str, ...]


def render_episode(
    script: Script, options: RenderOptions, requests: Sequence[SpeechRequest], made: list[Any]
) -> EpisodeDone:
    """The Dask task for one episode: mix, master and encode the clips ``made`` for it."""
    started = time.perf_counter()
    executor = ReadyClips(requests, [m.clip for m in made])
    result = render(script, options, executor)
    seconds = time.perf_counter() - started + sum(m.seconds for m in made)
    return EpisodeDone(result.duration, seconds, tuple(result.warnings))


@contextlib.contextmanager
def open_cluster(spec: str) -> Iterator[Client]:
    """A client of the cluster ``spec`` names (see ``dask_executor.open_client``)."""
    with _dask().open_client(spec) as client:
        yield client


def render_on_cluster(
    todo: Sequence[PlannedEpisode],
    options: RenderOptions,
    client: Client,
    progress: Progress | None = None,
) -> Iterator[EpisodeOutcome]:
    """Every episode of ``todo`` on ``client``'s cluster; outcomes as they finish.

    Stopping early (Ctrl-C, or closing the iterator) cancels every future not yet done.
    """
    from distributed import as_completed

    assert options.cache_dir is not None
    engine = chosen_engine(None, options.engine)
    version = engine_version(engine)
    executor = _dask().DaskExecutor(client, engine, version, options.cache_dir)
    episodes: dict[Any, PlannedEpisode] = {}
    clips: dict[str, Any] = {}
    for episode in todo:
        futures = executor.submit(episode.requests)
        clips.update((f.key, f) for f in futures)
        task = client.submit(
            render_episode,
            episode.script,
            episode.options,
            list(episode.requests),
            futures,
            key=f"audiocast-episode-{episode.fingerprint}",
        )
        episodes[task] = episode
    done = 0
    try:
        for future in as_completed([*clips.values(), *episodes]):
            finished = episodes.get(future)
            if finished is not None:
                yield _outcome(future, finished)
                continue
            done += 1
            if progress is not None:
                progress(done, len(clips))
    finally:
        # Ctrl-C or an early stop: nothing more is to run. Finished episodes stay.
        client.cancel([*clips.values(), *episodes])


def _outcome(future: Any, episode: PlannedEpisode) -> EpisodeOutcome:
    try:
        finished: EpisodeDone = future.result()
    except AudiocastError as exc:
        if exc.path is None:
            exc.path = str(episode.source)  # a clip's failure, raised where it had no script
        return EpisodeOutcome(episode.source, "failed", episode.output, error=str(exc))
    except Exception as exc:
        # Raised on a worker: a bug or a dead end of the cluster (a task that killed
        # every worker it ran on), not this catalogue's other episodes' business.
        error = f"{episode.source}: {type(exc).__name__}: {exc}"
        return EpisodeOutcome(episode.source, "failed", episode.output, error=error)
    write_manifest(episode, finished.duration)
    return EpisodeOutcome(
        episode.source,
        "rendered",
        episode.output,
        finished.duration,
        finished.seconds,
        warnings=finished.warnings,
    )
