"""The engine's two result types: a finding about a schema change, and a problem parsing a schema file."""

from __future__ import annotations

from dataclasses import dataclass

Pointer = tuple[str | int, ...]


@dataclass(frozen=True)
class SchemaIssue:
    """One change (or lint finding) in a schema, explained.

    ``breaks`` is "readers" when consumers that adopt the new schema cannot read data written with the old
    one (a BACKWARD break), "writers" when producers that adopt the new schema write data that consumers
    still on the old schema cannot read (a FORWARD break), and "" when nothing breaks on the wire.
    ``side`` says which document ``pointer`` points into ("new", or "old" for something that was removed).
    """

    rule: str
    severity: str
    message: str
    path: str
    hint: str
    breaks: str
    side: str
    pointer: Pointer


@dataclass(frozen=True)
class ParseProblem:
    """Why one .avsc file of a revision could not be used."""

    rule: str
    message: str
    line: int | None
    column: int | None
