"""Bounded and validated input (issue 13): endless or absurd files refused with one line, YAML
bombs and deep nesting limited, control characters kept out of the feed and the terminal,
a full stdout one line, a linear speaker registry, intro music decoded only as far as heard.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import run_cli
from export_fixtures import encode, tone
from lxml import etree

from audiocast.export.feed import ShowSettings, build_feed
from audiocast.export.tags import EpisodeTags, write_tags
from audiocast.parse import assemble, parse_text

SCRIPT = "---\ntitle: Hostile\n---\nAna: A plain first turn.\n\nBen: A plain second turn.\n"
BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{c}: &{c} [{', '.join(['*' + p] * 9)}]\n" for p, c in zip("abcdefgh", "bcdefghi", strict=True)
)


def one_line(done: subprocess.CompletedProcess[str], code: int = 2) -> str:
    assert done.returncode == code, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("audiocast: error: "), done.stderr
    return lines[0]


def test_a_device_as_a_script_or_lexicon_is_refused(tmp_path: Path) -> None:
    assert "device" in one_line(run_cli("parse", "/dev/zero", timeout=30))
    script = tmp_path / "ep.txt"
    script.write_text(SCRIPT, "utf-8")
    done = run_cli("parse", script, "--spoken", "--lexicon", "/dev/zero", timeout=30)
    assert "device" in one_line(done)


def test_an_endless_pipe_as_a_script_is_refused(tmp_path: Path) -> None:
    endless = subprocess.Popen(["yes", "Ana: again and again."], stdout=subprocess.PIPE)
    try:
        done = subprocess.run(
            [sys.executable, "-m", "audiocast", "parse", "/dev/stdin"],
            stdin=endless.stdout,
            capture_output=True,
            text=True,
            timeout=60,
        )
    finally:
        endless.kill()
        endless.wait()
        assert endless.stdout is not None
        endless.stdout.close()
    assert "too large" in one_line(done)


@pytest.mark.parametrize("what", ["lexicon", "nesting"])
def test_yaml_bombs_and_deep_nesting_are_one_line(tmp_path: Path, what: str) -> None:
    script = tmp_path / "ep.txt"
    script.write_text(SCRIPT, "utf-8")
    if what == "lexicon":
        bomb = tmp_path / "pronounce.yaml"
        bomb.write_text(BOMB, "utf-8")
        done = run_cli("parse", script, "--spoken", "--lexicon", bomb, timeout=30)
        assert "alias" in one_line(done) and "pronounce.yaml:" in done.stderr
    else:
        deep = tmp_path / "deep.yaml"
        deep.write_text("title: Deep\nsegments: " + "[" * 5000 + "]" * 5000 + "\n", "utf-8")
        assert "nested" in one_line(run_cli("parse", deep, timeout=30))


def test_a_huge_cover_is_refused_before_synthesis(tmp_path: Path, fake_voices: Path) -> None:
    cover = tmp_path / "cover.png"
    with open(cover, "wb") as fh:
        fh.write(b"\x89PNG\r\n\x1a\n")
        fh.truncate(300 * 1024 * 1024)  # sparse: costs no disk
    script = tmp_path / "ep.txt"
    script.write_text(SCRIPT.replace("title: Hostile", "title: Hostile\ncover: cover.png"))
    log = tmp_path / "calls.jsonl"
    env = {**__import__("os").environ, "AUDIOCAST_FAKE_FAULTS": json.dumps({"log": str(log)})}
    done = run_cli(
        "render", script, "-o", tmp_path / "ep.mp3", "--engine", "fake", "--voices",
        fake_voices, "--no-cache", "-j", "1", env=env,
    )  # fmt: skip
    assert "too large" in one_line(done) and "cover.png" in done.stderr
    assert not log.exists()


@pytest.mark.parametrize("target", ["dev-zero", "sparse-20-gb"])
def test_info_refuses_what_is_not_an_episode(tmp_path: Path, target: str) -> None:
    path = Path("/dev/zero")
    if target == "sparse-20-gb":
        path = tmp_path / "huge.mp3"
        with open(path, "wb") as fh:
            fh.truncate(20 * 1024**3)
    said = {
        "dev-zero": "not a regular file",
        "sparse-20-gb": "too large to be an episode (20.0 GB)",
    }
    assert one_line(run_cli("info", path, timeout=30)).startswith(
        f"audiocast: error: {path}: {said[target]}"
    )


def test_control_characters_in_a_title_do_not_break_the_feed(tmp_path: Path) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    audio = encode(tone(1.0), folder / "ep1.mp3")
    write_tags(audio, EpisodeTags(title="Bell\x07 and \x1b[31mred", description="A\x00B"))
    show = ShowSettings(title="Show\x0b title", description="Two\x01 people.")
    root = etree.fromstring(build_feed(folder, show, "https://example.org/pod/"))
    title = root.findtext("channel/item/title")
    assert title is not None and "Bell" in title and "red" in title
    assert not any(ord(c) < 32 for c in title + root.findtext("channel/title", ""))


def test_escape_sequences_from_a_script_are_never_printed_raw(tmp_path: Path) -> None:
    script = tmp_path / "ep.txt"
    plain = "".join(f"Ana: An ordinary line of the talk, number {n}.\n\n" for n in range(20))
    script.write_text(plain + "Ben: Hello \x1b[2J there \x9b31m now.\n", "utf-8")
    for args in ((), ("--json",), ("--spoken",)):
        done = run_cli("parse", script, *args)
        assert done.returncode == 0, done.stderr
        assert not any(c in done.stdout for c in "\x1b\x9b"), repr(done.stdout)
    loaded = json.loads(run_cli("parse", script, "--json").stdout)
    assert "\x9b" in json.dumps(loaded, ensure_ascii=False)  # JSON still carries the text


def test_info_never_prints_an_escape_from_the_tags(tmp_path: Path) -> None:
    audio = encode(tone(1.0), tmp_path / "ep.mp3")
    write_tags(audio, EpisodeTags(title="Clear \x1b[2J screen"))
    done = run_cli("info", audio)
    assert done.returncode == 0, done.stderr
    assert "\x1b" not in done.stdout and "screen" in done.stdout


@pytest.mark.parametrize("url", ["", "   ", "example.org/pod"])
def test_an_empty_or_relative_base_url_is_a_usage_error(tmp_path: Path, url: str) -> None:
    done = run_cli("feed", tmp_path, "--base-url", url, "--title", "Show")
    assert done.returncode == 2 and "--base-url" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr


def test_a_full_stdout_is_one_line(tmp_path: Path) -> None:
    script = tmp_path / "ep.txt"
    script.write_text(SCRIPT, "utf-8")
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [sys.executable, "-m", "audiocast", "parse", str(script)],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
        )
    assert "standard output" in one_line(done, code=1)


def test_the_speaker_registry_does_not_compare_every_pair(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls = 0
    real = assemble._same_person

    def counted(*args: object) -> bool:
        nonlocal calls
        calls += 1
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(assemble, "_same_person", counted)
    n = 1500
    script = parse_text("\n\n".join(f"Speaker{i:05d} Person: Turn {i}." for i in range(n)))
    assert len(script.speakers) == n
    assert calls < 2 * n  # comparing each new speaker with every earlier one: n^2 / 2
