"""The command line: parse arguments, call the library, format what it returns. No logic here."""

from __future__ import annotations

import sys
import traceback
from typing import Any

import click

from . import __version__
from .errors import AudiocastError


class AudiocastGroup(click.Group):
    """Maps the library's exceptions to one line on stderr and a documented exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        debug = "--debug" in sys.argv[1:] or bool(ctx.params.get("debug"))
        try:
            return super().invoke(ctx)
        except AudiocastError as exc:
            if debug:
                traceback.print_exc()
            click.echo(f"audiocast: error: {exc}", err=True)
            ctx.exit(exc.exit_code)
        except KeyboardInterrupt:
            if debug:
                traceback.print_exc()
            click.echo("audiocast: interrupted", err=True)
            ctx.exit(130)


@click.group(cls=AudiocastGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="audiocast")
@click.option("--debug", is_flag=True, help="Show the full traceback on errors.")
def cli(debug: bool) -> None:
    """Turn a written interview into a finished podcast episode, offline."""


def main() -> None:
    cli(prog_name="audiocast")
