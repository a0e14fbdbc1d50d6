"""Settings files (config, show.yaml, voice profiles, lexicons, front matter, YAML scripts):
small UTF-8 files read whole, YAML with line numbers (the data and the node tree from one
parse), every error an InputError naming the file and line."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from .yaml_limits import LimitedLoader

# The pure-Python loader on purpose: its messages are the same on every machine (libyaml words
# them differently), and scripts are small.
_Loader: type = LimitedLoader


def read_text_file(path: Path, what: str) -> str:
    """A small UTF-8 settings file's text; ``InputError`` naming it when missing or unreadable."""
    from .bounded import SETTINGS_LIMIT, read_bounded
    from .errors import InputError

    try:
        return read_bounded(Path(path), SETTINGS_LIMIT, what).decode("utf-8")
    except FileNotFoundError:
        raise InputError(f"{what} not found", path=path) from None
    except UnicodeDecodeError:
        raise InputError(f"{what} is not UTF-8 text", path=path) from None
    except OSError as exc:
        raise InputError(f"cannot read {what}: {exc.strerror}", path=path) from None


def load_yaml(text: str, path: str | Path, what: str, first_line: int = 1) -> tuple[Any, Any]:
    """Parse ``text`` -> (data, root node). ``first_line`` is the file line where ``text`` starts.

    Raises InputError naming the file and the line of the YAML error.
    """
    from .errors import InputError

    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is not None:
            _check_keys(node, path, what, first_line)
        data = loader.construct_document(node) if node is not None else None
    except (ValueError, TypeError, OverflowError) as exc:
        # A well-formed value PyYAML cannot build, such as the date ``2024-13-45``.
        bad = _bad_scalar(node)
        line = first_line + bad.start_mark.line if bad is not None else None
        raise InputError(
            f"invalid {what}: {exc}", path=path, line=line, hint="fix or quote the value"
        ) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = first_line + mark.line if mark is not None else None
        problem = exc.problem or exc.context or "syntax error"
        raise InputError(
            f"invalid {what}: {problem}", path=path, line=line, hint="fix the YAML syntax"
        ) from None
    except yaml.YAMLError as exc:
        raise InputError(f"invalid {what}: {exc}", path=path, hint="fix the YAML syntax") from None
    finally:
        loader.dispose()
    return data, node


def _nodes(root: Any) -> Iterator[Any]:
    """Every node under ``root``, depth first, each once (aliases may share nodes)."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        yield node
        if isinstance(node, yaml.MappingNode):
            stack.extend(v for pair in reversed(node.value) for v in reversed(pair))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(reversed(node.value))


def _check_keys(root: Any, path: str | Path, what: str, first_line: int) -> None:
    """A key written twice in one mapping: PyYAML keeps the last and drops the rest silently
    (a second ``segments:`` would lose every turn of the first)."""
    from .errors import InputError

    for node in _nodes(root):
        if not isinstance(node, yaml.MappingNode):
            continue
        seen: set[str] = set()
        for key, _ in node.value:
            if not isinstance(key, yaml.ScalarNode) or key.value == "<<":
                continue
            if key.value in seen:
                raise InputError(
                    f"invalid {what}: key '{key.value}' is written twice in one mapping",
                    path=path,
                    line=first_line + key.start_mark.line,
                    hint="keep one of them and merge their contents",
                )
            seen.add(key.value)


def _bad_scalar(root: Any) -> Any:
    """The first scalar under ``root`` that PyYAML cannot build on its own, or None."""
    if root is None:
        return None
    for node in _nodes(root):
        if isinstance(node, yaml.ScalarNode):
            try:
                _Loader("").construct_object(node)
            except (ValueError, TypeError, OverflowError, yaml.YAMLError):
                return node
    return None


def key_lines(node: Any, first_line: int = 1) -> dict[str, int]:
    """For a mapping node: each top-level key -> the file line it is written on."""
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {
        str(k.value): first_line + k.start_mark.line
        for k, _ in node.value
        if isinstance(k, yaml.ScalarNode)
    }


def node_line(node: Any, first_line: int = 1) -> int:
    return first_line + int(node.start_mark.line)
