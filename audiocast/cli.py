"""The command line: parse arguments, call the library, format what it returns. No logic here."""

from __future__ import annotations

import json
import sys
import traceback
from pathlib import Path
from typing import Any

import click

from . import __version__
from .check import check_script, github_annotation, report_to_dict, speaker_stats, stats_lines
from .errors import AudiocastError, InputError
from .parse import load_script
from .parse.jsonout import script_to_dict
from .parse.show import script_to_text


class AudiocastGroup(click.Group):
    """Maps the library's exceptions to one line on stderr and a documented exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        debug = "--debug" in sys.argv[1:] or bool(ctx.params.get("debug"))
        try:
            return super().invoke(ctx)
        except AudiocastError as exc:
            if debug:
                traceback.print_exc()
            click.echo(f"audiocast: error: {exc}", err=True)
            ctx.exit(exc.exit_code)
        except KeyboardInterrupt:
            if debug:
                traceback.print_exc()
            click.echo("audiocast: interrupted", err=True)
            ctx.exit(130)


@click.group(cls=AudiocastGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="audiocast")
@click.option("--debug", is_flag=True, help="Show the full traceback on errors.")
def cli(debug: bool) -> None:
    """Turn a written interview into a finished podcast episode, offline."""


@cli.command("parse")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of text.")
def parse_command(file: Path, as_json: bool) -> None:
    """Show how FILE is read: title, speakers, and every turn, narration and cue with its line."""
    script = load_script(file)
    if as_json:
        click.echo(json.dumps(script_to_dict(script), ensure_ascii=False, indent=2))
    else:
        click.echo(script_to_text(script))


@cli.command("check")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--stats", is_flag=True, help="Add per-speaker word counts and spoken duration.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "github"]),
    default="text",
    show_default=True,
    help="github prints workflow annotations for GitHub Actions.",
)
def check_command(files: tuple[Path, ...], stats: bool, fmt: str) -> None:
    """Lint scripts before rendering: exit 0 if clean, 1 with findings, 2 if a file is unreadable.

    Findings print as FILE:LINE: message.
    """
    reports: list[dict[str, object]] = []
    errors: list[dict[str, object]] = []
    found = unreadable = False
    for file in files:
        try:
            script = load_script(file)
        except InputError as exc:
            unreadable = True
            click.echo(f"audiocast: error: {exc}", err=True)
            errors.append({"path": str(file), "line": exc.line, "message": str(exc)})
            if fmt == "github":
                click.echo(github_annotation(str(file), exc.line, exc.message))
            continue
        findings = check_script(script)
        found = found or bool(findings)
        per_speaker = speaker_stats(script) if stats else None
        if fmt == "json":
            reports.append(report_to_dict(str(file), findings, per_speaker))
            continue
        for f in findings:
            if fmt == "github":
                click.echo(github_annotation(f.path, f.line, f.message, f.severity))
            else:
                click.echo(str(f))
        if per_speaker is not None:
            click.echo(f"{file}: spoken length estimate")
            click.echo("\n".join(stats_lines(per_speaker)))
    if fmt == "json":
        data = {"files": reports, "errors": errors}
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
    sys.exit(2 if unreadable else 1 if found else 0)


def main() -> None:
    cli(prog_name="audiocast")
