"""Every command has help text and is documented in the README, so neither drifts silently."""

from __future__ import annotations

from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from audiocast.cli import cli

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def _commands(group: click.Group, prefix: str = "audiocast") -> list[tuple[str, click.Command]]:
    found: list[tuple[str, click.Command]] = []
    for name, command in sorted(group.commands.items()):
        path = f"{prefix} {name}"
        found.append((path, command))
        if isinstance(command, click.Group):
            found.extend(_commands(command, path))
    return found


COMMANDS = _commands(cli)


def test_the_cli_has_the_documented_commands() -> None:
    names = {path for path, _ in COMMANDS}
    expected = {"parse", "check", "render", "say", "voices", "cast", "info", "feed", "cache"}
    assert {f"audiocast {n}" for n in expected} <= names


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=[p for p, _ in COMMANDS])
def test_command_has_help_and_is_in_the_readme(path: str, command: click.Command) -> None:
    assert command.help and command.help.strip(), f"{path} has no help text"
    for param in command.params:
        if isinstance(param, click.Option):
            assert param.help, f"{path} {param.opts[0]} has no help text"
    top = " ".join(path.split()[:2])
    assert f"`{top}" in README, f"{top} is not documented in README.md"
    args = [*path.split()[1:], "--help"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.output


def test_render_help_shows_the_default_of_every_number_option() -> None:
    render = cli.commands["render"]
    numeric = [
        p
        for p in render.params
        if isinstance(p, click.Option)
        and isinstance(p.type, click.types.FloatParamType | click.types.IntParamType)
    ]
    assert {"--gap", "--speaker-gap", "--room-tone", "--jobs", "--loudness"} <= {
        p.opts[-1] for p in numeric
    }
    text = CliRunner().invoke(cli, ["render", "--help"], terminal_width=200).output
    for option in numeric:
        line = next(ln for ln in text.splitlines() if option.opts[-1] in ln)
        assert "[default:" in line, line
