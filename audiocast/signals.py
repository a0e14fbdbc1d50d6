"""Stop requests: SIGTERM and SIGHUP end a command the way Ctrl-C does.

``timeout``, CI cancellation and ``docker stop`` send SIGTERM; a closed terminal sends SIGHUP.
Raising ``Terminated`` (a ``KeyboardInterrupt``) from the handler sends both down the path
Ctrl-C already takes: workers stopped, temporary files removed, the earlier episode kept, one
line on stderr. The exit code is the shell's for that signal (143, 129; 130 for Ctrl-C).
"""

from __future__ import annotations

import contextlib
import errno
import signal
import sys
from collections.abc import Iterator
from types import FrameType

INTERRUPT_EXIT = 130
_STOPPING = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))
_RECEIVED: list[int] = []
"""The stop requests a command received: a fact about the process, read before any output is
committed, since Python swallows what a signal raises inside ``__del__`` (it prints "Exception
ignored") and the command would then finish as if nobody had asked it to stop."""


class Terminated(KeyboardInterrupt):
    """A stop request by signal, handled like Ctrl-C."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum

    @property
    def name(self) -> str:
        return signal.Signals(self.signum).name


def exit_code(exc: KeyboardInterrupt) -> int:
    """128 + the signal's number, as a shell reports a process a signal stopped."""
    return 128 + exc.signum if isinstance(exc, Terminated) else INTERRUPT_EXIT


def describe(exc: KeyboardInterrupt) -> str:
    return f"stopped by {exc.name}" if isinstance(exc, Terminated) else "interrupted"


def quiet_teardown() -> None:
    """Keep the stop to its one line: silence what objects say from ``__del__`` as they go.

    A stop lands at any bytecode, even between an object's creation and the first line of its
    ``__init__`` (a ``wave.Wave_read`` then fails in ``__del__`` when it is collected, and Python
    prints that as "Exception ignored" after our message). The command is ending anyway; with
    ``--debug`` everything is still shown.
    """
    if "--debug" not in sys.argv[1:]:
        sys.unraisablehook = _ignore_unraisable


def _ignore_unraisable(unraisable: object) -> None:
    return None


def _raise_interrupt(signum: int, frame: FrameType | None) -> None:
    _RECEIVED.append(signum)
    quiet_teardown()
    raise KeyboardInterrupt


def _raise_terminated(signum: int, frame: FrameType | None) -> None:
    _RECEIVED.append(signum)
    # Once is enough: a second signal during the clean-up must not cut the clean-up short.
    for sig in _STOPPING:
        signal.signal(sig, signal.SIG_IGN)
    quiet_teardown()
    raise Terminated(signum)


def raise_if_stop_requested() -> None:
    """Raise the command's first stop request again if one arrived and was swallowed.

    Called before an output replaces an earlier one and as a command ends, so a stop that
    landed in some object's ``__del__`` still stops the command and leaves the earlier files.
    """
    if _RECEIVED:
        quiet_teardown()
        signum = _RECEIVED[0]
        raise KeyboardInterrupt() if signum == signal.SIGINT else Terminated(signum)


@contextlib.contextmanager
def stop_requests_interrupt() -> Iterator[None]:
    """While inside, SIGTERM and SIGHUP raise ``Terminated``, Ctrl-C ``KeyboardInterrupt`` as
    usual, and each is noted for ``raise_if_stop_requested`` (main thread only)."""
    previous = {}
    _RECEIVED.clear()
    try:
        for sig in _STOPPING:
            previous[sig] = signal.signal(sig, _raise_terminated)
        # Python leaves Ctrl-C ignored in a job started with '&'; it stays so.
        if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
            previous[signal.SIGINT] = signal.signal(signal.SIGINT, _raise_interrupt)
    except ValueError:  # not the main thread: leave signals to whoever owns it
        pass
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


@contextlib.contextmanager
def deferred_stop_requests() -> Iterator[list[int]]:
    """Hold Ctrl-C, SIGTERM and SIGHUP back while C code calls into Python (a ctypes callback,
    which prints and swallows any exception raised in it, even at its first line).

    Yields the list of signals received, which the callback may poll to stop early; on leaving,
    the first one is raised again through the handler that was in place, so it acts as usual.
    """
    pending: list[int] = []
    previous = {}
    try:
        for sig in (signal.SIGINT, *_STOPPING):
            previous[sig] = signal.signal(sig, lambda signum, frame: pending.append(signum))
    except ValueError:  # not the main thread: signals are not delivered here anyway
        pass
    try:
        yield pending
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        if pending:
            signal.raise_signal(pending[0])


def stdout_failure(exc: BaseException) -> str | None:
    """The one line for a failed write to standard output (full disk, closed pipe), or None."""
    if not isinstance(exc, OSError) or exc.errno not in (errno.ENOSPC, errno.EPIPE, errno.EIO):
        return None
    with contextlib.suppress(OSError, ValueError):
        # Python flushes stdout at exit and would fail again, noisily: point it at nothing.
        import os

        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    return f"cannot write to standard output: {exc.strerror}"
