"""Parse all .avsc files of one revision: JSON, named types resolved across files, problems per file."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from dataops_ci.avro.build import Builder, SchemaError
from dataops_ci.avro.collect import Duplicate, collect_definitions, defined_names
from dataops_ci.avro.issues import ParseProblem, Pointer
from dataops_ci.avro.jsonpos import LineLocator
from dataops_ci.avro.model import Node


class ParsedSchema:
    """One .avsc file of a revision, named types resolved (shared with the revision's other files)."""

    __slots__ = ("file", "schema", "names", "text", "raw", "_locator")

    def __init__(self, file: str, schema: Node, names: set[str], text: str, raw: Any) -> None:
        self.file = file
        self.schema = schema
        self.names = names
        self.text = text
        self.raw = raw  # the parsed JSON document
        self._locator: LineLocator | None = None

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
    earlier in path order) gets problems instead of a ParsedSchema; the other files are unaffected unless
    they use a type from it.
    """
    docs: dict[str, Any] = {}
    problems: dict[str, list[ParseProblem]] = {}
    for path in sorted(texts):
        try:
            docs[path] = json.loads(texts[path])
        except json.JSONDecodeError as err:
            problems[path] = [ParseProblem("invalid-json", f"invalid JSON: {err.msg}", err.lineno, err.colno)]
    definitions, duplicates = collect_definitions(docs)
    for duplicate in duplicates:
        problems.setdefault(duplicate.file, []).append(_duplicate_problem(duplicate, texts[duplicate.file]))
    builder = Builder(definitions)
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
        schemas[path] = ParsedSchema(path, node, defined_names(doc, path), texts[path], doc)
    return Revision(schemas, problems)


def parse_one(text: str, file: str = "schema.avsc") -> ParsedSchema:
    """Parse a single self-contained schema; raises ValueError with the problem (for tests and tools)."""
    revision = parse_revision({file: text})
    if file in revision.problems:
        problem = revision.problems[file][0]
        raise ValueError(f"{problem.rule}: {problem.message} (line {problem.line})")
    return revision.schemas[file]


def _duplicate_problem(duplicate: Duplicate, text: str) -> ParseProblem:
    where = "earlier in this file" if duplicate.first_file == duplicate.file else f"in {duplicate.first_file}"
    message = f"{duplicate.fullname} is already defined {where}"
    line = LineLocator(text).line_of((*duplicate.pointer, "name"))
    return ParseProblem("duplicate-name", message, line, None)
