"""The listener's page in a real headless Chromium: the player, the transcript following the
audio, search, ``#t=`` links, the keyboard, hostile text, layouts, and the site over HTTP.

Needs the system's Chromium (``apt-get install chromium``); skipped with the reason without it.
"""

from __future__ import annotations

import functools
import http.server
import itertools
import json
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from page_fixtures import (
    HOSTILE_LINE,
    HOSTILE_TITLE,
    SECOND_SCRIPT,
    launch_browser,
    render_episode,
    render_page_episode,
)

from audiocast.pipeline import RenderResult

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with launch_browser() as launched:
        yield launched


@pytest.fixture(scope="module")
def episode(tmp_path_factory: pytest.TempPathFactory) -> RenderResult:
    return render_page_episode(tmp_path_factory.mktemp("browser-page"))


class Tab:
    """A page opened in its own browser context, recording console errors and failed loads."""

    def __init__(self, browser: Any, url: str, **context: Any) -> None:
        self.context = browser.new_context(**context)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.page.on(
            "console",
            lambda m: self.errors.append(f"console: {m.text}") if m.type == "error" else None,
        )
        self.page.on("pageerror", lambda e: self.errors.append(f"pageerror: {e}"))
        self.page.on("requestfailed", lambda r: self.errors.append(f"failed: {r.url}"))
        self.page.on("dialog", self._dialog)
        self.page.goto(url)
        self.page.wait_for_function("document.getElementById('audio').readyState >= 1")

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def js(self, expression: str, arg: Any = None) -> Any:
        return self.page.evaluate(expression, arg)

    def time(self) -> float:
        return float(self.js("document.getElementById('audio').currentTime"))

    def seek(self, seconds: float) -> None:
        self.js(
            """t => new Promise(done => {
                const a = document.getElementById('audio');
                const settled = () => requestAnimationFrame(() => done());
                a.addEventListener('seeked', settled, {once: true});
                a.currentTime = t;
            })""",
            seconds,
        )

    def seek_by(self, action: Callable[[], object]) -> float:
        """Where `action` made the audio seek to, read at the `seeking` event itself: a click
        that also starts playback moves the clock on before a later read could see it."""
        self.js(
            """() => { window.__seekedTo = null;
                document.getElementById('audio').addEventListener('seeking',
                    e => { window.__seekedTo = e.target.currentTime; }, {once: true}); }"""
        )
        action()
        self.page.wait_for_function("window.__seekedTo !== null")
        return float(self.js("window.__seekedTo"))

    def current_cue(self) -> str | None:
        return self.js("document.querySelector('.cue.current')?.id ?? null")  # type: ignore[no-any-return]

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def tab(browser: Any, episode: RenderResult) -> Iterator[Tab]:
    assert episode.page is not None
    opened = Tab(browser, episode.page.as_uri())
    yield opened
    opened.close()


def cues_of(episode: RenderResult) -> list[dict[str, Any]]:
    doc = json.loads(episode.path.with_suffix(".transcript.json").read_text("utf-8"))
    return doc["segments"]  # type: ignore[no-any-return]


def test_the_page_loads_from_file_with_no_errors(tab: Tab, episode: RenderResult) -> None:
    tab.page.wait_for_timeout(300)
    assert tab.errors == []
    # Native captions: the track loaded every cue of the transcript.
    tab.page.wait_for_function("document.getElementById('audio').textTracks[0].cues?.length > 0")
    segments = cues_of(episode)
    assert tab.js("document.getElementById('audio').textTracks[0].cues.length") == len(segments)
    assert tab.js("document.getElementById('audio').textTracks[0].kind") == "captions"
    # Every cue with its speaker, in order.
    shown = tab.js(
        """[...document.querySelectorAll('.cue')].map(c => [
            c.closest('.turn').querySelector('.speaker').textContent,
            c.querySelector('.text').textContent])"""
    )
    assert shown == [[s["speaker"], s["body"]] for s in segments]
    # Landmarks, and a name for every control a screen reader announces.
    landmarks = tab.js(
        "['header', 'main', 'footer', 'nav', '[role=search]', 'section[aria-label]']"
        ".map(s => document.querySelectorAll(s).length)"
    )
    assert all(landmarks), landmarks
    unnamed = tab.js(
        """[...document.querySelectorAll('button, a, input, select')].filter(e =>
            !(e.getAttribute('aria-label') || e.textContent.trim() || e.labels?.length))
          .map(e => e.outerHTML)"""
    )
    assert unnamed == []


