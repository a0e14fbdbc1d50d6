"""Where eSpeak NG cannot be loaded afresh for each clip (no ``memfd_create``), a render says
so in one warning line, however many clips and workers there are."""

from __future__ import annotations

import os
from pathlib import Path

from conftest import run_cli

SCRIPT = """\
Ann, HOST: Good morning. How are the bees?

Bo: Busy. They found the lime trees. The hive is heavy.

Ann: Lovely. Thank you.
"""
WARNING = "cannot be loaded afresh"


def _render(tmp_path: Path, name: str, env: dict[str, str]) -> tuple[int, list[str]]:
    script = tmp_path / "bees.txt"
    script.write_text(SCRIPT, encoding="utf-8")
    done = run_cli(
        "render", script, "-o", tmp_path / f"{name}.wav", "--jobs", "2", "--no-cache",
        "--no-intro", "--no-outro", "--no-sidecars", "--no-page", "--no-master",
        env=env, timeout=240,
    )  # fmt: skip
    return done.returncode, done.stderr.splitlines()


def test_no_memfd_is_one_warning_line_per_render(tmp_path: Path) -> None:
    # The render and its spawned workers all start with memfd_create missing, as on a system
    # without it: sitecustomize runs in every interpreter that has it on its path.
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(
        "import os\nif hasattr(os, 'memfd_create'):\n    del os.memfd_create\n", encoding="utf-8"
    )
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(site), env.get("PYTHONPATH", "")])
    code, lines = _render(tmp_path, "fallback", env)
    assert code == 0, lines
    said = [line for line in lines if WARNING in line]
    assert len(said) == 1, lines
    assert said[0].startswith("audiocast: warning: eSpeak NG") and "reproducible" in said[0]

    code, lines = _render(tmp_path, "fresh", dict(os.environ))
    assert code == 0, lines
    assert not [line for line in lines if WARNING in line], lines
