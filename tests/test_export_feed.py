"""The RSS feed built from a folder of real tagged episodes, parsed back with lxml."""

from __future__ import annotations

import dataclasses
import os
import uuid
from email.utils import parsedate_to_datetime
from pathlib import Path

import pytest
from export_fixtures import encode, tone
from lxml import etree

from audiocast.errors import InputError
from audiocast.export.captions import write_captions
from audiocast.export.chapters import chapters_path, write_chapters_json
from audiocast.export.feed import (
    ShowSettings,
    build_feed,
    load_show_settings,
    podcast_guid,
    write_feed,
)
from audiocast.export.tags import EpisodeTags, write_tags
from audiocast.model import CaptionCue, Chapter

NS = {
    "itunes": "http://www.itunes.com/dtds/podcast-1.0.dtd",
    "podcast": "https://podcastindex.org/namespace/1.0",
}
BASE = "https://example.org/pod/"

SHOW = ShowSettings(
    title="The Workshop",
    description="Two people, one bench.",
    author="Ada Byron",
    email="ada@example.org",
    image="https://cdn.example.org/art?id=7&size=3000",
    category="Technology",
    subcategory=None,
    explicit=False,
)


@pytest.fixture
def episodes(tmp_path: Path) -> Path:
    folder = tmp_path / "out"
    folder.mkdir()
    one = encode(tone(2.0), folder / "ep1.mp3")
    write_tags(one, EpisodeTags(title="First", date="2026-11-01", description="The first."))
    write_captions(folder / "ep1", [CaptionCue(0.0, 1.0, "Hello.", "Ada")])
    write_chapters_json(chapters_path(one), [Chapter(0.0, "Intro")], "First", 2.0)
    two = encode(tone(3.0), folder / "ep 2.ogg")
    write_tags(two, EpisodeTags(title="Second", date="2026-11-20", explicit=True))
    undated = encode(tone(1.0), folder / "ep3.mp3")
    write_tags(undated, EpisodeTags())
    os.utime(undated, (1_790_000_000, 1_790_000_000))
    encode(tone(0.5), folder / "jingle.mp3")  # not rendered by audiocast: not an episode
    (folder / ".ep4.mp3.tmp.mp3").write_bytes(b"in progress")  # an atomic write: skipped
    (folder / "notes.txt").write_text("not an episode", encoding="utf-8")
    return folder


def _parse(xml: bytes) -> etree._Element:
    return etree.fromstring(xml)


def test_feed_has_what_apple_requires(episodes: Path) -> None:
    rss = _parse(build_feed(episodes, SHOW, BASE))
    channel = rss.find("channel")
    assert channel.findtext("title") == "The Workshop"
    assert channel.findtext("itunes:author", namespaces=NS) == "Ada Byron"
    assert channel.findtext("itunes:explicit", namespaces=NS) == "false"
    assert channel.find("itunes:category", NS).get("text") == "Technology"
    # feedgen drops image URLs that do not end in .jpg/.png; this one must survive.
    assert channel.find("itunes:image", NS).get("href") == SHOW.image
    assert channel.findtext("itunes:owner/itunes:email", namespaces=NS) == "ada@example.org"
    # The spec's recipe worked by hand: its namespace, the feed URL without "https://".
    spec_namespace = uuid.UUID("ead4c236-bf58-58c6-a2c6-a6b28d128cb6")
    expected_guid = str(uuid.uuid5(spec_namespace, "example.org/pod/feed.xml"))
    assert channel.findtext("podcast:guid", namespaces=NS) == expected_guid
    assert channel.findtext("podcast:locked", namespaces=NS) == "no"

    items = channel.findall("item")
    assert [i.findtext("title") for i in items] == ["Second", "First", "ep3"]  # newest first
    for item in items:
        enclosure = item.find("enclosure")
        name = enclosure.get("url").rsplit("/", 1)[1].replace("%20", " ")
        assert int(enclosure.get("length")) == os.path.getsize(episodes / name)
        guid = item.find("guid")
        assert uuid.UUID(guid.text).version == 5 and guid.get("isPermaLink") == "false"
    # The fixture's tones last 3.0, 2.0 and 1.0 s; only "Second" is tagged explicit.
    assert [i.findtext("itunes:duration", namespaces=NS) for i in items] == ["3", "2", "1"]
    assert [i.findtext("itunes:explicit", namespaces=NS) for i in items] == [
        "true",
        "false",
        "false",
    ]
    second, first, undated = items
    assert second.find("enclosure").get("type") == "audio/ogg"
    assert second.find("enclosure").get("url") == BASE + "ep%202.ogg"
    assert second.findtext("itunes:explicit", namespaces=NS) == "true"
    assert first.find("enclosure").get("type") == "audio/mpeg"
    assert first.findtext("description") == "The first."
    assert parsedate_to_datetime(first.findtext("pubDate")).date().isoformat() == "2026-11-01"
    assert parsedate_to_datetime(undated.findtext("pubDate")).timestamp() == 1_790_000_000


