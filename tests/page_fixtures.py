"""Episodes and a headless Chromium for the page tests (made here; the browser is the system's).

The browser tests need Debian's ``chromium`` (``apt-get install chromium``) and Playwright's
Python package; Playwright's own browser download is never used. Without either they are
skipped with the reason, or fail when ``AUDIOCAST_REQUIRE_BROWSER=1`` (as in ``.ci/run``), so a
CI machine that lost its browser cannot pass them silently.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import ffmpeg

from audiocast.pipeline import RenderOptions, RenderResult, render

HOSTILE_TITLE = "Tiny <script>window.pwned=1</script> \"Forests\" ]]> & 'shade'"
HOSTILE_LINE = 'Is <img src=x onerror="window.pwned=2"> safe? Even "quotes" and ]]> too.'

PAGE_SCRIPT = """\
---
title: {title}
show: The Green Corner
author: Sam Reyes
date: 2026-11-25
cover: cover.png
description: Why a plot the size of a tennis court can cool a street.
---
Sam Reyes, HOST: Welcome back. Today, tiny forests.

Dr. Ada Okafor: Thank you. A tiny forest is a dense planting of native trees.

Sam Reyes: {line}

Dr. Ada Okafor: Under the canopy the air is often three degrees cooler.

Sam Reyes: And the birds?

Dr. Ada Okafor: The birds arrive in the second summer. Forests need patience.
"""

SECOND_SCRIPT = """\
---
title: Rain Gardens
show: The Green Corner
date: 2026-12-02
cover: cover.png
description: Where the water goes when it rains.
---
Sam Reyes, HOST: What is a rain garden?

Lena Ortiz: A shallow bed of plants that drinks the water from a roof.
"""


def make_cover(path: Path) -> Path:
    """A 300 px square PNG: a gradient where this ffmpeg has the filter, else a flat colour."""
    for source in ("gradients=s=300x300:c0=0x0b6e63:c1=0xf2c14e:x0=0:y0=0:x1=300:y1=300",
                   "color=c=0x0b6e63:s=300x300"):  # fmt: skip
        done = ffmpeg("-v", "error", "-y", "-f", "lavfi", "-i", source, "-frames:v", "1", path)
        if done.returncode == 0:
            return path
    raise AssertionError(done.stderr.decode())


def render_episode(folder: Path, text: str, name: str, **options: Any) -> RenderResult:
    """Render ``text`` (naming ``cover.png``) to ``folder/NAME.mp3`` with the real engine."""
    folder.mkdir(parents=True, exist_ok=True)
    make_cover(folder / "cover.png")
    script = folder / f"{name}.txt"
    script.write_text(text, encoding="utf-8")
    return render(script, RenderOptions(output=folder / f"{name}.mp3", **options))


def render_page_episode(folder: Path, **options: Any) -> RenderResult:
    """The page tests' episode: a hostile title and line, six turns, a cover."""
    text = PAGE_SCRIPT.format(title=yaml_quote(HOSTILE_TITLE), line=HOSTILE_LINE)
    return render_episode(folder, text, "forests", **options)


def yaml_quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    # Tests press play without a user's gesture.
    "--autoplay-policy=no-user-gesture-required",
]


def chromium_path() -> str | None:
    wanted = os.environ.get("AUDIOCAST_CHROMIUM")
    if wanted:
        return wanted if Path(wanted).is_file() else None
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    return None


def _unavailable(reason: str) -> None:
    if os.environ.get("AUDIOCAST_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason}, and AUDIOCAST_REQUIRE_BROWSER=1")
    pytest.skip(reason)


@contextlib.contextmanager
def launch_browser() -> Iterator[Any]:
    """A headless system Chromium driven by Playwright (skips, or fails, when there is none)."""
    executable = chromium_path()
    if executable is None:
        _unavailable("no Chromium: apt-get install chromium (or set AUDIOCAST_CHROMIUM)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("Playwright is not installed: pip install '.[test]'")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=executable, args=CHROMIUM_FLAGS, headless=True
        )
        try:
            yield launched
        finally:
            launched.close()
