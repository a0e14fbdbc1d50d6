"""The command line: parse arguments, call the library, print what it returns.

The text each command prints is formatted by the library (``report``, ``check``,
``parse.show``, ``export.probe``), so this module holds only options and output."""

from __future__ import annotations

import contextlib
import dataclasses
import json
import re
import sys
import traceback
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from . import __version__
from .check import check_script, github_annotation, report_to_dict, speaker_stats, stats_lines
from .errors import AudiocastError, InputError
from .parse import LAYOUTS, ParseOptions, load_script
from .parse.jsonout import script_to_dict
from .parse.show import script_to_text

if TYPE_CHECKING:
    from .config import RenderConfig
    from .model import Segment


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
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except Exception as exc:
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


# Options that several commands share, defined once so their help stays the same.
ENGINE_OPTION = click.option(
    "--engine", default="pyttsx3", show_default=True, help="Speech engine."
)
VOICES_OPTION = click.option(
    "--voices",
    "voices_dirs",
    multiple=True,
    type=click.Path(path_type=Path),
    help="Another folder of voice profiles (YAML). Repeatable.",
)
LEXICON_OPTION = click.option(
    "--lexicon", type=click.Path(path_type=Path), help="Pronunciation lexicon (YAML)."
)
CONFIG_OPTION = click.option(
    "--config",
    "config_file",
    type=click.Path(path_type=Path),
    help="YAML with render settings: cast, gaps, loudness, intro, outro, voices, lexicon.",
)
LAYOUT_OPTION = click.option(
    "--layout",
    type=click.Choice(LAYOUTS),
    help="Read the speaker labels this way instead of detecting it (see parse --explain).",
)
VOICE_OPTION = click.option(
    "--voice",
    "voice_overrides",
    multiple=True,
    metavar="SPEAKER=VOICE",
    help="Cast one speaker (a profile name or an engine voice id). Repeatable.",
)


@cli.command("parse")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of text.")
@click.option(
    "--spoken", is_flag=True, help="Show the text as it will be said (JSON: a 'spoken' field)."
)
@click.option(
    "--explain", is_flag=True, help="Say which layout was chosen, why, and which aliases merged."
)
@LAYOUT_OPTION
@CONFIG_OPTION
@LEXICON_OPTION
def parse_command(
    file: Path,
    as_json: bool,
    spoken: bool,
    explain: bool,
    layout: str | None,
    config_file: Path | None,
    lexicon: Path | None,
) -> None:
    """Show how FILE is read: title, speakers, and every turn, narration and cue with its line.

    Segments are numbered as `render --only` counts them.
    """
    script = load_script(file, _parse_options(layout, config_file))
    if explain:
        from .parse.explain import explain_lines

        click.echo("\n".join(explain_lines(script)))
        if not as_json:
            return
    say = None
    if spoken:
        from .normalize import lexicon_for, spoken_form

        lex = lexicon_for(script, lexicon)

        def say(segment: Segment) -> str:
            return "" if segment.kind == "cue" else spoken_form(segment.text, lex)

    if as_json:
        click.echo(json.dumps(script_to_dict(script, say), ensure_ascii=False, indent=2))
    else:
        click.echo(script_to_text(script, say))


