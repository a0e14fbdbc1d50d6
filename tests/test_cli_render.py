"""``audiocast render/say/voices/cast/info/feed/cache`` as a user runs them: real engine, real
files, exit codes and the one line printed on stderr."""

from __future__ import annotations

import json
import os
import re
import select
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import mutagen
import pytest
from click.testing import CliRunner, Result
from conftest import TWO_SPEAKERS, decode_errors, ffmpeg

from audiocast.cli import cli

ONE_TURN = "---\ntitle: Short One\nshow: Tests\n---\nAna: Hello from the test.\n"
BARE = ["--no-intro", "--no-outro"]


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def one_line_error(result: Result) -> str:
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("audiocast: error: ")
    assert "Traceback" not in result.output
    return lines[0]


def test_default_output_path_and_closing_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("s.txt").write_text(ONE_TURN, "utf-8")
    result = run("render", "s.txt", *BARE)
    assert result.exit_code == 0, result.stderr
    episode = tmp_path / "output" / "short-one.mp3"
    assert episode.is_file()
    line = result.stdout.strip().splitlines()[-1]
    assert line.startswith(f"wrote {Path('output/short-one.mp3')} (0:")
    assert "KB" in line and "sidecars" in line
    assert "LUFS (target" in result.stderr  # the report goes to stderr, the result to stdout


@pytest.mark.parametrize("ext", ["wav", "ogg", "opus", "m4a", "flac"])
def test_every_format_decodes_and_carries_tags(tmp_path: Path, ext: str) -> None:
    script = tmp_path / "s.txt"
    script.write_text(ONE_TURN, "utf-8")
    out = tmp_path / f"ep.{ext}"
    result = run("render", script, "-o", out, "-q", "--no-sidecars", *BARE)
    assert result.exit_code == 0, result.stderr
    assert decode_errors(out) == ""
    tags = mutagen.File(out).tags
    text = str(dict(tags)) if ext != "wav" else str(tags)
    assert "Short One" in text, text


def test_unknown_extension_fails_before_synthesis(tmp_path: Path) -> None:
    script = tmp_path / "s.txt"
    script.write_text(ONE_TURN, "utf-8")
    result = run("render", script, "-o", tmp_path / "ep.xyz", "--engine", "nosuch")
    assert result.exit_code == 2  # a usage error
    assert "'.xyz'" in one_line_error(result)  # the engine is never reached
    assert list(tmp_path.iterdir()) == [script]


def test_cast_explicit_front_matter_voice_option_and_config(tmp_path: Path) -> None:
    script = tmp_path / "s.txt"
    script.write_text(TWO_SPEAKERS.replace("---\nLee", "cast:\n  Mira Chen: host-b\n---\nLee"))
    data = json.loads(run("cast", script, "--json").stdout)
    assert data["speakers"]["Mira Chen"]["name"] == "host-b"
    assert data["speakers"]["Lee Park"]["name"] != "host-b"
    assert data["narrator"]["name"] == "narrator"
    data = json.loads(run("cast", script, "--json", "--voice", "Lee Park=guest-b").stdout)
    assert data["speakers"]["Lee Park"]["name"] == "guest-b"
    config = tmp_path / "render.yaml"
    config.write_text("cast:\n  Lee Park: en-us+m7\n", "utf-8")
    data = json.loads(run("cast", script, "--json", "--config", config).stdout)
    assert data["speakers"]["Lee Park"]["voice_id"] == "en-us+m7"
    text = run("cast", script).stdout
    assert "Lee Park" in text and "(narration)" in text


@pytest.mark.parametrize("value", ["hots-a", "en-zz+nope"])
def test_unknown_voice_is_exit_2_naming_it_before_synthesis(tmp_path: Path, value: str) -> None:
    script = tmp_path / "s.txt"
    script.write_text(TWO_SPEAKERS, "utf-8")
    out = tmp_path / "ep.mp3"
    result = run("render", script, "-o", out, "--voice", f"Mira Chen={value}")
    assert result.exit_code == 2
    line = one_line_error(result)
    assert repr(value) in line and "Mira Chen" in line
    if value == "hots-a":
        assert "host-a" in line  # a near match
    assert not out.exists()


