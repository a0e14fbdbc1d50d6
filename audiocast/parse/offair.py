"""Text that never goes on air: HTML comments (``<!-- ... -->``), even across lines.

A producer's notes to themselves, a cut paragraph, a draft title: inside a comment they are
neither the title nor speech. Removed before the layout is read, with the comment's line breaks
kept, so every later line still has its own number in messages.
"""

from __future__ import annotations

import re

_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.S)


def strip_comments(text: str) -> str:
    """``text`` with every HTML comment replaced by the line breaks it spanned (an unclosed
    comment runs to the end, as in HTML)."""
    if "<!--" not in text:
        return text
    return _COMMENT.sub(lambda m: "\n" * m.group(0).count("\n"), text)
