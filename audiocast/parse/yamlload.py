"""YAML with line numbers: the data and the node tree from one parse, errors as InputError."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

# The pure-Python loader on purpose: its messages are the same on every machine (libyaml words
# them differently), and scripts are small.
_Loader: type = yaml.SafeLoader


def load_yaml(text: str, path: str | Path, what: str, first_line: int = 1) -> tuple[Any, Any]:
    """Parse ``text`` -> (data, root node). ``first_line`` is the file line where ``text`` starts.

    Raises InputError naming the file and the line of the YAML error.
    """
    from ..errors import InputError

    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
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
