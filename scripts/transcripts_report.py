"""Parse every transcript of a folder and compare it with the folder's ``manifest.json``.

    python scripts/transcripts_report.py ../shared/transcripts [--layout NAME]

For each file the manifest lists: the speakers and the number of turns it expects, what the
parser found, and whether both agree. A speaker agrees when the manifest's name is the parser's
display name or one of the labels it merged into it (``Veronica B.`` for ``Veronica Belmont``,
reported as ``via alias``); the turn counts must be equal. Prints a total.
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
    names = {sp.name: {sp.name, *sp.aliases} for sp in script.speakers}
    unmatched = dict(names)
    via_alias = []
    for want in expected_speakers:
        hit = next((n for n, forms in unmatched.items() if want in forms), None)
        if hit is None:
            break
        if hit != want:
            via_alias.append(f"{want} -> {hit}")
        del unmatched[hit]
    else:
        hit = "all"
    ok = hit is not None and not unmatched and turns == expected_turns
    lines = [
        f"  expected {expected_turns:3d} turns, speakers: {', '.join(expected_speakers)}",
        f"  found    {turns:3d} turns, speakers: {', '.join(found) or '(none)'}"
        f"  [layout {script.format}]",
    ]
    if via_alias:
        lines.append(f"  via alias: {'; '.join(via_alias)}")
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
