"""The ``audiocast`` command's entry point: a stop request at any moment is one line.

Importing the command line takes a while (click, then numpy and the engine on first use); a
Ctrl-C, SIGTERM or SIGHUP that lands before ``cli`` maps exceptions itself would otherwise end
in a traceback. Only the standard library is imported before the handlers are in place.
"""

from __future__ import annotations

import sys

from .signals import describe, exit_code, quiet_teardown, stop_requests_interrupt


def main() -> None:
    try:
        with stop_requests_interrupt():
            from .cli import main as cli_main

            cli_main()
    except KeyboardInterrupt as exc:
        quiet_teardown()
        sys.stderr.write(f"audiocast: {describe(exc)}\n")
        sys.exit(exit_code(exc))


if __name__ == "__main__":  # pragma: no cover
    main()
