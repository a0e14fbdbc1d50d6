"""How the parser decided who speaks, for people: ``parse --explain`` and ``check``'s findings."""

from __future__ import annotations

from ..model import Finding, Script


def explain_lines(script: Script) -> list[str]:
    """The layout chosen and its evidence, the runner-up and its score, the aliases merged."""
    choice = script.layout
    if choice is None:
        return [f"Layout: {script.format} (decided by the file's format; no labels to weigh)"]
    how = "forced by --layout" if choice.forced else f"score {choice.score:g}"
    lines = [f"Layout: {choice.name} ({how})", f"  evidence: {choice.evidence}"]
    if choice.runner_up:
        lines.append(f"Runner-up: {choice.runner_up} (score {choice.runner_up_score:g})")
    if choice.ambiguous:
        lines.append("  the two score close: check the speakers, or choose with --layout")
    if choice.aliases:
        merged = "; ".join(f"{alias} -> {name}" for alias, name in choice.aliases)
        lines.append(f"Aliases merged: {merged}")
    else:
        lines.append("Aliases merged: none")
    return lines


def layout_findings(script: Script, path: str) -> list[Finding]:
    """``ambiguous-layout`` (two layouts score close) and ``narration-only`` (lines shaped like
    names, yet no turn)."""
    choice = script.layout
    if choice is None:
        return []
    findings = []
    if choice.ambiguous and not choice.forced:
        findings.append(
            Finding(
                path,
                1,
                f"layout is ambiguous: {choice.name} scores {choice.score:g}, "
                f"{choice.runner_up} {choice.runner_up_score:g} "
                f"(see 'audiocast parse --explain', choose with --layout {choice.runner_up})",
                "warning",
                "ambiguous-layout",
            )
        )
    if not script.turns and choice.name_like_lines:
        first = min((s.line for s in script.segments), default=1)
        findings.append(
            Finding(
                path,
                first,
                f"{choice.name_like_lines} lines look like speaker names but no turn was found: "
                "the narrator would read everything (declare them with 'speakers:' or --layout)",
                "error",
                "narration-only",
            )
        )
    return findings
