"""A podcast RSS feed of the episodes rendered into a folder, with feedgen plus fixes.

feedgen builds the RSS 2.0 document and the iTunes tags it gets right; the result is then
post-processed with lxml where feedgen falls short of what Apple and Podcasting 2.0 apps read
today: ``itunes:explicit`` as ``true``/``false`` (feedgen only knows yes/no/clean), an
``itunes:image`` whatever the URL's ending (feedgen silently drops URLs not ending ``.jpg`` or
``.png``, such as CDN links with a query string), ``itunes:category`` checked against Apple's
current top-level list (feedgen validates against an outdated one), and the ``podcast:``
namespace: ``guid``, ``locked``, and per episode ``transcript`` and ``chapters`` links to the
sidecar files.

The output is deterministic for the same folder: ``lastBuildDate`` is the newest episode's date.
The show's settings are read in ``show_settings.py``, the episodes found in ``episode_folder.py``
(their names are also importable from here).
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import quote

from feedgen.feed import FeedGenerator
from lxml import etree

from ..atomic import atomic_path
from ..errors import InputError
from ..language import DEFAULT_LANGUAGE
from ..text_safety import xml_safe, xml_safe_fields
from .episode_folder import Episode, find_episodes
from .show_settings import (
    ShowSettings,
    apple_category,
    feed_warnings,
    load_show_settings,
    resolve_show_settings,
    show_settings_from_dict,
)

ITUNES_NS = "http://www.itunes.com/dtds/podcast-1.0.dtd"
PODCAST_NS = "https://podcastindex.org/namespace/1.0"
CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
# The namespace the Podcasting 2.0 spec fixes for podcast:guid (a UUIDv5 of the feed URL); its
# published example, mp3s.nashownotes.com/pc20rss.xml -> 917393e3-1b1e-5cef-ace4-edaa54e1f810,
# is in the tests.
PODCAST_GUID_NAMESPACE = uuid.UUID("ead4c236-bf58-58c6-a2c6-a6b28d128cb6")


def _url(base_url: str, path: Path) -> str:
    return base_url.rstrip("/") + "/" + quote(path.name)


EPISODE_GUID_NAMESPACE = uuid.UUID("5b0c8f6e-52d1-5a8e-9c1e-6a7564696f63")
"""audiocast's own UUIDv5 namespace for episode GUIDs (never change it: apps key on GUIDs)."""


def episode_guid(show: ShowSettings, audio: Path, given: str | None = None) -> str:
    """The item's GUID: front matter's ``guid:`` when given, else a UUIDv5 of the episode's
    file name without its extension, so it survives re-renders, a change of format and a
    renamed show (``show`` is accepted for callers of the old signature and not used)."""
    del show
    return str(given) if given else str(uuid.uuid5(EPISODE_GUID_NAMESPACE, Path(audio).stem))


def podcast_guid(feed_url: str) -> str:
    """Podcasting 2.0 ``podcast:guid``: UUIDv5 of the feed URL without scheme or end slash."""
    bare = feed_url.split("://", 1)[-1].rstrip("/")
    return str(uuid.uuid5(PODCAST_GUID_NAMESPACE, bare))


def show_language(show: ShowSettings, episodes: Sequence[Episode]) -> str:
    """The show's ``language:``, else the language most of its episodes are in, else ``en``."""
    if show.language:
        return show.language
    spoken = Counter(ep.language for ep in reversed(episodes) if ep.language)
    return spoken.most_common(1)[0][0] if spoken else DEFAULT_LANGUAGE


def build_feed(
    episodes_dir: Path, show: ShowSettings, base_url: str, feed_url: str | None = None
) -> bytes:
    """The RSS 2.0 document (UTF-8 bytes) for the episodes in ``episodes_dir``, newest first.

    Enclosures point at ``base_url/<file name>`` with the file's exact byte size; sidecars
    (``<name>.chapters.json``, ``.vtt``, ``.srt``, ``.transcript.json``) found beside an episode
    are linked with ``podcast:chapters`` and ``podcast:transcript``. ``feed_url`` (default
    ``base_url/feed.xml``) is the feed's own address, for ``atom:link`` and ``podcast:guid``.
    Raises ``InputError`` when the folder has no episodes.
    """
    # A control character in one title would make lxml refuse the whole feed.
    episodes = [xml_safe_fields(ep) for ep in find_episodes(episodes_dir)]
    show, base_url = xml_safe_fields(show), xml_safe(base_url)
    if not episodes:
        raise InputError(
            "no episodes found (.mp3, .m4a, .ogg, .opus)",
            path=episodes_dir,
            hint="render episodes into this folder first",
        )
    feed_url = feed_url or base_url.rstrip("/") + "/feed.xml"
    fg = FeedGenerator()
    fg.load_extension("podcast")
    fg.title(show.title)
    fg.description(show.description or show.title)
    # feedgen's channel <link> is the last link given: the self link goes first.
    fg.link(href=feed_url, rel="self")
    fg.link(href=show.link or base_url, rel="alternate")
    fg.language(show_language(show, episodes))
    fg.generator("audiocast")
    if show.copyright:
        fg.copyright(show.copyright)
    author = show.author or show.owner or show.title
    fg.podcast.itunes_author(author)
    fg.podcast.itunes_summary(show.description or show.title)
    if show.email:
        fg.podcast.itunes_owner(name=show.owner or author, email=show.email)
    fg.lastBuildDate(episodes[-1].published)
    fg.pubDate(episodes[-1].published)

    newest_first = episodes[::-1]
    for ep in newest_first:
        fe = fg.add_entry(order="append")
        fe.title(ep.title)
        fe.description(ep.description)
        fe.guid(episode_guid(show, ep.audio, ep.details.get("guid")), permalink=False)
        if ep.details.get("link"):
            fe.link(href=str(ep.details["link"]))
        fe.pubDate(ep.published)
        fe.enclosure(_url(base_url, ep.audio), str(ep.size), ep.mime)
        if ep.duration is not None:
            fe.podcast.itunes_duration(round(ep.duration))
    xml: bytes = fg.rss_str(pretty=True)
    return _post_process(xml, show, newest_first, base_url, feed_url)


