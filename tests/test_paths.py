"""Every path a user writes is relative to where it was written: the current folder on the
command line, the config file's folder in ``--config``, the script's folder in front matter;
every "not found" names the absolute path tried and what it was relative to."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from audiocast.cli import cli
from audiocast.config import bumper_from_option, load_config
from audiocast.paths import command_line

SCRIPT = "---\ntitle: Paths\n---\nAnn: Hello there.\n"
BARE = ["--no-intro", "--no-outro", "--no-page"]


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def error_line(result: Result) -> str:
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("audiocast: error: "), result.stderr
    return lines[0]


@pytest.fixture
def layout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The current folder ``work/``, the script and a config in ``show/`` beside it."""
    (tmp_path / "work").mkdir()
    (tmp_path / "show").mkdir()
    (tmp_path / "show" / "ep.txt").write_text(SCRIPT, encoding="utf-8")
    monkeypatch.chdir(tmp_path / "work")
    return tmp_path


CURRENT = "relative to the current folder"


@pytest.mark.parametrize(
    ("args", "what", "tried"),
    [
        (["--intro", "missing.mp3"], "intro audio file", "work/missing.mp3"),
        (["--outro", "music/end.wav"], "outro audio file", "work/music/end.wav"),
        (["--config", "nope.yaml"], "config file", "work/nope.yaml"),
        (["--voices", "my-voices"], "voice profile folder", "work/my-voices"),
        (["--lexicon", "words.yaml"], "lexicon", "work/words.yaml"),
    ],
)
def test_a_command_line_path_is_relative_to_the_current_folder(
    layout: Path, args: list[str], what: str, tried: str
) -> None:
    line = error_line(run("render", "../show/ep.txt", *args))
    assert f"{what} not found: {layout / tried}" in line
    assert f"fix {args[0]} {args[1]}, {CURRENT} {layout / 'work'}" in line


def test_the_script_and_the_show_file_given_on_the_command_line(layout: Path) -> None:
    line = error_line(run("render", "ep.txt", *BARE))
    assert f"script not found: {layout / 'work' / 'ep.txt'}" in line and CURRENT in line
    line = error_line(run("feed", ".", "--base-url", "https://example.org/", "--show", "s.yaml"))
    assert f"show settings file not found: {layout / 'work' / 's.yaml'}" in line
    assert f"fix --show s.yaml, {CURRENT}" in line


def test_a_command_line_audio_path_resolves_against_the_current_folder(layout: Path) -> None:
    bumper = bumper_from_option("jingle.mp3", command_line("--intro"))
    assert bumper.audio == str(layout / "work" / "jingle.mp3")


@pytest.mark.parametrize(
    ("setting", "what", "tried"),
    [
        ("intro: music/jingle.mp3", "intro audio file", "show/music/jingle.mp3"),
        ("voices: voices-b", "voice profile folder", "show/voices-b"),
        ("lexicon: words.yaml", "lexicon", "show/words.yaml"),
    ],
)
def test_a_config_path_is_relative_to_the_config_files_folder(
    layout: Path, setting: str, what: str, tried: str
) -> None:
    config = layout / "show" / "c.yaml"
    config.write_text(f"loudness: -16\n{setting}\n", encoding="utf-8")
    line = error_line(run("render", "../show/ep.txt", "--config", "../show/c.yaml", *BARE[2:]))
    key, _, written = setting.partition(": ")
    assert line.startswith(f"audiocast: error: {config}:2: {what} not found: {layout / tried}")
    assert f"fix {key}: {written}, relative to the config file's folder {layout / 'show'}" in line


def test_config_paths_that_are_there_are_found_from_any_current_folder(layout: Path) -> None:
    show = layout / "show"
    (show / "voices-b").mkdir()
    (show / "words.yaml").write_text("Okafor: oh-KAH-for\n", encoding="utf-8")
    (show / "c.yaml").write_text(
        "intro: jingle.mp3\nvoices: voices-b\nlexicon: words.yaml\n", encoding="utf-8"
    )
    config = load_config(Path("../show/c.yaml"))
    assert config.voices_dirs == (show / "voices-b",)
    assert config.lexicon == show / "words.yaml"
    assert config.intro is not None and config.intro.audio == str(show / "jingle.mp3")


@pytest.mark.parametrize(
    ("key", "value", "what"),
    [("cover", "art/cover.jpg", "cover image"), ("intro", "music/jingle.mp3", "intro audio file")],
)
def test_a_front_matter_path_is_relative_to_the_scripts_folder(
    layout: Path, key: str, value: str, what: str
) -> None:
    script = layout / "show" / "ep.txt"
    script.write_text(f"---\ntitle: Paths\n{key}: {value}\n---\nAnn: Hi.\n", encoding="utf-8")
    line = error_line(run("render", "../show/ep.txt", "--no-outro", "--no-page"))
    tried = layout / "show" / value
    assert line.startswith(f"audiocast: error: {script}:3: {what} not found: {tried}"), line
    assert f"fix {key}: {value}, relative to the script's folder {layout / 'show'}" in line
