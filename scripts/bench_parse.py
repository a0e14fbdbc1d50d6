"""Time the parser on a generated ~5 MB plain-text script: python scripts/bench_parse.py."""

from __future__ import annotations

import time

from audiocast.parse import parse_text

BLOCK = (
    "Ann Lee: Here is a sentence with a colon: it is not a label. And another one that\n"
    "wraps onto a second line, as printed transcripts do.\n\n"
    "(LAUGHTER)\n\n"
    "Dr. Bo Chen: A reply with numbers 1, 2 and 3, and 'quotes'.\n\n"
    "It continues in a second paragraph.\n\n"
)


def main() -> None:
    text = BLOCK * (5_000_000 // len(BLOCK) + 1)
    start = time.perf_counter()
    script = parse_text(text)
    elapsed = time.perf_counter() - start
    size = len(text.encode()) / 1e6
    print(f"{size:.1f} MB, {len(script.turns)} turns parsed in {elapsed:.2f} s")


if __name__ == "__main__":
    main()
