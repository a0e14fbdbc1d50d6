"""``voices`` and ``cast``: the voices there are, and who gets which."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..parse import load_script

if TYPE_CHECKING:
    pass
from .app import (
    CONFIG_OPTION,
    ENGINE_OPTION,
    VOICE_OPTION,
    VOICES_OPTION,
    cli,
    config_and_cast,
)


@cli.command()
@ENGINE_OPTION
@VOICES_OPTION
@click.option("--all", "show_all", is_flag=True, help="List every engine voice, not only English.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def voices(engine: str, voices_dirs: tuple[Path, ...], show_all: bool, as_json: bool) -> None:
    """List voice profiles and the engine's own voices.

    --json gives every profile with the file it came from, and every engine voice and variant.
    """
    from ..report import is_english, voices_lines
    from ..runtime import runtime_lines
    from ..synth.base import get_synthesizer
    from ..voices import load_profiles, require_folders, voices_report

    require_folders(voices_dirs)
    profiles = load_profiles(list(voices_dirs))
    synth = get_synthesizer(engine)
    try:
        if as_json:
            data = voices_report(list(voices_dirs), synth)
            data["runtime"] = runtime_lines(engine)
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
    for line in runtime_lines(engine):
        click.echo(line)


@cli.command("cast")
@click.argument("script", type=click.Path(path_type=Path))
@CONFIG_OPTION
@VOICE_OPTION
@VOICES_OPTION
@ENGINE_OPTION
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def cast_command(
    script: Path,
    config_file: Path | None,
    voice_overrides: tuple[str, ...],
    voices_dirs: tuple[Path, ...],
    engine: str,
    as_json: bool,
) -> None:
    """Show which voice each speaker of SCRIPT gets."""
    from ..prepare import cast_script
    from ..report import casting_lines, casting_to_dict

    config, overrides = config_and_cast(config_file, voice_overrides)
    parsed = load_script(script)
    casting = cast_script(
        parsed,
        overrides=overrides,
        engine=engine,
        voices_dirs=tuple(voices_dirs) + config.voices_dirs,
        shared=config.cast,
    )
    if as_json:
        click.echo(json.dumps(casting_to_dict(casting), indent=2))
        return
    for line in casting_lines(casting):
        click.echo(line)
    for warning in casting.warnings:
        click.echo(f"audiocast: warning: {warning}", err=True)