def test_play_advances_the_time(tab: Tab) -> None:
    tab.page.click("#play")
    tab.page.wait_for_function("document.getElementById('audio').currentTime > 0.5")
    assert tab.js("document.getElementById('play').getAttribute('aria-label')") == "Pause"
    tab.page.click("#play")
    assert tab.js("document.getElementById('audio').paused") is True
    assert tab.errors == []


def test_the_highlighted_cue_is_the_one_holding_the_time(tab: Tab, episode: RenderResult) -> None:
    segments = cues_of(episode)
    for i, s in enumerate(segments):
        for t in (s["startTime"] + 0.01, (s["startTime"] + s["endTime"]) / 2, s["endTime"] - 0.05):
            tab.seek(t)
            assert tab.current_cue() == f"cue-{i}", t
    gaps = [
        (a["endTime"] + b["startTime"]) / 2
        for a, b in itertools.pairwise(segments)
        if b["startTime"] - a["endTime"] > 0.1
    ]
    assert gaps, "the episode has pauses between turns"
    tab.seek(gaps[0])
    assert tab.current_cue() is None
    # The chapter holding the time is highlighted too.
    starts = tab.js("[...document.querySelectorAll('#chapter-list li')].map(l => +l.dataset.start)")
    assert len(starts) >= 3
    tab.seek(starts[2] + 0.2)
    current = "[...document.querySelectorAll('#chapter-list li')].map(l => l.className)"
    assert tab.js(current) == ["", "", "current", *[""] * (len(starts) - 3)]


def test_the_current_cue_is_kept_in_view(browser: Any, episode: RenderResult) -> None:
    assert episode.page is not None
    # A short window, so the transcript box scrolls.
    small = Tab(browser, episode.page.as_uri(), viewport={"width": 900, "height": 420})
    try:
        last = len(cues_of(episode)) - 1
        small.seek(cues_of(episode)[last]["startTime"] + 0.1)
        small.page.wait_for_timeout(800)  # the smooth scroll
        inside = small.js(
            """() => { const box = document.getElementById('cues').getBoundingClientRect();
                const cue = document.querySelector('.cue.current').getBoundingClientRect();
                return cue.top >= box.top - 1 && cue.bottom <= box.bottom + 1; }"""
        )
        assert small.js("document.getElementById('cues').scrollTop") > 0
        assert inside
    finally:
        small.close()


def test_clicking_a_cue_and_a_chapter_seeks_there(tab: Tab, episode: RenderResult) -> None:
    segments = cues_of(episode)
    landed = tab.seek_by(lambda: tab.page.click("#cue-3 .text"))
    assert abs(landed - segments[3]["startTime"]) < 0.05
    tab.page.wait_for_function("!document.getElementById('audio').paused")
    tab.page.click("#play")
    chapters = tab.page.locator("#chapter-list li")
    start = float(chapters.nth(2).get_attribute("data-start"))
    landed = tab.seek_by(lambda: chapters.nth(2).locator("button").click())
    assert abs(landed - start) < 0.05
    tab.page.wait_for_function("!document.getElementById('audio').paused")
    tab.page.click("#play")
    # A cue's time stamp is a #t= link: the address changes, the audio seeks.
    landed = tab.seek_by(lambda: tab.page.click("#cue-2 .stamp"))
    tab.page.wait_for_function("location.hash.startsWith('#t=')")
    assert abs(landed - segments[2]["startTime"]) < 0.05
    assert tab.errors == []


