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
"""

from __future__ import annotations

import dataclasses
import difflib
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any
from urllib.parse import quote

import yaml
from feedgen.feed import FeedGenerator
from lxml import etree

from ..atomic import atomic_path
from ..errors import InputError
from ..settings import load_yaml, read_text_file
from ..suggest import did_you_mean
from ..text_safety import xml_safe, xml_safe_fields
from .chapters import chapters_path
from .tags import duration_of, read_embedded_cover, read_tags

ITUNES_NS = "http://www.itunes.com/dtds/podcast-1.0.dtd"
PODCAST_NS = "https://podcastindex.org/namespace/1.0"
CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
# The namespace the Podcasting 2.0 spec fixes for podcast:guid (a UUIDv5 of the feed URL); its
# published example, mp3s.nashownotes.com/pc20rss.xml -> 917393e3-1b1e-5cef-ace4-edaa54e1f810,
# is in the tests.
PODCAST_GUID_NAMESPACE = uuid.UUID("ead4c236-bf58-58c6-a2c6-a6b28d128cb6")

AUDIO_TYPES: Mapping[str, str] = {
    ".mp3": "audio/mpeg",
    ".m4a": "audio/x-m4a",
    ".ogg": "audio/ogg",
    ".opus": "audio/ogg",
}
"""Episode audio the feed picks up, by suffix, and its enclosure MIME type."""

TRANSCRIPTS: tuple[tuple[str, str], ...] = (
    (".vtt", "text/vtt"),
    (".srt", "application/x-subrip"),
    (".transcript.json", "application/json"),
)


@dataclass(frozen=True)
class ShowSettings:
    """Show-level feed settings, from ``show.yaml`` or command-line flags."""

    title: str
    description: str = ""
    """Defaults to the title (RSS requires a channel description)."""
    author: str | None = None
    email: str | None = None
    """The owner's address Apple uses to verify the show; also ``podcast:locked``'s owner."""
    link: str | None = None
    """The show's website; defaults to the base URL."""
    image: str | None = None
    """URL of the show's artwork (Apple wants a 1400-3000 px square JPEG or PNG)."""
    language: str = "en"
    category: str | None = None
    """Apple Podcasts category (required by Apple: a missing one is warned about)."""
    subcategory: str | None = None
    explicit: bool = False
    owner: str | None = None
    """Owner's name; defaults to the author."""
    copyright: str | None = None
    locked: bool = False
    """``podcast:locked``: ``True`` asks other platforms not to import the feed."""
    type: str = "episodic"
    """``itunes:type``: ``episodic`` (newest first) or ``serial`` (in order)."""


_KEYS = {f.name for f in fields(ShowSettings)}

APPLE_CATEGORIES = (
    "Arts", "Business", "Comedy", "Education", "Fiction", "Government", "Health & Fitness",
    "History", "Kids & Family", "Leisure", "Music", "News", "Religion & Spirituality",
    "Science", "Society & Culture", "Sports", "Technology", "True Crime", "TV & Film",
)  # fmt: skip
"""Apple Podcasts' top-level categories: it rejects a feed whose category is not one of them."""


def _apple_category(value: str, path: Path | None, line: int | None) -> str:
    """``value`` spelt as Apple lists it (any case, ``and`` for ``&``), else ``InputError``."""
    wanted = " ".join(value.replace(" and ", " & ").split()).casefold()
    for name in APPLE_CATEGORIES:
        if name.casefold() == wanted:
            return name
    near = difflib.get_close_matches(value, APPLE_CATEGORIES, n=3, cutoff=0.4)
    raise InputError(
        f"{value!r} is not an Apple Podcasts category",
        path=path,
        line=line,
        hint=did_you_mean(near, "one of " + ", ".join(APPLE_CATEGORIES)),
    )


