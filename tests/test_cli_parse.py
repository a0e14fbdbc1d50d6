"""`audiocast parse` and `audiocast check` through click's CliRunner."""

from __future__ import annotations

import json
import re
from pathlib import Path

from click.testing import CliRunner

from audiocast.cli import cli

GOOD = (
    "---\ntitle: Tide\nshow: Coast\n---\n"
    "A Short Talk\nAnn Lee: Hello there.\n\n(LAUGHTER)\n\nBo: Hi.\n"
)


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_parse_prints_turns_with_lines(tmp_path: Path):
    path = _write(tmp_path, "s.txt", GOOD)
    result = CliRunner().invoke(cli, ["parse", str(path)])
    assert result.exit_code == 0, result.output
    assert "Title: Tide" in result.output
    assert "   2  L6     Ann Lee: Hello there." in result.output
    assert "   3  L8     [cue] LAUGHTER" in result.output


def test_parse_spoken_shows_what_will_be_said(tmp_path: Path):
    path = _write(tmp_path, "s.txt", "Ann: Dr. Lee paid $20 on Nov. 8.\n\nBo: (laughs)\n")
    result = CliRunner().invoke(cli, ["parse", "--spoken", str(path)])
    assert result.exit_code == 0, result.output
    assert "Ann: Doctor Lee paid twenty dollars on November eighth." in result.output
    data = json.loads(CliRunner().invoke(cli, ["parse", "--spoken", "--json", str(path)]).output)
    first = data["segments"][0]
    assert first["text"] == "Dr. Lee paid $20 on Nov. 8."
    assert first["spoken"] == "Doctor Lee paid twenty dollars on November eighth."
    lexicon = _write(tmp_path, "lex.yaml", "Lee: Leigh\n")
    out = CliRunner().invoke(cli, ["parse", "--spoken", "--lexicon", str(lexicon), str(path)])
    assert "Doctor Leigh paid" in out.output


def test_parse_json_shape(tmp_path: Path):
    path = _write(tmp_path, "s.txt", GOOD)
    result = CliRunner().invoke(cli, ["parse", "--json", str(path)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["title"] == "Tide"
    assert data["speakers"] == ["Ann Lee", "Bo"]
    assert data["metadata"] == {"title": "Tide", "show": "Coast"}
    assert data["segments"][0] == {
        "kind": "narration",
        "speaker": None,
        "text": "A Short Talk",
        "line": 5,
    }
    assert [s["kind"] for s in data["segments"]] == ["narration", "turn", "cue", "turn"]
    assert data["segments"][1] == {
        "kind": "turn",
        "speaker": "Ann Lee",
        "text": "Hello there.",
        "line": 6,
    }


def test_parse_json_metadata_is_json_safe(tmp_path: Path):
    path = _write(
        tmp_path,
        "s.yaml",
        "date: 2026-11-25\nintro: hello.mp3\nsegments:\n  - Ann: Hi.\n    chapter: One\n",
    )
    result = CliRunner().invoke(cli, ["parse", "--json", str(path)])
    data = json.loads(result.output)
    assert data["metadata"] == {"date": "2026-11-25", "intro": {"audio": "hello.mp3"}}
    assert data["segments"][0]["chapter"] == "One"


def test_parse_bad_input_is_one_line_exit_2(tmp_path: Path):
    runner = CliRunner()
    for args in (
        [str(tmp_path / "missing.txt")],
        [str(tmp_path)],
        [str(_write(tmp_path, "empty.txt", "  \n"))],
        [str(_write(tmp_path, "bad.md", "---\ntitle: a: b\n---\nAnn: Hi.\n"))],
    ):
        result = runner.invoke(cli, ["parse", *args])
        assert result.exit_code == 2, result.output
        assert result.output.count("\n") == 1
        assert result.output.startswith("audiocast: error: ")
        assert "Traceback" not in result.output
    binary = tmp_path / "b.txt"
    binary.write_bytes(b"\x00\x01\x02binary")
    result = runner.invoke(cli, ["parse", str(binary)])
    assert result.exit_code == 2 and "binary data" in result.output


def test_check_exit_codes(tmp_path: Path):
    runner = CliRunner()
    clean = _write(tmp_path, "clean.txt", GOOD)
    dirty = _write(tmp_path, "dirty.txt", "Ann: Hi.\n\nBo:\n")
    assert runner.invoke(cli, ["check", str(clean)]).exit_code == 0
    result = runner.invoke(cli, ["check", str(clean), str(dirty)])
    assert result.exit_code == 1
    assert result.output.strip() == (
        f"{dirty}:3: 'Bo' has a turn with no words (remove the label or add words)"
    )
    assert runner.invoke(cli, ["check"]).exit_code == 2


def test_check_reports_each_unreadable_file_and_continues(tmp_path: Path):
    dirty = _write(tmp_path, "dirty.txt", "Ann: Hi.\n\nBo:\n")
    missing = tmp_path / "missing.txt"
    result = CliRunner().invoke(cli, ["check", str(missing), str(dirty), str(tmp_path)])
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert lines[0] == f"audiocast: error: {missing}: no such file (check the path)"
    assert lines[1].startswith(f"{dirty}:3: ")
    assert lines[2].startswith(f"audiocast: error: {tmp_path}: is a directory")


def test_check_stats_and_formats(tmp_path: Path):
    runner = CliRunner()
    path = _write(tmp_path, "s.txt", "Ann: one two three\n\nBo:\n")
    result = runner.invoke(cli, ["check", "--stats", str(path)])
    assert re.search(r"^  Ann: 1 turn, 3 words, ~0:0[1-3]$", result.output, re.M)
    result = runner.invoke(cli, ["check", "--format", "github", str(path)])
    assert result.output.strip() == (
        f"::error file={path},line=3::'Bo' has a turn with no words (remove the label or add words)"
    )
    result = runner.invoke(cli, ["check", "--format", "json", "--stats", str(path)])
    assert result.exit_code == 1
    data = json.loads(result.output)
    report = data["files"][0]
    assert report["path"] == str(path)
    assert report["findings"][0]["code"] == "empty-turn"
    assert report["stats"][0]["words"] == 3
    assert runner.invoke(cli, ["check", "--format", "xml", str(path)]).exit_code == 2


def test_check_json_lists_unreadable_files(tmp_path: Path):
    missing = tmp_path / "missing.txt"
    result = CliRunner().invoke(cli, ["check", "--format", "json", str(missing)])
    assert result.exit_code == 2
    data = json.loads(result.output[result.output.index("{") :])
    assert data["files"] == []
    assert data["errors"][0]["path"] == str(missing)
    assert "no such file" in data["errors"][0]["message"]


def test_pre_commit_hook_runs_check_on_scripts():
    import re

    import yaml

    root = Path(__file__).resolve().parent.parent
    (hook,) = yaml.safe_load((root / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hook["id"] == "audiocast-check"
    assert hook["entry"] == "audiocast check"
    assert hook["language"] == "python"
    files = re.compile(hook["files"])
    assert files.search("scripts/example.txt") and files.search("show/scripts/ep1.yaml")
    assert not files.search("scripts/bench_parse.py") and not files.search("notes/ep1.txt")
