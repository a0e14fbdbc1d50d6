"""``audiocast voices add`` against a Piper voices repository served on 127.0.0.1.

The "voices" are small generated files in the repository's layout (``voices.json`` with sizes and
MD5s, ``.onnx`` and ``.onnx.json`` under ``lang/locale/name/quality/``): the download code does
not run them, and listing reads only their config. No piper install needed.
"""

from __future__ import annotations

import hashlib
import http.server
import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from audiocast.cli import cli

NAME = "en_GB-testvoice-low"
FOLDER = "en/en_GB/testvoice/low"


class Repository:
    """A folder served over HTTP, with switches that damage what is sent."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.corrupt = False
        self.cut_after: int | None = None


def make_repository(root: Path) -> dict[str, bytes]:
    model = bytes(range(256)) * 400  # 100 kB of "weights"
    config = json.dumps(
        {
            "audio": {"sample_rate": 16000, "quality": "low"},
            "language": {"code": "en_GB"},
            "num_speakers": 2,
            "speaker_id_map": {"ann": 0, "bob": 1},
        }
    ).encode()
    files = {f"{FOLDER}/{NAME}.onnx": model, f"{FOLDER}/{NAME}.onnx.json": config}
    files[f"{FOLDER}/MODEL_CARD"] = b"# test voice\n"
    catalogue = {
        NAME: {
            "key": NAME,
            "quality": "low",
            "num_speakers": 2,
            "files": {
                path: {"size_bytes": len(data), "md5_digest": hashlib.md5(data).hexdigest()}
                for path, data in files.items()
            },
        }
    }
    for path, data in files.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_bytes(data)
    (root / "voices.json").write_text(json.dumps(catalogue), encoding="utf-8")
    return files


@pytest.fixture
def repository(tmp_path: Path) -> Iterator[tuple[Repository, str]]:
    root = tmp_path / "repo"
    root.mkdir()
    make_repository(root)
    repo = Repository(root)

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            path = repo.root / self.path.lstrip("/").split("?")[0]
            if not path.is_file():
                self.send_error(404)
                return
            data = path.read_bytes()
            if repo.corrupt and path.suffix == ".onnx":
                data = data[:-1] + bytes([data[-1] ^ 0xFF])
            self.send_response(200)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            if repo.cut_after is not None and path.suffix == ".onnx":
                self.wfile.write(data[: repo.cut_after])
                self.wfile.flush()
                self.close_connection = True
                return
            self.wfile.write(data)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield repo, f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture
def user_folder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    folder = tmp_path / "user-voices"
    monkeypatch.setenv("AUDIOCAST_PIPER_VOICES", str(folder))
    monkeypatch.delenv("AUDIOCAST_PIPER_VOICES_URL", raising=False)
    return folder


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def test_add_downloads_checks_and_lists_the_voice(
    repository: tuple[Repository, str], user_folder: Path
) -> None:
    _, url = repository
    result = run("voices", "add", NAME, "--base-url", url)
    assert result.exit_code == 0, result.output
    files = make_repository(user_folder.parent / "expected")
    assert (user_folder / f"{NAME}.onnx").read_bytes() == files[f"{FOLDER}/{NAME}.onnx"]
    assert (user_folder / f"{NAME}.onnx.json").is_file()
    assert sorted(p.name for p in user_folder.iterdir()) == [f"{NAME}.onnx", f"{NAME}.onnx.json"]
    listing = run("voices").output
    line = next(x for x in listing.splitlines() if x.strip().startswith(NAME))
    assert "en_GB" in line and "low" in line and "2 speakers" in line and "user folder" in line


def test_base_url_from_the_environment(
    repository: tuple[Repository, str], user_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AUDIOCAST_PIPER_VOICES_URL", repository[1])
    assert run("voices", "add", NAME).exit_code == 0
    assert (user_folder / f"{NAME}.onnx").is_file()


def assert_failed_cleanly(result: Result, user_folder: Path, words: str) -> None:
    assert result.exit_code != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and words in lines[0], result.stderr
    assert "Traceback" not in result.output
    left = list(user_folder.iterdir()) if user_folder.exists() else []
    assert left == [], left  # no model, no config, no temporary folder


def test_corrupt_download_is_refused(repository: tuple[Repository, str], user_folder: Path) -> None:
    repo, url = repository
    repo.corrupt = True
    result = run("voices", "add", NAME, "--base-url", url)
    assert_failed_cleanly(result, user_folder, f"download of {NAME}.onnx is corrupt: MD5")


def test_interrupted_download_leaves_nothing(
    repository: tuple[Repository, str], user_folder: Path
) -> None:
    repo, url = repository
    repo.cut_after = 5000
    result = run("voices", "add", NAME, "--base-url", url)
    assert_failed_cleanly(result, user_folder, f"download of {NAME}.onnx")
    # The server promises 102,400 bytes (Content-Length) and hangs up after 5,000.
    assert f"download of {NAME}.onnx was cut short: 5000 of 102400 bytes" in result.stderr


def test_an_earlier_voice_survives_a_failed_download(
    repository: tuple[Repository, str], user_folder: Path
) -> None:
    repo, url = repository
    assert run("voices", "add", NAME, "--base-url", url).exit_code == 0
    before = (user_folder / f"{NAME}.onnx").read_bytes()
    repo.corrupt = True
    assert run("voices", "add", NAME, "--base-url", url).exit_code == 1
    assert (user_folder / f"{NAME}.onnx").read_bytes() == before
    assert len(list(user_folder.iterdir())) == 2


def test_offline_is_one_line(user_folder: Path) -> None:
    import socket

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = run("voices", "add", NAME, "--base-url", f"http://127.0.0.1:{port}")
    assert_failed_cleanly(result, user_folder, "cannot reach http://127.0.0.1")
    assert "--base-url" in result.stderr


def test_unknown_voice_names_near_ones(
    repository: tuple[Repository, str], user_folder: Path
) -> None:
    result = run("voices", "add", "en_GB-testvoise-low", "--base-url", repository[1])
    assert result.exit_code == 2
    assert f"no Piper voice 'en_GB-testvoise-low' in the catalogue (did you mean {NAME}?)" in (
        result.stderr
    )
