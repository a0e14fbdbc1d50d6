"""``audiocast voices add NAME``: download a Piper voice into the user's voice folder.

The public Piper voices repository lists every voice in ``voices.json`` (name -> language,
quality, speakers, and its files with ``size_bytes`` and ``md5_digest``) and serves each file at
``BASE/<path in the catalogue>``. Files are downloaded into a temporary folder beside the
destination, checked against the catalogue's size and MD5, and only then renamed into place,
the config first and the model last, so a voice is either whole or absent. The base URL comes
from ``--base-url``, else ``AUDIOCAST_PIPER_VOICES_URL``, else ``DEFAULT_BASE_URL``.
"""

from __future__ import annotations

import contextlib
import difflib
import hashlib
import json
import os
import shutil
import tempfile
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import AudiocastError, VoiceError
from .piper_voices import CONFIG_SUFFIX, MODEL_SUFFIX, user_voice_dir

DEFAULT_BASE_URL = "https://huggingface.co/rhasspy/piper-voices/resolve/v1.0.0"
BASE_URL_ENV = "AUDIOCAST_PIPER_VOICES_URL"
CATALOGUE = "voices.json"
TIMEOUT = 30.0
"""Seconds without a byte from the server before a download is given up."""
CHUNK = 1 << 16

Progress = Callable[[str, int, int], None]
"""``(file name, bytes so far, bytes in all)``."""


class DownloadError(AudiocastError):
    """A voice could not be fetched: offline, refused, cut short or corrupt."""

    exit_code = 1


@dataclass(frozen=True)
class RemoteFile:
    path: str
    """Relative to the base URL, as the catalogue names it."""
    size: int
    md5: str

    @property
    def filename(self) -> str:
        return self.path.rsplit("/", 1)[-1]


def base_url(option: str | None = None) -> str:
    return (option or os.environ.get(BASE_URL_ENV, "").strip() or DEFAULT_BASE_URL).rstrip("/")


def _open(url: str) -> Any:
    try:
        return urllib.request.urlopen(url, timeout=TIMEOUT)
    except urllib.error.HTTPError as exc:
        raise DownloadError(f"{url}: the server answered {exc.code} {exc.reason}") from None
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise DownloadError(
            f"cannot reach {url}: {reason}",
            hint=f"check the network connection, or set --base-url / {BASE_URL_ENV}",
        ) from None


def fetch_catalogue(base: str) -> dict[str, Any]:
    """The repository's ``voices.json``: voice name -> its entry."""
    url = f"{base}/{CATALOGUE}"
    with _open(url) as response:
        try:
            data = json.loads(response.read().decode("utf-8"))
        except (OSError, ValueError) as exc:  # TimeoutError is an OSError
            raise DownloadError(f"{url}: not a readable voice catalogue ({exc})") from None
    if not isinstance(data, dict):
        raise DownloadError(f"{url}: not a voice catalogue (expected a JSON object)")
    return data


def voice_files(name: str, catalogue: Mapping[str, Any]) -> list[RemoteFile]:
    """The ``.onnx.json`` and ``.onnx`` files of voice ``name`` (config first)."""
    entry = catalogue.get(name)
    if not isinstance(entry, dict):
        near = difflib.get_close_matches(name, list(catalogue), n=3, cutoff=0.5)
        hint = f"did you mean {', '.join(near)}?" if near else "names look like en_US-lessac-medium"
        raise VoiceError(f"no Piper voice {name!r} in the catalogue", hint=hint)
    wanted = []
    for path, info in (entry.get("files") or {}).items():
        if str(path).endswith((MODEL_SUFFIX, CONFIG_SUFFIX)):
            try:
                wanted.append(RemoteFile(str(path), int(info["size_bytes"]), info["md5_digest"]))
            except (KeyError, TypeError, ValueError):
                raise DownloadError(f"the catalogue's entry for {path} lacks size or md5") from None
    if len(wanted) != 2:
        raise DownloadError(f"the catalogue lists no .onnx and .onnx.json for {name}")
    return sorted(wanted, key=lambda f: not f.path.endswith(CONFIG_SUFFIX))


def _download(url: str, file: RemoteFile, dest: Path, progress: Progress | None) -> None:
    """``url`` into ``dest``, checked against ``file``'s size and MD5."""
    digest = hashlib.md5(usedforsecurity=False)
    done = 0
    with _open(url) as response, open(dest, "wb") as out:
        try:
            while chunk := response.read(CHUNK):
                out.write(chunk)
                digest.update(chunk)
                done += len(chunk)
                if progress is not None:
                    progress(file.filename, done, file.size)
        except (OSError, ValueError) as exc:  # a reset, a timeout, a cut chunk
            raise DownloadError(
                f"download of {file.filename} was interrupted after {done} of {file.size} "
                f"bytes ({exc})",
                hint="run the command again",
            ) from None
    if done != file.size:
        raise DownloadError(
            f"download of {file.filename} was cut short: {done} of {file.size} bytes",
            hint="run the command again",
        )
    if digest.hexdigest() != file.md5:
        raise DownloadError(
            f"download of {file.filename} is corrupt: MD5 {digest.hexdigest()} is not the "
            f"catalogue's {file.md5}",
            hint="run the command again; if it persists, the mirror is damaged",
        )


@contextlib.contextmanager
def _staging(folder: Path) -> Iterator[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".download-", dir=folder))
    try:
        yield staging
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def add_voice(
    name: str,
    *,
    folder: Path | None = None,
    base: str | None = None,
    progress: Progress | None = None,
) -> Path:
    """Download voice ``name`` into ``folder`` (the user voice folder); return its model path."""
    folder = folder or user_voice_dir()
    root = base_url(base)
    files = voice_files(name, fetch_catalogue(root))
    try:
        with _staging(folder) as staging:
            for file in files:
                _download(f"{root}/{file.path}", file, staging / file.filename, progress)
            for file in files:  # config first, model last: the model makes the voice visible
                os.replace(staging / file.filename, folder / file.filename)
    except OSError as exc:
        raise DownloadError(
            f"cannot write the voice: {exc.strerror}", path=folder, hint="free space"
        ) from None
    return folder / next(f.filename for f in files if f.path.endswith(MODEL_SUFFIX))
