"""Chapters and captions from where the clips really landed."""

from __future__ import annotations

from pathlib import Path

from audiocast.model import SpeechRequest, VoiceProfile
from audiocast.parse import load_script, parse_text
from audiocast.plan import Utterance
from audiocast.timeline import Placement, Timeline, captions, chapters, short_title

VOICE = VoiceProfile(name="v", voice_id="fake-alto", engine="fake")


def placed(start: float, end: float, text: str, segment: int | None, new_cue: bool = True,
           speaker: str = "Ana") -> Placement:  # fmt: skip
    u = Utterance(SpeechRequest(text, VOICE), text, speaker, 0.0, segment, new_cue)
    return Placement(start, end, u)


def test_captions_join_sentences_of_one_cue_and_keep_real_times() -> None:
    cues = captions(
        [
            placed(1.0, 2.0, "First.", 0),
            placed(2.3, 3.1, "Second.", 0, new_cue=False),
            placed(3.8, 4.4, "Reply.", 1, speaker="Ben"),
        ]
    )
    assert [(c.start, c.end, c.text, c.speaker) for c in cues] == [
        (1.0, 3.1, "First. Second.", "Ana"),
        (3.8, 4.4, "Reply.", "Ben"),
    ]


def test_chapters_intro_each_host_question_and_outro(tmp_path: Path) -> None:
    path = tmp_path / "s.txt"
    path.write_text(
        "Ana, HOST: Hello. What is compost?\n\nBen: Rotten leaves.\n\n"
        "Ana: How long does it take?\n\nBen: A year.\n",
        "utf-8",
    )
    script = load_script(path)
    timeline = Timeline(
        placements=(
            placed(4.0, 5.0, "Hello.", 0),
            placed(5.2, 6.0, "What is compost?", 0, new_cue=False),
            placed(6.5, 7.5, "Rotten leaves.", 1, speaker="Ben"),
            placed(8.0, 9.0, "How long does it take?", 2),
            placed(9.5, 10.0, "A year.", 3, speaker="Ben"),
        ),
        duration=14.0,
        intro_end=3.5,
        outro_start=10.5,
    )
    marks = chapters(script, timeline, "Ana")
    assert [(c.start, c.title, c.end) for c in marks] == [
        (0.0, "Intro", 4.0),
        (4.0, "What is compost?", 8.0),
        (8.0, "How long does it take?", 10.5),
        (10.5, "Outro", 14.0),
    ]


def test_explicit_chapters_win(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(
        "title: T\nsegments:\n  - Ana: Why now?\n    chapter: Start\n"
        "  - Ben: Because.\n  - Ana: And then?\n    chapter: Later\n",
        "utf-8",
    )
    script = load_script(path)
    timeline = Timeline(
        (placed(0.0, 1.0, "Why now?", 0), placed(1.5, 2.0, "Because.", 1, speaker="Ben"),
         placed(2.5, 3.0, "And then?", 2)),
        duration=3.5,
    )  # fmt: skip
    assert [(c.start, c.title) for c in chapters(script, timeline, "Ana")] == [
        (0.0, "Start"),
        (2.5, "Later"),
    ]


def test_short_title_cuts_at_a_word() -> None:
    assert short_title("Short one.") == "Short one"
    long = "one two three four five six seven eight nine ten"
    assert short_title(long) == "one two three four five six seven eight…"


def test_a_long_interview_gets_at_most_max_questions_chapters() -> None:
    from audiocast.timeline import MAX_QUESTIONS

    lines = []
    for n in range(MAX_QUESTIONS * 3):
        lines += [f"Host: Question number {n} is this?", "", f"Guest: Answer {n}.", ""]
    script = parse_text("\n".join(lines))
    placements = []
    for i, seg in enumerate(script.segments):
        u = Utterance(SpeechRequest(seg.text, VOICE), seg.text, seg.speaker or "", 0.0, i, True)
        placements.append(Placement(float(i), float(i) + 0.5, u))
    timeline = Timeline(tuple(placements), float(len(placements)))
    marks = chapters(script, timeline, host="Host")
    assert len(marks) == MAX_QUESTIONS
    assert marks[0].title == "Question number 0 is this?"
    assert [m.start for m in marks] == sorted(m.start for m in marks)


def test_question_titles_are_not_cut_at_abbreviations_or_decimals(tmp_path: Path) -> None:
    path = tmp_path / "q.txt"
    path.write_text(
        "Ana, HOST: Thanks. Dr. Okafor, what grows first?\n\nBen: Moss.\n\n"
        "Ana: Is it 3.5 degrees cooler?\n\nBen: Yes.\n",
        "utf-8",
    )
    script = load_script(path)
    timeline = Timeline(
        placements=(
            placed(0.0, 1.0, "Thanks.", 0),
            placed(1.0, 2.0, "Dr. Okafor, what grows first?", 0, new_cue=False),
            placed(2.5, 3.0, "Moss.", 1, speaker="Ben"),
            placed(3.5, 4.5, "Is it 3.5 degrees cooler?", 2),
            placed(5.0, 5.5, "Yes.", 3, speaker="Ben"),
        ),
        duration=6.0,
    )
    titles = [c.title for c in chapters(script, timeline, "Ana")]
    assert titles == ["Dr. Okafor, what grows first?", "Is it 3.5 degrees cooler?"]
