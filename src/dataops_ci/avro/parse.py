"""Parse the .avsc files of one revision: JSON, named types resolved across files, problems per file."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from dataops_ci.avro.issues import ParseProblem
from dataops_ci.avro.revision import LazyFiles, RevisionState
from dataops_ci.avro.schema_file import ParsedSchema


@dataclass(frozen=True)
class Revision:
    """path -> ParsedSchema for files that parsed, path -> problems for files that did not.

    Both are read-only mappings that parse a file when it is looked up (``[]``, ``get``, ``in``), and
    every file when iterated, so a check that needs a few files of a large repository parses only those
    (and the files that define types they use)."""

    schemas: Mapping[str, ParsedSchema]
    problems: Mapping[str, list[ParseProblem]]


def parse_revision(texts: Mapping[str, str]) -> Revision:
    """All .avsc texts of one revision (path -> text).

    A file fails (gets problems instead of a ParsedSchema) for bad JSON, an unknown type, an invalid
    schema, or a named type already defined by a file earlier in path order (or earlier in the same
    file); the other files are unaffected unless they use a type from it.
    """
    state = RevisionState(texts)
    return Revision(LazyFiles(state, state.schemas), LazyFiles(state, state.problems))


def parse_one(text: str, file: str = "schema.avsc") -> ParsedSchema:
    """Parse a single self-contained schema; raises ValueError with the problem (for tests and tools)."""
    revision = parse_revision({file: text})
    problems = revision.problems.get(file)
    if problems:
        problem = problems[0]
        raise ValueError(f"{problem.rule}: {problem.message} (line {problem.line})")
    return revision.schemas[file]


__all__ = ["ParsedSchema", "Revision", "parse_one", "parse_revision"]