def test_feed_links_transcripts_and_chapters(episodes: Path) -> None:
    rss = _parse(build_feed(episodes, SHOW, BASE))
    first = rss.findall("channel/item")[1]
    links = {t.get("type"): t.get("url") for t in first.findall("podcast:transcript", NS)}
    assert links == {
        "text/vtt": BASE + "ep1.vtt",
        "application/x-subrip": BASE + "ep1.srt",
        "application/json": BASE + "ep1.transcript.json",
    }
    chapters = first.find("podcast:chapters", NS)
    assert chapters.get("url") == BASE + "ep1.chapters.json"
    assert chapters.get("type") == "application/json+chapters"
    second = rss.findall("channel/item")[0]
    assert second.find("podcast:transcript", NS) is None


def test_guids_are_stable_and_distinct(episodes: Path) -> None:
    one = _parse(build_feed(episodes, SHOW, BASE))
    spec_feed = "https://mp3s.nashownotes.com/pc20rss.xml"
    two = _parse(build_feed(episodes, SHOW, "https://mirror.example.net/", feed_url=spec_feed))
    guids = [g.text for g in one.iter("guid")]
    assert len(set(guids)) == 3
    assert guids == [g.text for g in two.iter("guid")]
    # The feed's own podcast:guid follows its address: the spec's example value for this one.
    spec_guid = "917393e3-1b1e-5cef-ace4-edaa54e1f810"
    assert two.findtext("channel/podcast:guid", namespaces=NS) == spec_guid


def test_write_feed_is_atomic_and_explicit_shows_are_true(episodes: Path) -> None:
    dest = episodes / "feed.xml"
    explicit = ShowSettings(title="Loud", explicit=True, image="https://x.example/a.jpg")
    assert write_feed(dest, episodes, explicit, BASE) == 3
    rss = _parse(dest.read_bytes())
    assert rss.findtext("channel/itunes:explicit", namespaces=NS) == "true"
    assert rss.find("channel/atom:link", {"atom": "http://www.w3.org/2005/Atom"}).get("href") == (
        BASE + "feed.xml"
    )
    assert not [p for p in episodes.iterdir() if p.name.startswith(".feed.xml")]


def test_empty_folder_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no episodes"):
        build_feed(tmp_path, SHOW, BASE)


def test_show_yaml_loads(tmp_path: Path) -> None:
    path = tmp_path / "show.yaml"
    path.write_text(
        "title: The Workshop\nauthor: Ada Byron\nexplicit: true\ncategory: Technology\n"
        "subcategory: Tech News\nimage: https://cdn.example.org/a.png\n",
        encoding="utf-8",
    )
    show = load_show_settings(path)
    assert show.title == "The Workshop" and show.explicit is True
    assert show.subcategory == "Tech News"


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("title: A\nauthr: B\n", 2, "unknown show setting 'authr'"),
        ("title: A\nexplicit: maybe\n", 2, "explicit must be true or false"),
        ("title: A\nauthor: [B\n", 3, "invalid YAML"),
        ("author: B\n", None, "need a title"),
    ],
)
def test_show_yaml_errors_name_file_and_line(
    tmp_path: Path, text: str, line: int | None, message: str
) -> None:
    path = tmp_path / "show.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=message) as info:
        load_show_settings(path)
    assert info.value.path == str(path)
    if line is not None:
        assert info.value.line == line


