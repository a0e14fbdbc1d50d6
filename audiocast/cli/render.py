"""``render`` and ``say``: an episode, or one line in one voice."""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import re
import sys
from pathlib import Path
from typing import Any

import click

from .. import limits
from ..errors import InputError
from ..model import Gaps
from ..options import RenderOptions, first_set
from ..parse import ParseOptions, load_script
from .app import (
    CACHE_DIR_OPTION,
    CONFIG_OPTION,
    DEVICE_OPTION,
    DIRECTIONS_OPTION,
    ENGINE_OPTION,
    JOBS_OPTION,
    LANGUAGE_OPTION,
    LAYOUT_OPTION,
    LEXICON_OPTION,
    VOICE_OPTION,
    VOICES_OPTION,
    cli,
    config_and_cast,
    existing_path,
)
from .params import whole_within, within


def _only(value: str | None) -> tuple[int, int] | None:
    if value is None:
        return None
    m = re.fullmatch(r"\s*(\d+)\s*(?:(?:\.\.|-)\s*(\d+))?\s*", value)
    if not m:
        raise click.BadParameter("use a segment number or a range such as 3..5")
    first = int(m.group(1))
    return first, int(m.group(2) or first)


def _progress(quiet: bool) -> tuple[Any, Any]:
    """A progress bar on stderr while synthesizing; none when quiet or not a terminal."""
    if quiet or not sys.stderr.isatty():
        return contextlib.nullcontext(), None
    state: dict[str, Any] = {}

    def update(done: int, total: int) -> None:
        bar = state.get("bar")
        if bar is None:
            bar = click.progressbar(length=total, label="synthesizing", file=sys.stderr)
            bar.__enter__()
            state["bar"] = bar
        bar.update(done - bar.pos)

    @contextlib.contextmanager
    def closing() -> Any:
        try:
            yield
        finally:
            if "bar" in state:
                state["bar"].__exit__(None, None, None)

    return closing(), update


