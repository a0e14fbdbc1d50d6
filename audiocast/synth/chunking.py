"""Long texts cut into pieces an engine can speak, and the pieces' WAVs joined into one.

eSpeak NG is slow on long texts (a quadratic buffer) and crashes past ~14,000 characters, so
texts over ``CHUNK_CHARS`` are spoken piece by piece.
"""

from __future__ import annotations

import re
import wave
from collections.abc import Iterator
from pathlib import Path

from ..errors import EngineError
from ..normalize.lexicon import PHONEMES

CHUNK_CHARS = 600

_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"')\]»”’]*\s+")
_CLAUSE_END = re.compile(r"(?<=[,;:—–])\s+")
_KEEP = "\ue000"


def split_text(text: str, limit: int = CHUNK_CHARS) -> list[str]:
    """Pieces of at most ``limit`` characters, cut at sentence, then clause, then word breaks.

    Joining the pieces with single spaces gives ``text`` with its whitespace collapsed: no word
    is lost or cut unless a single word is longer than ``limit``. A ``[[phonemes]]`` span is
    never cut (unless it alone is longer than ``limit``), so each piece keeps its brackets.
    """
    text = " ".join(text.split())
    if len(text) <= limit:
        return [text] if text else []
    # Spaces inside [[...]] become a private character so no rule below breaks there.
    text = PHONEMES.sub(lambda m: m.group().replace(" ", _KEEP), text)
    pieces: list[str] = []
    for unit in _units(text, limit):
        if pieces and len(pieces[-1]) + 1 + len(unit) <= limit:
            pieces[-1] = f"{pieces[-1]} {unit}"
        else:
            pieces.append(unit)
    return [piece.replace(_KEEP, " ") for piece in pieces]


def _units(text: str, limit: int) -> Iterator[str]:
    """Sentences, with any sentence over ``limit`` broken at clauses, then words."""
    for sentence in _SENTENCE_END.split(text):
        if len(sentence) <= limit:
            yield sentence
            continue
        for clause in _CLAUSE_END.split(sentence):
            if len(clause) <= limit:
                yield clause
                continue
            for word in clause.split(" "):
                for start in range(0, len(word), limit):
                    yield word[start : start + limit]


def join_wavs(parts: list[Path], out: Path) -> None:
    """Concatenate same-format WAVs into ``out``, collecting the frames once."""
    frames: list[bytes] = []
    params = None
    for part in parts:
        with wave.open(str(part), "rb") as w:
            if params is None:
                params = (w.getnchannels(), w.getsampwidth(), w.getframerate())
            elif params != (w.getnchannels(), w.getsampwidth(), w.getframerate()):
                raise EngineError("the engine changed its audio format between pieces", path=part)
            frames.append(w.readframes(w.getnframes()))
    assert params is not None
    # An open file, not a name: see Pyttsx3Synthesizer._speak_espeak.
    with open(out, "wb") as f, wave.open(f, "wb") as w:
        w.setnchannels(params[0])
        w.setsampwidth(params[1])
        w.setframerate(params[2])
        w.writeframes(b"".join(frames))
