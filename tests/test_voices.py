"""Voice profiles: the built-in set, layering of user folders, broken files, name resolution."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from audiocast.errors import VoiceError
from audiocast.model import VoiceProfile
from audiocast.synth.pyttsx3_backend import Pyttsx3Synthesizer
from audiocast.voices import (
    builtin_folder,
    discover_profiles,
    load_profiles,
    parse_profile,
    resolve_voice,
    voices_report,
)

REPO = Path(__file__).resolve().parent.parent
linux_only = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="built-in ids are eSpeak NG's"
)


@pytest.fixture(scope="module")
def engine() -> Pyttsx3Synthesizer:
    return Pyttsx3Synthesizer()


@pytest.fixture
def elsewhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working folder with no ./voices/ of its own."""
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    return work


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_builtin_set_has_hosts_guests_narrator_and_panel(elsewhere: Path) -> None:
    profiles = load_profiles()
    for name in ("host-a", "host-b", "guest-a", "guest-b", "narrator"):
        assert name in profiles
    assert "host" in profiles["host-a"].roles and "host" in profiles["host-b"].roles
    assert "narrator" in profiles["narrator"].roles
    assert sum("panel" in p.roles for p in profiles.values()) >= 4
    # Distinct on paper: no two built-ins share voice, pitch and rate.
    specs = {(p.voice_id, p.pitch, p.rate) for p in profiles.values()}
    assert len(specs) == len(profiles)
    assert all(p.description for p in profiles.values())
    assert {source for _, source in discover_profiles().values()} == {"built-in"}


@linux_only
def test_every_builtin_voice_id_is_known_to_the_engine(
    elsewhere: Path, engine: Pyttsx3Synthesizer
) -> None:
    for profile in load_profiles().values():
        engine.check_voice(profile)


def test_builtin_files_match_their_names() -> None:
    folder = builtin_folder()
    assert folder is not None
    for item in folder.iterdir():
        if item.name.endswith(".yaml"):
            profile = parse_profile(item.read_text(encoding="utf-8"), str(item), item.name)
            assert item.name == f"{profile.name}.yaml"


def test_cwd_voices_then_extra_dirs_override_by_name(elsewhere: Path, tmp_path: Path) -> None:
    write(elsewhere / "voices", "host-a.yaml", "name: host-a\nvoice_id: en-us+f2\n")
    write(elsewhere / "voices", "mine.yml", "voice_id: en-gb-x-rp\nrate: 150\n")
    extra = tmp_path / "script" / "voices"
    write(extra, "a.yaml", "name: mine\nvoice_id: en-us+m7\n")
    profiles = load_profiles([extra])
    assert profiles["host-a"].voice_id == "en-us+f2"
    assert profiles["mine"].voice_id == "en-us+m7"
    assert profiles["guest-a"].roles == ("guest",)  # built-ins still there
    only_cwd = load_profiles()
    assert only_cwd["mine"] == VoiceProfile("mine", "en-gb-x-rp", rate=150)
    sources = discover_profiles([extra])
    assert sources["mine"][1] == str(extra / "a.yaml")
    assert sources["guest-a"][1] == "built-in"


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("name: x\nvoice_id: en-us\nrate: [175\n", 4, "invalid YAML"),
        ("name: x\nvoice_id: en-us\npich: 40\n", 3, "did you mean pitch"),
        ("name: x\nvoice_id: en-us\nrate: fast\n", 3, "rate must be a number from 80 to 450"),
        ("name: x\nvoice_id: en-us\n\nvolume: 3\n", 4, "volume must be a number"),
        ("name: x\nvoice_id: en-us\nroles: {host: 1}\n", 3, "roles must be a list"),
        ("name: x\nrate: 170\n", 1, "no voice_id"),
        ("- just\n- a list\n", 1, "must be a mapping"),
    ],
)
def test_broken_profile_names_file_and_line(
    elsewhere: Path, text: str, line: int, words: str
) -> None:
    write(elsewhere / "voices", "broken.yaml", text)
    with pytest.raises(VoiceError) as err:
        load_profiles()
    assert err.value.path == str(Path("voices") / "broken.yaml")  # as found, from ./voices
    assert err.value.line == line
    assert words in str(err.value)
    assert str(err.value).startswith(f"{err.value.path}:{line}: ")


