"""Parse all .avsc files of one revision: JSON, named types resolved across files, problems per file."""

from __future__ import annotations

import gc
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from dataops_ci.avro.build import TOO_DEEP, Builder, SchemaError
from dataops_ci.avro.collect import defined_names
from dataops_ci.avro.issues import ParseProblem, Pointer
from dataops_ci.avro.jsonpos import LineLocator
from dataops_ci.avro.model import Node


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


@dataclass(frozen=True)
class Revision:
    schemas: dict[str, ParsedSchema]
    problems: dict[str, list[ParseProblem]]


def parse_revision(texts: Mapping[str, str]) -> Revision:
    """Parse every .avsc text of one revision (path -> text), in path order.

    A file that fails (bad JSON, unknown type, invalid schema, or a named type already defined by a file
    earlier in path order, or earlier in the same file) gets problems instead of a ParsedSchema; the other
    files are unaffected unless they use a type from it.
    """
    # Parsing allocates many small objects and no garbage; the cyclic collector would run dozens of times
    # over them for nothing (it doubled the parse time of 2,000 schemas). Pause it, then restore its state.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _parse_revision(texts)
    finally:
        if collecting:
            gc.enable()


def _parse_revision(texts: Mapping[str, str]) -> Revision:
    docs: dict[str, Any] = {}
    problems: dict[str, list[ParseProblem]] = {}
    for path in sorted(texts):
        try:
            docs[path] = json.loads(texts[path])
        except json.JSONDecodeError as err:
            problems[path] = [ParseProblem("invalid-json", f"invalid JSON: {err.msg}", err.lineno, err.colno)]
        except RecursionError:
            problems[path] = [ParseProblem("invalid-schema", TOO_DEEP, None, None)]
    builder = Builder(docs)
    schemas: dict[str, ParsedSchema] = {}
    for path, doc in docs.items():
        if path in problems:
            continue
        try:
            node = builder.build_file(path, doc)
        except SchemaError as err:
            line = LineLocator(texts[path]).line_of(err.pointer)
            problems[path] = [ParseProblem(err.rule, err.message, line, None)]
            continue
        schemas[path] = ParsedSchema(path, node, texts[path], doc)
    return Revision(schemas, problems)


def parse_one(text: str, file: str = "schema.avsc") -> ParsedSchema:
    """Parse a single self-contained schema; raises ValueError with the problem (for tests and tools)."""
    revision = parse_revision({file: text})
    if file in revision.problems:
        problem = revision.problems[file][0]
        raise ValueError(f"{problem.rule}: {problem.message} (line {problem.line})")
    return revision.schemas[file]