@cli.command()
@click.argument("script", type=click.Path(path_type=Path), callback=existing_path("script"))
@click.option(
    "-o",
    "--output",
    type=click.Path(),
    help="Episode file; the extension picks the format (mp3, wav, ogg, opus, m4a, flac). "
    "A folder (or a path ending in /) gets the episode under its usual name.",
)
@CONFIG_OPTION
@VOICE_OPTION
@VOICES_OPTION
@ENGINE_OPTION
@LANGUAGE_OPTION
@DEVICE_OPTION
@JOBS_OPTION
@CACHE_DIR_OPTION
@click.option("--no-cache", is_flag=True, help="Synthesize every clip afresh, store nothing.")
@click.option("--intro", help="Intro: an audio file, or a text the narrator speaks.")
@click.option("--outro", help="Outro: an audio file, or a text the narrator speaks.")
@click.option("--no-intro", is_flag=True, help="No intro at all.")
@click.option("--no-outro", is_flag=True, help="No outro at all.")
@click.option(
    "--loudness",
    type=within(limits.LOUDNESS),
    show_default=str(RenderOptions.loudness),
    help="Integrated loudness target in LUFS (-19 for mono spoken word).",
)
@click.option("--no-master", is_flag=True, help="Skip levelling, loudness and limiting.")
@click.option(
    "--no-sidecars",
    is_flag=True,
    help="Write only the audio: no chapters JSON, captions or transcript.",
)
@click.option("--no-page", is_flag=True, help="No listener's page NAME.html beside the episode.")
@LEXICON_OPTION
@click.option("--only", "only", metavar="A..B", help="Render only segments A..B (from `parse`).")
@click.option(
    "--bitrate",
    type=whole_within(limits.BITRATE),
    default=96,
    show_default=True,
    help="kbit/s for lossy formats.",
)
@click.option(
    "--gap",
    type=within(limits.GAP),
    show_default=f"{Gaps.paragraph:g}",
    help="Seconds between one speaker's paragraphs.",
)
@click.option(
    "--speaker-gap",
    type=within(limits.GAP),
    show_default=f"{Gaps.speaker_change:g}",
    help="Seconds at a change of speaker (quick answers and new topics adapt around it; "
    "every gap is a `gaps:` key in --config).",
)
@click.option(
    "--room-tone",
    type=click.FloatRange(-90, -30),
    show_default="off: digital silence",
    metavar="DBFS",
    help="A low noise floor at this level (such as -60) under the episode.",
)
@click.option(
    "--allow-lost-words",
    is_flag=True,
    help="Render even if words of the script would not be spoken (a warning, not an error).",
)
@click.option("-q", "--quiet", is_flag=True, help="No progress bar and no report.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@LAYOUT_OPTION
@DIRECTIONS_OPTION
def render(
    script: Path,
    output: str | None,
    config_file: Path | None,
    voice_overrides: tuple[str, ...],
    voices_dirs: tuple[Path, ...],
    engine: str | None,
    language: str | None,
    device: str | None,
    jobs: int | None,
    cache_dir: Path | None,
    no_cache: bool,
    intro: str | None,
    outro: str | None,
    no_intro: bool,
    no_outro: bool,
    loudness: float | None,
    no_master: bool,
    no_sidecars: bool,
    no_page: bool,
    lexicon: Path | None,
    only: str | None,
    bitrate: int,
    gap: float | None,
    speaker_gap: float | None,
    room_tone: float | None,
    allow_lost_words: bool,
    quiet: bool,
    as_json: bool,
    layout: str | None,
    directions: str | None,
) -> None:
    """Render SCRIPT to an episode: audio plus chapters, captions and transcript beside it."""
    from ..config import bumper_from_option
    from ..paths import command_line
    from ..pipeline import render as render_episode
    from ..report import format_duration, format_size, result_to_dict

    config, cast = config_and_cast(config_file, voice_overrides)
    gaps = config.gaps
    if gap is not None:
        gaps = dataclasses.replace(gaps, paragraph=gap)
    if speaker_gap is not None:
        gaps = dataclasses.replace(gaps, speaker_change=speaker_gap)
    bar, progress = _progress(quiet or as_json)
    options = RenderOptions(
        output=_output_path(output),
        engine=engine or config.engine,
        language=language or config.language,
        device=device,
        jobs=jobs,
        cache_dir=cache_dir,
        use_cache=not no_cache,
        cast=cast,
        shared_cast=config.cast,
        room_tone=room_tone,
        # Later folders override earlier ones: the command line's come last.
        voices_dirs=config.voices_dirs + tuple(voices_dirs),
        lexicon=lexicon or config.lexicon,
        gaps=gaps,
        intro=bumper_from_option(intro, command_line("--intro")) if intro else config.intro,
        outro=bumper_from_option(outro, command_line("--outro")) if outro else config.outro,
        use_intro=not no_intro,
        use_outro=not no_outro,
        master=not no_master,
        loudness=first_set(loudness, config.loudness, RenderOptions.loudness),
        sidecars=not no_sidecars,
        page=not no_page,
        only=_only(only),
        bitrate=bitrate,
        progress=progress,
        allow_lost_words=allow_lost_words or config.allow_lost_words,
    )
    if click.get_current_context().find_root().params.get("debug"):
        from ..runtime import runtime_lines

        for line in runtime_lines(engine or config.engine or "pyttsx3"):
            click.echo(f"audiocast: {line}", err=True)
    parse_options = config.parse.overruled(layout, directions)
    source = load_script(script, parse_options) if parse_options != ParseOptions() else script
    with bar:
        result = render_episode(source, options)
    if as_json:
        click.echo(json.dumps(result_to_dict(result), indent=2))
        return
    for warning in result.warnings:
        click.echo(f"audiocast: warning: {warning}", err=True)
    if not quiet:
        if options.master:
            click.echo(result.loudness.format(), err=True)
        extra = f" + {len(result.sidecars)} sidecars" if result.sidecars else ""
        extra += f" + page {result.page}" if result.page else ""
        click.echo(
            f"wrote {result.path} ({format_duration(result.duration)}, "
            f"{format_size(result.size)}){extra}"
        )


@cli.command()
@click.argument("text")
@click.option(
    "--voice",
    "voice",
    default="narrator",
    show_default=True,
    help="A profile name or an engine voice id.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    default=Path("say.wav"),
    show_default=True,
    help="Clip file; the extension picks the format.",
)
@ENGINE_OPTION
@LANGUAGE_OPTION
@DEVICE_OPTION
@click.option(
    "--rate", type=within(limits.RATE_SCALE), default=1.0, show_default=True, help="Speed factor."
)
@LEXICON_OPTION
@VOICES_OPTION
def say(
    text: str,
    voice: str,
    output: Path,
    engine: str | None,
    language: str | None,
    device: str | None,
    rate: float,
    lexicon: Path | None,
    voices_dirs: tuple[Path, ...],
) -> None:
    """Speak TEXT with one voice into a file, for auditioning a voice or a pronunciation."""
    from ..audition import say_text
    from ..language import DEFAULT_LANGUAGE
    from ..synth.choice import chosen_engine

    result = say_text(
        text,
        voice,
        output,
        engine=chosen_engine(None, engine),
        device=device,
        rate=rate,
        lexicon=lexicon,
        voices_dirs=voices_dirs,
        language=language or DEFAULT_LANGUAGE,
    )
    for warning in result.warnings:
        click.echo(f"audiocast: warning: {warning}", err=True)
    click.echo(f"wrote {result.path} ({result.duration:.2f} s)")


def _output_path(value: str | None) -> Path | None:
    """``-o``: a path ending in a separator is a folder, made if it is missing."""
    if value is None:
        return None
    path = Path(value)
    if value.endswith(("/", os.sep)):
        try:
            path.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise InputError(f"cannot make the output folder: {exc.strerror}", path=path) from None
    return path