def _item_details(item: etree._Element, ep: Episode, base_url: str) -> None:
    """The per-episode iTunes tags, artwork and show notes the episode's front matter gave."""
    d = ep.details
    if ep.cover is not None:
        etree.SubElement(item, _itunes("image")).set("href", _url(base_url, ep.cover))
    for key, tag in (("episode", "episode"), ("season", "season")):
        if isinstance(d.get(key), int) and not isinstance(d.get(key), bool) and d[key] > 0:
            etree.SubElement(item, _itunes(tag)).text = str(d[key])
    kind = str(d.get("episode_type") or "full")
    etree.SubElement(item, _itunes("episodeType")).text = (
        kind if kind in ("full", "trailer", "bonus") else "full"
    )
    if d.get("content"):
        etree.SubElement(item, f"{{{CONTENT_NS}}}encoded").text = etree.CDATA(str(d["content"]))


def _itunes(tag: str) -> str:
    return f"{{{ITUNES_NS}}}{tag}"


def _podcast(tag: str) -> str:
    return f"{{{PODCAST_NS}}}{tag}"


def _set_child(parent: etree._Element, tag: str, text: str | None = None) -> etree._Element:
    """Replace (or create) ``parent``'s single child ``tag``, placed before any ``<item>``."""
    for old in parent.findall(tag):
        parent.remove(old)
    child = etree.Element(tag)
    first_item = parent.find("item")
    if first_item is not None:
        first_item.addprevious(child)
    else:
        parent.append(child)
    if text is not None:
        child.text = text
    return child


def _post_process(
    xml: bytes, show: ShowSettings, episodes: list[Episode], base_url: str, feed_url: str
) -> bytes:
    parser = etree.XMLParser(remove_blank_text=True)
    root = etree.fromstring(xml, parser)
    channel = root.find("channel")
    assert channel is not None  # feedgen always writes one

    _set_child(channel, _itunes("explicit"), "true" if show.explicit else "false")
    _set_child(channel, _itunes("type"), show.type)
    if show.category:
        category = _set_child(channel, _itunes("category"))
        # Checked here too: flags reach ShowSettings without show_settings_from_dict.
        category.set("text", apple_category(show.category, None, None))
        if show.subcategory:
            etree.SubElement(category, _itunes("category")).set("text", show.subcategory)
    if show.image:
        _set_child(channel, _itunes("image")).set("href", show.image)
        image = _set_child(channel, "image")
        for tag, text in (("url", show.image), ("title", show.title), ("link", show.link)):
            etree.SubElement(image, tag).text = text or base_url
    _set_child(channel, _podcast("guid"), podcast_guid(feed_url))
    locked = _set_child(channel, _podcast("locked"), "yes" if show.locked else "no")
    if show.email:
        locked.set("owner", show.email)

    items = channel.findall("item")
    for item, ep in zip(items, episodes, strict=True):
        _set_child(item, _itunes("explicit"), "true" if ep.explicit else "false")
        _item_details(item, ep, base_url)
        for path, kind in ep.transcripts:
            link = etree.SubElement(item, _podcast("transcript"))
            link.set("url", _url(base_url, path))
            link.set("type", kind)
            if ep.language:
                link.set("language", ep.language)
            if kind != "application/json":
                link.set("rel", "captions")
        if ep.chapters is not None:
            link = etree.SubElement(item, _podcast("chapters"))
            link.set("url", _url(base_url, ep.chapters))
            link.set("type", "application/json+chapters")
    # Declare the namespaces once, on <rss>, with their usual prefixes.
    etree.cleanup_namespaces(
        root, top_nsmap={"itunes": ITUNES_NS, "podcast": PODCAST_NS, "content": CONTENT_NS}
    )
    out: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return out


def write_feed(
    path: Path,
    episodes_dir: Path,
    show: ShowSettings,
    base_url: str,
    feed_url: str | None = None,
) -> int:
    """Build the feed and write it to ``path`` atomically; returns the number of episodes.

    ``feed_url`` defaults to ``base_url/<path's file name>``.
    """
    path = Path(path)
    xml = build_feed(episodes_dir, show, base_url, feed_url or _url(base_url, path))
    with atomic_path(path) as tmp:
        tmp.write_bytes(xml)
    return xml.count(b"<item>")


__all__ = [
    "Episode",
    "ShowSettings",
    "build_feed",
    "episode_guid",
    "feed_warnings",
    "find_episodes",
    "load_show_settings",
    "podcast_guid",
    "resolve_show_settings",
    "show_settings_from_dict",
    "write_feed",
]
