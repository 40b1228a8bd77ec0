"""YAML parsed together with the line of every key and list item, so errors can point at file:LINE.

`yaml.compose` keeps the marks of every node; the same node tree is then constructed into plain Python
values by the safe loader, so the values and the lines always agree.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import yaml

Path = tuple[str | int, ...]


class YamlParseError(Exception):
    """Not valid YAML; `line` is 1-based (None when the parser gave no position)."""

    def __init__(self, message: str, line: int | None) -> None:
        super().__init__(message)
        self.line = line


@dataclass(frozen=True)
class LocatedYaml:
    value: Any
    lines: dict[Path, int] = field(default_factory=dict)  # path of a key or item -> 1-based line

    def line(self, path: Sequence[str | int]) -> int:
        """The line of `path`, or of its nearest located ancestor. Path parts that are not positions in
        the document (pydantic adds union member names to error locations) are skipped."""
        best = self.lines.get((), 1)
        current: Path = ()
        for part in path:
            candidate = (*current, part)
            if candidate in self.lines:
                current = candidate
                best = self.lines[candidate]
        return best


def parse_located(text: str) -> LocatedYaml:
    try:
        return _parse(text)
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow (a NUL byte, a control code)
        line = text.count("\n", 0, exc.position) + 1
        code = exc.character if isinstance(exc.character, int) else ord(exc.character)
        raise YamlParseError(f"character U+{code:04X} is not allowed in YAML", line) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        raise YamlParseError(str(problem), mark.line + 1 if mark is not None else None) from None
    except RecursionError:
        raise YamlParseError("nested too deeply to read (thousands of levels)", 1) from None


def _parse(text: str) -> LocatedYaml:
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        value = loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()
    lines: dict[Path, int] = {}
    if node is not None:
        lines[()] = node.start_mark.line + 1
        _collect_lines(node, (), lines)
    return LocatedYaml(value, lines)


# Aliases let a few bytes of YAML expand to billions of values; no definition needs more than this.
MAX_VALUES = 20_000


def _collect_lines(node: yaml.Node, path: Path, lines: dict[Path, int]) -> None:
    if len(lines) > MAX_VALUES:
        raise YamlParseError(f"more than {MAX_VALUES} values (are YAML aliases expanding?)", None)
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                continue
            key_path = (*path, str(key_node.value))
            lines[key_path] = key_node.start_mark.line + 1
            _collect_lines(value_node, key_path, lines)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            item_path = (*path, index)
            lines[item_path] = item.start_mark.line + 1
            _collect_lines(item, item_path, lines)