@cli.command("check")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--stats", is_flag=True, help="Add per-speaker word counts and spoken duration.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "github"]),
    default="text",
    show_default=True,
    help="github prints workflow annotations for GitHub Actions.",
)
@LAYOUT_OPTION
@CONFIG_OPTION
def check_command(
    files: tuple[Path, ...], stats: bool, fmt: str, layout: str | None, config_file: Path | None
) -> None:
    """Lint scripts before rendering: exit 0 if clean, 1 with findings, 2 if a file is unreadable.

    Findings print as FILE:LINE: message.
    """
    options = _parse_options(layout, config_file)
    reports: list[dict[str, object]] = []
    errors: list[dict[str, object]] = []
    found = unreadable = False
    for file in files:
        try:
            script = load_script(file, options)
        except InputError as exc:
            unreadable = True
            click.echo(f"audiocast: error: {exc}", err=True)
            errors.append({"path": str(file), "line": exc.line, "message": str(exc)})
            if fmt == "github":
                click.echo(github_annotation(str(file), exc.line, exc.message))
            continue
        findings = check_script(script)
        found = found or bool(findings)
        per_speaker = speaker_stats(script) if stats else None
        if fmt == "json":
            reports.append(report_to_dict(str(file), findings, per_speaker))
            continue
        for f in findings:
            if fmt == "github":
                click.echo(github_annotation(f.path, f.line, f.message, f.severity))
            else:
                click.echo(str(f))
        if per_speaker is not None:
            click.echo(f"{file}: spoken length estimate")
            click.echo("\n".join(stats_lines(per_speaker)))
    if fmt == "json":
        data = {"files": reports, "errors": errors}
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
    sys.exit(2 if unreadable else 1 if found else 0)


