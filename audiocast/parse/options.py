"""What a producer can tell the parser without editing the transcript.

``speakers:`` (a list of labels, or ``label: Display Name``), ``aliases:`` (``JR: Jane Roe``)
and ``directions:`` come from the front matter or a ``--config`` file; ``layout`` from
``--layout``; ``--directions`` overrules ``directions:``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..errors import InputError


@dataclass(frozen=True)
class ParseOptions:
    layout: str | None = None
    """A layout name that overrules detection (``audiocast parse --explain`` lists them)."""
    speakers: tuple[str, ...] = ()
    """Labels that are speakers whatever the layout's evidence says."""
    aliases: Mapping[str, str] = field(default_factory=dict)
    """Label -> display name (``speakers:`` given as a mapping lands here too)."""
    directions: str | None = None
    """``narrate`` (the default) or ``omit``: scene headings, action and transitions (and a
    court transcript's examination headings) read as narration, or left out."""

    def merged(self, other: ParseOptions) -> ParseOptions:
        """``other`` (the front matter) under ``self`` (command line and config win)."""
        return ParseOptions(
            self.layout or other.layout,
            tuple(dict.fromkeys((*self.speakers, *other.speakers))),
            {**other.aliases, **self.aliases},
            self.directions or other.directions,
        )

    def overruled(self, layout: str | None, directions: str | None) -> ParseOptions:
        """These options (a ``--config`` file's) under ``--layout`` and ``--directions``."""
        return replace(self, layout=layout or self.layout, directions=directions or self.directions)

    @property
    def omit_directions(self) -> bool:
        return self.directions == "omit"


DIRECTIONS = ("narrate", "omit")
"""What ``directions:`` and ``--directions`` accept."""


def options_from_mapping(
    data: Mapping[str, Any], where: str | Path, lines: Mapping[str, int] | None = None
) -> ParseOptions:
    """``speakers:``/``aliases:`` of a front matter or config mapping.

    A list of ``aliases:`` (Hugo writes the page's old URLs there) is not about speakers and is
    left alone; any other shape is a one-line error naming the key's line.
    """
    lines = lines or {}
    speakers: list[str] = []
    aliases: dict[str, str] = {}
    value = data.get("speakers")
    if isinstance(value, list) and all(isinstance(v, (str, int)) for v in value):
        speakers = [str(v).strip() for v in value]
    elif isinstance(value, Mapping):
        for label, display in value.items():
            if isinstance(display, Mapping):
                # ``Ada: {name: Dr. Ada Okafor, gender: female, voice: guest-a}``: casting
                # reads the gender/voice hints; the display name is ``name:``.
                display = display.get("name")
            speakers.append(str(label).strip())
            aliases[str(label).strip()] = str(display or label).strip()
    elif value is not None:
        raise InputError(
            "'speakers' must be a list of labels or 'label: Display Name' lines",
            path=where,
            line=lines.get("speakers"),
            hint="write e.g. 'speakers:\\n  JR: Jane Roe'",
        )
    value = data.get("aliases")
    if isinstance(value, Mapping):
        for label, display in value.items():
            if not isinstance(display, (str, int)) or not str(display).strip():
                raise InputError(
                    f"alias '{label}' must name one speaker",
                    path=where,
                    line=lines.get("aliases"),
                    hint="write e.g. 'aliases:\\n  JR: Jane Roe'",
                )
            aliases[str(label).strip()] = str(display).strip()
    directions = data.get("directions")
    if directions is not None and directions not in DIRECTIONS:
        raise InputError(
            f"'directions' must be {' or '.join(DIRECTIONS)}, not {directions!r}",
            path=where,
            line=lines.get("directions"),
            hint="write 'directions: omit' to leave scene headings and action out",
        )
    return ParseOptions(None, tuple(s for s in speakers if s), aliases, directions)