def test_search_highlights_matches_and_jumps_between_them(tab: Tab, episode: RenderResult) -> None:
    word = "forest"
    expected = sum(s["body"].lower().count(word) for s in cues_of(episode))
    assert expected >= 2
    tab.page.fill("#search", word)
    tab.page.wait_for_function(f"document.querySelectorAll('#cues mark').length === {expected}")
    assert tab.js(
        "document.querySelector('mark.current') === document.querySelectorAll('#cues mark')[0]"
    )
    status = tab.page.text_content("#search-status")
    assert status == f"Match 1 of {expected}"
    tab.page.press("#search", "Enter")
    assert tab.page.text_content("#search-status") == f"Match 2 of {expected}"
    assert tab.js(
        "document.querySelector('mark.current') === document.querySelectorAll('#cues mark')[1]"
    )
    tab.page.press("#search", "Shift+Enter")
    tab.page.press("#search", "Shift+Enter")
    assert tab.page.text_content("#search-status") == f"Match {expected} of {expected}"
    # The current match is in view inside the transcript box.
    assert tab.js(
        """() => { const box = document.getElementById('cues').getBoundingClientRect();
            const m = document.querySelector('mark.current').getBoundingClientRect();
            return m.top >= box.top - 1 && m.bottom <= box.bottom + 1; }"""
    )
    # Clearing the search restores the text exactly.
    tab.page.fill("#search", "")
    tab.page.wait_for_function("document.querySelectorAll('#cues mark').length === 0")
    texts = tab.js("[...document.querySelectorAll('.cue .text')].map(t => t.textContent)")
    assert texts == [s["body"] for s in cues_of(episode)]
    tab.page.fill("#search", "no-such-word")
    tab.page.wait_for_function(
        "document.getElementById('search-status').textContent.startsWith('No matches')"
    )


def test_a_time_link_opens_the_page_at_that_moment(browser: Any, episode: RenderResult) -> None:
    assert episode.page is not None
    segments = cues_of(episode)
    t = round((segments[2]["startTime"] + segments[2]["endTime"]) / 2, 1)
    linked = Tab(browser, f"{episode.page.as_uri()}#t={t}")
    try:
        linked.page.wait_for_function(
            f"Math.abs(document.getElementById('audio').currentTime - {t}) < 0.05"
        )
        assert linked.current_cue() == "cue-2"
        assert linked.errors == []
    finally:
        linked.close()


def test_the_position_is_remembered(browser: Any, episode: RenderResult) -> None:
    assert episode.page is not None
    first = Tab(browser, episode.page.as_uri())
    try:
        first.seek(12.5)
        first.page.click("#play")
        first.page.click("#play")  # pausing saves the position
        saved = first.time()
        first.page.reload()
        first.page.wait_for_function("document.getElementById('audio').readyState >= 1")
        first.page.wait_for_function(
            f"Math.abs(document.getElementById('audio').currentTime - {saved}) < 0.05"
        )
    finally:
        first.close()


def test_the_keyboard_alone_plays_seeks_and_changes_speed(tab: Tab) -> None:
    keys = tab.page.keyboard
    # Tab from the top of the page reaches the play button.
    for _ in range(12):
        keys.press("Tab")
        if tab.js("document.activeElement.id") == "play":
            break
    assert tab.js("document.activeElement.id") == "play"
    assert tab.js("getComputedStyle(document.activeElement).outlineStyle") != "none"
    keys.press("Enter")
    tab.page.wait_for_function("document.getElementById('audio').currentTime > 0.3")
    keys.press("k")
    assert tab.js("document.getElementById('audio').paused") is True
    tab.js("document.activeElement.blur()")
    keys.press("Space")
    assert tab.js("document.getElementById('audio').paused") is False
    keys.press("Space")
    tab.seek(10)
    keys.press("ArrowRight")
    assert abs(tab.time() - 15) < 0.05
    keys.press("j")
    assert abs(tab.time() - 0) < 0.05
    keys.press("l")
    keys.press("l")
    assert abs(tab.time() - 30) < 0.05
    keys.press("ArrowLeft")
    assert abs(tab.time() - 25) < 0.05
    keys.press(">")
    keys.press(">")
    assert tab.js("document.getElementById('audio').playbackRate") == 1.5
    keys.press("<")
    assert tab.js("document.getElementById('audio').playbackRate") == 1.25
    for _ in range(5):
        keys.press(">")
    assert tab.js("document.getElementById('audio').playbackRate") == 2
    # The speed control itself, by keyboard.
    tab.page.focus("#speed")
    keys.press("ArrowUp")
    assert tab.js("document.getElementById('audio').playbackRate") == 1.75
    # Typing in the search box never drives the player.
    tab.page.focus("#search")
    keys.type("l k")
    assert abs(tab.time() - 25) < 0.05
    assert tab.errors == []


def test_hostile_text_is_shown_as_text(tab: Tab) -> None:
    tab.page.wait_for_timeout(300)
    assert tab.page.text_content("h1") == HOSTILE_TITLE
    assert HOSTILE_TITLE in tab.page.title()
    texts = tab.js("[...document.querySelectorAll('.cue .text')].map(t => t.textContent)")
    assert HOSTILE_LINE in texts
    assert tab.js("window.pwned === undefined")
    assert tab.js("document.querySelectorAll('#cues img, #cues script, h1 *').length") == 0
    assert tab.dialogs == []
    # Search for markup finds it as text and marks it without making it markup.
    tab.page.fill("#search", "<img")
    tab.page.wait_for_function("document.querySelectorAll('#cues mark').length === 1")
    assert tab.js("document.querySelectorAll('#cues img').length") == 0
    assert tab.js("window.pwned === undefined")
    assert tab.errors == []


