"""A YAML loader with limits: an alias bomb or absurd nesting is a syntax error, not a hang.

PyYAML shares an aliased node rather than copying it, but whatever walks the data afterwards
(validation, the casting table, JSON output) expands it: nine levels of ten aliases are a
billion items. Nesting is composed recursively, so ten thousand ``[`` exhaust the stack. Both
are counted while composing; the error carries the line where the limit was crossed.
"""

from __future__ import annotations

from typing import Any

import yaml

MAX_DEPTH = 64
"""Far deeper than any script or settings file needs (a segment is three levels)."""
MAX_EXPANDED = 200_000
"""Nodes the document would have with every alias copied out."""


class LimitError(yaml.MarkedYAMLError):
    pass


class LimitedLoader(yaml.SafeLoader):
    """``yaml.SafeLoader`` that refuses deep nesting and alias expansion past the limits."""

    def __init__(self, stream: Any) -> None:
        super().__init__(stream)
        self._depth = 0
        self._weight: dict[int, int] = {}
        """id(node) -> how many nodes it stands for, aliases expanded."""
        self._expanded = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]
        alias = self.check_event(yaml.AliasEvent)
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise LimitError(None, None, f"nested more than {MAX_DEPTH} levels deep", mark)
            node = super().compose_node(parent, index)
        finally:
            self._depth -= 1
        weight = self._weight.get(id(node))
        if weight is None:
            # Children were composed first, so their weights are known (a node still being
            # composed, reached through a recursive alias, counts as one).
            children: list[Any] = []
            if isinstance(node, yaml.SequenceNode):
                children = list(node.value)
            elif isinstance(node, yaml.MappingNode):
                children = [n for pair in node.value for n in pair]
            weight = 1 + sum(self._weight.get(id(c), 1) for c in children)
            self._weight[id(node)] = weight
        if alias:
            self._expanded += weight
            if self._expanded > MAX_EXPANDED:
                raise LimitError(
                    None, None, "aliases expand to too many values (an alias bomb?)", mark
                )
        return node
