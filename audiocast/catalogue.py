"""A whole catalogue: every script of some folders or globs rendered into one show folder.

Each episode is planned first (parsed, cast, split into clips); one that cannot be is a failed
episode with its one-line error, and the others go on. An episode whose inputs (script bytes,
files it names, settings, voices, engine and version, audiocast's version) hash to the
fingerprint in its manifest, beside an episode file of the recorded size, is left alone. The
rest render on one shared ``SynthesisPool`` (the next episode's clips are made while this one
is mixed) or, with ``cluster``, on Dask (``catalogue_cluster``).
"""

from __future__ import annotations

import contextlib
import dataclasses
import glob
import hashlib
import json
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from . import __version__
from .atomic import write_text_atomic
from .errors import AudiocastError, InputError
from .model import Script, SpeechRequest
from .options import RenderOptions
from .parse import load_script
from .pipeline import render
from .plan import BumperPlan
from .prepare import default_output, prepare
from .synth.base import get_synthesizer
from .synth.cache import ClipCache, default_cache_dir
from .synth.choice import chosen_engine
from .synth.executor import SharedPool
from .synth.pool import SynthesisPool

SCRIPT_SUFFIXES = (".txt", ".md", ".markdown", ".vtt", ".srt", ".yaml", ".yml")
"""What a folder given as a source contributes (not recursive)."""
NOT_SCRIPTS = {"show.yaml", "show.yml", "readme.md", "readme.txt"}
"""Files a script folder holds beside its scripts (the feed's show settings, notes)."""
MANIFEST_DIR = ".audiocast"
"""Inside the show folder: one manifest per episode. Hidden, so feeds and sites skip it."""
MANIFEST_FORMAT = 1
NOT_FINGERPRINTED = {"output", "jobs", "cache_dir", "use_cache", "progress"}
"""``RenderOptions`` fields that change where or how fast, never what, an episode sounds."""

Status = Literal["rendered", "unchanged", "failed"]


@dataclass(frozen=True)
class PlannedEpisode:
    """An episode to render: everything decided, nothing synthesized."""

    source: Path
    script: Script
    options: RenderOptions
    """With ``output`` set to the episode's file in the show folder."""
    requests: tuple[SpeechRequest, ...]
    fingerprint: str

    @property
    def output(self) -> Path:
        assert self.options.output is not None
        return self.options.output


@dataclass(frozen=True)
class EpisodeOutcome:
    source: Path
    status: Status
    output: Path | None = None
    duration: float | None = None
    """Seconds of audio (from the manifest for an unchanged episode)."""
    seconds: float = 0.0
    """Time the render took: on one machine its wall time, on a cluster its workers' time."""
    error: str | None = None
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class CatalogueResult:
    outcomes: tuple[EpisodeOutcome, ...]
    seconds: float

    @property
    def failed(self) -> list[EpisodeOutcome]:
        return [o for o in self.outcomes if o.status == "failed"]


Progress = Callable[[int, int], None]
"""``(clips done, clips in the catalogue)``."""


def find_scripts(sources: Iterable[str | Path]) -> tuple[list[Path], list[EpisodeOutcome]]:
    """The script files ``sources`` name, each once, in order; and a failed outcome for each
    source that names nothing."""
    found: dict[Path, None] = {}
    missing: list[EpisodeOutcome] = []
    for source in sources:
        text = str(source)
        if Path(text).is_dir():
            paths = sorted(
                p
                for p in Path(text).iterdir()
                if p.is_file()
                and p.suffix.lower() in SCRIPT_SUFFIXES
                and not p.name.startswith(".")
                and p.name.lower() not in NOT_SCRIPTS
            )
        elif glob.has_magic(text):
            paths = sorted(Path(p) for p in glob.glob(text, recursive=True) if Path(p).is_file())
        else:
            paths = [Path(text)] if Path(text).exists() else []
        if not paths:
            error = InputError("no scripts found", path=text, hint="give a folder, a glob or files")
            missing.append(EpisodeOutcome(source=Path(text), status="failed", error=str(error)))
        for path in paths:
            found.setdefault(path.resolve(), None)
    return list(found), missing


