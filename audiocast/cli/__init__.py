"""The command line: parse arguments, call the library, print what it returns.

One module per group of commands; the text each command prints is formatted by the library
(``report``, ``check``, ``parse.show``, ``export.probe``), so these modules hold only options
and output. Importing this package registers every command on :data:`cli`.
"""

from __future__ import annotations

from . import catalogue, episodes, render, scripts, voices
from .app import cli, main

__all__ = ["catalogue", "cli", "episodes", "main", "render", "scripts", "voices"]
