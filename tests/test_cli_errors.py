"""A bug still ends in one line and exit 1; --debug shows the traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

import audiocast.cli.scripts
from audiocast.cli import cli


def _broken(path: Path, options: object = None) -> None:
    raise ValueError("bytes must be in range(0, 256)")


def test_an_unexpected_error_is_one_line_without_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    script = tmp_path / "s.txt"
    script.write_text("Ann: Hello.\n", encoding="utf-8")
    monkeypatch.setattr(audiocast.cli.scripts, "load_script", _broken)
    result = CliRunner().invoke(cli, ["parse", str(script)])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert lines == [
        "audiocast: internal error: ValueError: bytes must be in range(0, 256) "
        "(run with --debug for the traceback, and please report it)"
    ]
    debug = CliRunner().invoke(cli, ["--debug", "parse", str(script)])
    assert debug.exit_code == 1
    assert "Traceback (most recent call last)" in debug.output
