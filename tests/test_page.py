"""The listener's page and the show's site as files: what render writes, what `page` and `site`
write from disk, escaping, and every link of a two-episode site resolving (no browser here;
tests/test_page_browser.py drives Chromium)."""

from __future__ import annotations

import json
import shutil
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from conftest import run_cli
from lxml import etree
from page_fixtures import (
    HOSTILE_LINE,
    HOSTILE_TITLE,
    SECOND_SCRIPT,
    render_episode,
    render_page_episode,
)

from audiocast.errors import InputError, UsageError
from audiocast.export.feed import ShowSettings
from audiocast.export.page import load_episode_page, render_page, write_page
from audiocast.export.site import build_site
from audiocast.pipeline import RenderResult


class Links(HTMLParser):
    """Every link, source, id and script element of an HTML document."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()
        self.scripts: list[dict[str, str | None]] = []
        self.text: list[str] = []
        self._tag: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        self._tag = tag
        if values.get("id"):
            self.ids.add(str(values["id"]))
        for name in ("href", "src"):
            if values.get(name):
                self.links.append(str(values[name]))
        if tag == "script":
            self.scripts.append(values)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse_html(path: Path) -> Links:
    parser = Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


@pytest.fixture(scope="module")
def episode(tmp_path_factory: pytest.TempPathFactory) -> RenderResult:
    return render_page_episode(tmp_path_factory.mktemp("page"))


def test_render_writes_the_page_beside_the_episode(episode: RenderResult) -> None:
    assert episode.page == episode.path.with_suffix(".html")
    assert episode.page.is_file()
    assert episode.page not in episode.sidecars
    assert not [p for p in episode.path.parent.iterdir() if p.name.startswith(".")]


def test_the_page_from_disk_is_the_page_render_wrote(episode: RenderResult) -> None:
    assert episode.page is not None
    assert render_page(load_episode_page(episode.path)) == episode.page.read_text("utf-8")


def test_the_page_is_self_contained(episode: RenderResult) -> None:
    assert episode.page is not None
    page = parse_html(episode.page)
    folder = episode.path.parent
    for link in page.links:
        scheme = urlsplit(link).scheme
        assert scheme in ("", "data"), f"the page loads {link}"
        if not scheme and not link.startswith("#"):
            assert (folder / unquote(link)).is_file(), link
    # One data block and one inline script; nothing loaded from elsewhere.
    assert [s.get("src") for s in page.scripts] == [None, None]
    assert {s.get("type") for s in page.scripts} == {"application/json", None}


def test_every_cue_and_chapter_is_on_the_page(episode: RenderResult) -> None:
    assert episode.page is not None
    html = episode.page.read_text("utf-8")
    page = parse_html(episode.page)
    text = "".join(page.text)
    for cue in episode.cues:
        assert cue.text in text
        assert cue.speaker is not None and cue.speaker in text
    for i, _cue in enumerate(episode.cues):
        assert f"cue-{i}" in page.ids
    for chapter in episode.chapters:
        assert chapter.title in text
    assert '<track kind="captions"' in html


def test_hostile_text_is_escaped_and_the_data_cannot_close_its_script(
    episode: RenderResult,
) -> None:
    assert episode.page is not None
    html = episode.page.read_text("utf-8")
    assert "<script>window.pwned" not in html
    assert "<img src=x" not in html
    page = parse_html(episode.page)
    text = "".join(page.text)
    assert HOSTILE_TITLE in text  # as text, once unescaped by the parser
    assert HOSTILE_LINE in text
    # Two script elements only: the JSON and the player; the data parses back as JSON.
    assert html.count("<script") == 2
    start = html.index('<script type="application/json" id="episode-data">')
    body = html[start:].split(">", 1)[1].split("</script>", 1)[0]
    assert (
        "\n".join(json.loads(body)["key"].split("\n")[:2]) == f"The Green Corner\n{HOSTILE_TITLE}"
    )


def test_no_page_option_writes_none(tmp_path: Path, episode: RenderResult) -> None:
    script = episode.path.with_suffix(".txt")
    out = tmp_path / "quiet.mp3"
    done = run_cli("render", script, "-o", out, "-q", "--no-page", "--no-sidecars")
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["quiet.mp3"]


def test_page_command_writes_from_the_sidecars(tmp_path: Path, episode: RenderResult) -> None:
    for path in episode.path.parent.iterdir():
        if path.suffix != ".html":
            shutil.copy(path, tmp_path / path.name)
    done = run_cli("page", tmp_path / episode.path.name)
    assert done.returncode == 0, done.stderr
    assert episode.page is not None
    written = tmp_path / episode.page.name
    assert done.stdout.strip() == f"wrote {written}"
    assert written.read_text("utf-8") == episode.page.read_text("utf-8")


def test_page_without_sidecars_links_only_the_audio(tmp_path: Path, episode: RenderResult) -> None:
    audio = tmp_path / episode.path.name
    shutil.copy(episode.path, audio)
    page = parse_html(write_page(audio))
    files = [link for link in page.links if not link.startswith(("#", "data:"))]
    assert files and set(files) == {audio.name}  # <source>, download, the no-script link
    assert not any(i.startswith("cue-") for i in page.ids)


def test_a_damaged_transcript_is_a_one_line_error(tmp_path: Path, episode: RenderResult) -> None:
    audio = tmp_path / episode.path.name
    shutil.copy(episode.path, audio)
    transcript = audio.with_suffix(".transcript.json")
    transcript.write_text('{"segments": [\n  {"startTime": "soon"}\n]}', encoding="utf-8")
    with pytest.raises(InputError, match="startTime must be a number"):
        load_episode_page(audio)
    transcript.write_text("{not json", encoding="utf-8")
    done = run_cli("page", audio)
    assert done.returncode == 2
    assert done.stderr.strip() == (
        f"audiocast: error: {transcript}:1: not a valid JSON sidecar "
        "(re-render the episode, or delete the file)"
    )
    assert not audio.with_suffix(".html").exists()


def test_page_of_a_missing_episode(tmp_path: Path) -> None:
    done = run_cli("page", tmp_path / "nothing.mp3")
    assert done.returncode == 2
    assert "nothing.mp3: episode not found" in done.stderr
    assert "Traceback" not in done.stderr


# ---- the site --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def episodes(tmp_path_factory: pytest.TempPathFactory, episode: RenderResult) -> Path:
    """A folder of two rendered episodes and a show.yaml."""
    folder = tmp_path_factory.mktemp("episodes")
    for path in episode.path.parent.iterdir():
        if path.name.startswith("forests."):
            shutil.copy(path, folder / path.name)
    render_episode(folder, SECOND_SCRIPT, "rain gardens")
    (folder / "show.yaml").write_text(
        "title: The Green Corner\nauthor: Sam Reyes\n"
        "description: Small green things & the people who grow them.\n"
        "image: https://example.org/green/cover.png\n",
        encoding="utf-8",
    )
    return folder


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, episodes: Path) -> Path:
    out = tmp_path_factory.mktemp("site") / "public"
    done = run_cli("site", episodes, "-o", out, "--base-url", "https://example.org/green/")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"wrote {out / 'index.html'} (2 episodes)"
    return out


def walk(start: Path) -> dict[Path, Links]:
    """Every HTML page reachable from ``start`` by its links, each link checked on the way."""
    seen: dict[Path, Links] = {}
    start = start.resolve()
    todo = [start]
    while todo:
        page = todo.pop()
        if page in seen:
            continue
        seen[page] = parsed = parse_html(page)
        for link in parsed.links:
            parts = urlsplit(link)
            if parts.scheme == "data":
                continue
            assert not parts.scheme and not parts.netloc, f"{page.name}: absolute link {link}"
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            assert target.is_file(), f"{page.name}: {link} does not resolve"
            assert target.parent == start.parent, f"{page.name}: {link} leaves the site"
            if parts.fragment and target.suffix == ".html":
                ids = parse_html(target).ids
                assert parts.fragment in ids or parts.fragment.startswith("t="), link
            if target.suffix == ".html":
                todo.append(target)
    return seen


def test_every_link_of_the_site_resolves(site: Path) -> None:
    pages = walk(site / "index.html")
    assert sorted(p.name for p in pages) == ["forests.html", "index.html", "rain gardens.html"]
    index = pages[(site / "index.html").resolve()]
    linked = {unquote(link) for link in index.links}
    assert {"feed.xml", "cover.png", "forests.html", "rain gardens.html"} <= linked
    for name in ("forests", "rain gardens"):
        for suffix in (".mp3", ".vtt", ".srt", ".transcript.json", ".chapters.json"):
            assert (site / f"{name}{suffix}").is_file()


def test_the_index_lists_the_newest_first_with_what_a_listener_needs(site: Path) -> None:
    index = parse_html(site / "index.html")
    pages = [unquote(link) for link in index.links if link.endswith(".html")]
    assert pages == ["rain gardens.html", "forests.html"]
    text = "".join(index.text)
    assert "2 December 2026" in text and "25 November 2026" in text
    assert "Where the water goes when it rains." in text
    assert HOSTILE_TITLE in text
    covers = [unquote(link) for link in index.links if ".cover." in link]
    assert covers == ["rain gardens.cover.png", "forests.cover.png"]
    assert (site / "forests.cover.png").read_bytes().startswith(b"\x89PNG")


def test_the_site_feed_is_the_feed_of_the_episodes(site: Path) -> None:
    root = etree.fromstring((site / "feed.xml").read_bytes())
    urls = [e.get("url") for e in root.iter("enclosure")]
    assert urls == [
        "https://example.org/green/rain%20gardens.mp3",
        "https://example.org/green/forests.mp3",
    ]
    for url in urls:
        assert (site / unquote(url.rsplit("/", 1)[1])).is_file()


def test_site_refuses_its_own_episodes_folder_and_an_empty_folder(
    tmp_path: Path, episodes: Path
) -> None:
    show = ShowSettings(title="Show")
    with pytest.raises(UsageError, match="the site folder is the episodes folder"):
        build_site(episodes, episodes, show, "https://example.org")
    with pytest.raises(InputError, match="no episodes found"):
        build_site(tmp_path, tmp_path / "site", show, "https://example.org")
    assert not (tmp_path / "site").exists() or not any((tmp_path / "site").iterdir())
