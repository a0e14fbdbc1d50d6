"""``voices`` and ``cast``: the voices there are, and who gets which."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ..parse import load_script

if TYPE_CHECKING:
    pass
from .app import (
    CONFIG_OPTION,
    ENGINE_OPTION,
    LANGUAGE_OPTION,
    VOICE_OPTION,
    VOICES_OPTION,
    cli,
    config_and_cast,
    existing_path,
)


@cli.group(invoke_without_command=True)
@ENGINE_OPTION
@VOICES_OPTION
@click.option("--all", "show_all", is_flag=True, help="List every engine voice, not only English.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def voices(
    ctx: click.Context,
    engine: str | None,
    voices_dirs: tuple[Path, ...],
    show_all: bool,
    as_json: bool,
) -> None:
    """List voice profiles, the engine's own voices and the Piper voices found.

    --json gives every profile with the file it came from, and every engine voice and variant.
    `audiocast voices add NAME` downloads a Piper voice.
    """
    if ctx.invoked_subcommand is not None:
        return
    from ..report import is_english, voices_lines
    from ..runtime import runtime_lines
    from ..synth.base import get_synthesizer
    from ..synth.choice import chosen_engine
    from ..synth.piper_listing import piper_voice_lines, piper_voices_report
    from ..voices import load_profiles, require_folders, voices_report

    engine = chosen_engine(None, engine)
    require_folders(voices_dirs)
    profiles = load_profiles(list(voices_dirs))
    synth = get_synthesizer(engine)
    try:
        if as_json:
            data = voices_report(list(voices_dirs), synth)
            data["runtime"] = runtime_lines(engine)
            data["piper"] = piper_voices_report(voices_dirs)
            click.echo(json.dumps(data, indent=2))
            return
        engine_voices = synth.voices()
    finally:
        synth.close()
    if not show_all:
        engine_voices = [v for v in engine_voices if is_english(v)]
    for line in voices_lines(profiles, engine_voices, engine):
        click.echo(line)
    click.echo("")
    for line in piper_voice_lines(voices_dirs):
        click.echo(line)
    for line in runtime_lines(engine):
        click.echo(line)


@voices.command("add")
@click.argument("name")
@click.option(
    "--base-url",
    help="Piper voices repository to download from [default: $AUDIOCAST_PIPER_VOICES_URL, "
    "else Hugging Face's rhasspy/piper-voices].",
)
def voices_add(name: str, base_url: str | None) -> None:
    """Download the Piper voice NAME (such as en_US-lessac-medium) into the user voice folder."""
    from ..synth.piper_download import add_voice

    bar: Any = None

    def progress(filename: str, done: int, total: int) -> None:
        nonlocal bar
        if not sys.stderr.isatty():
            return
        if bar is None or bar.label != filename:
            if bar is not None:
                bar.__exit__(None, None, None)
            bar = click.progressbar(length=total, label=filename, file=sys.stderr)
            bar.__enter__()
        bar.update(done - bar.pos)

    try:
        model = add_voice(name, base=base_url, progress=progress)
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)
    click.echo(f"added {name}: {model}")


@cli.command("cast")
@click.argument("script", type=click.Path(path_type=Path), callback=existing_path("script"))
@CONFIG_OPTION
@VOICE_OPTION
@VOICES_OPTION
@ENGINE_OPTION
@LANGUAGE_OPTION
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def cast_command(
    script: Path,
    config_file: Path | None,
    voice_overrides: tuple[str, ...],
    voices_dirs: tuple[Path, ...],
    engine: str | None,
    language: str | None,
    as_json: bool,
) -> None:
    """Show which voice each speaker of SCRIPT gets."""
    from ..language import chosen_language
    from ..prepare import cast_script
    from ..report import casting_lines, casting_to_dict
    from ..synth.choice import chosen_engine

    config, overrides = config_and_cast(config_file, voice_overrides)
    parsed = load_script(script)
    casting = cast_script(
        parsed,
        overrides=overrides,
        engine=chosen_engine(parsed, engine, config.engine),
        voices_dirs=config.voices_dirs + tuple(voices_dirs),
        shared=config.cast,
        language=chosen_language(parsed, language, config.language),
    )
    if as_json:
        click.echo(json.dumps(casting_to_dict(casting), indent=2))
        return
    for line in casting_lines(casting):
        click.echo(line)
    for warning in casting.warnings:
        click.echo(f"audiocast: warning: {warning}", err=True)
