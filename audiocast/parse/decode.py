"""Bytes to text: UTF-8 (with or without BOM), UTF-16 with BOM, Windows-1252; any line ending."""

from __future__ import annotations

import codecs
import unicodedata
from pathlib import Path

from ..bounded import SCRIPT_LIMIT, read_bounded
from ..errors import InputError

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _looks_binary(text: str) -> bool:
    if "\x00" in text:
        return True
    sample = text[:4096]
    controls = sum(
        1 for c in sample if c not in "\t\n\r\f" and unicodedata.category(c) in ("Cc", "Cs")
    )
    return controls > max(2, len(sample) // 20)


def decode_bytes(data: bytes, path: str | Path = "<text>") -> str:
    """The text of a script file, with ``\\n`` line endings and no BOM.

    Raises InputError for binary data and for a file that holds only whitespace.
    """
    text: str | None = None
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                raise InputError(
                    f"not valid {encoding.upper()} text", path=path, hint="re-save it as UTF-8"
                ) from None
            break
    if text is None:
        if b"\x00" in data[:4096]:
            raise InputError(
                "binary data, not a text script", path=path, hint="give a .txt, .md or .yaml file"
            )
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            # Word and older Windows editors save scripts as Windows-1252; its five undefined
            # bytes fall back to Latin-1 so nothing is lost.
            try:
                text = data.decode("cp1252")
            except UnicodeDecodeError:
                text = data.decode("latin-1")
    text = text.lstrip("\ufeff")
    if _looks_binary(text):
        raise InputError(
            "binary data, not a text script", path=path, hint="give a .txt, .md or .yaml file"
        )
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise InputError("empty script", path=path, hint="write at least one 'Name: words' line")
    return text


def read_script_bytes(path: Path) -> bytes:
    """Read a script file, turning every OS failure into one InputError line."""
    if not path.exists():
        raise InputError("no such file", path=path, hint="check the path")
    if path.is_dir():
        raise InputError("is a directory, not a script", path=path, hint="give a script file")
    try:
        return read_bounded(path, SCRIPT_LIMIT, "script")
    except PermissionError:
        raise InputError("permission denied", path=path, hint="make it readable") from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", path=path) from None
