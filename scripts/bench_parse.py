"""Time the parser on generated ~5 MB scripts: python scripts/bench_parse.py.

Three scripts: ``repeated`` writes one short block over and over (the figure the 2 s goal was
first measured on); ``distinct`` is seeded random prose in which no line repeats, so nothing
that remembers a line already seen can help; ``markdown`` is the distinct text read as Markdown
(bold labels, headings and inline markup are tried on every line). Each prints the wall time
and the CPU time of the parse alone: CPU seconds move less when other work shares the cores.
"""

from __future__ import annotations

import random
import time
from pathlib import Path

from audiocast.parse import parse_text

SIZE = 5_000_000
BLOCK = (
    "Ann Lee: Here is a sentence with a colon: it is not a label. And another one that\n"
    "wraps onto a second line, as printed transcripts do.\n\n"
    "(LAUGHTER)\n\n"
    "Dr. Bo Chen: A reply with numbers 1, 2 and 3, and 'quotes'.\n\n"
    "It continues in a second paragraph.\n\n"
)
SPEAKERS = ("Ann Lee", "Dr. Bo Chen", "JANE DOE", "Ravi")
_VOCABULARY = (
    "the river runs north slowly and we said it was never quite like that before "
    "so then Paris harbour morning evening because which people think about water "
    "report council budget school teacher (really) 'quotes' 3:30 1,200 e.g. well"
)
WORDS = tuple(_VOCABULARY.split())
CUES = ("(LAUGHTER)", "[crosstalk]", "(pause 2s)", "[music]")


def distinct_script(seed: int = 1) -> str:
    """Turns of random sentences, hard-wrapped, with cues, timestamps and colons in prose."""
    rng = random.Random(seed)
    out: list[str] = []
    size = 0
    n = 0
    while size < SIZE:
        n += 1
        words = [rng.choice(WORDS) for _ in range(rng.randint(8, 40))]
        words.insert(rng.randint(1, len(words)), f"item {n}:")  # a colon inside a sentence
        lines = [" ".join(words[i : i + 12]) for i in range(0, len(words), 12)]
        stamp = f"[{n // 3600 % 24:02d}:{n // 60 % 60:02d}:{n % 60:02d}] " if n % 5 == 0 else ""
        block = [f"{stamp}{rng.choice(SPEAKERS)}: {lines[0]}", *lines[1:], ""]
        if n % 7 == 0:
            block += [rng.choice(CUES), ""]
        out += block
        size += sum(len(line) + 1 for line in block)
    return "\n".join(out)


def timed(name: str, text: str, source: Path | None = None) -> None:
    wall, cpu = time.perf_counter(), time.process_time()
    script = parse_text(text, source=source)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    size = len(text.encode()) / 1e6
    print(
        f"{name:9s} {size:.1f} MB, {len(text.splitlines())} lines, {len(script.turns)} turns: "
        f"{wall:.2f} s wall, {cpu:.2f} s CPU"
    )


def main() -> None:
    timed("repeated", BLOCK * (SIZE // len(BLOCK) + 1))
    distinct = distinct_script()
    timed("distinct", distinct)
    timed("markdown", distinct, Path("bench.md"))


if __name__ == "__main__":
    main()
