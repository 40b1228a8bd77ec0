"""The line of a key in a TOML text, for messages (tomllib keeps no positions).

A line scan that knows tables (`[a.b]`), arrays of tables (`[[a.b]]`, counted, so the second item is the
second header) and dotted keys (`a.b = 1`); a key inside an inline table (`schemas = {compatiblity = 1}`)
is found on the line that opens it. Good enough to point at a key: the config is a few dozen lines.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

_PART = r"""(?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*')"""
_DOTTED = rf"{_PART}(?:\s*\.\s*{_PART})*"
HEADER = re.compile(rf"^\s*(\[\[?)\s*({_DOTTED})\s*\]\]?")
KEY = re.compile(rf"^\s*({_DOTTED})\s*=")


def _parts(dotted: str) -> tuple[str, ...]:
    return tuple(p.strip().strip("\"'") for p in re.findall(_PART, dotted))


def _target(prefix: Sequence[str], path: Sequence[str | int]) -> tuple[tuple[str, ...], dict[int, int]]:
    """The key names of the path after `prefix`, and for each list index: after how many names it comes."""
    names = list(prefix)
    items: dict[int, int] = {}
    for part in path:
        if isinstance(part, int):
            items[len(names)] = part
        else:
            names.append(part)
    return tuple(names), items


def toml_line(text: str, prefix: Sequence[str], path: Sequence[str | int]) -> int | None:
    """1-based line of `path` (under the table `prefix`, e.g. ("tool", "dataops-ci")), or None."""
    target, items = _target(prefix, path)
    table: tuple[str, ...] = ()
    seen: dict[tuple[str, ...], int] = {}  # array-of-tables header -> items seen so far
    opened: int | None = None  # the line whose inline value holds the target, if its key is not on it
    for number, line in enumerate(text.splitlines(), start=1):
        header = HEADER.match(line)
        if header:
            table = _parts(header.group(2))
            if header.group(1) == "[[":
                seen[table] = seen.get(table, -1) + 1
            if _wanted(table, target, items, seen):
                return number
            continue
        key = KEY.match(line)
        if not key:
            continue
        full = table + _parts(key.group(1))
        if _wanted(full, target, items, seen):
            return number
        if target[: len(full)] == full and _in_inline(line, target[len(full) :]):
            return number
        if opened is None and target[: len(full)] == full:
            opened = number
    return opened


def _wanted(
    names: tuple[str, ...], target: tuple[str, ...], items: dict[int, int], seen: dict[tuple[str, ...], int]
) -> bool:
    """`names` is the target (or inside it), in the list item the path names."""
    if len(names) < len(target) or names[: len(target)] != target:
        return False
    return all(seen.get(target[:depth], index) == index for depth, index in items.items())


def _in_inline(line: str, rest: tuple[str, ...]) -> bool:
    """The remaining key names appear as keys on this line (an inline table)."""
    return bool(rest) and re.search(rf"""[{{,]\s*["']?{re.escape(rest[-1])}["']?\s*=""", line) is not None
