"""Parse every transcript of a folder and compare it with the folder's ``manifest.json``.

    python scripts/transcripts_report.py ../shared/transcripts [--layout NAME]

For each file the manifest lists: the speakers and the number of turns it expects, what the
parser found, and whether both agree (speakers compared as a set of names). Prints a total.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from audiocast.errors import AudiocastError
from audiocast.parse import load_script


def _compare(folder: Path, entry: dict[str, object]) -> tuple[bool, str]:
    expected_speakers = [str(s) for s in entry["speakers"]]  # type: ignore[attr-defined]
    expected_turns = int(entry["turns"])  # type: ignore[call-overload]
    try:
        script = load_script(folder / str(entry["file"]))
    except AudiocastError as exc:
        return False, f"  error: {exc}"
    found = list(script.speaker_names)
    turns = len(script.turns)
    ok = set(found) == set(expected_speakers) and turns == expected_turns
    lines = [
        f"  expected {expected_turns:3d} turns, speakers: {', '.join(expected_speakers)}",
        f"  found    {turns:3d} turns, speakers: {', '.join(found) or '(none)'}"
        f"  [layout {script.format}]",
    ]
    return ok, "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder", type=Path, help="a folder holding the files and manifest.json")
    args = ap.parse_args(argv)
    manifest = json.loads((args.folder / "manifest.json").read_text(encoding="utf-8"))
    matched = 0
    for entry in manifest:
        ok, detail = _compare(args.folder, entry)
        matched += ok
        print(f"{'MATCH' if ok else 'DIFF '} {entry['file']}")
        print(detail)
    print(f"total: {matched} of {len(manifest)} match their manifest")
    return 0


if __name__ == "__main__":
    sys.exit(main())
