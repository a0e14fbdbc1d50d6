"""The show's settings for its feed and site: ``show.yaml`` or command-line flags, checked.

A category must be one of Apple Podcasts' current top-level ones (feedgen validates against an
outdated list); what Apple requires and the settings leave out is warned about, never defaulted
silently.
"""

from __future__ import annotations

import dataclasses
import difflib
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

import yaml

from ..errors import InputError
from ..language import checked_tag
from ..settings import load_yaml, read_text_file
from ..suggest import did_you_mean


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
    language: str | None = None
    """``None``: the episodes' language (``feed.show_language``)."""
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


def apple_category(value: str, path: Path | None, line: int | None) -> str:
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
        values["category"] = apple_category(values["category"], path, lines.get("category"))
    if "language" in values:
        values["language"] = checked_tag(
            values["language"], "language", path, lines.get("language")
        )
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


__all__ = [
    "APPLE_CATEGORIES",
    "ShowSettings",
    "apple_category",
    "feed_warnings",
    "load_show_settings",
    "resolve_show_settings",
    "show_settings_from_dict",
]
