"""``render-all``: a whole catalogue of scripts into one show folder, here or on a cluster."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .app import (
    CACHE_DIR_OPTION,
    CONFIG_OPTION,
    ENGINE_OPTION,
    JOBS_OPTION,
    VOICE_OPTION,
    VOICES_OPTION,
    cli,
    config_and_cast,
    existing_path,
)
from .render import _progress


@cli.command("render-all")
@click.argument("sources", nargs=-1, required=True)
@click.option(
    "-o",
    "--output",
    "show_dir",
    required=True,
    type=click.Path(path_type=Path, file_okay=False),
    help="Show folder the episodes go into.",
)
@CONFIG_OPTION
@VOICE_OPTION
@VOICES_OPTION
@ENGINE_OPTION
@JOBS_OPTION
@CACHE_DIR_OPTION
@click.option(
    "--cluster",
    metavar="ADDRESS",
    help="Dask scheduler (tcp://HOST:8786), or local[:N] for a cluster on this machine.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["mp3", "m4a", "ogg", "opus", "flac", "wav"]),
    default="mp3",
    show_default=True,
    help="Episode format.",
)
@click.option("--feed", is_flag=True, help="Rebuild SHOW_DIR/feed.xml at the end (--base-url).")
@click.option(
    "--site",
    "site_dir",
    type=click.Path(path_type=Path, file_okay=False),
    help="Rebuild the show's static site into this folder at the end (--base-url).",
)
@click.option("--base-url", help="Public URL of the show folder (--feed) or the site (--site).")
@click.option(
    "--show",
    "show_file",
    type=click.Path(path_type=Path),
    callback=existing_path("show settings file"),
    help="show.yaml for --feed and --site [default: SHOW_DIR/show.yaml].",
)
@click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
def render_all(
    sources: tuple[str, ...],
    show_dir: Path,
    config_file: Path | None,
    voice_overrides: tuple[str, ...],
    voices_dirs: tuple[Path, ...],
    engine: str,
    jobs: int | None,
    cache_dir: Path | None,
    cluster: str | None,
    fmt: str,
    feed: bool,
    site_dir: Path | None,
    base_url: str | None,
    show_file: Path | None,
    quiet: bool,
) -> None:
    """Render every script of SOURCES (folders, globs, files) into SHOW_DIR.

    Episodes whose inputs are unchanged since they were rendered are skipped; a script that
    fails fails its own episode only. Ends with a table; exit 1 if any episode failed. The
    time column is the render's wall time, or its workers' time on a cluster.
    """
    from ..catalogue import format_table
    from ..catalogue import render_all as render_catalogue
    from ..options import RenderOptions

    if (feed or site_dir) and not base_url:
        raise click.BadParameter("needs --base-url", param_hint="--feed/--site")
    config, cast = config_and_cast(config_file, voice_overrides)
    options = RenderOptions(
        engine=engine,
        jobs=jobs,
        cache_dir=cache_dir,
        cast=cast,
        voices_dirs=tuple(voices_dirs) + config.voices_dirs,
        lexicon=config.lexicon,
        gaps=config.gaps,
        intro=config.intro,
        outro=config.outro,
        loudness=config.loudness if config.loudness is not None else RenderOptions.loudness,
    )
    bar, progress = _progress(quiet)
    with bar:
        result = render_catalogue(
            sources, show_dir, options, suffix=f".{fmt}", cluster=cluster, progress=progress
        )
    for outcome in result.outcomes:
        if outcome.error:
            click.echo(f"audiocast: error: {outcome.error}", err=True)
        for warning in outcome.warnings:
            click.echo(f"audiocast: warning: {outcome.source.name}: {warning}", err=True)
    click.echo(format_table(result))
    if base_url and (feed or site_dir):
        from ..export.feed import write_feed
        from ..export.show_settings import resolve_show_settings

        show = resolve_show_settings(show_dir, show_file, {})
        if feed:
            count = write_feed(show_dir / "feed.xml", show_dir, show, base_url)
            click.echo(f"wrote {show_dir / 'feed.xml'} ({count} episodes)")
        if site_dir:
            from ..export.site import build_site

            built = build_site(show_dir, site_dir, show, base_url)
            click.echo(f"wrote {built.index} ({len(built.episodes)} episodes)")
    sys.exit(1 if result.failed else 0)