def manifest_path(episode: Path) -> Path:
    return episode.parent / MANIFEST_DIR / f"{episode.name}.json"


def _read_manifest(episode: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(manifest_path(episode).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def is_unchanged(episode: PlannedEpisode) -> dict[str, Any] | None:
    """The manifest when the episode on disk was made from exactly these inputs, else None."""
    manifest = _read_manifest(episode.output)
    if manifest is None or manifest.get("fingerprint") != episode.fingerprint:
        return None
    try:
        size = episode.output.stat().st_size
    except OSError:
        return None
    return manifest if size == manifest.get("size") else None


def write_manifest(episode: PlannedEpisode, duration: float) -> None:
    data = {
        "format": MANIFEST_FORMAT,
        "fingerprint": episode.fingerprint,
        "source": str(episode.source),
        "episode": episode.output.name,
        "size": episode.output.stat().st_size,
        "duration": duration,
    }
    path = manifest_path(episode.output)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_text_atomic(path, json.dumps(data, indent=2) + "\n")


def _file_digest(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return "missing"


def _jsonable(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in sorted(value.items())}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, Path):
        return str(value)
    return value


def fingerprint(
    script: Script,
    options: RenderOptions,
    requests: Sequence[SpeechRequest],
    bumpers: Sequence[BumperPlan],
    engine_version: str,
) -> str:
    """A digest of everything an episode is made from.

    The clips' cache keys stand for the voices, engine, version and spoken text (so lexicons
    and casting); the script's bytes for its metadata and tags; every option not in
    ``NOT_FINGERPRINTED`` is included by name, so a new option counts without a change here.
    """
    files = [script.source] if script.source else []
    if script.metadata.cover:
        files.append(script.resolve(script.metadata.cover))
    files += [script.resolve(b.music) for b in bumpers if b.music and b.music != "sting"]
    settings = {
        f.name: _jsonable(getattr(options, f.name))
        for f in dataclasses.fields(options)
        if f.name not in NOT_FINGERPRINTED
    }
    data = {
        "audiocast": __version__,
        "episode": options.output.name if options.output else None,
        "settings": settings,
        "clips": [
            ClipCache.key(r, chosen_engine(None, options.engine), engine_version) for r in requests
        ],
        "files": {str(p): _file_digest(p) for p in files},
    }
    blob = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str).encode("utf-8")
    return hashlib.sha256(blob).hexdigest()


def plan_episode(
    source: Path,
    show_dir: Path,
    options: RenderOptions,
    engine_version: str,
    suffix: str,
) -> PlannedEpisode:
    script = load_script(source)
    output = show_dir / default_output(script, suffix).name
    episode_options = dataclasses.replace(options, output=output, progress=None)
    _, plan = prepare(script, episode_options)
    bumpers = [item for item in plan.items if isinstance(item, BumperPlan)]
    requests = tuple(plan.requests)
    digest = fingerprint(script, episode_options, requests, bumpers, engine_version)
    return PlannedEpisode(source, script, episode_options, requests, digest)


def engine_version(engine: str) -> str:
    synth = get_synthesizer(engine)
    try:
        return synth.version()
    finally:
        synth.close()


def plan_catalogue(
    scripts: Sequence[Path], show_dir: Path, options: RenderOptions, suffix: str
) -> Iterator[PlannedEpisode | EpisodeOutcome]:
    """Each script planned, or its failure (also when two scripts would write one file)."""
    version = engine_version(chosen_engine(None, options.engine))
    claimed: dict[Path, Path] = {}
    for source in scripts:
        try:
            episode = plan_episode(source, show_dir, options, version, suffix)
        except AudiocastError as exc:
            yield EpisodeOutcome(source=source, status="failed", error=str(exc))
            continue
        other = claimed.setdefault(episode.output, source)
        if other != source:
            error = InputError(
                f"would also write {episode.output.name}, as {other} does",
                path=source,
                hint="give one of them another title",
            )
            yield EpisodeOutcome(source=source, status="failed", error=str(error))
            continue
        yield episode


def render_all(
    sources: Iterable[str | Path],
    show_dir: Path,
    options: RenderOptions | None = None,
    *,
    suffix: str = ".mp3",
    cluster: str | None = None,
    progress: Progress | None = None,
) -> CatalogueResult:
    """Render every script ``sources`` name into ``show_dir``; unchanged episodes are skipped.

    ``cluster`` is a Dask address or ``local[:N]``; without it, clips are made by one local
    pool of ``options.jobs`` workers. ``KeyboardInterrupt`` stops the run: every episode
    finished so far stays, with its manifest.
    """
    started = time.perf_counter()
    show_dir = Path(show_dir).resolve()
    options = options or RenderOptions()
    options = dataclasses.replace(
        options, cache_dir=(options.cache_dir or default_cache_dir()).resolve()
    )
    with contextlib.ExitStack() as stack:
        client = None
        if cluster is not None:
            # Connect first: an unreachable scheduler is said before any planning.
            from .catalogue_cluster import open_cluster, render_on_cluster

            client = stack.enter_context(open_cluster(cluster))
        scripts, outcomes = find_scripts(sources)
        todo: list[PlannedEpisode] = []
        for item in plan_catalogue(scripts, show_dir, options, suffix):
            if isinstance(item, EpisodeOutcome):
                outcomes.append(item)
            elif (manifest := is_unchanged(item)) is not None:
                duration = manifest.get("duration")
                outcomes.append(
                    EpisodeOutcome(
                        item.source,
                        "unchanged",
                        item.output,
                        float(duration) if isinstance(duration, int | float) else None,
                    )
                )
            else:
                todo.append(item)
        if todo:
            if client is None:
                outcomes += render_locally(todo, options, progress)
            else:
                outcomes += render_on_cluster(todo, options, client, progress)
    order = {path: n for n, path in enumerate(scripts)}
    outcomes.sort(key=lambda o: order.get(o.source, -1))
    return CatalogueResult(tuple(outcomes), time.perf_counter() - started)


def render_locally(
    todo: Sequence[PlannedEpisode], options: RenderOptions, progress: Progress | None
) -> Iterator[EpisodeOutcome]:
    """The episodes in turn, their clips from one pool whose lookahead crosses episodes."""
    total = sum(len(e.requests) for e in todo)
    done = 0

    def on_clip() -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress(done, total)

    assert options.cache_dir is not None
    cache = ClipCache(options.cache_dir)
    with SynthesisPool(
        chosen_engine(None, options.engine), jobs=options.jobs, cache=cache, device=options.device
    ) as pool:
        shared = SharedPool(pool, [e.requests for e in todo], on_clip)
        try:
            for number, episode in enumerate(todo):
                started = time.perf_counter()
                try:
                    result = render(episode.script, episode.options, shared.episode(number))
                    write_manifest(episode, result.duration)
                except AudiocastError as exc:
                    seconds = time.perf_counter() - started
                    yield EpisodeOutcome(
                        episode.source, "failed", episode.output, seconds=seconds, error=str(exc)
                    )
                    continue
                yield EpisodeOutcome(
                    episode.source,
                    "rendered",
                    episode.output,
                    result.duration,
                    time.perf_counter() - started,
                    warnings=result.warnings,
                )
        finally:
            shared.close()


def outcome_rows(result: CatalogueResult) -> list[tuple[str, str, str, str]]:
    """The closing table: episode, status, duration, time (a header row first)."""
    from .report import format_duration

    rows = [("episode", "status", "duration", "time")]
    for o in result.outcomes:
        name = o.output.name if o.output else o.source.name
        duration = format_duration(o.duration) if o.duration is not None else "-"
        seconds = f"{o.seconds:.1f} s" if o.status != "unchanged" else "-"
        rows.append((name, o.status, duration, seconds))
    return rows


def format_table(result: CatalogueResult) -> str:
    rows = outcome_rows(result)
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    lines = [
        "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]
    statuses = [o.status for o in result.outcomes]
    counts = {s: statuses.count(s) for s in ("rendered", "unchanged", "failed")}
    lines.append(
        f"{counts['rendered']} rendered, {counts['unchanged']} unchanged, "
        f"{counts['failed']} failed in {result.seconds:.1f} s"
    )
    return "\n".join(lines)
