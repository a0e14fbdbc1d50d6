"""Text from scripts and tags made safe for where it goes: XML (the feed) and the terminal.

A title may hold any character a file can: a control character makes lxml refuse the whole
feed, and an escape sequence printed raw can rewrite the user's terminal (clear it, retitle
the window, fake output). Both are replaced, never passed through.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any, TypeVar

# XML 1.0 allows tab, newline, carriage return and everything from U+0020 except surrogates
# and U+FFFE/U+FFFF; C1 controls (U+0080-U+009F) are legal but never meant in a title.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
# Everything a terminal may act on, except the newline and tab our own output uses.
_NOT_TERMINAL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

# What json.dumps(ensure_ascii=False) leaves as is, though a terminal acts on it.
_JSON_RAW = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

T = TypeVar("T")


def xml_safe(text: str) -> str:
    """``text`` without the characters XML 1.0 cannot hold (each becomes a space)."""
    return _NOT_XML.sub(" ", text)


def terminal_safe(text: str) -> str:
    """``text`` with control characters shown as ``\\xNN`` escapes instead of acted on."""
    return _NOT_TERMINAL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def xml_safe_fields(value: T) -> T:
    """A copy of the dataclass ``value`` with every string field ``xml_safe``."""
    assert dataclasses.is_dataclass(value) and not isinstance(value, type)
    changes: dict[str, Any] = {
        f.name: xml_safe(v)
        for f in dataclasses.fields(value)
        if isinstance(v := getattr(value, f.name), str) and _NOT_XML.search(v)
    }
    return dataclasses.replace(value, **changes) if changes else value


def json_terminal_safe(text: str) -> str:
    """JSON text with the controls JSON leaves raw (DEL, C1, bidi overrides) as ``\\uNNNN``."""
    return _JSON_RAW.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
