"""Read a producer's script into a typed ``Script``: the first stage of the pipeline.

``load_script(path)`` reads and decodes a file; ``parse_text(text, source)`` parses text. The
layout (plain ``Name: words``, Markdown, WebVTT/SRT, the native YAML form) is detected from the
extension and the content; see docs/script-format.md for everything that is understood.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import InputError
from ..model import Metadata, Script
from .assemble import Assembled
from .decode import decode_bytes, read_script_bytes
from .detect import detect_layout
from .frontmatter import split_front_matter
from .layouts import LAYOUTS
from .metadata import build_metadata
from .offair import strip_comments
from .options import DIRECTIONS, ParseOptions, options_from_mapping
from .plain import parse_plain
from .subtitles import parse_subtitles
from .yaml_script import parse_yaml_script

__all__ = ["DIRECTIONS", "LAYOUTS", "ParseOptions", "load_script", "parse_text"]


def load_script(path: str | Path, options: ParseOptions | None = None) -> Script:
    """Read, decode and parse a script file. Raises InputError (a one-line message naming the
    file) for a missing file, a directory, binary data, an empty file or invalid YAML.
    ``options`` (``--layout``, a config's ``speakers:``/``aliases:``) overrule the detection."""
    path = Path(path)
    return parse_text(decode_bytes(read_script_bytes(path), path), source=path, options=options)


def parse_text(
    text: str, source: Path | None = None, options: ParseOptions | None = None
) -> Script:
    """Parse script text (``\\n`` or ``\\r\\n`` line endings). ``source`` names the file in
    errors, picks the layout by extension, and anchors relative paths in the metadata."""
    where = source if source is not None else "<text>"
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise InputError("empty script", path=where, hint="write at least one 'Name: words' line")
    lines = text.split("\n")
    layout = detect_layout(lines, source)
    if layout == "yaml":
        segments, registry, meta = parse_yaml_script(text, where)
        return Script(
            title=meta.title,
            segments=segments,
            speakers=registry.speakers,
            metadata=meta,
            source=source,
            title_line=meta.lines.get("title") if meta.title else None,
            format="yaml",
        )
    if "<!--" in text:
        lines = strip_comments(text).split("\n")
        layout = detect_layout(lines, source)
        if layout == "yaml":
            layout = "text"
    front = split_front_matter(lines, where)
    meta = build_metadata(front.data, front.lines, where) if front.data else Metadata()
    body = lines[front.body_start :]
    first = front.body_start + 1
    embedded = front.data.get("transcript")
    if isinstance(embedded, str) and embedded.strip() and not "".join(body).strip():
        # A static-site page (Hugo, Jekyll) keeps the whole transcript in a ``transcript: |``
        # block: a literal block keeps its lines, so they start right below the key.
        body = embedded.split("\n")
        first = front.lines.get("transcript", 0) + 1
    if front.body_start:
        layout = detect_layout(body, source)
        if layout == "yaml":
            layout = "text"
    asm: Assembled
    if layout in ("webvtt", "srt"):
        asm = parse_subtitles(body, first)
    else:
        given = options or ParseOptions()
        merged = given.merged(options_from_mapping(front.data, where, front.lines))
        try:
            asm = parse_plain(
                body, first, markdown=layout == "markdown", meta_title=meta.title, options=merged
            )
        except InputError as exc:
            if exc.path is None:
                raise InputError(exc.message, path=where, hint=exc.hint) from None
            raise
    title, title_line = asm.title, asm.title_line
    if meta.title and title is None:
        title, title_line = meta.title, meta.lines.get("title")
    return Script(
        title=title,
        segments=asm.segments,
        speakers=asm.speakers,
        metadata=meta,
        source=source,
        title_line=title_line,
        format=layout,
        layout=asm.layout,
    )
