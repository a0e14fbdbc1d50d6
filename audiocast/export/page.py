"""The listener's page: ``NAME.html`` beside the episode, one self-contained static file.

The page holds its CSS, script, cover art and captions inline and links only to the episode's
own files beside it (audio and sidecars), so it works from ``file://`` and on any static host
with no network. It is rendered with Jinja2 with autoescaping on: every text that comes from the
script (title, description, speaker names, transcript) reaches the page escaped, and the data the
player script reads is embedded with ``tojson``, which escapes ``<``, ``>``, ``&`` and ``'``, so
no transcript can close the script element or run markup.

An :class:`EpisodePage` is built either from a render's own values (:func:`page_for_render`) or
from an episode on disk and its sidecars (:func:`load_episode_page`); both give the same page.
"""

from __future__ import annotations

import base64
import contextlib
import json
import mimetypes
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from markupsafe import Markup

from ..atomic import atomic_path
from ..errors import InputError
from ..language import DEFAULT_LANGUAGE, from_stored
from ..model import CaptionCue, Chapter
from ..outputs import OutputSet
from ..report import format_duration, format_size
from .captions import caption_paths, to_vtt
from .chapters import chapter_ends, chapters_path
from .tags import (
    Cover,
    EpisodeTags,
    duration_of,
    read_chapters,
    read_cover,
    read_embedded_cover,
    read_tags,
)

if TYPE_CHECKING:
    import jinja2

SPEEDS = (0.75, 1.0, 1.25, 1.5, 1.75, 2.0)
"""Playback speeds the player offers."""

_MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip


@dataclass(frozen=True)
class Download:
    label: str
    file: str
    """File name beside the page (not yet URL-quoted)."""
    size: int | None = None


@dataclass(frozen=True)
class EpisodePage:
    """Everything the page shows; links are file names beside the episode."""

    audio: str
    """The episode's file name."""
    audio_mime: str
    title: str
    show: str | None = None
    author: str | None = None
    date: str | None = None
    description: str | None = None
    language: str = "en"
    cover: Cover | None = None
    duration: float = 0.0
    chapters: tuple[Chapter, ...] = ()
    cues: tuple[CaptionCue, ...] = ()
    downloads: tuple[Download, ...] = ()
    home: str | None = None
    """Relative link to the show's index page, when the page is part of a site."""


def page_path(episode: Path) -> Path:
    """``episode.mp3`` -> ``episode.html``."""
    return Path(episode).with_suffix(".html")


_SIDECAR_LABELS = ("Captions (WebVTT)", "Subtitles (SRT)", "Transcript (JSON)", "Chapters (JSON)")


def sidecar_files(episode: Path) -> tuple[Path, ...]:
    """The sidecars a render writes beside ``episode``, in the order the page links them."""
    captions = caption_paths(episode.with_suffix(""))
    return (captions["vtt"], captions["srt"], captions["json"], chapters_path(episode))


def _downloads(episode: Path, size: int, present: Callable[[Path], bool]) -> tuple[Download, ...]:
    """The episode's audio (with its size), then each sidecar for which ``present`` holds."""
    links = [Download("Audio", episode.name, size)]
    for label, path in zip(_SIDECAR_LABELS, sidecar_files(episode), strict=True):
        if present(path):
            links.append(Download(label, path.name))
    return tuple(links)


def _mime(path: Path) -> str:
    known = {".m4a": "audio/mp4", ".opus": "audio/ogg", ".ogg": "audio/ogg", ".flac": "audio/flac"}
    return known.get(path.suffix.lower()) or mimetypes.guess_type(path.name)[0] or "audio/mpeg"


def page_for_render(
    episode: Path,
    tags: EpisodeTags,
    chapters: Sequence[Chapter],
    cues: Sequence[CaptionCue],
    *,
    duration: float,
    size: int,
    sidecars: bool = True,
) -> EpisodePage:
    """The page of an episode being rendered to ``episode``, from the render's own values:
    ``duration`` and ``size`` of the encoded audio, and whether the sidecars are written."""
    episode = Path(episode)
    cover = read_cover(tags.cover) if tags.cover is not None else None
    return EpisodePage(
        audio=episode.name,
        audio_mime=_mime(episode),
        title=tags.title or "Untitled episode",
        show=tags.show,
        author=tags.author,
        date=tags.date,
        description=tags.description,
        language=tags.language or "en",
        cover=cover,
        duration=duration,
        chapters=tuple(chapters),
        cues=tuple(cues),
        downloads=_downloads(episode, size, lambda _: sidecars),
    )