@pytest.mark.parametrize(
    ("name", "width", "scheme"),
    [("phone", 360, "light"), ("desktop", 1280, "light"), ("phone-dark", 360, "dark")],
)
def test_layouts_and_screenshots(
    browser: Any, episode: RenderResult, tmp_path: Path, name: str, width: int, scheme: str
) -> None:
    assert episode.page is not None
    shot = Tab(
        browser,
        episode.page.as_uri(),
        viewport={"width": width, "height": 900},
        color_scheme=scheme,
    )
    try:
        shot.js(
            """() => { window.__shift = 0;
                new PerformanceObserver(list => { for (const e of list.getEntries())
                    if (!e.hadRecentInput) window.__shift += e.value; })
                .observe({type: 'layout-shift', buffered: false}); }"""
        )
        before = shot.js(
            "JSON.stringify(document.getElementById('player').getBoundingClientRect())"
        )
        shot.js("document.getElementById('audio').play()")
        shot.page.wait_for_function("document.getElementById('audio').currentTime > 1.5")
        shot.js("document.getElementById('audio').pause()")
        after = shot.js("JSON.stringify(document.getElementById('player').getBoundingClientRect())")
        assert before == after, "the player moved while playing"
        assert shot.js("window.__shift") == 0, "layout shifted while playing"
        # Nothing wider than the screen.
        assert shot.js("document.documentElement.scrollWidth") <= width
        shot.seek(cues_of(episode)[2]["startTime"] + 0.2)
        path = tmp_path / f"page-{name}.png"
        shot.page.screenshot(path=str(path), full_page=True)
        assert path.stat().st_size > 10_000
        print(f"screenshot: {path}")
        # Dark mode follows prefers-color-scheme.
        background = shot.js("getComputedStyle(document.body).backgroundColor")
        assert background == {"light": "rgb(247, 245, 241)", "dark": "rgb(20, 22, 26)"}[scheme]
        assert shot.errors == []
    finally:
        shot.close()


# ---- the site, served over loopback HTTP -----------------------------------------------------


@pytest.fixture(scope="module")
def served_site(tmp_path_factory: pytest.TempPathFactory, episode: RenderResult) -> Iterator[str]:
    from audiocast.export.feed import ShowSettings
    from audiocast.export.site import build_site

    folder = tmp_path_factory.mktemp("site-episodes")
    for path in episode.path.parent.iterdir():
        if path.name.startswith("forests."):
            (folder / path.name).write_bytes(path.read_bytes())
    render_episode(folder, SECOND_SCRIPT, "rain gardens")
    out = tmp_path_factory.mktemp("site") / "public"
    build_site(folder, out, ShowSettings(title="The Green Corner"), "https://example.org/green")
    handler = functools.partial(QuietHandler, directory=str(out))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def test_the_site_works_over_http(browser: Any, served_site: str, tmp_path: Path) -> None:
    context = browser.new_context()
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("requestfailed", lambda r: errors.append(f"failed: {r.url}"))
        page.on(
            "response", lambda r: errors.append(f"{r.status}: {r.url}") if r.status >= 400 else None
        )
        page.goto(served_site)
        titles = page.eval_on_selector_all(".episode-card h3 a", "as => as.map(a => a.textContent)")
        assert titles == ["Rain Gardens", HOSTILE_TITLE]
        for width in (360, 1280):
            page.set_viewport_size({"width": width, "height": 800})
            assert page.evaluate("document.documentElement.scrollWidth") <= width
            page.screenshot(path=str(tmp_path / f"index-{width}.png"), full_page=True)
            print(f"screenshot: {tmp_path / f'index-{width}.png'}")
        page.click("text=Rain Gardens")
        page.wait_for_function("document.getElementById('audio').readyState >= 1")
        page.click("#play")
        page.wait_for_function("document.getElementById('audio').currentTime > 0.3")
        page.click("nav[aria-label=Show] a")
        page.wait_for_url(served_site + "index.html")
        assert errors == []
    finally:
        context.close()
