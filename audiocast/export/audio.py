"""Streaming encoder: float32 mono samples in, a finished audio file out, through one ffmpeg.

The episode is fed piece by piece to ffmpeg's stdin, so memory does not grow with its length
and encoding overlaps synthesis. The output extension picks the format.
"""

from __future__ import annotations

import contextlib
import queue
import subprocess
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..atomic import FULL_HINT, AllOrNothing, check_writable
from ..errors import AudioError, OutputError, UsageError
from ..runtime import find_ffmpeg


@dataclass(frozen=True)
class Format:
    extension: str
    codec_args: tuple[str, ...]
    mime: str
    rate: int = 44_100
    gain_db: float = 0.0
    """What the codec does to the level. LAME in constant-bitrate mode scales every sample by
    0.95 (-0.446 dB, measured the same at 64-192 kbit/s, at any level and frequency); mastering
    aims that much higher so the file, not the stream fed to it, lands on the target."""
    headroom_db: float = 0.0
    """Extra room under the true-peak ceiling for what a lossy codec adds to the peaks: MP3
    overshot the limited stream by up to 1.0 dB on speech here, AAC and Opus by less."""


FORMATS: dict[str, Format] = {
    ".mp3": Format(
        ".mp3",
        ("-c:a", "libmp3lame", "-b:a", "{bitrate}k"),
        "audio/mpeg",
        gain_db=-0.446,
        headroom_db=0.5,
    ),
    ".wav": Format(".wav", ("-c:a", "pcm_s16le"), "audio/wav"),
    ".flac": Format(".flac", ("-c:a", "flac"), "audio/flac"),
    ".m4a": Format(
        ".m4a",
        ("-c:a", "aac", "-b:a", "{bitrate}k", "-movflags", "+faststart"),
        "audio/mp4",
        headroom_db=0.5,
    ),
    ".ogg": Format(
        ".ogg", ("-c:a", "libvorbis", "-b:a", "{bitrate}k"), "audio/ogg", headroom_db=0.5
    ),
    ".opus": Format(
        ".opus",
        ("-c:a", "libopus", "-b:a", "{bitrate}k"),
        "audio/ogg",
        48_000,
        headroom_db=0.5,
    ),
}


def format_for(path: Path) -> Format:
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise UsageError(
            f"unknown output format {path.suffix or '(no extension)'!r}",
            path=path,
            hint=f"use one of {', '.join(sorted(FORMATS))}",
        )
    return fmt


QUEUED_CHUNKS = 16
"""Chunks (about a sentence each) waiting for ffmpeg: a few MB that let mixing run ahead."""


class Encoder(AllOrNothing):
    """``write()`` float32 chunks, then ``close()``; the file at ``path`` is then complete.

    A thread feeds ffmpeg from a bounded queue: writing straight to the pipe would make the
    mixer and the encoder take turns (the pipe holds a third of a second), where each should
    keep one core busy. ``path`` should be a temporary name (see ``audiocast.atomic``): a
    failed encode leaves a partial file there for the caller to remove.
    """

    def __init__(self, path: Path, input_rate: int, bitrate: int = 96) -> None:
        self.path = path
        fmt = format_for(path)
        codec = [a.format(bitrate=bitrate) for a in fmt.codec_args]
        # ffmpeg may write more than a pipe holds before we read it; a file never blocks.
        self._stderr = tempfile.TemporaryFile()  # noqa: SIM115 - closed in close()/abort()
        cmd = [find_ffmpeg(), "-nostdin", "-hide_banner", "-loglevel", "error", "-y"]
        cmd += ["-f", "f32le", "-ar", str(input_rate), "-ac", "1", "-i", "pipe:0"]
        cmd += ["-ar", str(fmt.rate), *codec, "-f", _muxer(fmt), str(path)]
        try:
            self._proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stderr=self._stderr)
        except OSError as exc:  # such as AUDIOCAST_FFMPEG naming a file that is no program
            self._stderr.close()
            raise AudioError(
                f"cannot run ffmpeg: {exc.strerror or exc}",
                path=cmd[0],
                hint="point AUDIOCAST_FFMPEG at a working ffmpeg, or unset it",
            ) from None
        self.frames = 0
        self._queue: queue.Queue[bytes | None] = queue.Queue(maxsize=QUEUED_CHUNKS)
        self._broken = threading.Event()
        self._feeder = threading.Thread(target=self._feed, name="audiocast-encoder", daemon=True)
        self._feeder.start()

    def _feed(self) -> None:
        stdin = self._proc.stdin
        assert stdin is not None
        while (data := self._queue.get()) is not None:
            if self._broken.is_set():
                continue  # keep draining so a blocked write() in the mixer returns
            try:
                stdin.write(data)
            except OSError:
                self._broken.set()
        with contextlib.suppress(OSError):
            stdin.close()

    def write(self, samples: np.ndarray) -> None:
        if samples.size == 0:
            return
        if self._broken.is_set():
            self._fail()
        self._queue.put(np.ascontiguousarray(samples, dtype="<f4").tobytes())
        self.frames += samples.size

    def _stop_feeder(self) -> None:
        while self._feeder.is_alive():
            with contextlib.suppress(queue.Full):
                self._queue.put(None, timeout=0.1)
                self._feeder.join()

    def close(self) -> None:
        self._stop_feeder()
        if self._proc.wait() != 0 or self._broken.is_set():
            self._fail()
        self._stderr.close()

    def abort(self) -> None:
        if self._proc.poll() is None:
            self._proc.kill()
            self._proc.wait()
        self._stop_feeder()
        self._close_stdin()
        self._stderr.close()

    def _close_stdin(self) -> None:
        # After a kill the pipe is broken; closing it still frees the descriptor.
        if self._proc.stdin is not None:
            with contextlib.suppress(OSError):
                self._proc.stdin.close()

    def _fail(self) -> None:
        self._proc.kill()
        self._proc.wait()
        self._stop_feeder()
        self._close_stdin()
        self._stderr.seek(0)
        lines = self._stderr.read().decode("utf-8", "replace").strip().splitlines()
        self._stderr.close()
        reason = lines[-1] if lines else f"ffmpeg exited with {self._proc.returncode}"
        if "No space left" in reason:
            raise OutputError("no space left on device", path=self.path, hint=FULL_HINT)
        raise AudioError(f"encoding failed: {reason}", path=self.path)

    def finish(self) -> None:
        self.close()

    def undo(self, exc: BaseException) -> None:
        self.abort()


def _muxer(fmt: Format) -> str:
    return {".m4a": "ipod", ".opus": "ogg", ".ogg": "ogg"}.get(fmt.extension, fmt.extension[1:])


def check_output(path: Path) -> Format:
    """The format ``path`` asks for, once it is known to be writable: checked before any work,
    so a bad ``-o`` fails in a second, not after synthesis."""
    if path.is_dir():
        check_writable(path)  # names the directory: clearer than "no extension"
    fmt = format_for(path)
    check_writable(path)
    return fmt
