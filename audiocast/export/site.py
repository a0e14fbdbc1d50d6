"""The show's static site: an index of the episodes, each episode's page, the feed, the files.

Everything is written into one folder with relative links only, so the folder can be served
from any static host at ``base_url`` (the feed's enclosures point there) or opened from disk.
The whole set is written under temporary names and renamed into place together at the end: a
failed build leaves an earlier site as it was.
"""

from __future__ import annotations

import contextlib
import dataclasses
import mimetypes
import shutil
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..atomic import atomic_path, check_writable
from ..errors import UsageError
from .episode_folder import find_episodes
from .feed import build_feed, show_language
from .page import (
    EpisodePage,
    asset,
    environment,
    load_episode_page,
    page_path,
    sidecar_files,
    stage_page,
)
from .show_settings import ShowSettings

_COVER_SUFFIX = {"image/jpeg": ".jpg", "image/png": ".png"}


@dataclass(frozen=True)
class SiteEntry:
    """One episode as the index lists it."""

    page: EpisodePage
    link: str
    """The episode page's file name."""
    cover: str | None
    """The cover image's file name, when the episode has one."""


@dataclass(frozen=True)
class Site:
    folder: Path
    index: Path
    episodes: tuple[SiteEntry, ...]
    """Newest first, as the index lists them."""


def _artwork(show: ShowSettings, base_url: str, episodes_dir: Path) -> Path | None:
    """The show's artwork as a file in ``episodes_dir``, when its URL is under ``base_url``.

    The index shows only local images: an image elsewhere would make the page load from the
    network.
    """
    if not show.image:
        return None
    base = base_url.rstrip("/") + "/"
    if not show.image.startswith(base):
        return None
    name = unquote(urlsplit(show.image[len(base) :]).path)
    path = episodes_dir / name
    return path if "/" not in name and path.is_file() else None


def _stage_copy(stack: contextlib.ExitStack, source: Path, dest: Path) -> None:
    tmp = stack.enter_context(atomic_path(dest))
    shutil.copyfile(source, tmp)


def _stage_bytes(stack: contextlib.ExitStack, data: bytes, dest: Path) -> None:
    tmp = stack.enter_context(atomic_path(dest))
    tmp.write_bytes(data)


def build_site(episodes_dir: Path, output: Path, show: ShowSettings, base_url: str) -> Site:
    """Write the site of the episodes in ``episodes_dir`` into the folder ``output``.

    ``output/index.html`` lists the episodes newest first and links each one's page
    (``NAME.html``); the audio, its sidecars, cover images and ``feed.xml`` sit beside them.
    Raises ``InputError`` when the folder has no episodes, ``UsageError`` when ``output`` is
    ``episodes_dir`` itself.
    """
    episodes_dir, output = Path(episodes_dir), Path(output)
    feed_url = base_url.rstrip("/") + "/feed.xml"
    feed = build_feed(episodes_dir, show, base_url, feed_url)  # no episodes: an InputError
    episodes = find_episodes(episodes_dir)
    if output.resolve() == episodes_dir.resolve():
        raise UsageError(
            "the site folder is the episodes folder", path=output, hint="pass another -o"
        )
    check_writable(output / "index.html")
    entries: list[SiteEntry] = []
    with contextlib.ExitStack() as stack:
        for episode in reversed(episodes):
            page = dataclasses.replace(load_episode_page(episode.audio), home="index.html")
            for source in (episode.audio, *sidecar_files(episode.audio)):
                if source.is_file():
                    _stage_copy(stack, source, output / source.name)
            link = page_path(episode.audio).name
            stage_page(stack, page, output / link)
            cover = None
            if page.cover is not None:
                suffix = _COVER_SUFFIX.get(page.cover.mime)
                suffix = suffix or mimetypes.guess_extension(page.cover.mime) or ".img"
                cover = f"{episode.audio.stem}.cover{suffix}"
                _stage_bytes(stack, page.cover.data, output / cover)
            entries.append(SiteEntry(page=page, link=link, cover=cover))
        _stage_bytes(stack, feed, output / "feed.xml")
        artwork = _artwork(show, base_url, episodes_dir)
        if artwork is not None:
            _stage_copy(stack, artwork, output / artwork.name)
        html = (
            environment()
            .get_template("index.html.j2")
            .render(
                show=dataclasses.replace(show, language=show_language(show, episodes)),
                episodes=entries,
                feed_url=feed_url,
                artwork=artwork.name if artwork else None,
                css=asset("page.css"),
            )
        )
        index = output / "index.html"
        _stage_bytes(stack, html.encode("utf-8"), index)
    return Site(folder=output, index=index, episodes=tuple(entries))


__all__ = ["Site", "SiteEntry", "build_site"]
