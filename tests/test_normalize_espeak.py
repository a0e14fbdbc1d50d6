"""What eSpeak NG really does with the normalized text (the bundled library, no binary).

A helper subprocess loads eSpeak NG the way the project does (``prepare_espeak``), synthesizes
with the same flags pyttsx3 passes and traces the phonemes, like ``espeak-ng -x``: one line per
clause. A clause break is where the engine pauses as if a sentence ended, so counting lines
counts those pauses. It runs in its own process so it never shares eSpeak with pyttsx3.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

from audiocast.normalize import Lexicon, normalize

_HELPER = textwrap.dedent(
    r"""
    import ctypes, json, os, sys, tempfile
    from audiocast.runtime import prepare_espeak

    lib = prepare_espeak()
    if lib is None:
        print(json.dumps(None)); sys.exit(0)
    espeak = ctypes.CDLL(lib.library)
    libc = ctypes.CDLL(None)
    libc.fopen.restype = ctypes.c_void_p
    libc.fopen.argtypes = [ctypes.c_char_p, ctypes.c_char_p]
    libc.fclose.argtypes = [ctypes.c_void_p]
    data = lib.data_path.encode() if lib.data_path else None
    SYNCHRONOUS = 2
    if espeak.espeak_Initialize(SYNCHRONOUS, 0, data, 0) <= 0:
        sys.exit("espeak_Initialize failed")
    espeak.espeak_SetVoiceByName(b"en-us")
    callback_type = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_int, ctypes.c_void_p)
    discard = callback_type(lambda wav, samples, events: 0)
    espeak.espeak_SetSynthCallback(discard)
    espeak.espeak_SetPhonemeTrace.argtypes = [ctypes.c_int, ctypes.c_void_p]
    espeak.espeak_Synth.argtypes = [
        ctypes.c_char_p, ctypes.c_size_t, ctypes.c_uint, ctypes.c_int,
        ctypes.c_uint, ctypes.c_uint, ctypes.c_void_p, ctypes.c_void_p,
    ]
    CHARS_UTF8, ENDPAUSE, PHONEMES_SHOW, POS_CHARACTER = 1, 0x1000, 1, 1
    PHONEME_INPUT = 0x100
    request = json.loads(sys.stdin.read())
    flags = CHARS_UTF8 | ENDPAUSE | (PHONEME_INPUT if request["phonemes"] else 0)
    out = []
    for text in request["texts"]:
        fd, path = tempfile.mkstemp()
        os.close(fd)
        trace = libc.fopen(path.encode(), b"w")
        espeak.espeak_SetPhonemeTrace(PHONEMES_SHOW, trace)
        raw = text.encode()
        espeak.espeak_Synth(raw, len(raw) + 1, 0, POS_CHARACTER, 0, flags, None, None)
        espeak.espeak_Synchronize()
        espeak.espeak_SetPhonemeTrace(0, None)
        libc.fclose(trace)
        with open(path, encoding="utf-8", errors="replace") as f:
            out.append([line.strip() for line in f if line.strip()])
        os.unlink(path)
    print(json.dumps(out))
    """
)


def clauses(*texts: str, phonemes: bool = False) -> list[list[str]]:
    """The phoneme clauses eSpeak NG makes of each text, in one helper process.

    ``phonemes`` turns on eSpeak's ``[[...]]`` phoneme input, which pyttsx3 leaves off.
    """
    done = subprocess.run(
        [sys.executable, "-c", _HELPER],
        input=json.dumps({"texts": list(texts), "phonemes": phonemes}),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    if result is None:
        pytest.skip("eSpeak NG is only used on Linux")
    return result


TITLED = [
    "Dr. Petrova joined us today",
    "We asked Prof. Lindqvist about it",
    "Gen. Marchetti and Sen. Holloway met",
    "St. Louis was next",
    "Mr. Okafor will decide",
    "It opened Jan. 3rd, 1999",
]


def test_engine_pauses_after_a_title_but_not_after_its_spoken_form() -> None:
    raw = clauses(*TITLED)
    spoken = clauses(*(normalize(t) for t in TITLED))
    for text, before, after in zip(TITLED, raw, spoken, strict=True):
        # The comma in the date is a real pause both ways; titles must add none.
        commas = text.count(",")
        assert len(before) > commas + 1, (text, before)
        assert len(after) == commas + 1, (text, normalize(text), after)


def test_lexicon_entry_changes_the_phonemes() -> None:
    text = "Orban spoke to Zelensky"
    lexicon = Lexicon({"orban": "ORR bahn", "Zelensky": "zeh lensky"})
    plain, changed = clauses(normalize(text), normalize(text, lexicon))
    assert plain != changed
    assert plain[0].split()[1:3] == changed[0].split()[2:4]  # "spoke to" is untouched


def test_numbers_are_said_as_words_the_engine_reads_right() -> None:
    # eSpeak NG reads the raw year as "nineteen hundred ninety nine"; the spoken form is not.
    raw, spoken = clauses("1999", normalize("1999"))
    assert "h'VndrI2d" in raw[0]
    assert "h'VndrI2d" not in spoken[0]


def test_phoneme_entry_is_spoken_as_written_when_the_engine_takes_phonemes() -> None:
    lexicon = Lexicon({"Peskov": "[[p'Esk@f]]"})
    spoken = normalize("Peskov said no", lexicon)
    assert spoken == "[[p'Esk@f]] said no"
    (with_flag,), (without,) = clauses(spoken, phonemes=True), clauses(spoken)
    assert with_flag[0].startswith("p'Esk@f ")
    # pyttsx3 2.99 synthesizes without the phoneme flag: the brackets are read as text.
    assert not without[0].startswith("p'Esk@f ")