def test_the_category_must_be_one_apple_lists(tmp_path: Path, episodes: Path) -> None:
    settings = tmp_path / "show.yaml"
    settings.write_text("title: The Workshop\ncategory: Tech\n", encoding="utf-8")
    with pytest.raises(InputError, match="not an Apple Podcasts category") as caught:
        load_show_settings(settings)
    assert caught.value.line == 2 and "Technology" in (caught.value.hint or "")
    settings.write_text("title: W\ncategory: health and fitness\n", encoding="utf-8")
    assert load_show_settings(settings).category == "Health & Fitness"
    # Settings made from flags, without show_settings_from_dict, are checked when built.
    with pytest.raises(InputError, match="'Tech' is not"):
        build_feed(episodes, dataclasses.replace(SHOW, category="Tech"), BASE)
    xml = build_feed(episodes, dataclasses.replace(SHOW, category="true crime"), BASE)
    channel = etree.fromstring(xml).find("channel")
    assert channel.find("itunes:category", NS).get("text") == "True Crime"


@pytest.mark.parametrize(
    ("url", "guid"),
    [
        # The Podcasting 2.0 spec's own examples (podcast-namespace, the guid tag).
        ("https://mp3s.nashownotes.com/pc20rss.xml", "917393e3-1b1e-5cef-ace4-edaa54e1f810"),
        ("podnews.net/rss", "9b024349-ccf0-5f69-a609-6b82873eab3c"),
        ("https://podnews.net/rss/", "9b024349-ccf0-5f69-a609-6b82873eab3c"),
    ],
)
def test_podcast_guid_matches_the_specs_published_examples(url: str, guid: str) -> None:
    assert podcast_guid(url) == guid


def test_only_episodes_one_item_per_episode_and_guids_survive_a_renamed_show(
    episodes: Path,
) -> None:
    again = encode(tone(2.0), episodes / "ep1.m4a")  # the same episode in a second format
    write_tags(again, EpisodeTags(title="First", date="2026-11-01"))
    xml = build_feed(episodes, SHOW, BASE)
    channel = _parse(xml).find("channel")
    items = channel.findall("item")
    assert sorted(i.findtext("title") for i in items) == ["First", "Second", "ep3"]
    assert "jingle" not in xml.decode()
    first = next(i for i in items if i.findtext("title") == "First")
    assert first.find("enclosure").get("url").endswith("ep1.mp3")
    renamed = build_feed(episodes, dataclasses.replace(SHOW, title="The New Workshop"), BASE)
    assert [g.text for g in _parse(renamed).iter("guid")] == [g.text for g in channel.iter("guid")]


def test_episode_details_from_front_matter_reach_the_feed(tmp_path: Path) -> None:
    folder = tmp_path / "eps"
    folder.mkdir()
    cover = folder.parent / "art.png"
    cover.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
    ep = encode(tone(1.0), folder / "s1e2.mp3")
    details = {
        "episode": 2,
        "season": 1,
        "episode_type": "bonus",
        "link": "https://example.org/s1e2",
        "content": "<p>Show notes &amp; links</p>",
    }
    write_tags(ep, EpisodeTags(title="Two", cover=cover, feed=details))
    show = ShowSettings(title="Pod", author="Ann", category="Science", type="serial")
    channel = _parse(build_feed(folder, show, BASE)).find("channel")
    assert channel.findtext("itunes:type", namespaces=NS) == "serial"
    item = channel.find("item")
    assert item.findtext("itunes:episode", namespaces=NS) == "2"
    assert item.findtext("itunes:season", namespaces=NS) == "1"
    assert item.findtext("itunes:episodeType", namespaces=NS) == "bonus"
    assert item.findtext("link") == "https://example.org/s1e2"
    content = item.findtext("{http://purl.org/rss/1.0/modules/content/}encoded")
    assert content == "<p>Show notes &amp; links</p>"
    image = item.find("itunes:image", namespaces=NS).get("href")
    assert image == BASE + "s1e2.cover.png" and (folder / "s1e2.cover.png").is_file()


def test_missing_category_and_author_are_warned_not_defaulted(episodes: Path) -> None:
    from audiocast.export.feed import feed_warnings

    bare = ShowSettings(title="Bare", image="https://x.example/a.jpg")
    warnings = feed_warnings(bare)
    assert any("category" in w for w in warnings) and any("author" in w for w in warnings)
    channel = _parse(build_feed(episodes, bare, BASE)).find("channel")
    assert channel.find("itunes:category", namespaces=NS) is None
    assert feed_warnings(SHOW) == []
