"""docs/architecture.md names real modules and real types: the page fails here when it drifts."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PAGE = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
PATHS = sorted(set(re.findall(r"`((?:audiocast|tests)/[\w/]*\.py)`", PAGE)))
# "`Script` (`audiocast/model.py`)": a type named with its module; "`module.py` (`render`)": a
# module named with one of its functions or classes.
TYPE_IN_MODULE = re.findall(r"`(\w+)` \(`(audiocast/[\w/]+\.py)`\)", PAGE)
NAME_OF_MODULE = re.findall(r"`(audiocast/[\w/]+\.py)` \(`(\w+)`\)", PAGE)
NAME_IN_MODULE = re.findall(r"`(\w+)` in `(audiocast/[\w/]+\.py)`", PAGE)


def _module(path: str) -> object:
    dotted = path.removesuffix(".py").removesuffix("/__init__").replace("/", ".")
    return importlib.import_module(dotted)


def test_the_page_names_modules_and_types() -> None:
    assert len(PATHS) > 30 and len(TYPE_IN_MODULE) > 10 and NAME_OF_MODULE and NAME_IN_MODULE


@pytest.mark.parametrize("path", PATHS)
def test_every_module_named_exists(path: str) -> None:
    assert (ROOT / path).is_file(), f"docs/architecture.md names {path}, which does not exist"


@pytest.mark.parametrize(
    ("name", "path"),
    sorted({*TYPE_IN_MODULE, *((n, p) for p, n in NAME_OF_MODULE), *NAME_IN_MODULE}),
)
def test_every_type_named_is_in_its_module(name: str, path: str) -> None:
    if path.startswith("tests/"):
        return
    assert hasattr(_module(path), name), f"docs/architecture.md: {path} has no {name}"


def test_every_module_of_the_package_is_on_the_page() -> None:
    modules = sorted(
        p.relative_to(ROOT).as_posix()
        for p in (ROOT / "audiocast").rglob("*.py")
        if p.name != "__init__.py"
    )
    missing = [m for m in modules if m not in PATHS]
    assert not missing, f"docs/architecture.md does not name {missing}"
