"""``render-all`` on one machine: real engine, real files, the closing table and exit codes."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from conftest import decode

from audiocast.catalogue import find_scripts, plan_catalogue, render_all
from audiocast.cli import cli
from audiocast.pipeline import RenderOptions, render

SCRIPTS = {
    "compost.txt": "---\ntitle: Compost Basics\n---\nAna: What goes in first?\n\n"
    "Ben: Dry leaves, then kitchen scraps.\n",
    "seeds.txt": "---\ntitle: Saving Seeds\n---\nAna: Can I keep tomato seeds?\n\n"
    "Ben: Yes, dry them on paper for a week.\n",
}
BROKEN = "title: [unclosed\n"
BARE = RenderOptions(use_intro=False, use_outro=False, jobs=2)


def catalogue(folder: Path, broken: bool = False) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in SCRIPTS.items():
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "show.yaml").write_text("title: Not an episode\n", encoding="utf-8")
    if broken:
        (folder / "broken.yaml").write_text(BROKEN, encoding="utf-8")
    return folder


def test_find_scripts_takes_folders_globs_and_files_once(tmp_path: Path) -> None:
    folder = catalogue(tmp_path / "scripts")
    found, missing = find_scripts(
        [folder, str(folder / "*.txt"), folder / "seeds.txt", tmp_path / "nowhere"]
    )
    assert [p.name for p in found] == ["compost.txt", "seeds.txt"]  # show.yaml is not a script
    assert len(missing) == 1 and "nowhere" in (missing[0].error or "")


def test_cli_bad_script_fails_alone_and_a_second_run_renders_nothing(tmp_path: Path) -> None:
    folder = catalogue(tmp_path / "scripts", broken=True)
    show = tmp_path / "show"
    first = CliRunner().invoke(cli, ["render-all", str(folder), "-o", str(show), "-q"])
    assert first.exit_code == 1, first.output
    errors = [line for line in first.stderr.splitlines() if line.startswith("audiocast: error:")]
    assert len(errors) == 1 and "broken.yaml:" in errors[0], first.stderr
    assert "Traceback" not in first.output
    table = first.stdout.splitlines()
    assert table[0].split() == ["episode", "status", "duration", "time"]
    assert any(r.split()[:2] == ["compost-basics.mp3", "rendered"] for r in table)
    assert any(r.split()[:2] == ["broken.yaml", "failed"] for r in table)
    assert table[-1].startswith("2 rendered, 0 unchanged, 1 failed")
    episodes = sorted(p.name for p in show.glob("*.mp3"))
    assert episodes == ["compost-basics.mp3", "saving-seeds.mp3"]
    assert all(decode(show / name).size > 44_100 for name in episodes)
    stamps = {p.name: p.stat().st_mtime_ns for p in show.iterdir()}

    (folder / "broken.yaml").unlink()
    second = CliRunner().invoke(cli, ["render-all", str(folder), "-o", str(show), "-q"])
    assert second.exit_code == 0, second.output
    assert second.stdout.splitlines()[-1].startswith("0 rendered, 2 unchanged, 0 failed")
    assert {p.name: p.stat().st_mtime_ns for p in show.iterdir()} == stamps


def test_an_edited_script_alone_is_rendered_again(tmp_path: Path) -> None:
    folder = catalogue(tmp_path / "scripts")
    show = tmp_path / "show"
    render_all([folder], show, BARE)
    seeds = folder / "seeds.txt"
    seeds.write_text(SCRIPTS["seeds.txt"] + "\nAna: Thank you.\n", encoding="utf-8")
    result = render_all([folder], show, BARE)
    assert {o.source.name: o.status for o in result.outcomes} == {
        "compost.txt": "unchanged",
        "seeds.txt": "rendered",
    }


def test_fingerprint_follows_what_is_heard_not_how_fast(tmp_path: Path) -> None:
    folder = catalogue(tmp_path / "scripts")
    scripts, _ = find_scripts([folder])

    def prints(options: RenderOptions) -> list[str]:
        planned = list(plan_catalogue(scripts, tmp_path / "show", options, ".mp3"))
        return [p.fingerprint for p in planned]  # type: ignore[union-attr]

    base = prints(BARE)
    assert prints(dataclasses.replace(BARE, jobs=1, cache_dir=tmp_path / "c")) == base
    louder = prints(dataclasses.replace(BARE, loudness=-14.0))
    assert all(a != b for a, b in zip(louder, base, strict=True))
    assert prints(dataclasses.replace(BARE, use_intro=True)) != base


def test_shared_pool_gives_the_audio_of_each_render_alone(tmp_path: Path) -> None:
    # eSpeak NG's output differs process to process, so "alone" reuses the batch's clip
    # cache: what is compared is the mixing, mastering and encoding of shared clips.
    folder = catalogue(tmp_path / "scripts")
    show = tmp_path / "show"
    result = render_all([folder], show, BARE)
    assert [o.status for o in result.outcomes] == ["rendered", "rendered"]
    for outcome in result.outcomes:
        assert outcome.output is not None
        alone = tmp_path / f"alone-{outcome.output.name}"
        render(outcome.source, dataclasses.replace(BARE, output=alone))
        assert np.array_equal(decode(alone), decode(outcome.output))


def test_a_clip_that_never_comes_fails_only_its_episode(
    tmp_path: Path, fake_voices: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The pool looks ahead into the next episode while this one is mixed: the failure must
    # land on the episode whose turn it is, and the episodes around it still render.
    monkeypatch.setenv("AUDIOCAST_FAKE_FAULTS", json.dumps({"error": ["kumquat"]}))
    folder = tmp_path / "scripts"
    folder.mkdir()
    for n, middle in enumerate(["Plums ripen late.", "A kumquat is sour.", "Figs like heat."]):
        (folder / f"ep{n}.txt").write_text(
            f"---\ntitle: Fruit {n}\n---\nAna: Tell me one thing.\n\nBen: {middle}\n", "utf-8"
        )
    options = dataclasses.replace(BARE, engine="fake", voices_dirs=(fake_voices,))
    result = render_all([folder], tmp_path / "show", options)
    assert [o.status for o in result.outcomes] == ["rendered", "failed", "rendered"]
    error = result.outcomes[1].error or ""
    assert "ep1.txt:6:" in error and "kumquat" in error, error
    for outcome in (result.outcomes[0], result.outcomes[2]):
        # The episode on disk is as long as the outcome reports (decoded at 44.1 kHz).
        assert outcome.output is not None and outcome.duration is not None
        assert decode(outcome.output).size / 44_100 == pytest.approx(outcome.duration, abs=0.05)


def test_feed_and_site_are_rebuilt_at_the_end(tmp_path: Path) -> None:
    folder = catalogue(tmp_path / "scripts")
    show = tmp_path / "show"
    show.mkdir()
    (show / "show.yaml").write_text("title: Garden Notes\nauthor: Ana\n", encoding="utf-8")
    site = tmp_path / "site"
    args = ["render-all", str(folder), "-o", str(show), "-q", "--feed", "--site", str(site)]
    result = CliRunner().invoke(cli, [*args, "--base-url", "https://example.org/garden"])
    assert result.exit_code == 0, result.output
    feed = (show / "feed.xml").read_text(encoding="utf-8")
    assert feed.count("<item>") == 2 and "compost-basics.mp3" in feed
    index = (site / "index.html").read_text(encoding="utf-8")
    assert "Compost Basics" in index and "Saving Seeds" in index
    missing = CliRunner().invoke(cli, ["render-all", str(folder), "-o", str(show), "--feed"])
    assert missing.exit_code == 2 and "--base-url" in missing.output