def test_render_voice_override_changes_the_casting(tmp_path: Path) -> None:
    script = tmp_path / "s.txt"
    script.write_text(ONE_TURN, "utf-8")
    out = tmp_path / "ep.mp3"
    result = run("render", script, "-o", out, "--json", *BARE, "--voice", "Ana=guest-b")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["cast"]["speakers"]["Ana"]["name"] == "guest-b"


def test_say_voices_and_cache(tmp_path: Path) -> None:
    clip = tmp_path / "clip.wav"
    result = run("say", "Testing one two.", "--voice", "host-a", "-o", clip)
    assert result.exit_code == 0, result.stderr
    assert decode_errors(clip) == "" and 0.5 < mutagen.File(clip).info.length < 3.0  # 3 words
    listing = run("voices").stdout
    assert "host-a" in listing and "narrator" in listing
    data = json.loads(run("voices", "--json").stdout)
    assert {"host-a", "guest-a", "narrator"} <= {p["name"] for p in data["profiles"]}
    assert data["engine"]["voices"] and data["engine"]["variants"]
    assert all(p["source"] for p in data["profiles"])
    cache_dir = tmp_path / "cache"
    script = tmp_path / "s.txt"
    script.write_text(ONE_TURN, "utf-8")
    out = tmp_path / "ep.mp3"
    assert run("render", script, "-o", out, "-q", "--cache-dir", cache_dir, *BARE).exit_code == 0
    info = run("cache", "info", "--cache-dir", cache_dir).stdout
    assert info.startswith(f"{cache_dir}: 1 clips")
    assert run("cache", "clear", "--cache-dir", cache_dir).stdout.startswith("removed 1 clips")
    assert ": 0 clips" in run("cache", "info", "--cache-dir", cache_dir).stdout