def _read_json(path: Path) -> Any:
    hint = "re-render the episode, or delete the file"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        line = getattr(exc, "lineno", None)
        raise InputError("not a valid JSON sidecar", path=path, line=line, hint=hint) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", path=path) from None


def _number(value: Any, path: Path, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InputError(
            f"{what} must be a number of seconds", path=path, hint="re-render the episode"
        )
    return float(value)


def read_transcript(path: Path) -> tuple[CaptionCue, ...]:
    """The cues of a Podcasting 2.0 JSON transcript (as ``render`` writes it)."""
    doc = _read_json(path)
    segments = doc.get("segments") if isinstance(doc, dict) else None
    if not isinstance(segments, list):
        raise InputError("a JSON transcript needs a 'segments' list", path=path)
    cues = []
    for item in segments:
        if not isinstance(item, dict) or not isinstance(item.get("body", ""), str):
            raise InputError("a transcript segment must have a text 'body'", path=path)
        speaker = item.get("speaker")
        cues.append(
            CaptionCue(
                start=_number(item.get("startTime"), path, "startTime"),
                end=_number(item.get("endTime"), path, "endTime"),
                text=item.get("body", ""),
                speaker=str(speaker) if speaker else None,
            )
        )
    return tuple(cues)


def read_chapters_json(path: Path) -> tuple[Chapter, ...]:
    """The chapters of a Podcasting 2.0 chapters file (as ``render`` writes it)."""
    doc = _read_json(path)
    items = doc.get("chapters") if isinstance(doc, dict) else None
    if not isinstance(items, list) or not all(isinstance(c, dict) for c in items):
        raise InputError("a chapters file needs a 'chapters' list", path=path)
    return tuple(
        Chapter(
            start=_number(c.get("startTime"), path, "startTime"),
            title=str(c.get("title", "")),
            end=_number(c["endTime"], path, "endTime") if "endTime" in c else None,
        )
        for c in items
    )


def load_episode_page(episode: Path) -> EpisodePage:
    """The page of an episode on disk: its tags and cover, and the sidecars found beside it.

    Chapters come from ``NAME.chapters.json`` (else the file's own chapters), the transcript
    from ``NAME.transcript.json``; a missing sidecar leaves its part out.
    """
    episode = Path(episode)
    if not episode.is_file():
        raise InputError("episode not found", path=episode, hint="render it first")
    tags = read_tags(episode)
    chapters_file = chapters_path(episode)
    if chapters_file.is_file():
        chapters = read_chapters_json(chapters_file)
    else:
        chapters = tuple(read_chapters(episode))
    transcript = caption_paths(episode.with_suffix(""))["json"]
    cues = read_transcript(transcript) if transcript.is_file() else ()
    return EpisodePage(
        audio=episode.name,
        audio_mime=_mime(episode),
        title=tags.get("title") or episode.stem,
        show=tags.get("show"),
        author=tags.get("author") or None,
        date=tags.get("date"),
        description=tags.get("description"),
        language=_language(tags.get("language")),
        cover=read_embedded_cover(episode),
        duration=duration_of(episode) or 0.0,
        chapters=chapters,
        cues=cues,
        downloads=_downloads(episode, episode.stat().st_size, Path.is_file),
    )


def _language(value: str | None) -> str:
    """A BCP 47 tag for ``<html lang>``: ID3 stores ISO 639-2 (``eng``), Vorbis what was given."""
    return from_stored(value) if value else DEFAULT_LANGUAGE


# ---- rendering -----------------------------------------------------------------------------


@cache
def environment() -> jinja2.Environment:
    """The templates (package data under ``templates/``), autoescaped."""
    import jinja2  # here, not at the top: a render without a page never pays for it

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("audiocast.export", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["clock"] = format_duration
    env.filters["seconds"] = seconds_text
    env.filters["size"] = format_size
    env.filters["url"] = lambda name: quote(str(name))
    env.filters["pretty_date"] = pretty_date
    env.filters["paragraphs"] = lambda text: [p.strip() for p in text.split("\n\n") if p.strip()]
    return env


def asset(name: str) -> Markup:
    """A stylesheet or script from the templates folder, inlined as it is (never a template)."""
    loader = environment().loader
    assert loader is not None
    source, _, _ = loader.get_source(environment(), name)
    return Markup(source)


def pretty_date(value: str) -> str:
    """``2026-01-05`` -> ``5 January 2026``; anything else as given."""
    try:
        day = date.fromisoformat(value[:10])
    except ValueError:
        return value
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def seconds_text(value: float) -> str:
    """Seconds as the page's links and data attributes hold them: ``12.5``, ``3``."""
    return f"{value:.3f}".rstrip("0").rstrip(".")


def data_uri(data: bytes, mime: str) -> str:
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def _turns(cues: Sequence[CaptionCue]) -> list[dict[str, Any]]:
    """Consecutive cues by one speaker, as the transcript shows them under one name."""
    turns: list[dict[str, Any]] = []
    for index, cue in enumerate(cues):
        if not turns or turns[-1]["speaker"] != cue.speaker:
            turns.append({"speaker": cue.speaker, "start": cue.start, "cues": []})
        turns[-1]["cues"].append({"index": index, "cue": cue})
    return turns


def render_page(page: EpisodePage) -> str:
    """The page's HTML."""
    duration = page.duration or (page.cues[-1].end if page.cues else 0.0)
    ends = chapter_ends(page.chapters, duration)
    chapters = [
        {"start": c.start, "end": end, "title": c.title, "at": _percent(c.start, duration)}
        for c, end in zip(page.chapters, ends, strict=True)
    ]
    data = {
        # Remembered positions are keyed by show, title and file: one per episode, not per copy.
        "key": "\n".join([page.show or "", page.title, page.audio]),
        "duration": duration,
        "cues": [[round(c.start, 3), round(c.end, 3)] for c in page.cues],
        "chapters": [
            [round(c.start, 3), round(end, 3)] for c, end in zip(page.chapters, ends, strict=True)
        ],
    }
    vtt = "data:text/vtt;charset=utf-8," + quote(to_vtt(page.cues)) if page.cues else None
    cover = data_uri(page.cover.data, page.cover.mime) if page.cover else None
    html: str = (
        environment()
        .get_template("episode.html.j2")
        .render(
            page=page,
            duration=duration,
            chapters=chapters,
            turns=_turns(page.cues),
            speeds=SPEEDS,
            data=data,
            vtt=vtt,
            cover=cover,
            css=asset("page.css"),
            script=asset("player.js"),
        )
    )
    return html


def _percent(seconds: float, duration: float) -> float:
    return round(100 * min(max(seconds / duration, 0.0), 1.0), 3) if duration > 0 else 0.0


def stage_page(outputs: OutputSet | contextlib.ExitStack, page: EpisodePage, dest: Path) -> Path:
    """Write the page to a temporary that ``outputs`` puts at ``dest`` when it commits (a
    render's ``OutputSet``) or closes (an ``ExitStack`` of ``atomic_path``s)."""
    if isinstance(outputs, OutputSet):
        tmp = outputs.stage(dest)
    else:
        tmp = outputs.enter_context(atomic_path(dest))
    tmp.write_text(render_page(page), encoding="utf-8")
    return dest


def write_page(episode: Path, output: Path | None = None) -> Path:
    """Write the page of the episode on disk at ``episode`` (default ``NAME.html`` beside it).

    Its links are file names, so a page written elsewhere still expects the episode's files
    beside it.
    """
    page = load_episode_page(episode)
    dest = Path(output) if output is not None else page_path(episode)
    with OutputSet() as outputs:
        stage_page(outputs, page, dest)
        outputs.commit()
    return dest


__all__ = [
    "Download",
    "EpisodePage",
    "load_episode_page",
    "page_for_render",
    "page_path",
    "render_page",
    "stage_page",
    "write_page",
]
