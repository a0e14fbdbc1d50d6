"""A pipe read ahead in a thread, so the process writing it never waits for the reader.

A pipe holds 64 KB: metering an hour's MP3 as ffmpeg decoded it made the two take turns, the
decoder idle while the meter worked and the meter idle while the decoder filled the pipe (9.0 s
measured here). Reading ahead by up to a few MB lets each keep its own core busy.
"""

from __future__ import annotations

import contextlib
import queue
import threading
from typing import IO

BLOCK = 1 << 20
"""Bytes per read from the pipe."""
BLOCKS = 16
"""Blocks held ahead of the reader at most: 16 MB, about 90 s of 44.1 kHz float32 mono."""


class ReadAhead:
    """``read(size)`` on ``stream``'s bytes, which a thread reads ahead; ``close()`` when done
    (early included: the rest of the stream is then read and dropped, so its writer can end)."""

    def __init__(self, stream: IO[bytes]) -> None:
        self._queue: queue.Queue[bytes] = queue.Queue(maxsize=BLOCKS)
        self._buffer = bytearray()
        self._ended = False
        self._closed = threading.Event()
        self._thread = threading.Thread(
            target=self._fill, args=(stream,), name="audiocast-read-ahead", daemon=True
        )
        self._thread.start()

    def _fill(self, stream: IO[bytes]) -> None:
        try:
            while data := stream.read(BLOCK):
                if not self._closed.is_set():
                    self._queue.put(data)
        except (OSError, ValueError):  # the pipe was closed under us: the end, as for EOF
            pass
        finally:
            self._queue.put(b"")

    def read(self, size: int) -> bytes:
        while len(self._buffer) < size and not self._ended:
            data = self._queue.get()
            if data:
                self._buffer += data
            else:
                self._ended = True
        out = bytes(self._buffer[:size])
        del self._buffer[:size]
        return out

    def close(self) -> None:
        self._closed.set()
        while self._thread.is_alive():
            with contextlib.suppress(queue.Empty):
                self._queue.get(timeout=0.1)  # a put blocked on a full queue goes through
        self._buffer.clear()
