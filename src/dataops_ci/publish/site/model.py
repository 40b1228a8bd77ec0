"""The site's page models: plain frozen data that the templates and the search index read. Every string
in them may come from the pull request; the templates escape it (write.py)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class FieldRow:
    name: str
    type: str
    default: str | None  # JSON text of the default, None when the field has none
    doc: str
    logical_type: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class TypeDef:
    """One named type a schema file defines: a record with fields, an enum with symbols, a fixed."""

    name: str  # full name
    kind: str
    doc: str
    fields: tuple[FieldRow, ...] = ()
    symbols: tuple[str, ...] = ()
    size: int | None = None


@dataclass(frozen=True)
class VersionRow:
    """One version of a schema in git, oldest first, with the verdict against the versions before it."""

    commit: str
    date: str
    subject: str
    verdict: str  # "first version" | "compatible" | "breaking" | "cannot parse" | "not checked"
    details: tuple[str, ...] = ()  # the breaking changes, in words


@dataclass(frozen=True)
class SchemaPage:
    file: str
    slug: str
    name: str
    mode: str
    types: tuple[TypeDef, ...]
    versions: tuple[VersionRow, ...]
    problem: str = ""  # why the schema could not be read, shown instead of the types

    @property
    def field_names(self) -> tuple[str, ...]:
        return tuple(f"{t.name}.{f.name}" for t in self.types for f in t.fields)


@dataclass(frozen=True)
class CheckRow:
    kind: str
    what: str  # the check in words
    notify: tuple[str, ...] = ()


@dataclass(frozen=True)
class PipelinePage:
    file: str
    slug: str
    name: str
    owner: str
    reviewers: tuple[str, ...]
    schedule: str
    description: str
    data: str
    schema_file: str
    schema_slug: str  # the schema's page, "" when the schema is not on the site
    checks: tuple[CheckRow, ...]
    quality_score: str  # the latest score from a report, "" when none was given
    problem: str = ""


@dataclass(frozen=True)
class ExpectationRow:
    type: str
    words: str
    severity: str


@dataclass(frozen=True)
class SuitePage:
    file: str
    slug: str
    name: str
    expectations: tuple[ExpectationRow, ...]
    problem: str = ""


@dataclass(frozen=True)
class SiteModel:
    title: str
    commit: str
    schemas: tuple[SchemaPage, ...] = ()
    pipelines: tuple[PipelinePage, ...] = ()
    suites: tuple[SuitePage, ...] = ()
    notes: tuple[str, ...] = field(default_factory=tuple)  # what could not be read, shown on the index
