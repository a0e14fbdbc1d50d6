"""Where clips are made, behind one small interface the pipeline renders against.

``render()`` asks a ``ClipExecutor`` for one clip per request, in order, and never learns where
they come from: its own ``SynthesisPool`` (the default), one pool shared by a whole catalogue
(``SharedPool``: the next episode's clips are made while this one is mixed), or clips a Dask
cluster already made (``ReadyClips``, inside an episode task on a worker).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Protocol

from ..model import Clip, SpeechRequest
from .pool import SynthesisFailed, SynthesisPool


class ClipExecutor(Protocol):
    """Makes the clips of one episode."""

    def synthesize(self, requests: Sequence[SpeechRequest]) -> Iterator[Clip]:
        """One clip per request, in request order; ``SynthesisFailed`` names the request's
        0-based index in ``requests`` when one cannot be made."""
        ...


class ReadyClips:
    """Clips made elsewhere, handed out for exactly the requests they were made for."""

    def __init__(self, requests: Sequence[SpeechRequest], clips: Sequence[Clip]) -> None:
        if len(requests) != len(clips):
            raise ValueError(f"{len(clips)} clips for {len(requests)} requests")
        self._requests = list(requests)
        self._clips = list(clips)

    def synthesize(self, requests: Sequence[SpeechRequest]) -> Iterator[Clip]:
        if list(requests) != self._requests:
            # The episode was planned differently where the clips were made (other voices or
            # settings on this machine): mixing these clips would be silently wrong.
            raise RuntimeError("the episode's requests differ from those its clips were made for")
        return iter(self._clips)


class SharedPool:
    """One ``SynthesisPool`` stream cut into episodes, so the pool looks ahead across them.

    ``episode(n)`` is the executor for the ``n``-th batch of requests. Episodes are consumed in
    order; one that stops early (its render failed) or is never asked for costs a restart of
    the stream, which loses nothing the cache already holds. A request that fails for good
    fails only its own episode: the stream restarts after it.
    """

    def __init__(
        self,
        pool: SynthesisPool,
        batches: Sequence[Sequence[SpeechRequest]],
        on_clip: Callable[[], None] | None = None,
    ) -> None:
        self._pool = pool
        self._batches = [list(b) for b in batches]
        self._on_clip = on_clip
        self._failed: dict[int, SynthesisFailed] = {}
        self._stream: Iterator[Clip] | None = None
        self._owners: list[tuple[int, int]] = []
        """For each request of the current stream: (episode, index within the episode)."""
        self._position = 0
        """Index in ``_owners`` of the next clip the stream yields."""

    def episode(self, number: int) -> ClipExecutor:
        return _EpisodeView(self, number)

    def _start(self, number: int) -> None:
        """A new stream from the first clip of episode ``number``, failed episodes left out."""
        self._close()
        requests: list[SpeechRequest] = []
        self._owners = []
        for episode in range(number, len(self._batches)):
            if episode not in self._failed:
                requests += self._batches[episode]
                self._owners += [(episode, i) for i in range(len(self._batches[episode]))]
        self._position = 0
        self._stream = self._pool.synthesize(requests)

    def _close(self) -> None:
        stream, self._stream = self._stream, None
        close = getattr(stream, "close", None)
        if close is not None:
            close()

    def _next_clip(self, number: int) -> Clip:
        assert self._stream is not None
        try:
            clip = next(self._stream)
        except SynthesisFailed as exc:
            # The pool looks ahead: the failed request may belong to a later episode.
            episode, index = self._owners[exc.index]
            failure = SynthesisFailed(index, len(self._batches[episode]), exc.text, 0, exc.reason)
            failure.args, failure.message = exc.args, exc.message
            self._failed[episode] = failure
            if episode == number:
                self._close()  # the next episode starts a stream of its own
                raise failure from exc
            # A later episode's request: start again at the clip this episode waits for.
            waiting, done = self._owners[self._position]
            self._start(waiting)
            assert self._stream is not None
            for _ in range(done):
                next(self._stream)  # cache hits: these clips were made already
            self._position = done
            return self._next_clip(number)
        self._position += 1
        if self._on_clip is not None:
            self._on_clip()
        return clip

    def _clips(self, number: int) -> Iterator[Clip]:
        if number in self._failed:
            raise self._failed[number]
        aligned = self._stream is not None and (
            self._position < len(self._owners) and self._owners[self._position] == (number, 0)
        )
        if not aligned:
            self._start(number)
        for _ in self._batches[number]:
            yield self._next_clip(number)

    def close(self) -> None:
        self._close()


class _EpisodeView:
    def __init__(self, shared: SharedPool, number: int) -> None:
        self._shared = shared
        self._number = number

    def synthesize(self, requests: Sequence[SpeechRequest]) -> Iterator[Clip]:
        if list(requests) != self._shared._batches[self._number]:
            raise RuntimeError("the episode's requests differ from those planned for it")
        return self._shared._clips(self._number)