def test_only_renders_the_chosen_segments(tmp_path: Path) -> None:
    script = tmp_path / "s.txt"
    script.write_text(TWO_SPEAKERS, "utf-8")
    out = tmp_path / "ep.mp3"
    result = run("render", script, "-o", out, "--only", "2..3", "--json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    # A preview keeps the chapters of the part it renders, in the sidecar and in the file.
    assert [c["title"] for c in data["chapters"]] == ["Interview", "Which one should I start with?"]
    from audiocast.export.tags import read_chapters

    assert [c.title for c in read_chapters(out)] == [c["title"] for c in data["chapters"]]
    cues = [" ".join(c.text.split()) for c in webvtt_cues(out.with_suffix(".vtt"))]
    assert cues == [
        "They smell good and they cost almost nothing.",
        "Which one should I start with?",
    ]
    bad = run("render", script, "-o", tmp_path / "b.mp3", "--only", "3..9")
    assert bad.exit_code == 2 and "3..9" in one_line_error(bad)


PLAY = """          INT. HARBOUR - DAWN

          Gulls circle over the grey water.

                              ODA
                    The boats are late.

                              KEEPER
                    They always are.
"""


def test_directions_omit_is_neither_spoken_nor_captioned(tmp_path: Path) -> None:
    script = tmp_path / "play.txt"
    script.write_text(PLAY, "utf-8")
    out = tmp_path / "ep.mp3"
    args = ["-o", out, "-q", "--layout", "screenplay", "--json", *BARE]
    result = run("render", script, *args, "--directions", "omit")
    assert result.exit_code == 0, result.stderr
    cues = [" ".join(c.text.split()) for c in webvtt_cues(out.with_suffix(".vtt"))]
    assert cues == ["The boats are late.", "They always are."]
    sidecars = " ".join(Path(p).read_text("utf-8") for p in json.loads(result.stdout)["sidecars"])
    assert "Gulls" not in sidecars and "HARBOUR" not in sidecars
    # The default reads them.
    assert run("render", script, *args).exit_code == 0
    cues = [" ".join(c.text.split()) for c in webvtt_cues(out.with_suffix(".vtt"))]
    assert any("Gulls circle over the grey water." in cue for cue in cues)


def webvtt_cues(path: Path) -> list:  # type: ignore[type-arg]
    import webvtt

    return list(webvtt.read(str(path)))


def _fake_render_args(tmp_path: Path, fake_voices: Path, name: str) -> list[str]:
    script = tmp_path / "s.txt"
    script.write_text(TWO_SPEAKERS, "utf-8")
    return ["render", str(script), "-o", str(tmp_path / f"{name}.wav"), "--engine", "fake",
            "--voices", str(fake_voices), "--jobs", "1", "--no-sidecars", *BARE]  # fmt: skip


def _render_on_a_terminal(*args: str) -> tuple[str, str]:
    """``audiocast ARGS`` in a subprocess whose stderr is a pseudo-terminal: what it wrote on
    stdout and on the terminal."""
    leader, follower = os.openpty()
    with subprocess.Popen(
        [sys.executable, "-m", "audiocast", *args],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=follower,
        text=True,
    ) as proc:
        os.close(follower)
        seen = bytearray()
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if select.select([leader], [], [], 1.0)[0]:
                try:
                    chunk = os.read(leader, 65536)
                except OSError:  # EIO: every process holding the terminal has closed it
                    break
                if not chunk:
                    break
                seen += chunk
        os.close(leader)
        assert proc.wait(timeout=30) == 0, seen.decode(errors="replace")
        assert proc.stdout is not None
        return proc.stdout.read(), seen.decode(errors="replace")


def test_the_bar_is_drawn_on_a_terminal_and_nowhere_else(tmp_path: Path, fake_voices: Path) -> None:
    printed, on_terminal = _render_on_a_terminal(*_fake_render_args(tmp_path, fake_voices, "tty"))
    assert printed.startswith("wrote ")
    # click redraws the line with a carriage return; the last frame is the full bar.
    frames = [f for f in on_terminal.replace("\r\n", "\n").split("\r") if "synthesizing" in f]
    assert len(frames) >= 2, on_terminal
    assert re.search(r"synthesizing\s+\[#{36}\]\s+100%", frames[-1]), frames[-1]
    assert "LUFS (target" in on_terminal
    piped = run(*_fake_render_args(tmp_path, fake_voices, "pipe")).stderr  # stderr: not a TTY
    assert "LUFS (target" in piped
    assert "synthesizing" not in piped and "\r" not in piped and "#" not in piped
    quiet = _render_on_a_terminal(*_fake_render_args(tmp_path, fake_voices, "quiet"), "-q")
    assert quiet == ("", "")


def test_info_and_feed(tmp_path: Path) -> None:
    folder = tmp_path / "pod"
    folder.mkdir()
    script = tmp_path / "s.txt"
    script.write_text(ONE_TURN, "utf-8")
    episode = folder / "ep1.mp3"
    assert run("render", script, "-o", episode, "-q").exit_code == 0
    data = json.loads(run("info", episode, "--json").stdout)
    assert abs(data["duration"] - mutagen.File(episode).info.length) < 0.2
    assert data["tags"]["title"] == "Short One"
    assert data["chapters"][0]["title"] == "Intro"
    assert data["loudness"]["integrated"] is not None
    text = run("info", episode).stdout
    assert "duration" in text and "Short One" in text and "Intro" in text
    (folder / "show.yaml").write_text(
        "title: Tests\nauthor: Lee Park\ndescription: A show.\n"
        "image: https://example.org/pod/cover.jpg\ncategory: Education\n",
        "utf-8",
    )
    feed = tmp_path / "feed.xml"
    result = run("feed", folder, "--base-url", "https://example.org/pod", "-o", feed)
    assert result.exit_code == 0, result.stderr
    (item,) = ET.parse(feed).getroot().iter("item")
    enclosure = item.find("enclosure")
    assert enclosure is not None
    assert int(enclosure.get("length", "0")) == episode.stat().st_size
    assert enclosure.get("url") == "https://example.org/pod/ep1.mp3"

    # Flags override show.yaml, and stand in for it when there is none.
    flagged = tmp_path / "flagged.xml"
    args = ("--base-url", "https://example.org/pod", "-o", flagged, "--title", "Renamed")
    assert run("feed", folder, *args, "--explicit").exit_code == 0
    channel = ET.parse(flagged).getroot().find("channel")
    assert channel is not None and channel.findtext("title") == "Renamed"
    itunes = "{http://www.itunes.com/dtds/podcast-1.0.dtd}"
    assert channel.findtext(f"{itunes}explicit") == "true"
    assert channel.findtext(f"{itunes}author") == "Lee Park"
    (folder / "show.yaml").unlink()
    missing = run("feed", folder, "--base-url", "https://example.org/pod", "-o", flagged)
    assert missing.exit_code == 2 and "pass --title" in missing.stderr
    alone = run("feed", folder, *args)
    assert alone.exit_code == 0, alone.stderr
    assert "no show artwork" in alone.stderr  # Apple requires itunes:image
    assert "artwork" not in result.stderr  # show.yaml gave one


def test_ffmpeg_lists_the_chapters_of_a_yaml_script(tmp_path: Path) -> None:
    script = tmp_path / "s.yaml"
    script.write_text(
        "title: Named\nsegments:\n"
        "  - Ana: First part here.\n    chapter: Opening\n"
        "  - Ben: Second part here.\n    chapter: The Middle\n",
        "utf-8",
    )
    out = tmp_path / "ep.mp3"
    assert run("render", script, "-o", out, "-q", *BARE).exit_code == 0
    listed = ffmpeg("-i", out, "-f", "ffmetadata", "-").stdout.decode()
    assert "title=Opening" in listed and "title=The Middle" in listed


def test_render_config_casts_and_sets_loudness(tmp_path: Path) -> None:
    script = tmp_path / "s.txt"
    script.write_text(ONE_TURN, "utf-8")
    config = tmp_path / "render.yaml"
    config.write_text("cast:\n  Ana: host-b\nloudness: -19\n", "utf-8")
    result = run("render", script, "-o", tmp_path / "ep.mp3", "--config", config, "--json", *BARE)
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["cast"]["speakers"]["Ana"]["name"] == "host-b"
    assert data["loudness"]["target"] == -19.0
    bad = tmp_path / "bad.yaml"
    bad.write_text("cast: [oops\n", "utf-8")
    failed = run("render", script, "-o", tmp_path / "b.mp3", "--config", bad)
    assert failed.exit_code == 2 and "bad.yaml" in one_line_error(failed)


def test_say_with_a_profile_folder_and_an_unknown_voice(tmp_path: Path, fake_voices: Path) -> None:
    clip = tmp_path / "clip.wav"
    ok = run("say", "Hello there.", "--engine", "fake", "--voices", fake_voices,
             "--voice", "fake-guest", "-o", clip)  # fmt: skip
    assert ok.exit_code == 0, ok.stderr
    assert decode_errors(clip) == ""
    bad = run("say", "Hello there.", "--voice", "hots-a", "-o", tmp_path / "b.wav")
    assert bad.exit_code == 2
    line = one_line_error(bad)
    assert "'hots-a'" in line and "host-a" in line
    assert not (tmp_path / "b.wav").exists()


def test_a_voices_folder_that_does_not_exist_is_an_error(tmp_path: Path) -> None:
    script = tmp_path / "s.txt"
    script.write_text(ONE_TURN, "utf-8")
    missing = tmp_path / "no-such-voices"
    for args in (
        ("cast", script, "--voices", missing),
        ("voices", "--voices", missing),
        ("say", "Hello.", "--voices", missing, "-o", tmp_path / "c.wav"),
        ("render", script, "--voices", missing, "-o", tmp_path / "ep.mp3"),
    ):
        result = run(*args)
        assert result.exit_code == 2, (args, result.stderr)
        assert f"voice profile folder not found: {missing}" in result.stderr
    assert not (tmp_path / "ep.mp3").exists() and not (tmp_path / "c.wav").exists()
