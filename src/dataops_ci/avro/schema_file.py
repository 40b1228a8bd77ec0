"""ParsedSchema: one parsed .avsc file of a revision."""

from __future__ import annotations

from typing import Any

from dataops_ci.avro.definitions import defined_names
from dataops_ci.avro.issues import Pointer
from dataops_ci.avro.model import Node
from dataops_ci.json_lines import LineLocator


class ParsedSchema:
    """One .avsc file of a revision, named types resolved (shared with the revision's other files)."""

    __slots__ = ("file", "schema", "text", "raw", "_locator", "_names")

    def __init__(self, file: str, schema: Node, text: str, raw: Any) -> None:
        self.file = file
        self.schema = schema
        self.text = text
        self.raw = raw  # the parsed JSON document
        self._locator: LineLocator | None = None
        self._names: set[str] | None = None

    @property
    def names(self) -> set[str]:
        """Full names of the named types defined in this file (computed on first use)."""
        if self._names is None:
            self._names = defined_names(self.raw, self.file)
        return self._names

    def line_of(self, pointer: Pointer) -> int | None:
        """1-based line of a JSON pointer in the file text (of its nearest existing ancestor)."""
        if self._locator is None:
            self._locator = LineLocator(self.text)
        return self._locator.line_of(pointer)

    def __repr__(self) -> str:
        return f"ParsedSchema({self.file!r})"
