"""Chapters where the script marks its parts, for every host's questions, with readable titles;
and text kept off air."""

from __future__ import annotations

from pathlib import Path

from audiocast.model import SpeechRequest, VoiceProfile
from audiocast.parse import load_script, parse_text
from audiocast.plan import Utterance
from audiocast.timeline import Placement, Timeline, chapters

VOICE = VoiceProfile(name="v", voice_id="fake-alto", engine="fake")

SCRIPT = """\
# The Big Interview

<!-- producer's note: the title below is a draft
Working Title That Must Not Be Read -->

Volunteers planted six hundred saplings on an old car park last spring. Nobody expected shade.

**Ana:** Hello Lee. What grows first?

**Lee:** Moss, mostly.

**Break**

**Ana:** Back again.

**Lee:** Good to be back.

---

**Bo (co-host):** Lee, how many trees survived?

**Lee:** Nearly all of them.

## Part Two

**Lee:** We planted a second plot.
"""


def _timeline(script_text: str, path: Path) -> tuple[object, Timeline]:
    path.write_text(script_text, encoding="utf-8")
    script = load_script(path)
    placements = []
    t = 0.0
    for i, segment in enumerate(script.segments):
        if segment.kind == "cue":
            continue
        u = Utterance(SpeechRequest(segment.text, VOICE), segment.text, "x", 0.0, i, True)
        placements.append(Placement(t, t + 1.0, u))
        t += 2.0
    return script, Timeline(tuple(placements), t)


def test_chapters_start_at_breaks_rules_headings_and_every_hosts_questions(
    tmp_path: Path,
) -> None:
    script, timeline = _timeline(SCRIPT, tmp_path / "s.md")
    titles = [c.title for c in chapters(script, timeline)]  # type: ignore[arg-type]
    assert titles == [
        "Volunteers planted six hundred saplings on an old…",
        "What grows first?",
        "Interview",  # after the break: no question there
        "Lee, how many trees survived?",  # Bo's, a co-host's, question, after the rule
        "Part Two",
    ]


def test_html_comments_are_never_the_title_or_speech() -> None:
    script = parse_text(
        "<!-- Draft Title -->\n# Real Title\n\n**Ana:** Hi. <!-- not said --> Bye.\n", Path("e.md")
    )
    assert script.title == "Real Title"
    words = " ".join(s.text for s in script.segments)
    assert "Draft" not in words and "not said" not in words
    multi = parse_text("Ana: Hello.\n\n<!--\nBo: cut this turn\n-->\nAna: Still here.\n")
    assert [s.text for s in multi.turns] == ["Hello.\n\nStill here."]
    assert multi.turns[0].line == 1 and "Bo" not in multi.speaker_names


def test_a_narrated_section_is_titled_by_its_first_sentence_at_a_word() -> None:
    from audiocast.sections import short_title

    assert short_title("The plot. It grew.") == "The plot. It grew"
    long = "An exceptionally long opening sentence about forests that keeps on going."
    title = short_title(long)
    assert title.endswith("…") and long.startswith(title[:-1])
