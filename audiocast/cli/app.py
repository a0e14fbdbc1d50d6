"""The ``audiocast`` group: error mapping, shared options, helpers every command uses."""

from __future__ import annotations

import os
import re
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from click.decorators import FC

from .. import __version__, limits
from ..errors import AudiocastError
from ..parse import DIRECTIONS, LAYOUTS, ParseOptions
from ..paths import Kind, command_line, existing
from ..signals import (
    describe,
    exit_code,
    quiet_teardown,
    raise_if_stop_requested,
    stdout_failure,
    stop_requests_interrupt,
)
from .params import whole_within

if TYPE_CHECKING:
    from ..config import RenderConfig


class AudiocastGroup(click.Group):
    """Maps the library's exceptions to one line on stderr and a documented exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        debug = "--debug" in sys.argv[1:] or bool(ctx.params.get("debug"))
        try:
            with stop_requests_interrupt():
                result = super().invoke(ctx)
                raise_if_stop_requested()
                return result
        except AudiocastError as exc:
            if debug:
                traceback.print_exc()
            click.echo(f"audiocast: error: {exc}", err=True)
            ctx.exit(exc.exit_code)
        except KeyboardInterrupt as exc:  # Ctrl-C, and SIGTERM/SIGHUP as Terminated
            quiet_teardown()
            if debug:
                traceback.print_exc()
            click.echo(f"audiocast: {describe(exc)}", err=True)
            ctx.exit(exit_code(exc))
        except BrokenPipeError:
            # The reader went away (`audiocast cast X | head -2`): stop quietly, as shell tools
            # do, and keep Python from complaining again when it flushes stdout at exit.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            ctx.exit(141)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except Exception as exc:
            if (line := stdout_failure(exc)) is not None:
                click.echo(f"audiocast: error: {line}", err=True)
                ctx.exit(1)
            # A bug, not bad input: still one line (the traceback with --debug), and no output
            # was left half-written, since every file is written under a temporary name.
            if debug:
                traceback.print_exc()
            click.echo(
                f"audiocast: internal error: {type(exc).__name__}: {exc} "
                "(run with --debug for the traceback, and please report it)",
                err=True,
            )
            ctx.exit(1)


@click.group(cls=AudiocastGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="audiocast")
@click.option("--debug", is_flag=True, help="Show the full traceback on errors.")
def cli(debug: bool) -> None:
    """Turn a written interview into a finished podcast episode, offline."""


def existing_path(what: str, kind: Kind = "file") -> Callable[[click.Context, Any, Any], Any]:
    """A click callback: each path given must be there, relative to the current folder; else
    the one-line "not found" every path option gives (``audiocast.paths``)."""

    def check(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
        given = value if isinstance(value, tuple) else () if value is None else (value,)
        name = param.opts[-1] if isinstance(param, click.Option) else param.human_readable_name
        for path in given:
            existing(path, command_line(name), what, kind)
        return value

    return check


# Options that several commands share, defined once so their help stays the same.
ENGINE_OPTION = click.option(
    "--engine",
    help="Speech engine: pyttsx3 or piper [default: the config's or script's engine:, "
    "else pyttsx3].",
)
DEVICE_OPTION = click.option(
    "--device",
    type=click.Choice(["cpu", "cuda"]),
    help="Where the piper engine runs; cuda needs onnxruntime-gpu [default: cpu].",
)
VOICES_OPTION = click.option(
    "--voices",
    "voices_dirs",
    multiple=True,
    type=click.Path(path_type=Path),
    callback=existing_path("voice profile folder", "folder"),
    help="Another folder of voice profiles (YAML). Repeatable.",
)
LEXICON_OPTION = click.option(
    "--lexicon",
    type=click.Path(path_type=Path),
    callback=existing_path("lexicon"),
    help="Pronunciation lexicon (YAML).",
)
CONFIG_OPTION = click.option(
    "--config",
    "config_file",
    type=click.Path(path_type=Path),
    callback=existing_path("config file"),
    help="YAML with render settings: cast, gaps, loudness, intro, outro, voices, lexicon, "
    "language.",
)
LAYOUT_OPTION = click.option(
    "--layout",
    type=click.Choice(LAYOUTS),
    help="Read the speaker labels this way instead of detecting it (see parse --explain).",
)
DIRECTIONS_OPTION = click.option(
    "--directions",
    type=click.Choice(DIRECTIONS),
    help="Read scene headings and action as narration, or omit them [default: narrate].",
)
JOBS_OPTION = click.option(
    "-j",
    "--jobs",
    type=whole_within(limits.JOBS),
    show_default="the cores",
    help="Synthesis workers on this machine.",
)
CACHE_DIR_OPTION = click.option(
    "--cache-dir", type=click.Path(path_type=Path), help="Clip cache folder."
)
SHOW_FILE_OPTION = click.option(
    "--show",
    "show_file",
    type=click.Path(path_type=Path),
    callback=existing_path("show settings file"),
    help="show.yaml with show settings [default: DIRECTORY/show.yaml].",
)


def base_url_option(help: str) -> Callable[[FC], FC]:
    """``--base-url``, required and checked to be a public address; ``help`` says of what."""
    return click.option("--base-url", required=True, callback=_public_url, help=help)


def _public_url(ctx: click.Context, param: click.Parameter, value: str) -> str:
    if not re.match(r"^https?://[^\s/]+", value.strip()):
        raise click.BadParameter(
            f"{value!r} is not a public address: give one such as https://example.com/podcast"
        )
    return value.strip()


def _language(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    from ..language import checked_tag

    return None if value is None else checked_tag(value, "--language")


LANGUAGE_OPTION = click.option(
    "--language",
    callback=_language,
    metavar="CODE",
    help="The episode's language (de, fr-FR, en-GB): its voices and how numbers are read "
    "[default: the config's or script's language:, else en].",
)
VOICE_OPTION = click.option(
    "--voice",
    "voice_overrides",
    multiple=True,
    metavar="SPEAKER=VOICE",
    help="Cast one speaker (a profile name or an engine voice id). Repeatable.",
)


def config_and_cast(
    config_file: Path | None, voice_overrides: tuple[str, ...]
) -> tuple[RenderConfig, dict[str, str]]:
    """The --config file's settings (its cast is ``config.cast``, which may name speakers of
    other episodes), and every --voice SPEAKER=VOICE, which must each name a speaker."""
    from ..config import RenderConfig, load_config

    config = load_config(config_file) if config_file else RenderConfig()
    return config, _pairs(voice_overrides, "--voice")


def parse_options(
    layout: str | None, config_file: Path | None, directions: str | None = None
) -> ParseOptions:
    """``--layout`` and ``--directions`` over the ``speakers:``/``aliases:``/``directions:``
    of a ``--config`` file."""
    from ..config import load_config

    base = load_config(config_file).parse if config_file else ParseOptions()
    return base.overruled(layout, directions)


def _pairs(values: tuple[str, ...], option: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for value in values:
        name, sep, voice = value.partition("=")
        if not sep or not name.strip() or not voice.strip():
            raise click.BadParameter(f"use SPEAKER=VOICE, got {value!r}", param_hint=option)
        out[name.strip()] = voice.strip()
    return out


def main() -> None:
    cli(prog_name="audiocast")
