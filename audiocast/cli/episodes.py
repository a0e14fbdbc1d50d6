"""``info``, ``feed``, ``page``, ``site`` and ``cache``: finished episodes, the show's feed,
page and site, the clip cache."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ..text_safety import terminal_safe

if TYPE_CHECKING:
    pass
from .app import CACHE_DIR_OPTION, SHOW_FILE_OPTION, base_url_option, cli


@cli.command()
@click.argument("episode", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def info(episode: Path, as_json: bool) -> None:
    """What a listener's app will see: duration, loudness, tags and chapters of EPISODE."""
    from ..export.probe import episode_info, format_info

    data = episode_info(episode)
    click.echo(json.dumps(data, indent=2) if as_json else terminal_safe(format_info(data)))


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
@SHOW_FILE_OPTION
@base_url_option("Public URL where DIRECTORY's files are served.")
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
    from ..export.feed import write_feed
    from ..export.show_settings import feed_warnings, resolve_show_settings

    show = resolve_show_settings(directory, show_file, flags)
    count = write_feed(output, directory, show, base_url)
    for warning in feed_warnings(show):
        click.echo(f"audiocast: warning: {warning}", err=True)
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
    from ..export.page import write_page

    click.echo(f"wrote {write_page(episode, output)}")


@cli.command()
@click.argument("directory", type=click.Path(path_type=Path, file_okay=False))
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True, help="Site folder.")
@SHOW_FILE_OPTION
@base_url_option("Public URL where the site will be served.")
def site(directory: Path, output: Path, show_file: Path | None, base_url: str) -> None:
    """Write the show's static site of the episodes in DIRECTORY into a folder.

    index.html lists the episodes newest first; beside it, each episode's page, feed.xml, the
    audio and its sidecars. Show settings come from the same show.yaml as `feed`.
    """
    from ..export.show_settings import resolve_show_settings
    from ..export.site import build_site

    show = resolve_show_settings(directory, show_file, {})
    built = build_site(directory, output, show, base_url)
    click.echo(f"wrote {built.index} ({len(built.episodes)} episodes)")


@cli.group()
def cache() -> None:
    """Inspect, prune or empty the clip cache."""


@cache.command("info")
@CACHE_DIR_OPTION
def cache_info(cache_dir: Path | None) -> None:
    """Where the cache is, how many clips and how much space."""
    from ..report import format_size
    from ..synth.cache import ClipCache, default_cache_dir

    data = ClipCache(cache_dir or default_cache_dir()).info()
    click.echo(f"{data.path}: {data.entries} clips, {format_size(data.bytes)}")


@cache.command("clear")
@CACHE_DIR_OPTION
def cache_clear(cache_dir: Path | None) -> None:
    """Delete every cached clip."""
    from ..synth.cache import ClipCache, default_cache_dir

    store = ClipCache(cache_dir or default_cache_dir())
    removed = store.clear()
    click.echo(f"removed {removed} clips from {store.info().path}")


@cache.command("prune")
@CACHE_DIR_OPTION
@click.option("--older-than", "older_than", help="Remove clips unused for this long (30d, 12h).")
@click.option("--max-size", "max_size", help="Then keep at most this much, newest used (500M).")
def cache_prune(cache_dir: Path | None, older_than: str | None, max_size: str | None) -> None:
    """Remove clips unused for a while or past a total size, and what killed renders left."""
    from ..report import format_size
    from ..synth.cache import ClipCache, default_cache_dir
    from ..synth.cache_prune import parse_age, parse_size, prune

    store = ClipCache(cache_dir or default_cache_dir())
    done = prune(
        store,
        older_than=parse_age(older_than) if older_than else None,
        max_bytes=parse_size(max_size) if max_size else None,
        leftovers=True,
    )
    click.echo(
        f"removed {done.removed} clips ({format_size(done.freed)}) and {done.leftovers} "
        f"leftovers; kept {done.kept} clips ({format_size(done.kept_bytes)}) in {store.directory}"
    )
