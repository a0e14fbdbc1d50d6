"""Settings from the command line, ``--config`` and the script: which wins, and what is refused.

The command line wins over config, config over the script's front matter, front matter over the
defaults; every number has one range in both places, and a bad value is one line naming it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from audiocast.cli import cli

ONE_TURN = "---\ntitle: Settings\nshow: Tests\n---\nAna: Hello from the settings test.\n"
BARE = ["--no-intro", "--no-outro", "--no-sidecars", "--no-page"]


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def one_line_error(result: Result) -> str:
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.output
    return lines[0]


@pytest.fixture
def script(tmp_path: Path) -> Path:
    path = tmp_path / "s.txt"
    path.write_text(ONE_TURN, "utf-8")
    return path


def config(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "c.yaml"
    path.write_text(text, "utf-8")
    return path


def test_the_command_line_loudness_wins_over_config(tmp_path: Path, script: Path) -> None:
    conf = config(tmp_path, "loudness: -14\n")
    out = tmp_path / "ep.wav"
    args = ["render", script, "-o", out, "--config", conf, "--json", *BARE]
    cli_wins = json.loads(run(*args, "--loudness", "-19").stdout)
    assert cli_wins["loudness"]["integrated"] == pytest.approx(-19, abs=0.5)
    config_wins = json.loads(run(*args).stdout)  # over the default -16
    assert config_wins["loudness"]["integrated"] == pytest.approx(-14, abs=0.5)


@pytest.mark.parametrize(
    "value", ["loud", ".nan", ".inf", "-.inf", "1e308", "[-16, -14]", "10", "-41", "true", "{}"]
)
def test_a_bad_config_loudness_is_one_line_naming_it(
    tmp_path: Path, script: Path, value: str
) -> None:
    conf = config(tmp_path, f"# settings\nloudness: {value}\n")
    result = run("render", script, "--config", conf, *BARE)
    assert result.exit_code == 2
    line = one_line_error(result)
    assert "loudness must be a number from -40 to -5 LUFS" in line
    assert f"{conf}:2:" in line


@pytest.mark.parametrize("value", ["nan", "inf", "1e308", "-3", "loud"])
def test_a_bad_command_line_loudness_is_refused(script: Path, value: str) -> None:
    result = run("render", script, "--loudness", value, *BARE)
    assert result.exit_code == 2
    assert "--loudness" in result.stderr


@pytest.mark.parametrize("option", ["--gap", "--speaker-gap"])
def test_a_nan_gap_on_the_command_line_is_refused(script: Path, option: str) -> None:
    result = run("render", script, option, "nan", *BARE)
    assert result.exit_code == 2
    assert option in result.stderr


@pytest.mark.parametrize(("value", "named"), [(".nan", "gaps.cue"), ("11", "gaps.cue")])
def test_a_config_gap_has_the_command_line_range(
    tmp_path: Path, script: Path, value: str, named: str
) -> None:
    conf = config(tmp_path, f"gaps:\n  cue: {value}\n")
    result = run("render", script, "--config", conf, *BARE)
    assert result.exit_code == 2
    assert f"{named} must be a number from 0 to 10 seconds" in one_line_error(result)


def test_an_unknown_config_key_lists_the_valid_ones(tmp_path: Path, script: Path) -> None:
    conf = config(tmp_path, "cast: {}\nloudnes: -16\n")
    result = run("render", script, "--config", conf, *BARE)
    assert result.exit_code == 2
    line = one_line_error(result)
    assert f"{conf}:2:" in line and "'loudnes'" in line
    keys = "aliases, allow_lost_words, cast, directions, engine, gaps, intro, language, lexicon"
    assert f"{keys}, loudness, outro, speakers, voices" in line


def test_an_unknown_gap_lists_the_valid_ones(tmp_path: Path, script: Path) -> None:
    conf = config(tmp_path, "gaps:\n  breath: 0.2\n")
    result = run("render", script, "--config", conf, *BARE)
    assert result.exit_code == 2
    line = one_line_error(result)
    assert "unknown gap 'breath'" in line
    assert "sentence, paragraph, speaker_change, cue" in line
    assert "TypeError" not in line and "unexpected keyword" not in line


def profile(folder: Path, rate: int) -> Path:
    folder.mkdir()
    (folder / "guest-a.yaml").write_text(
        f"name: guest-a\nengine: pyttsx3\nvoice_id: en-us+f4\nrate: {rate}\n", "utf-8"
    )
    return folder


def test_command_line_voices_win_over_config_voices(tmp_path: Path, script: Path) -> None:
    from_config = profile(tmp_path / "config-voices", 150)
    from_cli = profile(tmp_path / "cli-voices", 210)
    conf = config(tmp_path, f"voices: {from_config}\ncast:\n  Ana: guest-a\n")
    result = run("cast", script, "--config", conf, "--voices", from_cli, "--json")
    assert result.exit_code == 0, result.stderr
    assert '"rate": 210' in result.stdout


def test_a_missing_intro_on_the_command_line_names_the_file_looked_for(
    tmp_path: Path, script: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    result = run("render", script, "--intro", "missing.mp3", "--no-outro")
    assert result.exit_code == 2
    line = one_line_error(result)
    assert str(elsewhere / "missing.mp3") in line
    assert "relative to the current folder" in line
    assert "relative to the script's folder" not in line


@pytest.mark.parametrize("existing", [True, False])
def test_output_to_a_folder_uses_the_usual_name(
    tmp_path: Path, script: Path, existing: bool
) -> None:
    folder = tmp_path / "episodes"
    if existing:
        folder.mkdir()
    result = run("render", script, "-o", f"{folder}/", "-q", *BARE)
    assert result.exit_code == 0, result.stderr
    assert [p.name for p in folder.iterdir()] == ["settings.mp3"]
