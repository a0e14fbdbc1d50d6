"""Which labels of a document name the same person, and under which name: decided once, over
the whole document, before any turn is built.

* ``Randall S.`` is ``Randall Stephenson`` when the document writes that name and no other
  ``Randall S...``; ``MR. HOLMES`` is ``Andrew Holmes`` when exactly one given name appears
  before ``Holmes``. Two candidates (``Ann Smith`` and ``Bob Smith``) keep the label as written:
  merging two people is worse than a short name.
* ``Guest:`` is the one speaker whose label gives the role ``guest`` (``Jane Doe (guest):``).
* The producer's ``aliases:`` and ``speakers:`` (``label: Display Name``) win over all of it.

One pass over the text builds an index of capitalised name runs, so the cost is linear in the
document whatever the number of labels.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .labels import PARTICLES, ROLE_WORDS, STOPWORDS, TITLES

_WORD = r"[A-Z][\w'’\-]*"
_PARTICLE = r"(?:van|von|de|der|da|di|du|la|le|bin|ibn|al)"
# ``Mr. Leroy Jenkins``, ``Barbara van Schewick``: at most four capitalised words (particles
# between them), bounded so a line of capitals cannot make the scan quadratic.
_RUN = re.compile(rf"\b(?:{_WORD}\.?\s+){{0,2}}(?:{_PARTICLE}\s+)?{_WORD}\b")
_INITIAL = re.compile(r"^[A-Z]\.$")


@dataclass(frozen=True)
class LabelInfo:
    """What the assembler's input says about one label."""

    name: str
    role: str | None = None


def _sentences(words: list[str]) -> list[list[str]]:
    """``Randall Stephenson. He`` -> ``Randall Stephenson`` and ``He``: a full stop after a
    word that is neither a title nor an initial ends a sentence, and so the name."""
    parts: list[list[str]] = [[]]
    for word in words:
        bare = word.rstrip(".")
        if word.endswith(".") and bare.casefold() not in TITLES and len(bare) > 1:
            parts[-1].append(bare)
            parts.append([])
        else:
            parts[-1].append(word)
    return [p for p in parts if p]


class NameIndex:
    """Capitalised name runs of a text: by their words before the last, and by the last word."""

    def __init__(self, text: str) -> None:
        self._by_initial: dict[tuple[str, str], set[str]] = defaultdict(set)
        self._by_surname: dict[str, set[str]] = defaultdict(set)
        for m in _RUN.finditer(text):
            for words in _sentences(m.group(0).split()):
                self._add(words)

    def _add(self, words: list[str]) -> None:
        while words and words[0].rstrip(".").casefold() in TITLES:
            words = words[1:]
        if len(words) < 2 or len(words[-1]) < 2:
            return
        # ``That's Patrick Pittaluga``: any tail of the run may be the name.
        for start in range(len(words) - 1):
            tail = words[start:]
            prefix = " ".join(tail[:-1]).casefold()
            self._by_initial[(prefix, tail[-1][0])].add(" ".join(tail))
        given = words[-2].rstrip(".").casefold()
        if given not in STOPWORDS and given not in PARTICLES and given not in TITLES:
            self._by_surname[words[-1].casefold()].add(" ".join(words[-2:]))

    def expand(self, label: str) -> str | None:
        """The one fuller name the text gives ``label``, or None (none, or two people)."""
        words = label.split()
        if len(words) >= 2 and _INITIAL.match(words[-1]):
            prefix = " ".join(words[:-1]).casefold()
            found = self._by_initial.get((prefix, words[-1][0]), set())
            return next(iter(found)) if len(found) == 1 else None
        if len(words) == 2 and words[0].rstrip(".").casefold() in TITLES:
            found = self._by_surname.get(words[1].casefold(), set())
            return next(iter(found)) if len(found) == 1 else None
        return None


def _may_expand(label: str) -> bool:
    words = label.split()
    if len(words) >= 2 and _INITIAL.match(words[-1]):
        return True
    return len(words) == 2 and words[0].rstrip(".").casefold() in TITLES


def resolve_aliases(
    labels: Iterable[LabelInfo], text: str, overrides: Mapping[str, str] | None = None
) -> dict[str, str]:
    """Label (case-folded) -> display name, for every label that is not its own best name."""
    infos = list({info.name.casefold(): info for info in labels}.values())
    # The index costs a pass over the text: only build it when a label could expand.
    index = NameIndex(text) if any(_may_expand(info.name) for info in infos) else None
    result: dict[str, str] = {}
    by_role: dict[str, set[str]] = defaultdict(set)
    for info in infos:
        if info.role and info.name.casefold() not in ROLE_WORDS:
            by_role[info.role.casefold()].add(info.name)
    for info in infos:
        key = info.name.casefold()
        fuller = index.expand(info.name) if index else None
        if fuller:
            result[key] = fuller
        elif key in ROLE_WORDS and len(by_role.get(key, ())) == 1:
            result[key] = next(iter(by_role[key]))
    for label, display in (overrides or {}).items():
        result[label.casefold()] = display
    return result