def load_show_settings(path: Path) -> ShowSettings:
    """Read ``show.yaml``: a mapping of :class:`ShowSettings` fields (``title`` required).

    Raises ``InputError`` with the file and line for unreadable YAML, unknown keys, wrong
    types, or a missing title.
    """
    path = Path(path)
    text = read_text_file(path, "show settings file")
    data, node = load_yaml(text, path, "YAML")
    if not isinstance(data, dict) or not isinstance(node, yaml.MappingNode):
        raise InputError("show settings must be a mapping such as 'title: My show'", path=path)
    lines = {str(k.value): k.start_mark.line + 1 for k, _ in node.value}
    return show_settings_from_dict(data, path=path, lines=lines)


def resolve_show_settings(
    directory: Path, show_file: Path | None, overrides: Mapping[str, Any]
) -> ShowSettings:
    """The show's settings: ``show_file`` (default ``directory/show.yaml``) with ``overrides``
    (the command line's flags, ``None`` for a flag not given) on top; without a file, the
    overrides alone, which must then name a title."""
    given = {key: value for key, value in overrides.items() if value is not None}
    path = show_file or directory / "show.yaml"
    if show_file is not None or path.is_file():
        return dataclasses.replace(load_show_settings(path), **given)
    if "title" in given:
        return show_settings_from_dict(given)
    raise InputError("no show settings", path=path, hint="write a show.yaml there or pass --title")


def show_settings_from_dict(
    data: Mapping[str, Any], *, path: Path | None = None, lines: Mapping[str, int] | None = None
) -> ShowSettings:
    """:class:`ShowSettings` from plain values (YAML or flags), checked like the YAML file."""
    lines = lines or {}
    values: dict[str, Any] = {}
    for key, value in data.items():
        name = str(key).replace("-", "_")
        if name not in _KEYS:
            raise InputError(
                f"unknown show setting {key!r}",
                path=path,
                line=lines.get(str(key)),
                hint="known: " + ", ".join(sorted(_KEYS)),
            )
        if value is None:
            continue
        if name in ("explicit", "locked"):
            if not isinstance(value, bool):
                raise InputError(
                    f"{key} must be true or false", path=path, line=lines.get(str(key))
                )
        elif isinstance(value, (dict, list)):
            raise InputError(f"{key} must be a single value", path=path, line=lines.get(str(key)))
        else:
            value = str(value)
        values[name] = value
    if not values.get("title"):
        raise InputError("show settings need a title", path=path, hint="add 'title: My show'")
    if "category" in values:
        values["category"] = _apple_category(values["category"], path, lines.get("category"))
    if values.get("type", "episodic") not in ("episodic", "serial"):
        raise InputError(
            f"type must be episodic or serial, not {values['type']!r}",
            path=path,
            line=lines.get("type"),
        )
    return ShowSettings(**values)


def feed_warnings(show: ShowSettings) -> list[str]:
    """What Apple Podcasts requires and the settings leave out: said, never defaulted silently."""
    out = []
    if not show.category:
        out.append(
            "no category: Apple Podcasts requires one (category: in show.yaml, or --category)"
        )
    if not (show.author or show.owner):
        out.append("no author: itunes:author falls back to the show's title (author: in show.yaml)")
    if not show.image:
        out.append(
            "no show artwork: Apple Podcasts requires one (image: in show.yaml, or --image URL)"
        )
    return out


@dataclass(frozen=True)
class Episode:
    """One rendered episode found in the folder."""

    audio: Path
    size: int
    mime: str
    title: str
    description: str
    published: datetime
    duration: float | None
    chapters: Path | None
    transcripts: tuple[tuple[Path, str], ...]
    explicit: bool
    details: Mapping[str, Any] = field(default_factory=dict)
    """From the ``AUDIOCAST`` tag: ``episode``, ``season``, ``episode_type``, ``link``,
    ``content``, ``guid`` as the script's front matter gave them."""
    cover: Path | None = None
    """The episode's artwork beside it (``NAME.jpg``/``.png``, or extracted from the file)."""


