"""Voice profiles: the built-in set, the user's own YAML files, and turning a name into a voice.

A profile is one YAML file (``name``, ``engine``, ``voice_id``, ``rate``, ``pitch``, ``volume``,
``description``, ``roles``). Profiles load in layers, a later layer replacing an earlier profile
of the same name: the built-ins shipped with the package, then ``./voices/`` of the current
folder, then each extra folder (such as the script's own ``voices/``).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from .errors import InputError, VoiceError
from .model import EngineVoice, VoiceProfile
from .paths import command_line, existing
from .settings import load_yaml
from .suggest import did_you_mean
from .synth.base import Synthesizer
from .synth.piper_profiles import PIPER_SETTINGS, settings_from_profile_data

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

BUILTIN_PACKAGE = "audiocast.profiles"
"""The top-level ``voices/`` folder, installed as this package (see pyproject.toml)."""
PROFILE_SUFFIXES = (".yaml", ".yml")
KEYS = (
    "name",
    "engine",
    "voice_id",
    "rate",
    "pitch",
    "volume",
    "description",
    "roles",
    "model",
    *PIPER_SETTINGS,
)
LIMITS = {"rate": (80, 450), "pitch": (0, 100), "volume": (0.0, 1.0)}


def builtin_folder() -> Traversable | None:
    """The built-in profiles: the installed package, or ``voices/`` beside a source checkout."""
    try:
        return resources.files(BUILTIN_PACKAGE)
    except (ModuleNotFoundError, TypeError, AttributeError):
        # An editable (path-based) install cannot remap voices/ to a package name; an old
        # importlib may not read a namespace package. Look where the files would be.
        here = Path(__file__).resolve().parent
        for folder in (here / "profiles", here.parent / "voices"):
            if folder.is_dir():
                return folder
        return None


def discover_profiles(
    extra_dirs: Sequence[Path] = (),
) -> dict[str, tuple[VoiceProfile, str]]:
    """Every profile by name with where it came from (``built-in`` or the file's path)."""
    found: dict[str, tuple[VoiceProfile, str]] = {}
    builtin = builtin_folder()
    if builtin is not None:
        for item in _profile_files(builtin.iterdir()):
            profile = parse_profile(item.read_text(encoding="utf-8"), str(item), item.name)
            found[profile.name] = (profile, "built-in")
    # Run from a source checkout, ./voices/ *is* the built-in folder: keep it labelled so.
    seen = {Path(str(builtin)).resolve()} if isinstance(builtin, Path) else set()
    for folder in (Path("voices"), *extra_dirs):
        folder = Path(folder)
        if not folder.is_dir() or folder.resolve() in seen:
            continue
        seen.add(folder.resolve())
        for path in _profile_files(folder.iterdir()):
            try:
                text = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                raise VoiceError(f"cannot read voice profile: {exc}", path=path) from None
            profile = parse_profile(text, str(path), path.name)
            found[profile.name] = (profile, str(path))
    return found


def require_folders(folders: Sequence[Path]) -> None:
    """Folders a user named (``--voices``) must exist: a typo should not silently cast defaults."""
    for folder in folders:
        try:
            existing(folder, command_line("--voices"), "voice profile folder", "folder")
        except InputError as exc:
            raise VoiceError(exc.message, path=exc.path, hint=exc.hint) from None


def load_profiles(extra_dirs: Sequence[Path] = ()) -> dict[str, VoiceProfile]:
    """Profiles by name: built-ins, then ``./voices/``, then ``extra_dirs`` in order.

    Raises ``VoiceError`` naming the file and line of a broken profile.
    """
    return {name: profile for name, (profile, _) in discover_profiles(extra_dirs).items()}


def _profile_files(items: Iterable[Any]) -> list[Any]:
    chosen = [i for i in items if i.name.endswith(PROFILE_SUFFIXES) and i.is_file()]
    return sorted(chosen, key=lambda i: i.name)


def parse_profile(text: str, path: str, filename: str = "") -> VoiceProfile:
    """One profile from YAML text; ``name`` defaults to the file name without its suffix."""
    try:
        data, node = load_yaml(text, path, "YAML in voice profile")
    except InputError as exc:
        raise VoiceError(exc.message, path=path, line=exc.line, hint=exc.hint) from None
    if not isinstance(data, dict) or not isinstance(node, yaml.MappingNode):
        raise VoiceError(
            "a voice profile must be a mapping (name:, voice_id:, rate: ...)", path=path, line=1
        )
    lines = {str(k.value): k.start_mark.line + 1 for k, _ in node.value}
    unknown = [k for k in data if str(k) not in KEYS]
    if unknown:
        key = str(unknown[0])
        near = difflib.get_close_matches(key, KEYS, n=1)
        raise VoiceError(
            f"unknown key {key!r} in voice profile",
            path=path,
            line=lines.get(key),
            hint=did_you_mean(near, f"keys: {', '.join(KEYS)}"),
        )
    data = dict(data)
    data.setdefault("name", filename.rsplit(".", 1)[0])
    settings_from_profile_data(data, path, lines)
    if not data.get("voice_id"):
        raise VoiceError(
            "voice profile has no voice_id",
            path=path,
            line=1,
            hint="add e.g. voice_id: en-us+f3 (`audiocast voices` lists the engine's voices)",
        )
    for key, (low, high) in LIMITS.items():
        if key not in data:
            continue
        value = data[key]
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not low <= value <= high
        ):
            raise VoiceError(
                f"{key} must be a number from {low} to {high}, not {value!r}",
                path=path,
                line=lines.get(key),
            )
    roles = data.get("roles", [])
    if not isinstance(roles, str | list) or not all(isinstance(r, str) for r in roles):
        raise VoiceError(
            "roles must be a list such as [host] or [guest]", path=path, line=lines.get("roles")
        )
    if not str(data["name"]).strip():
        raise VoiceError("voice profile has an empty name", path=path, line=lines.get("name"))
    return VoiceProfile.from_dict(data)