def test_name_defaults_to_file_name_and_role_may_be_a_string(elsewhere: Path) -> None:
    write(elsewhere / "voices", "deep.yaml", "voice_id: en-us+m2\npitch: 10\nroles: narrator\n")
    assert load_profiles()["deep"] == VoiceProfile(
        "deep", "en-us+m2", pitch=10, roles=("narrator",)
    )


def test_resolve_profile_name_exactly_or_ignoring_case(elsewhere: Path) -> None:
    profiles = load_profiles()
    assert resolve_voice("guest-b", profiles, None) is profiles["guest-b"]
    assert resolve_voice(" Guest-B ", profiles, None) is profiles["guest-b"]


def test_unknown_name_without_engine_lists_profiles(elsewhere: Path) -> None:
    with pytest.raises(VoiceError, match=r"did you mean profile .*host-a"):
        resolve_voice("host-c", load_profiles(), None)


@linux_only
def test_resolve_engine_voice_id_as_adhoc_profile(
    elsewhere: Path, engine: Pyttsx3Synthesizer
) -> None:
    profile = resolve_voice("en-gb-x-rp+f4", load_profiles(), engine)
    assert (profile.name, profile.voice_id, profile.engine) == (
        "en-gb-x-rp+f4",
        "en-gb-x-rp+f4",
        "pyttsx3",
    )


@linux_only
def test_unknown_voice_lists_near_profiles_and_engine_ids(
    elsewhere: Path, engine: Pyttsx3Synthesizer
) -> None:
    with pytest.raises(VoiceError) as err:
        resolve_voice("guest-x", load_profiles(), engine)
    message = str(err.value)
    assert "'guest-x'" in message and "guest-a" in message
    with pytest.raises(VoiceError) as err:
        resolve_voice("en-usa", load_profiles(), engine)
    assert "en-us" in str(err.value)


@linux_only
def test_profile_with_a_bad_engine_id_is_caught_on_resolve(
    elsewhere: Path, engine: Pyttsx3Synthesizer
) -> None:
    write(elsewhere / "voices", "typo.yaml", "voice_id: en-us+f33\n")
    with pytest.raises(VoiceError, match=r"variant 'f33'.*en-us\+f3"):
        resolve_voice("typo", load_profiles(), engine)


@linux_only
def test_voices_report_is_json_safe(elsewhere: Path, engine: Pyttsx3Synthesizer) -> None:
    report = json.loads(json.dumps(voices_report(engine=engine)))
    names = [p["name"] for p in report["profiles"]]
    assert names == sorted(names) and "narrator" in names
    assert report["profiles"][0]["source"] == "built-in"
    assert report["engine"]["name"] == "pyttsx3"
    assert any(v["id"] == "gmw/en-us" for v in report["engine"]["voices"])
    assert "f3" in report["engine"]["variants"]


def test_every_subpackage_is_in_the_explicit_package_list() -> None:
    """voices/ installs via package-dir, which needs a hand-kept list of packages."""
    tomllib = pytest.importorskip("tomllib")
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(config["tool"]["setuptools"]["packages"])
    found = {
        ".".join(d.relative_to(REPO).parts)
        for d in (REPO / "audiocast").rglob("*")
        if d.is_dir() and d.name != "__pycache__" and any(d.glob("*.py"))
    } | {"audiocast"}
    assert found <= listed, f"add to [tool.setuptools] packages: {sorted(found - listed)}"
    assert config["tool"]["setuptools"]["package-dir"]["audiocast.profiles"] == "voices"
    assert "*.yaml" in config["tool"]["setuptools"]["package-data"]["audiocast.profiles"]
