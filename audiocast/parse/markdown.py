"""Markdown transcripts: bold labels, headings, bullets, and inline markup removed from text."""

from __future__ import annotations

import re

# ``**Name:** words`` or ``**Name**: words`` (one colon, inside or outside the bold).
BOLD_LABEL = re.compile(r"^(\*\*|__)([^*_\n]{1,80}?)\s*(:?)\s*\1\s*(:?)(.*)$")
HEADING = re.compile(r"^(#{1,6})\s+(.*?)(?:\s+#+)?\s*$")
BULLET = re.compile(r"^(?:[*+\-]|\d{1,3}[.)])\s+(\S.*)$")

_IMAGE_OR_LINK = re.compile(
    r"!?\[([^\[\]\n]{0,500})\]\([^()\s]{0,2000}(?:\s+\"[^\"\n]{0,200}\")?\)"
)
_AUTOLINK = re.compile(r"<(https?://[^>\s]{1,2000})>")
_STRONG = re.compile(r"(\*\*|__)(?=\S)([^*\n]{1,500}?)(?<=\S)\1")
_EM_STAR = re.compile(r"(?<![\w*\\])\*(?=[^\s*])([^*\n]{1,500}?)(?<=[^\s*\\])\*(?![\w*])")
_EM_UNDER = re.compile(r"(?<![\w\\])_(?=\S)([^_\n]{1,500}?)(?<=\S)_(?!\w)")
_CODE = re.compile(r"`([^`\n]{1,500})`")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!<>|~])")
_ITALIC_LINE = re.compile(r"^(?:\*[^*\s][^*]*\*|_[^_\s][^_]*_)[.!]?$")


# Every inline pattern below needs one of these: a line without any is returned as it is.
_MARKUP_SIGN = re.compile(r"[*_\[`\\<]")


def inline(text: str) -> str:
    """Markdown inline markup removed: links keep their words, emphasis and escapes go."""
    if not _MARKUP_SIGN.search(text):
        return text
    text = _IMAGE_OR_LINK.sub(r"\1", text)
    text = _AUTOLINK.sub(r"\1", text)
    text = _CODE.sub(r"\1", text)
    text = _STRONG.sub(r"\2", text)
    text = _EM_STAR.sub(r"\1", text)
    text = _EM_UNDER.sub(r"\1", text)
    return _ESCAPE.sub(r"\1", text)


def is_italic_line(text: str) -> bool:
    """The whole line is in italics, like ``*This interview was edited for length.*``."""
    return bool(_ITALIC_LINE.match(text.strip()))