def adhoc_profile(voice_id: str, engine: str) -> VoiceProfile:
    """An engine voice id used directly, with the engine's default rate and pitch."""
    return VoiceProfile(
        name=voice_id, voice_id=voice_id, engine=engine, description=f"{engine} voice {voice_id}"
    )


def find_profile(name: str, profiles: Mapping[str, VoiceProfile]) -> VoiceProfile | None:
    """The profile called ``name``, matched exactly, else ignoring case."""
    if name in profiles:
        return profiles[name]
    folded = {key.casefold(): p for key, p in profiles.items()}
    return folded.get(name.casefold())


def resolve_voice(
    name_or_id: str, profiles: Mapping[str, VoiceProfile], engine: Synthesizer | None
) -> VoiceProfile:
    """A profile by name, else ``engine``'s voice id wrapped in an ad-hoc profile.

    The voice is checked with ``engine.check_voice`` when the engine can speak it. Raises
    ``VoiceError`` listing near profile names and engine voice ids. Without an engine only
    profile names resolve (an id cannot be checked, and unknown ids are silently ignored by
    pyttsx3).
    """
    wanted = name_or_id.strip()
    profile = find_profile(wanted, profiles)
    if profile is not None:
        if engine is not None and profile.engine == engine.name:
            try:
                engine.check_voice(profile)
            except VoiceError as exc:
                raise VoiceError(
                    f"voice profile {profile.name!r}: {exc.message}", hint=exc.hint
                ) from None
        return profile
    near = difflib.get_close_matches(wanted, list(profiles), n=3, cutoff=0.5)
    profile_hint = did_you_mean(near, kind="profile")
    if engine is None:
        raise VoiceError(
            f"unknown voice profile {wanted!r}",
            hint=profile_hint or f"profiles: {', '.join(sorted(profiles)) or 'none'}",
        )
    candidate = adhoc_profile(wanted, engine.name)
    try:
        engine.check_voice(candidate)
    except VoiceError as exc:
        hints = [h for h in (profile_hint, exc.hint) if h]
        raise VoiceError(
            f"unknown voice {wanted!r}: not a voice profile, and {exc.message}",
            hint="; ".join(hints) or "`audiocast voices` lists profiles and engine voices",
        ) from None
    return candidate


def speaks_language(voice: EngineVoice, language: str) -> bool:
    """Whether ``voice`` speaks ``language`` (``en`` matches ``en-gb``, never ``vi-vn-x-central``).

    Languages compare by their primary subtag (BCP 47): a substring test would call a voice
    "English" whenever "en" appears inside its id.
    """
    wanted = _primary(language)
    tags = voice.languages or (voice.id.rsplit("/", 1)[-1],)
    return any(_primary(tag) == wanted for tag in tags)


def _primary(tag: str) -> str:
    return tag.strip().replace("_", "-").split("-", 1)[0].casefold()


def voices_report(
    extra_dirs: Sequence[Path] = (), engine: Synthesizer | None = None
) -> dict[str, Any]:
    """Everything ``audiocast voices --json`` shows, as JSON-safe data."""
    report: dict[str, Any] = {
        "profiles": [
            {**profile.to_dict(), "source": source}
            for _, (profile, source) in sorted(discover_profiles(extra_dirs).items())
        ]
    }
    if engine is not None:
        variants = getattr(engine, "variants", None)
        report["engine"] = {
            "name": engine.name,
            "version": engine.version(),
            "voices": [{**asdict(v), "languages": list(v.languages)} for v in engine.voices()],
            "variants": list(variants()) if callable(variants) else [],
        }
    return report
