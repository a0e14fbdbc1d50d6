"""Render settings files: YAML errors name the file and line, like every other YAML we read."""

from __future__ import annotations

from pathlib import Path

import pytest

from audiocast.config import load_config
from audiocast.errors import InputError, VoiceError
from audiocast.export.feed import load_show_settings
from audiocast.voices import parse_profile


def test_config_settings_and_errors(tmp_path: Path) -> None:
    good = tmp_path / "render.yaml"
    good.write_text("cast:\n  Ann: host-b\ngaps:\n  paragraph: 0.5\nloudness: -19\n", "utf-8")
    config = load_config(good)
    assert dict(config.cast) == {"Ann": "host-b"}
    assert config.gaps.paragraph == 0.5 and config.loudness == -19.0
    bad = tmp_path / "bad.yaml"
    bad.write_text("loudness: -19\ncast: [Ann\n", "utf-8")
    with pytest.raises(InputError) as err:
        load_config(bad)
    assert err.value.line == 3 and str(bad) in str(err.value)


@pytest.mark.parametrize("kind", ["config", "show", "profile"])
def test_a_key_written_twice_is_an_error_with_its_line(tmp_path: Path, kind: str) -> None:
    path = tmp_path / f"{kind}.yaml"
    text = {
        "config": "loudness: -19\ngaps: {}\nloudness: -16\n",
        "show": "title: A\nauthor: B\ntitle: C\n",
        "profile": "name: x\nvoice_id: en-us\nname: y\n",
    }[kind]
    path.write_text(text, "utf-8")
    # A voice profile's errors are voice errors; the other two are input errors.
    with pytest.raises(VoiceError if kind == "profile" else InputError) as err:
        if kind == "config":
            load_config(path)
        elif kind == "show":
            load_show_settings(path)
        else:
            parse_profile(text, str(path))
    key = {"config": "loudness", "show": "title", "profile": "name"}[kind]
    assert str(err.value).startswith(f"{path}:3: invalid YAML")
    assert f"key '{key}' is written twice in one mapping" in str(err.value)