# ---- rendering and voices ------------------------------------------------------------------


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
@click.argument("script", type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    help="Episode file; the extension picks the format (mp3, wav, ogg, opus, m4a, flac).",
)
@CONFIG_OPTION
@VOICE_OPTION
@VOICES_OPTION
@ENGINE_OPTION
@click.option(
    "-j", "--jobs", type=click.IntRange(1, 64), help="Synthesis workers [default: cores]."
)
@click.option("--cache-dir", type=click.Path(path_type=Path), help="Clip cache folder.")
@click.option("--no-cache", is_flag=True, help="Synthesize every clip afresh, store nothing.")
@click.option("--intro", help="Intro: an audio file, or a text the narrator speaks.")
@click.option("--outro", help="Outro: an audio file, or a text the narrator speaks.")
@click.option("--no-intro", is_flag=True, help="No intro at all.")
@click.option("--no-outro", is_flag=True, help="No outro at all.")
@click.option(
    "--loudness",
    type=click.FloatRange(-40, -5),
    default=-16.0,
    show_default=True,
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
    type=click.IntRange(16, 320),
    default=96,
    show_default=True,
    help="kbit/s for lossy formats.",
)
@click.option(
    "--gap", type=click.FloatRange(0, 10), help="Seconds between one speaker's paragraphs."
)
@click.option("--speaker-gap", type=click.FloatRange(0, 10), help="Seconds at a change of speaker.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar and no report.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@LAYOUT_OPTION
def render(
    script: Path,
    output: Path | None,
    config_file: Path | None,
    voice_overrides: tuple[str, ...],
    voices_dirs: tuple[Path, ...],
    engine: str,
    jobs: int | None,
    cache_dir: Path | None,
    no_cache: bool,
    intro: str | None,
    outro: str | None,
    no_intro: bool,
    no_outro: bool,
    loudness: float,
    no_master: bool,
    no_sidecars: bool,
    no_page: bool,
    lexicon: Path | None,
    only: str | None,
    bitrate: int,
    gap: float | None,
    speaker_gap: float | None,
    quiet: bool,
    as_json: bool,
    layout: str | None,
) -> None:
    """Render SCRIPT to an episode: audio plus chapters, captions and transcript beside it."""
    from .config import bumper_from_option
    from .pipeline import RenderOptions
    from .pipeline import render as render_episode
    from .report import format_duration, format_size, result_to_dict

    config, cast = _casting(config_file, voice_overrides)
    gaps = config.gaps
    if gap is not None:
        gaps = dataclasses.replace(gaps, paragraph=gap)
    if speaker_gap is not None:
        gaps = dataclasses.replace(gaps, speaker_change=speaker_gap)
    bar, progress = _progress(quiet or as_json)
    options = RenderOptions(
        output=output,
        engine=engine,
        jobs=jobs,
        cache_dir=cache_dir,
        use_cache=not no_cache,
        cast=cast,
        voices_dirs=tuple(voices_dirs) + config.voices_dirs,
        lexicon=lexicon or config.lexicon,
        gaps=gaps,
        intro=bumper_from_option(intro, Path.cwd()) if intro else config.intro,
        outro=bumper_from_option(outro, Path.cwd()) if outro else config.outro,
        use_intro=not no_intro,
        use_outro=not no_outro,
        master=not no_master,
        loudness=config.loudness if config.loudness is not None else loudness,
        sidecars=not no_sidecars,
        page=not no_page,
        only=_only(only),
        bitrate=bitrate,
        progress=progress,
    )
    if click.get_current_context().find_root().params.get("debug"):
        from .runtime import runtime_lines

        for line in runtime_lines(engine):
            click.echo(f"audiocast: {line}", err=True)
    parse_options = ParseOptions(layout, config.parse.speakers, config.parse.aliases)
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
@click.option("--rate", type=click.FloatRange(0.3, 3.0), default=1.0, help="Speed factor.")
@LEXICON_OPTION
@VOICES_OPTION
def say(
    text: str,
    voice: str,
    output: Path,
    engine: str,
    rate: float,
    lexicon: Path | None,
    voices_dirs: tuple[Path, ...],
) -> None:
    """Speak TEXT with one voice into a file, for auditioning a voice or a pronunciation."""
    from .audition import say_text

    result = say_text(
        text,
        voice,
        output,
        engine=engine,
        rate=rate,
        lexicon=lexicon,
        voices_dirs=voices_dirs,
    )
    click.echo(f"wrote {result.path} ({result.duration:.2f} s)")


@cli.command()
@ENGINE_OPTION
@VOICES_OPTION
@click.option("--all", "show_all", is_flag=True, help="List every engine voice, not only English.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def voices(engine: str, voices_dirs: tuple[Path, ...], show_all: bool, as_json: bool) -> None:
    """List voice profiles and the engine's own voices.

    --json gives every profile with the file it came from, and every engine voice and variant.
    """
    from .report import is_english, voices_lines
    from .runtime import runtime_lines
    from .synth.base import get_synthesizer
    from .voices import load_profiles, require_folders, voices_report

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
    from .prepare import cast_script
    from .report import casting_lines, casting_to_dict

    config, overrides = _casting(config_file, voice_overrides)
    parsed = load_script(script)
    casting = cast_script(
        parsed,
        overrides=overrides,
        engine=engine,
        voices_dirs=tuple(voices_dirs) + config.voices_dirs,
    )
    if as_json:
        click.echo(json.dumps(casting_to_dict(casting), indent=2))
        return
    for line in casting_lines(casting):
        click.echo(line)
    for warning in casting.warnings:
        click.echo(f"audiocast: warning: {warning}", err=True)


@cli.command()
@click.argument("episode", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def info(episode: Path, as_json: bool) -> None:
    """What a listener's app will see: duration, loudness, tags and chapters of EPISODE."""
    from .export.probe import episode_info, format_info

    data = episode_info(episode)
    click.echo(json.dumps(data, indent=2) if as_json else format_info(data))


@cli.command()
@click.argument("directory", type=click.Path(path_type=Path, file_okay=False))
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    default=Path("feed.xml"),
    show_default=True,
    help="Feed file.",
)
@click.option(
    "--show",
    "show_file",
    type=click.Path(path_type=Path),
    help="show.yaml with show settings [default: DIRECTORY/show.yaml].",
)
@click.option("--base-url", required=True, help="Public URL where DIRECTORY's files are served.")
@click.option("--title", help="Show title (overrides show.yaml).")
@click.option("--description", help="Show description.")
@click.option("--author", help="Show author (itunes:author).")
@click.option("--email", help="Owner's email, which Apple uses to verify the show.")
@click.option("--image", help="URL of the show's artwork (square JPEG or PNG).")
@click.option("--category", help="Apple Podcasts category, e.g. 'News' or 'Technology'.")
@click.option("--language", help="Language code, e.g. en.")
@click.option("--explicit/--clean", default=None, help="Mark the show explicit or clean.")
def feed(
    directory: Path,
    output: Path,
    show_file: Path | None,
    base_url: str,
    **flags: Any,
) -> None:
    """Write a podcast RSS feed of the episodes rendered into DIRECTORY.

    Show settings come from DIRECTORY/show.yaml (or --show), and flags override them; without a
    show.yaml, --title is required.
    """
    from .export.feed import resolve_show_settings, write_feed

    show = resolve_show_settings(directory, show_file, flags)
    count = write_feed(output, directory, show, base_url)
    if not show.image:
        click.echo(
            "audiocast: warning: no show artwork: Apple Podcasts requires one "
            "(image: in show.yaml, or --image URL)",
            err=True,
        )
    click.echo(f"wrote {output} ({count} episodes)")


@cli.command()
@click.argument("episode", type=click.Path(path_type=Path))
@click.option(
    "-o", "--output", type=click.Path(path_type=Path), help="Page file [default: EPISODE.html]."
)
def page(episode: Path, output: Path | None) -> None:
    """Write the listener's page of a rendered EPISODE from its tags and sidecars.

    One self-contained HTML file (player, chapters, searchable transcript) that links to the
    episode's files beside it; `render` writes it too unless --no-page.
    """
    from .export.page import write_page

    click.echo(f"wrote {write_page(episode, output)}")


@cli.command()
@click.argument("directory", type=click.Path(path_type=Path, file_okay=False))
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True, help="Site folder.")
@click.option(
    "--show",
    "show_file",
    type=click.Path(path_type=Path),
    help="show.yaml with show settings [default: DIRECTORY/show.yaml].",
)
@click.option("--base-url", required=True, help="Public URL where the site will be served.")
def site(directory: Path, output: Path, show_file: Path | None, base_url: str) -> None:
    """Write the show's static site of the episodes in DIRECTORY into a folder.

    index.html lists the episodes newest first; beside it, each episode's page, feed.xml, the
    audio and its sidecars. Show settings come from the same show.yaml as `feed`.
    """
    from .export.feed import resolve_show_settings
    from .export.site import build_site

    show = resolve_show_settings(directory, show_file, {})
    built = build_site(directory, output, show, base_url)
    click.echo(f"wrote {built.index} ({len(built.episodes)} episodes)")


@cli.group()
def cache() -> None:
    """Inspect or empty the clip cache."""


@cache.command("info")
@click.option("--cache-dir", type=click.Path(path_type=Path), help="Clip cache folder.")
def cache_info(cache_dir: Path | None) -> None:
    """Where the cache is, how many clips and how much space."""
    from .report import format_size
    from .synth.cache import ClipCache, default_cache_dir

    data = ClipCache(cache_dir or default_cache_dir()).info()
    click.echo(f"{data.path}: {data.entries} clips, {format_size(data.bytes)}")


@cache.command("clear")
@click.option("--cache-dir", type=click.Path(path_type=Path), help="Clip cache folder.")
def cache_clear(cache_dir: Path | None) -> None:
    """Delete every cached clip."""
    from .synth.cache import ClipCache, default_cache_dir

    store = ClipCache(cache_dir or default_cache_dir())
    removed = store.clear()
    click.echo(f"removed {removed} clips from {store.info().path}")


def _casting(
    config_file: Path | None, voice_overrides: tuple[str, ...]
) -> tuple[RenderConfig, dict[str, str]]:
    """The --config file's settings, and its cast with every --voice SPEAKER=VOICE on top."""
    from .config import RenderConfig, load_config

    config = load_config(config_file) if config_file else RenderConfig()
    cast = dict(config.cast)
    cast.update(_pairs(voice_overrides, "--voice"))
    return config, cast


def _parse_options(layout: str | None, config_file: Path | None) -> ParseOptions:
    """``--layout`` over the ``speakers:``/``aliases:`` of a ``--config`` file."""
    from .config import load_config

    base = load_config(config_file).parse if config_file else ParseOptions()
    return ParseOptions(layout, base.speakers, base.aliases)


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
