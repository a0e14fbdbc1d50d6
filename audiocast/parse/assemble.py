"""Classified lines -> segments, speakers and title: the one place paragraphs and turns are built.

Rules a caller may rely on:

* A label always starts a turn, even without a blank line before it. Consecutive labels of the
  same speaker make one turn (their paragraphs join with ``para_sep``).
* Unlabelled paragraphs continue the current speaker's turn; before the first turn they are
  narration, one segment per paragraph.
* A stage direction on its own line never ends a turn: it is emitted after the turn it
  interrupts, so the speaker's later paragraphs still belong to that turn.
* After the first turn, prose becomes narration only when it is clearly not speech: after a
  rule line (``---``, ``***``), after a Markdown heading that is not a speaker, or a whole
  paragraph in italics. Everything else is conservatively kept as speech.
* The title is a short heading line (one line, no sentence punctuation, at most 15 words)
  directly before the first turn or opening the file, or a Markdown ``#`` heading before the
  first turn. When front matter gives ``title:``, only a line equal to it is taken as the title;
  a different heading stays narration, so no words are lost.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from ..model import LayoutChoice, Segment, Speaker
from .cues import split_rate
from .lines import Line

_TITLES = frozenset(
    ("dr", "mr", "mrs", "ms", "mx", "miss", "prof", "professor", "rev", "sir", "dame")
)


def _name_words(name: str) -> list[str]:
    words = [w.strip(".,").casefold() for w in name.split()]
    return [w for w in words if w and w not in _TITLES]


def _same_person(label: str, words: list[str], known: str) -> bool:
    """Is ``label`` (its ``words``, titles removed) a shorter or untitled form of ``known``?

    ``Mr. Smith`` and ``Mrs. Smith`` have the same words but are two people: equal words fold
    only when one of the labels has no title at all.
    """
    full = _name_words(known)
    if not words or len(words) > len(full):
        return False
    if len(words) == len(full):
        untitled = len(label.split()) == len(words) or len(known.split()) == len(full)
        return words == full and untitled
    return full[: len(words)] == words or full[-len(words) :] == words


@dataclass
class SpeakerRegistry:
    """Canonical speakers in order of first appearance; later short labels fold into them."""

    _speakers: list[Speaker] = field(default_factory=list)
    _by_key: dict[str, int] = field(default_factory=dict)
    _by_affix: dict[tuple[str, ...], list[int]] = field(default_factory=dict)
    """Speakers by every prefix and suffix of their name's words: the only labels that can
    fold into them, so a lookup is one dictionary probe, not a scan of every speaker."""

    def alias(self, label: str, name: str) -> None:
        """``label`` as written is another name of the registered speaker ``name``."""
        index = self._by_key[" ".join(name.split()).casefold()]
        self._by_key.setdefault(" ".join(label.split()).casefold(), index)
        self._update(index, label, None)

    def declare(self, short: str, name: str) -> None:
        """``Adam Levine (AL):``: the later label ``AL`` is that speaker."""
        key = short.casefold()
        if key not in self._by_key:
            self._by_key[key] = self._by_key[" ".join(name.split()).casefold()]

    def resolve(self, label: str, role: str | None, line: int) -> str:
        """The canonical name for ``label``, registering a new speaker when needed.

        ``Doe`` after ``JANE DOE`` (a strict prefix or suffix of exactly one known speaker's
        words, titles ignored), case variants, and ``RUTH ABEBE`` after ``Dr. Ruth Abebe`` (the
        same words, one of the two without a title) fold into the earlier speaker.
        """
        key = " ".join(label.split()).casefold()
        if key in self._by_key:
            return self._update(self._by_key[key], label, role)
        words = _name_words(label)
        candidates = self._by_affix.get(tuple(words), ())
        matches = [i for i in candidates if _same_person(label, words, self._speakers[i].name)]
        if len(matches) == 1:
            self._by_key[key] = matches[0]
            return self._update(matches[0], label, role)
        self._by_key[key] = len(self._speakers)
        affixes = {tuple(words[:n]) for n in range(1, len(words) + 1)}
        affixes |= {tuple(words[-n:]) for n in range(1, len(words) + 1)}
        for affix in affixes:
            self._by_affix.setdefault(affix, []).append(len(self._speakers))
        self._speakers.append(Speaker(label, role, (), line))
        return label

    def _update(self, index: int, label: str, role: str | None) -> str:
        sp = self._speakers[index]
        aliases = sp.aliases
        if label != sp.name and label not in aliases:
            aliases = (*aliases, label)
        if aliases != sp.aliases or (role and not sp.role):
            self._speakers[index] = Speaker(sp.name, sp.role or role, aliases, sp.line)
        return sp.name

    @property
    def speakers(self) -> tuple[Speaker, ...]:
        return tuple(self._speakers)


# Transcription services' placeholders for an unidentified voice: each block is its own caller,
# so two blocks in a row are two turns, never one.
ANONYMOUS = frozenset(
    ("male", "female", "man", "woman", "unidentified male", "unidentified female",
     "unknown male", "unknown female", "male voice", "female voice", "voicemail")
)  # fmt: skip


@dataclass(frozen=True)
class TurnPlan:
    """What the chosen layout tells the assembler beyond the lines themselves."""

    aliases: Mapping[str, str] = field(default_factory=dict)
    """Label (case-folded) -> the speaker's display name, resolved over the whole document."""
    presenter: str | None = None
    """A talk: unlabelled speech (before the first label, after a quoted question) is this
    speaker's, not narration."""


