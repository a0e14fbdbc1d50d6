"""``parse`` and ``check``: how a script is read, and the CI gate."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..check import check_script, github_annotation, report_to_dict, speaker_stats, stats_lines
from ..errors import AudiocastError, InputError
from ..parse import load_script
from ..parse.jsonout import script_to_dict
from ..parse.show import script_to_text
from ..text_safety import json_terminal_safe, terminal_safe

if TYPE_CHECKING:
    from ..estimate import Estimate
    from ..model import Finding, Script, Segment
from .app import (
    CACHE_DIR_OPTION,
    CONFIG_OPTION,
    DIRECTIONS_OPTION,
    ENGINE_OPTION,
    LANGUAGE_OPTION,
    LAYOUT_OPTION,
    LEXICON_OPTION,
    cli,
    existing_path,
    parse_options,
)


@cli.command("parse")
@click.argument("file", type=click.Path(path_type=Path), callback=existing_path("script"))
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of text.")
@click.option(
    "--spoken", is_flag=True, help="Show the text as it will be said (JSON: a 'spoken' field)."
)
@click.option(
    "--explain", is_flag=True, help="Say which layout was chosen, why, and which aliases merged."
)
@LAYOUT_OPTION
@DIRECTIONS_OPTION
@CONFIG_OPTION
@LEXICON_OPTION
def parse_command(
    file: Path,
    as_json: bool,
    spoken: bool,
    explain: bool,
    layout: str | None,
    directions: str | None,
    config_file: Path | None,
    lexicon: Path | None,
) -> None:
    """Show how FILE is read: title, speakers, and every turn, narration and cue with its line.

    Segments are numbered as `render --only` counts them.
    """
    script = load_script(file, parse_options(layout, config_file, directions))
    if explain:
        from ..parse.explain import explain_lines

        click.echo(terminal_safe("\n".join(explain_lines(script))))
        if not as_json:
            return
    say = None
    if spoken:
        from ..normalize import lexicon_for, spoken_form

        lex = lexicon_for(script, lexicon)
        language = script.metadata.language

        def say(segment: Segment) -> str:
            return "" if segment.kind == "cue" else spoken_form(segment.text, lex, language)

    if as_json:
        text = json.dumps(script_to_dict(script, say), ensure_ascii=False, indent=2)
        click.echo(json_terminal_safe(text))
    else:
        click.echo(terminal_safe(script_to_text(script, say)))


@cli.command("check")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--stats",
    is_flag=True,
    help="Add words per speaker and the episode's length, estimated from the engine's "
    "measured speaking rate and the render's pauses, intro and outro.",
)
@ENGINE_OPTION
@CACHE_DIR_OPTION
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "github"]),
    default="text",
    show_default=True,
    help="github prints workflow annotations for GitHub Actions.",
)
@click.option(
    "--pronounce",
    is_flag=True,
    help="Also list words the engine will likely spell out or misread, with a lexicon entry.",
)
@LEXICON_OPTION
@LAYOUT_OPTION
@DIRECTIONS_OPTION
@CONFIG_OPTION
@LANGUAGE_OPTION
def check_command(
    files: tuple[Path, ...],
    stats: bool,
    engine: str | None,
    cache_dir: Path | None,
    fmt: str,
    pronounce: bool,
    lexicon: Path | None,
    layout: str | None,
    directions: str | None,
    config_file: Path | None,
    language: str | None,
) -> None:
    """Lint scripts before rendering: exit 0 if clean, 1 with findings, 2 if a file is unreadable.

    Findings print as FILE:LINE: message.
    """
    from ..config import load_config
    from ..language import with_language

    options = parse_options(layout, config_file, directions)
    given = [language, load_config(config_file).language if config_file else None]
    reports: list[dict[str, object]] = []
    errors: list[dict[str, object]] = []
    found = unreadable = False
    for file in files:
        try:
            script = with_language(load_script(file, options), *given)
        except InputError as exc:
            unreadable = True
            errors.append(_unusable(file, exc, fmt))
            continue
        findings = check_script(script, lexicon)
        if pronounce:
            from ..pronounce import pronounce_findings

            # A broken lexicon file raises InputError: one line and exit 2, like a bad script.
            findings = sorted([*findings, *pronounce_findings(script, lexicon)], key=_line)
        found = found or bool(findings)
        per_speaker = estimate = None
        if stats:
            try:
                estimate = _estimate(script, config_file, engine, cache_dir, lexicon)
            except AudiocastError as exc:  # a voice or intro file the render would refuse
                unreadable = True
                errors.append(_unusable(file, exc, fmt))
            per_speaker = speaker_stats(script, estimate)
        if fmt == "json":
            reports.append(report_to_dict(str(file), findings, per_speaker, estimate))
            continue
        for f in findings:
            if fmt == "github":
                click.echo(github_annotation(f.path, f.line, f.message, f.severity))
            else:
                click.echo(str(f))
        if per_speaker is not None:
            click.echo(f"{file}: spoken length estimate")
            click.echo("\n".join(stats_lines(per_speaker, estimate)))
    if fmt == "json":
        data = {"files": reports, "errors": errors}
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
    sys.exit(2 if unreadable else 1 if found else 0)


def _unusable(file: Path, exc: AudiocastError, fmt: str) -> dict[str, object]:
    """Say why ``file`` could not be checked (one line; an annotation too for GitHub) and
    return the JSON report's entry for it."""
    click.echo(f"audiocast: error: {exc}", err=True)
    if fmt == "github":
        click.echo(github_annotation(str(file), exc.line, exc.message))
    return {"path": str(file), "line": exc.line, "message": str(exc)}


def _estimate(
    script: Script,
    config_file: Path | None,
    engine: str | None,
    cache_dir: Path | None,
    lexicon: Path | None,
) -> Estimate | None:
    """The episode's length as ``render`` would make it with the same --config; ``None``
    when the script has nothing to say (its finding says so)."""
    from ..estimate import estimate_script, render_options

    if not any(s.kind != "cue" and s.text.strip() for s in script.segments):
        return None
    return estimate_script(script, render_options(config_file, engine, cache_dir, lexicon))


def _line(finding: Finding) -> int:
    return finding.line
