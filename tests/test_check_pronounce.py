"""``audiocast check --pronounce``: risky words, where they are, and a lexicon entry to fix them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from audiocast.cli import cli
from audiocast.normalize import Lexicon
from audiocast.pronounce import suggest_respelling, suspicious_words

EPISODE = """\
---
title: Word trouble
---
**Host:** Welcome back. Our guest ships on the JAMstack and reads XKCD
over breakfast, then sells B2B tools on eBay.

**Guest:** NATO and the FBI agree with King Charles III, version v2.0.1.
Later, the ZORBLAX team said hello to McKinsey.
"""


@pytest.fixture
def episode(tmp_path: Path) -> Path:
    path = tmp_path / "ep.md"
    path.write_text(EPISODE, encoding="utf-8")
    return path


def test_lists_each_risky_word_at_its_line_with_a_lexicon_entry(episode: Path) -> None:
    result = CliRunner().invoke(cli, ["check", "--pronounce", str(episode)])
    assert result.exit_code == 1, result.output
    lines = result.output.splitlines()
    assert [line.split(": ", 1)[0] for line in lines] == [
        f"{episode}:4",
        f"{episode}:5",
        f"{episode}:5",
        f"{episode}:8",
    ]
    assert "`XKCD: X.K.C.D.`" in lines[0]
    assert "`B2B: B two B`" in lines[1]
    assert "`eBay: e bay`" in lines[2]
    assert "`ZORBLAX: zorblax`" in lines[3]


def test_words_the_normalizer_or_the_engine_handle_are_not_reported(episode: Path) -> None:
    output = CliRunner().invoke(cli, ["check", "--pronounce", str(episode)]).output
    for handled in ("JAMstack", "NATO", "FBI", "III", "v2.0.1", "McKinsey", "Welcome"):
        assert handled not in output


def test_a_lexicon_entry_silences_the_finding(episode: Path, tmp_path: Path) -> None:
    (tmp_path / "pronounce.yaml").write_text("ZORBLAX: zor blacks\n", encoding="utf-8")
    lexicon = tmp_path / "extra.yaml"
    lexicon.write_text("XKCD: ex kay see dee\nB2B: bee to bee\neBay: ee bay\n", encoding="utf-8")
    result = CliRunner().invoke(
        cli, ["check", "--pronounce", "--lexicon", str(lexicon), str(episode)]
    )
    assert result.exit_code == 0, result.output
    assert result.output == ""


def test_without_the_flag_pronunciation_is_not_checked(episode: Path) -> None:
    result = CliRunner().invoke(cli, ["check", str(episode)])
    assert result.exit_code == 0, result.output


def test_json_report_carries_the_pronounce_code(episode: Path) -> None:
    result = CliRunner().invoke(cli, ["check", "--pronounce", "--format", "json", str(episode)])
    assert result.exit_code == 1
    findings = json.loads(result.output)["files"][0]["findings"]
    assert {f["code"] for f in findings} == {"pronounce"}
    assert len(findings) == 4


def test_a_broken_lexicon_is_a_one_line_error(episode: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("- not\n- a mapping\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", "--pronounce", "--lexicon", str(bad), str(episode)])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert str(bad) in result.output


@pytest.mark.parametrize(
    ("word", "respelling"),
    [("B2B", "B two B"), ("XKCD", "X.K.C.D."), ("eBay", "e bay"), ("COVID19", "covid nineteen")],
)
def test_suggest_respelling(word: str, respelling: str) -> None:
    assert suggest_respelling(word) == respelling


def test_suspicious_words_respects_the_lexicon() -> None:
    assert suspicious_words("We met QXZ at GPS corp.") == ["QXZ"]
    assert suspicious_words("We met QXZ.", Lexicon({"QXZ": "cue ex zed"})) == []