@dataclass(frozen=True)
class Assembled:
    segments: tuple[Segment, ...]
    speakers: tuple[Speaker, ...]
    title: str | None
    title_line: int | None
    layout: LayoutChoice | None = None


def _closes_quote(text: str) -> bool:
    """Does this text end the quotation a quoted turn opened (``Audience: "...``)?"""
    return text.count('"') % 2 == 1 or "”" in text


def _is_title_text(text: str) -> bool:
    words = text.split()
    return (
        0 < len(words) <= 15
        and len(text) <= 120
        and not text.rstrip().endswith((".", ",", ";", ":", "!", "?", "…", '"', "”"))
        and not text[0].islower()
    )


class Assembler:
    """Feed lines in order, then call ``finish()``."""

    def __init__(
        self,
        *,
        para_sep: str = "\n\n",
        line_sep: str = " ",
        line_paragraphs: bool = False,
        meta_title: str | None = None,
        detect_title: bool = True,
        plan: TurnPlan | None = None,
    ) -> None:
        self.plan = plan or TurnPlan()
        self.suspended = False
        self.quote_open = False
        self.detect_title = detect_title
        self.para_sep = para_sep
        self.line_sep = line_sep
        self.line_paragraphs = line_paragraphs
        self.meta_title = meta_title
        self.registry = SpeakerRegistry()
        self.segments: list[Segment] = []
        self.title: str | None = None
        self.title_line: int | None = None
        self.mode = "pre"  # "pre" before the first turn, "turn" in one, "post" narration after
        self.speaker: str | None = None
        self.turn_line = 0
        self.turn_paras: list[str] = []
        self.deferred: list[Segment] = []
        # Rules (``---``) after the text began: each opens a new part (an untitled chapter on
        # the first segment after it; a heading's segment names its own chapter).
        self.rule_lines: list[int] = []
        self.para: list[str] = []
        self.para_line = 0
        self.para_italic = False
        self.last_para_short_line: tuple[str, int] | None = None

    # -- paragraphs -----------------------------------------------------------------------

    def _flush_para(self) -> None:
        if not self.para:
            return
        text = self.line_sep.join(self.para)
        single = len(self.para) == 1
        self.para = []
        presenter = self.plan.presenter
        goes_on = not self.suspended or (presenter is not None and self.speaker == presenter)
        if self.mode == "turn" and not self.para_italic and goes_on:
            # After a heading in a talk, the presenter simply goes on.
            self.suspended = False
            self.turn_paras.append(text)
            return
        if self.mode == "turn":
            self._end_turn()
            self.mode = "post"
        if presenter is not None and not self.para_italic:
            # A talk: the presenter's unlabelled words are a turn of their own.
            self.speaker = self.registry.resolve(presenter, None, self.para_line)
            self.turn_line, self.mode, self.turn_paras = self.para_line, "turn", [text]
            return
        if (
            self.mode == "pre"
            and self.detect_title
            and self.title is None
            and single
            and not self.segments
            and not self.para_italic
            and _is_title_text(text)
            and (self.meta_title is None or self.meta_title.casefold() == text.casefold())
        ):
            # A short line opening the file, like an article's headline.
            self.title, self.title_line = text, self.para_line
            return
        self._narration(text, self.para_line)
        self.last_para_short_line = (text, self.para_line) if single else None

    def _narration(self, text: str, line: int) -> None:
        body, rate = split_rate(text)
        self.segments.append(Segment("narration", body.strip(), line, rate=rate))

    def _add_text(self, text: str, line: int, italic: bool = False) -> None:
        if self.quote_open and _closes_quote(text):
            self.quote_open = False
            self._append(text, line, italic)
            self._flush_para()
            self.suspended = True
            return
        self._append(text, line, italic)

    def _append(self, text: str, line: int, italic: bool) -> None:
        if not self.para:
            self.para_line = line
            self.para_italic = italic
        else:
            self.para_italic = self.para_italic and italic
        self.para.append(text)
        if self.line_paragraphs:
            self._flush_para()

    # -- turns ----------------------------------------------------------------------------

    def _end_turn(self) -> None:
        if self.speaker is None:
            return
        text, rate = split_rate(self.para_sep.join(self.turn_paras))
        self.segments.append(Segment("turn", text.strip(), self.turn_line, self.speaker, rate=rate))
        self.segments.extend(self.deferred)
        self.deferred = []
        self.speaker = None
        self.turn_paras = []
        self.suspended = self.quote_open = False

    def _interrupt(self, segment: Segment) -> None:
        """A heading, stage direction or action line inside a turn: read after the turn, which
        goes on if the same speaker's label comes next."""
        if self.mode == "turn":
            self.deferred.append(segment)
            self.suspended = True
        else:
            self.segments.append(segment)

    def _take_title(self, line: Line) -> None:
        """Before the first turn: is the paragraph just read a heading line? Make it the title."""
        if self.title is not None or self.mode != "pre" or not self.detect_title:
            return
        candidate: tuple[str, int] | None = None
        if len(self.para) == 1 and not self.para_italic:
            candidate = (self.para[0], self.para_line)
        elif not self.para and self.last_para_short_line and self.segments:
            last = self.segments[-1]
            if last.kind == "narration" and last.line == self.last_para_short_line[1]:
                candidate = self.last_para_short_line
        if candidate is None or not _is_title_text(candidate[0]):
            return
        text, number = candidate
        if self.meta_title and self.meta_title.casefold() != text.casefold():
            return
        if self.para:
            self.para = []
        else:
            self.segments.pop()
        self.title, self.title_line = text, number

    def _label(self, line: Line) -> None:
        assert line.speaker is not None
        self._take_title(line)
        self._flush_para()
        label = self.plan.aliases.get(line.speaker.casefold(), line.speaker)
        name = self.registry.resolve(label, line.role, line.number)
        if label != line.speaker:
            self.registry.alias(line.speaker, name)
        if line.short:
            self.registry.declare(line.short, name)
        anonymous = name.casefold() in ANONYMOUS
        if self.mode == "turn" and name == self.speaker and not anonymous:
            self.suspended = False  # the same speaker again: one turn
        else:
            self._end_turn()
            self.speaker, self.turn_line, self.mode = name, line.number, "turn"
        if line.text:
            quoted = line.text.startswith(('"', "“")) and line.quoted
            self._append(line.text, line.number, False)
            self.quote_open = quoted and not _closes_quote(line.text[1:])
            if quoted and not self.quote_open:
                self._flush_para()
                self.suspended = True

    # -- the feed -------------------------------------------------------------------------

    def feed(self, line: Line) -> None:
        kind = line.kind
        if kind == "text":
            self._add_text(line.text, line.number, line.italic)
        elif kind == "label":
            self._label(line)
        elif kind in ("blank", "timestamp", "annotation"):
            self._flush_para()
        elif kind == "cue":
            self._flush_para()
            cue = Segment("cue", line.text, line.number, pause=line.pause)
            if self.mode == "turn":
                self.deferred.append(cue)
            else:
                self.segments.append(cue)
        elif kind == "action":
            self._flush_para()
            self._interrupt(Segment("narration", line.text, line.number))
        elif kind == "rule":
            self._flush_para()
            if self.segments or self.mode == "turn":
                self.rule_lines.append(line.number)
            if self.mode == "turn":
                self._end_turn()
                self.mode = "post"
        elif kind == "bullet":
            self._flush_para()
            self._add_text(line.text, line.number)
            self._flush_para()
        elif kind == "heading":
            self._flush_para()
            if line.level == 1 and self.mode == "pre" and self.title is None:
                meta = self.meta_title
                if meta is None or meta.casefold() == line.text.casefold():
                    self.title, self.title_line = line.text, line.number
                    return
            self._interrupt(Segment("narration", line.text, line.number, chapter=line.text))
            self.last_para_short_line = None

    def finish(self) -> Assembled:
        self._flush_para()
        self._end_turn()
        self.segments.extend(self.deferred)
        title, title_line = self.title, self.title_line
        segments = _mark_parts(self.segments, self.rule_lines)
        return Assembled(tuple(segments), self.registry.speakers, title, title_line)


def _mark_parts(segments: list[Segment], rule_lines: list[int]) -> list[Segment]:
    """The first spoken segment after each rule opens an untitled chapter (``chapter=""``)."""
    out = list(segments)
    i = 0
    # Rules come in file order, so the segment each one opens is never before the last one's:
    # one pass over the segments, however many rules (a rule between every turn is common).
    for rule in rule_lines:
        while i < len(out) and (out[i].line <= rule or out[i].kind == "cue"):
            i += 1
        if i == len(out):
            break
        if out[i].chapter is None:
            out[i] = replace(out[i], chapter="")
    return out
