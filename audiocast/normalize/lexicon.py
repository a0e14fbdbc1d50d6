"""Pronunciation lexicons: word -> spoken form, or eSpeak phonemes written ``[[...]]``.

A lexicon is applied before every other rule, so what a producer writes always wins. Matching is
whole-word; an entry written in lower case matches the word in any case, an entry with a capital
letter matches only that exact spelling (``US`` the country, not ``us`` the pronoun).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

from ..errors import InputError
from ..model import Script
from ..settings import load_yaml, read_text_file
from .typography import speakable_value

PHONEMES = re.compile(r"\[\[[^\[\]]*\]\]")


@dataclass(frozen=True)
class Lexicon:
    """An immutable table of pronunciations; build with ``Lexicon({"Petrova": "peh-TROH-vah"})``."""

    entries: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # Values are spliced in after the text was cleaned, so they are cleaned here the same way.
        clean = {str(k).strip(): speakable_value(str(v)) for k, v in dict(self.entries).items()}
        object.__setattr__(self, "entries", MappingProxyType({k: v for k, v in clean.items() if k}))

    def __hash__(self) -> int:
        return hash(tuple(sorted(self.entries.items())))

    def __len__(self) -> int:
        return len(self.entries)

    def __bool__(self) -> bool:
        return bool(self.entries)

    def merge(self, other: Lexicon | Mapping[str, str] | None) -> Lexicon:
        """A new lexicon: this one's entries, overridden by ``other``'s (the more specific file)."""
        if other is None:
            return self
        more = other.entries if isinstance(other, Lexicon) else other
        return Lexicon({**self.entries, **dict(more)})

    @cached_property
    def _exact(self) -> re.Pattern[str] | None:
        return _pattern([k for k in self.entries if k != k.lower()], 0)

    @cached_property
    def _folded(self) -> tuple[re.Pattern[str] | None, Mapping[str, str]]:
        keys = [k for k in self.entries if k == k.lower()]
        return _pattern(keys, re.IGNORECASE), {k.casefold(): self.entries[k] for k in keys}

    def apply(self, text: str, protect: Callable[[str], str]) -> str:
        """Replace every entry in ``text`` by ``protect(spoken form)``.

        ``protect`` hides the replacement from the rules that run afterwards (the normalizer
        passes a placeholder factory), so a spoken form is never re-read as an abbreviation.
        """
        if not self.entries:
            return text
        exact = self._exact
        if exact is not None:
            text = exact.sub(lambda m: protect(self.entries[m.group(0)]), text)
        folded, table = self._folded
        if folded is not None:
            text = folded.sub(lambda m: protect(table[m.group(0).casefold()]), text)
        return text


def _pattern(keys: list[str], flags: int) -> re.Pattern[str] | None:
    if not keys:
        return None
    # Longest first, so "New York Times" wins over "New York"; \w lookarounds keep whole words
    # even when an entry ends in punctuation ("Dr.", "U.S.").
    alternatives = "|".join(re.escape(k) for k in sorted(keys, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", flags)


def load_lexicon(path: Path) -> Lexicon:
    """Read a YAML mapping of word -> spoken form (or a mapping under a ``pronounce:`` key).

    Raises ``InputError`` naming the file and line for unreadable files, invalid YAML, or an
    entry that is not a word mapped to a text.
    """
    path = Path(path)
    text = read_text_file(path, "pronunciation file")
    _, root = load_yaml(text, path, "YAML")
    if root is None:
        return Lexicon()
    return Lexicon(dict(_entries(root, path)))


def _entries(root: yaml.Node, path: Path) -> Iterator[tuple[str, str]]:
    if isinstance(root, yaml.MappingNode) and len(root.value) == 1:
        key, value = root.value[0]
        if isinstance(key, yaml.ScalarNode) and key.value == "pronounce":
            root = value
    if not isinstance(root, yaml.MappingNode):
        raise InputError(
            "a pronunciation file must be a mapping",
            path=path,
            line=root.start_mark.line + 1,
            hint="write one `word: spoken form` per line",
        )
    for key, value in root.value:
        line = key.start_mark.line + 1
        if not isinstance(key, yaml.ScalarNode) or not str(key.value).strip():
            raise InputError("an entry must start with a word", path=path, line=line)
        if not isinstance(value, yaml.ScalarNode) or not str(value.value).strip():
            raise InputError(
                f"{key.value!r} needs a spoken form or [[phonemes]]",
                path=path,
                line=line,
                hint=f"write `{key.value}: how it is said`",
            )
        spoken: Any = value.value
        if spoken.count("[[") != spoken.count("]]"):
            raise InputError(
                f"unbalanced [[ ]] in the phonemes for {key.value!r}", path=path, line=line
            )
        yield str(key.value), str(spoken)


def lexicon_for(script: Script, extra: Path | None = None) -> Lexicon | None:
    """The lexicon a script is spoken with: ``pronounce.yaml`` beside the script (the show's),
    then ``extra`` (``--lexicon``), then the script's own ``pronounce:``; later entries win."""
    found: list[Lexicon] = []
    if script.source is not None:
        beside = script.source.parent / "pronounce.yaml"
        if beside.is_file():
            found.append(load_lexicon(beside))
    if extra is not None:
        found.append(load_lexicon(extra))
    if script.metadata.pronounce:
        found.append(Lexicon(dict(script.metadata.pronounce)))
    if not found:
        return None
    merged = found[0]
    for lexicon in found[1:]:
        merged = merged.merge(lexicon)
    return merged
