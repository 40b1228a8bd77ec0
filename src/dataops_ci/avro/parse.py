"""Parse the .avsc files of one revision: JSON, named types resolved (per file, or across files), problems
per file."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Literal

from dataops_ci.avro.issues import ParseProblem
from dataops_ci.avro.revision import LazyFiles, RevisionState
from dataops_ci.avro.schema_file import ParsedSchema
from dataops_ci.avro.scopes import Divergence, PerFileState

References = Literal["per-file", "shared"]
REFERENCES: tuple[References, ...] = ("per-file", "shared")


def _none() -> list[Divergence]:
    return []


@dataclass(frozen=True)
class Revision:
    """path -> ParsedSchema for files that parsed, path -> problems for files that did not.

    Both are read-only mappings that parse a file when it is looked up (``[]``, ``get``, ``in``), and
    every file when iterated, so a check that needs a few files of a large repository parses only those
    (and the files that define types they use). ``divergences()`` lists the names files define in
    different ways (per-file references only: each file uses its own; it decodes every file)."""

    schemas: Mapping[str, ParsedSchema]
    problems: Mapping[str, list[ParseProblem]]
    divergences: Callable[[], list[Divergence]] = field(default=_none, compare=False)


def parse_revision(texts: Mapping[str, str], references: References = "per-file") -> Revision:
    """All .avsc texts of one revision (path -> text).

    ``references="per-file"`` (Kafka subjects, Avro tools): each file's own definitions come first, so the
    same name may be defined in many files; a name a file uses without defining it comes from the other
    files (``unknown-type`` if none defines it, ``ambiguous-type`` if two define it differently).
    ``references="shared"``: one namespace for the revision; a named type already defined by a file earlier
    in path order is a ``duplicate-name`` problem.

    A file also fails (gets problems instead of a ParsedSchema) for bad JSON, an unknown type, an invalid
    schema, or a name defined twice in the file; the other files are unaffected unless they use a type
    from it.
    """
    if references == "shared":
        state = RevisionState(texts)
        return Revision(LazyFiles(state, state.schemas), LazyFiles(state, state.problems))
    per_file = PerFileState(dict(texts))
    schemas, problems = LazyFiles(per_file, per_file.schemas), LazyFiles(per_file, per_file.problems)
    return Revision(schemas, problems, per_file.divergences)


def parse_one(text: str, file: str = "schema.avsc") -> ParsedSchema:
    """Parse a single self-contained schema; raises ValueError with the problem (for tests and tools)."""
    revision = parse_revision({file: text})
    problems = revision.problems.get(file)
    if problems:
        problem = problems[0]
        raise ValueError(f"{problem.rule}: {problem.message} (line {problem.line})")
    return revision.schemas[file]


__all__ = [
    "REFERENCES",
    "Divergence",
    "ParsedSchema",
    "References",
    "Revision",
    "parse_one",
    "parse_revision",
]
