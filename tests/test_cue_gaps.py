"""``gaps: cue:`` sets the pause of a stage direction that gives no length, such as
``(laughs)``; an explicit ``[pause 1.5s]`` keeps its own length."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from conftest import decode, run_cli

from audiocast.casting import Casting
from audiocast.model import Gaps, Script
from audiocast.parse import parse_text
from audiocast.pipeline import cast_script
from audiocast.plan import Pause, Utterance, build_plan

RATE = 44_100
SCRIPT = """\
Ann, HOST: It was this big, honestly.

(laughs)

Bo: I believe every word of it.

[pause 1.5s]

Ann: Good. (laughs) Anyway, let us go on.
"""


@pytest.fixture
def parsed() -> Script:
    return parse_text(SCRIPT)


@pytest.fixture
def casting(parsed: Script, fake_voices: Path) -> Casting:
    return cast_script(parsed, engine="fake", voices_dirs=[fake_voices])


def _pauses(parsed: Script, casting: Casting, gaps: Gaps) -> list[float]:
    return [i.seconds for i in build_plan(parsed, casting, gaps=gaps).items if isinstance(i, Pause)]


def test_a_cue_without_a_length_takes_the_cue_gap(parsed: Script, casting: Casting) -> None:
    assert _pauses(parsed, casting, Gaps(cue=2.5)) == pytest.approx([2.5, 1.5])
    assert _pauses(parsed, casting, Gaps(cue=0.0)) == pytest.approx([0.0, 1.5])


def test_an_inline_cue_adds_the_cue_gap_before_the_words_after_it(
    parsed: Script, casting: Casting
) -> None:
    def gap_before_anyway(gaps: Gaps) -> float:
        plan = build_plan(parsed, casting, gaps=gaps)
        said = [i for i in plan.items if isinstance(i, Utterance)]
        return next(u.gap for u in said if u.text.startswith("Anyway"))

    assert gap_before_anyway(Gaps(sentence=0.3, cue=2.0)) == pytest.approx(2.3)
    assert gap_before_anyway(Gaps(sentence=0.3, cue=0.1)) == pytest.approx(0.4)


def _silences(x: np.ndarray, shortest: float = 0.2) -> list[float]:
    """Seconds of every run of (decoded) digital silence of at least ``shortest``."""
    quiet = np.concatenate([[False], np.abs(x) < 10 ** (-90 / 20), [False]])
    edges = np.flatnonzero(np.diff(quiet.astype(np.int8)))
    runs = (edges[1::2] - edges[::2]) / RATE
    return [float(r) for r in runs if r >= shortest]


def test_the_config_cue_gap_is_the_silence_heard(tmp_path: Path) -> None:
    script = tmp_path / "ep.txt"
    script.write_text(SCRIPT, encoding="utf-8")
    (tmp_path / "pacing.yaml").write_text("gaps:\n  cue: 3.0\n", encoding="utf-8")
    silences = {}
    for name, extra in (("plain", []), ("slow", ["--config", tmp_path / "pacing.yaml"])):
        out = tmp_path / f"{name}.wav"
        done = run_cli(
            "render", script, "-o", out, "--no-intro", "--no-outro", "--no-master", "--quiet",
            "--no-sidecars", "--no-page", *extra,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        silences[name] = sorted(_silences(decode(out)), reverse=True)
    # (laughs) alone and (laughs) inline: 0.6 s each by default, 3 s each with the config;
    # [pause 1.5s] stays 1.5 s either way (each on top of the gap before the words).
    plain, slow = silences["plain"], silences["slow"]
    assert plain[0] < 2.6, plain
    assert len([s for s in slow if s >= 3.0]) == 2, slow
    assert slow[2] < 2.6 and slow[2] == pytest.approx(plain[0], abs=0.05), (plain, slow)
