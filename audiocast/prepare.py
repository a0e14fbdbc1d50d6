"""Everything decided before synthesis: the output's name, the casting, the plan, and every
input checked, so a bad path or script fails in a second rather than after minutes of speech."""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections.abc import Mapping, Sequence
from pathlib import Path

from .announce import default_intro, default_outro, unannounced
from .casting import Casting, cast
from .errors import InputError, ScriptError, VoiceError
from .export.tags import read_cover
from .language import chosen_language
from .language_voices import language_pool, mismatches
from .mix import decode_file
from .model import AUDIO_EXTENSIONS, Bumper, Script, VoiceProfile
from .normalize import lexicon_for
from .normalize.coverage import refuse_lost_words
from .options import RenderOptions
from .paths import WrittenPath, existing, in_script
from .plan import Plan, build_plan
from .synth.base import engine_pool, get_synthesizer
from .synth.choice import chosen_engine
from .voices import load_profiles, require_folders

MAX_NAMED_CHAPTERS = 250
"""Chapters a script may name; with Intro and Outro they must fit ID3's 255-entry CTOC."""


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:80].rstrip("-") or "episode"


def default_output(script: Script, suffix: str = ".mp3") -> Path:
    name = script.title or (script.source.stem if script.source else "episode")
    return Path("output") / f"{slugify(name)}{suffix}"


def cast_script(
    script: Script,
    *,
    overrides: Mapping[str, str] | None = None,
    engine: str = "pyttsx3",
    voices_dirs: Sequence[Path] = (),
    shared: Mapping[str, str] | None = None,
    language: str | None = None,
) -> Casting:
    """Who speaks with which voice: the script's ``voices/`` folder, then ``voices_dirs``.

    Only profiles made for ``engine`` take part: a profile's ``voice_id`` means something to
    its own engine only, so rendering with another engine needs profiles for it (``--voices``).
    ``overrides`` (``--voice``) must each name a speaker; ``shared`` (a ``--config`` file's
    cast, which serves many episodes) may name speakers this script does not have.
    Automatic casting picks voices of ``language`` (default: the script's ``language:``).
    """
    require_folders(voices_dirs)
    dirs = list(voices_dirs)
    if script.source is not None:
        dirs.insert(0, script.source.parent / "voices")
    found = [d for d in dirs if d.is_dir()]
    profiles = load_profiles(found)
    synth = get_synthesizer(engine)
    try:
        needed = len(script.speakers) + 1
        profiles, notes = engine_pool(synth, profiles, needed, found)
        usable = engine_profiles(profiles, engine)
        spoken = chosen_language(script, language)
        pool = language_pool(synth, usable, spoken, needed)
        wanted = dict(overrides or {})
        casting = cast(
            script,
            usable,
            {**(shared or {}), **wanted},
            synth,
            strict=tuple(wanted),
            automatic=pool.profiles,
        )
        chosen = {**casting.voices, "the narrator": casting.narrator}
        notes += pool.notes + tuple(mismatches(synth, chosen, spoken))
    finally:
        synth.close()
    return dataclasses.replace(casting, warnings=casting.warnings + notes) if notes else casting


def engine_profiles(profiles: Mapping[str, VoiceProfile], engine: str) -> dict[str, VoiceProfile]:
    """The profiles whose ``engine`` is ``engine``; a ``VoiceError`` when there are none."""
    chosen = {name: p for name, p in profiles.items() if p.engine == engine}
    if not chosen:
        raise VoiceError(
            f"no voice profiles for the {engine!r} engine",
            hint=f"pass --voices DIR, a folder of profiles with 'engine: {engine}'",
        )
    return chosen


def _check_speech(script: Script) -> None:
    if not script.turns and not any(s.kind == "narration" for s in script.segments):
        raise ScriptError(
            "no speech found: the script has no turns and no narration",
            path=script.source,
            hint="write turns as 'Name: words'",
        )


def _segments(script: Script, only: tuple[int, int] | None) -> list[int] | None:
    if only is None:
        return None
    first, last = only
    count = len(script.segments)
    if not (1 <= first <= last <= count):
        raise InputError(
            f"--only {first}..{last} is outside the script's segments 1..{count}",
            path=script.source,
            hint="see the numbers 'audiocast parse' prints",
        )
    return list(range(first - 1, last))


def _check_bumper(script: Script, bumper: Bumper | None, key: str) -> None:
    if bumper and bumper.audio and bumper.audio != "sting":
        path = script.resolve(bumper.audio)
        if not path.is_file() or path.suffix.lower() not in AUDIO_EXTENSIONS:
            # Where the path was written says what it is relative to: the command line, the
            # config file, or else the script's front matter.
            written = bumper.written or WrittenPath(
                bumper.audio, in_script(script.source, key, script.metadata.lines.get(key))
            )
            raise written.not_found(f"{key} audio file")
        decode_file(path, seconds=0.5)  # unreadable: say so now, not after synthesis


def _check_chapters(script: Script) -> None:
    named = [s for s in script.segments if s.chapter]
    if len(named) > MAX_NAMED_CHAPTERS:
        raise ScriptError(
            f"{len(named)} chapters: an MP3's table of contents holds at most 255",
            path=script.source,
            line=named[MAX_NAMED_CHAPTERS].line,
            hint=f"name at most {MAX_NAMED_CHAPTERS} chapters",
        )


def _check_cover(script: Script) -> None:
    if script.metadata.cover:
        origin = in_script(script.source, "cover", script.metadata.lines.get("cover"))
        cover = existing(script.metadata.cover, origin, "cover image")
        read_cover(cover)  # not a JPEG or PNG: say so now, not after synthesis


def prepare(script: Script, options: RenderOptions) -> tuple[Casting, Plan]:
    """Casting and the plan: everything decided before synthesis, and every input checked."""
    _check_speech(script)
    casting = cast_script(
        script,
        overrides=options.cast,
        engine=chosen_engine(script, options.engine),
        voices_dirs=options.voices_dirs,
        shared=options.shared_cast,
        language=script.metadata.language,
    )
    lexicon = lexicon_for(script, options.lexicon)
    segments = _segments(script, options.only)
    intro = outro = None
    if segments is None:
        if options.use_intro:
            intro = options.intro or script.metadata.intro or default_intro(script)
        if options.use_outro:
            outro = options.outro or script.metadata.outro or default_outro(script)
    silent = unannounced(script)
    if silent and any(b is not None and b.audio == "sting" and not b.text for b in (intro, outro)):
        casting = dataclasses.replace(casting, warnings=(*casting.warnings, silent))
    _check_bumper(script, intro, "intro")
    _check_bumper(script, outro, "outro")
    _check_chapters(script)
    _check_cover(script)
    plan = build_plan(
        script,
        casting,
        gaps=options.gaps,
        lexicon=lexicon,
        intro=intro,
        outro=outro,
        segments=segments,
    )
    if not plan.requests:
        raise ScriptError("nothing to say in the chosen segments", path=script.source)
    if not options.allow_lost_words:
        refuse_lost_words(script, plan, lexicon)  # before minutes of speech, not after
    return casting, plan