def _parse_date(value: str) -> datetime | None:
    value = value.strip()
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        pass
    try:  # a year-month-day prefix, such as "2026-11-25 morning"
        return datetime.combine(date.fromisoformat(value[:10]), datetime.min.time())
    except ValueError:
        return None


def _published(value: str | None, audio: Path) -> datetime:
    """The date tag (midnight UTC for a bare date), else the file's modification time."""
    parsed = _parse_date(value) if value else None
    if parsed is not None:
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)
    return datetime.fromtimestamp(audio.stat().st_mtime, tz=timezone.utc).replace(microsecond=0)


def find_episodes(folder: Path) -> list[Episode]:
    """Every audiocast episode in ``folder`` (not recursive), oldest first.

    Only files audiocast rendered (they carry its ``AUDIOCAST`` tag) are episodes: a jingle or
    a stray recording in the folder is not. Several formats of one episode (``ep.mp3`` and
    ``ep.m4a``) are one episode, its audio the first format of ``AUDIO_TYPES``. Hidden files
    (such as an atomic write in progress) are skipped.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError("not a folder of episodes", path=folder)
    found: list[Episode] = []
    order = list(AUDIO_TYPES)
    candidates = sorted(
        (p for p in folder.iterdir() if p.suffix.lower() in AUDIO_TYPES),
        key=lambda p: (p.stem, order.index(p.suffix.lower())),
    )
    seen: set[str] = set()
    for audio in candidates:
        mime = AUDIO_TYPES[audio.suffix.lower()]
        if audio.stem in seen or audio.name.startswith(".") or not audio.is_file():
            continue
        tags = read_tags(audio)
        if "audiocast" not in tags:
            continue
        seen.add(audio.stem)
        base = audio.with_suffix("")
        transcripts = tuple(
            (base.with_name(base.name + ext), kind)
            for ext, kind in TRANSCRIPTS
            if base.with_name(base.name + ext).is_file()
        )
        chapters = chapters_path(audio)
        found.append(
            Episode(
                audio=audio,
                size=audio.stat().st_size,
                mime=mime,
                title=tags.get("title") or audio.stem,
                description=tags.get("description") or tags.get("title") or audio.stem,
                published=_published(tags.get("date"), audio),
                duration=duration_of(audio),
                chapters=chapters if chapters.is_file() else None,
                transcripts=transcripts,
                explicit=bool(tags.get("explicit")),
                details=tags["audiocast"],
                cover=episode_cover(audio),
            )
        )
    found.sort(key=lambda e: (e.published, e.audio.name))
    return found


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


def episode_cover(audio: Path) -> Path | None:
    """The episode's artwork as a file beside it: ``NAME.jpg``/``.png`` if there, else the cover
    embedded in the audio, written out once as ``NAME.cover.jpg``/``.png`` (feeds link images
    by URL)."""
    for suffix in (".jpg", ".jpeg", ".png", ".cover.jpg", ".cover.png"):
        candidate = audio.with_name(audio.stem + suffix)
        if candidate.is_file():
            return candidate
    cover = read_embedded_cover(audio)
    if cover is None:
        return None
    out = audio.with_name(
        audio.stem + (".cover.png" if cover.mime == "image/png" else ".cover.jpg")
    )
    with atomic_path(out) as tmp:
        tmp.write_bytes(cover.data)
    return out


def podcast_guid(feed_url: str) -> str:
    """Podcasting 2.0 ``podcast:guid``: UUIDv5 of the feed URL without scheme or end slash."""
    bare = feed_url.split("://", 1)[-1].rstrip("/")
    return str(uuid.uuid5(PODCAST_GUID_NAMESPACE, bare))


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
    fg.language(show.language)
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
        category.set("text", _apple_category(show.category, None, None))
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
    "find_episodes",
    "load_show_settings",
    "show_settings_from_dict",
    "write_feed",
]
