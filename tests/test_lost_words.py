"""Every word heard (issue 13): the lost-words check reads what the engine is sent, as eSpeak NG
reads it, against the author's own words, and a render refuses before synthesis when a word
would be lost (``--allow-lost-words`` renders anyway, with a warning); ``check`` says so too.

A loss is injected where a rule could eat words (markup stripping, the lexicon, chunking, the
engine's view of ``< >`` and control characters); the real rules are also checked to lose
nothing on hostile text and on every fixture script.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import run_cli

from audiocast import plan as plan_module
from audiocast.check import check_script
from audiocast.errors import ScriptError
from audiocast.normalize import Lexicon, normalize, typography
from audiocast.normalize.coverage import lost_words
from audiocast.parse import load_script
from audiocast.pipeline import RenderOptions, render
from audiocast.synth import chunking

FIXTURES = Path(__file__).parent / "fixtures" / "scripts"
SCRIPT = """\
---
title: Harbour
---
Ana: The boats came in early.

Ben: We walked along the harbour at dawn, and the harbour was quiet.

Ana: Then the market opened.
"""


def test_words_after_a_nul_in_what_is_sent_are_not_heard() -> None:
    # A lexicon value once carried a NUL to the engine: eSpeak NG stops at it.
    author = "Petrova met the committee on a rainy afternoon."
    lost = lost_words(author, "peh\x00TROH met the committee on a rainy afternoon.", ["Petrova"])
    assert lost == ["met", "the", "committee", "rainy", "afternoon"]
    assert lost_words(author, "peh\x07TROH met the committee", ["Petrova"])[0] == "met"


def test_text_the_engine_reads_as_markup_is_not_heard() -> None:
    author = "We met the harbour master at noon."
    assert lost_words(author, "We met <the harbour> master at noon.") == ["the", "harbour"]
    assert lost_words(author, "We met the [[harbour]] master at noon.") == ["harbour"]
    assert lost_words(author, "We met the harbour master <at noon.") == ["noon"]


def test_a_markup_rule_that_eats_words_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    # A greedy tag pattern eats "y and y": the check must not share the rule it checks.
    monkeypatch.setattr(typography, "_HTML", re.compile(r"<[^>]*>"))
    text = "It holds that x < y and y > z always."
    assert "and" not in normalize(text)
    assert "and" in lost_words(text, normalize(text))


def test_a_chunking_rule_that_eats_words_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    real = chunking.split_text
    monkeypatch.setattr(chunking, "split_text", lambda t, limit=600: real(t, limit)[:-1])
    text = " ".join(f"Sentence {n} talks about the harbour." for n in range(30)) + " Goodbye."
    assert lost_words(text, normalize(text)) == ["Goodbye"]


def test_a_lexicon_value_that_eats_the_rest_is_caught() -> None:
    author = "Petrova met the committee."
    assert lost_words(author, "peh TROH", ["Petrova"]) == ["met", "the", "committee"]


@pytest.mark.parametrize(
    "text",
    [
        "x < y and y > z",
        "Write to <ben@example.com> today.",
        "The <em class='c'>emphasised</em> word, see [the notes](https://example.org/n).",
        "Zero\u200bwidth joiners and soft\u00adhyphens stay words.",
        "VMware and JAMstack are spelled in parts.",
        "A turn with (laughs) a cue, [pause 2s] a pause, <break time='1s'/> and [sic] marks.",
        "Q&A at 3 p.m. with Dr. Ivanova, &amp; friends, for $5.",
        "Petrova met the committee.",
    ],
)
def test_the_real_rules_lose_nothing_on_hostile_text(text: str) -> None:
    lexicon = Lexicon({"Petrova": "peh\x00TROH\x07vah <i>x</i>"})
    assert lost_words(text, normalize(text, lexicon), lexicon.entries) == []


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.iterdir()))
def test_no_fixture_script_trips_the_check(name: str) -> None:
    findings = check_script(load_script(FIXTURES / name))
    assert [str(f) for f in findings if f.code == "lost-words"] == []


def _eat_harbour(monkeypatch: pytest.MonkeyPatch) -> None:
    real = plan_module.normalize
    monkeypatch.setattr(
        plan_module,
        "normalize",
        lambda t, lex=None, language="en": real(t, lex, language).replace("harbour", ""),
    )


def test_a_render_refuses_before_synthesis_when_words_would_be_lost(
    tmp_path: Path, fake_voices: Path, write_script, monkeypatch: pytest.MonkeyPatch
) -> None:
    _eat_harbour(monkeypatch)
    cache = tmp_path / "cache"
    options = RenderOptions(
        output=tmp_path / "ep.mp3", engine="fake", voices_dirs=(fake_voices,), jobs=1,
        use_intro=False, use_outro=False, cache_dir=cache,
    )  # fmt: skip
    with pytest.raises(ScriptError) as caught:
        render(write_script(SCRIPT), options)
    assert caught.value.line == 6
    assert "'harbour', 'harbour'" in str(caught.value)
    assert not (tmp_path / "ep.mp3").exists()
    assert not cache.exists() or not any(cache.rglob("*.wav"))  # nothing was synthesized


FAULTY_CLI = """
import runpy, sys
from audiocast import plan
real = plan.normalize
plan.normalize = lambda t, lex=None, language="en": real(t, lex, language).replace("harbour", "")
sys.argv = ["audiocast", *sys.argv[1:]]
runpy.run_module("audiocast", run_name="__main__")
"""


def _faulty(*args: str | Path) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-c", FAULTY_CLI, *map(str, args)]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120)


def test_the_cli_says_one_line_and_keeps_the_earlier_episode(
    tmp_path: Path, fake_voices: Path, write_script
) -> None:
    script = write_script(SCRIPT)
    out = tmp_path / "ep.mp3"
    render_args = ["render", script, "-o", out, "-q", "--engine", "fake", "--voices",
                   fake_voices, "-j", "1", "--no-intro", "--no-outro"]  # fmt: skip
    done = run_cli(*render_args)
    assert done.returncode == 0, done.stderr
    earlier = out.read_bytes()

    done = _faulty(*render_args)
    lines = done.stderr.strip().splitlines()
    assert done.returncode == 2, done.stderr
    assert len(lines) == 1 and f"{script}:6:" in lines[0] and "'harbour'" in lines[0], lines
    assert "--allow-lost-words" in lines[0]
    assert out.read_bytes() == earlier

    done = _faulty(*render_args, "--allow-lost-words")
    assert done.returncode == 0, done.stderr
    assert "warning: line 6: words not spoken" in done.stderr
    assert out.read_bytes() != earlier


def test_the_config_key_allows_lost_words_and_must_be_a_boolean(
    tmp_path: Path, fake_voices: Path, write_script
) -> None:
    script = write_script(SCRIPT)
    config = tmp_path / "render.yaml"
    render_args = ["render", script, "-o", tmp_path / "ep.wav", "-q", "--engine", "fake",
                   "--voices", fake_voices, "-j", "1", "--no-intro", "--no-outro",
                   "--config", config]  # fmt: skip
    config.write_text("allow_lost_words: true\n", "utf-8")
    done = _faulty(*render_args)
    assert done.returncode == 0, done.stderr
    assert "words not spoken" in done.stderr
    config.write_text("allow_lost_words: maybe\n", "utf-8")
    done = run_cli(*render_args)
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        f"audiocast: error: {config}:1: 'allow_lost_words' must be true or false"
    ]


def test_check_reports_lost_words_as_an_error(tmp_path: Path, write_script) -> None:
    script = write_script(SCRIPT)
    done = _faulty("check", script, "--format", "json")
    assert done.returncode == 1, done.stderr
    (finding,) = json.loads(done.stdout)["files"][0]["findings"]
    assert finding["code"] == "lost-words" and finding["severity"] == "error"
    assert finding["line"] == 6 and "'harbour'" in finding["message"]
    done = run_cli("check", script)
    assert done.returncode == 0, done.stdout + done.stderr
