"""Per-file name resolution (``schemas.references: per-file``): each .avsc stands alone, as Avro's tools,
the avro-maven-plugin without ``<imports>`` and Confluent Schema Registry subjects treat it.

A file's own definitions come first, so a record inlined in many files (an ``Address`` copied into every
subject) is each file's own and never a duplicate. A name a file uses and does not define is borrowed from
the other files of the revision: when every file that defines it defines it identically (equal JSON, docs
aside), from the first of them in path order; when two define it differently, it is an ``ambiguous-type``
problem that names both. A borrowed type is built as its own file builds it (its references resolve
there) and is shared by identity with that file.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from dataops_ci.avro.build import TOO_DEEP, Builder
from dataops_ci.avro.definitions import Definition
from dataops_ci.avro.issues import Pointer
from dataops_ci.avro.model import Named, Node
from dataops_ci.avro.named_types import SchemaError
from dataops_ci.avro.revision import RevisionState
from dataops_ci.json_lines import LineLocator

SHOWN_FILES = 3  # files named per definition in a message


class Ambiguous(Exception):
    """A used, not defined name that other files define in more than one way."""

    def __init__(self, fullname: str, variants: list[list[str]]) -> None:
        firsts = [files[0] for files in variants]
        listed = " and ".join(firsts) if len(firsts) == 2 else f"{', '.join(firsts[:-1])} and {firsts[-1]}"
        files = sum(len(group) for group in variants)
        count = f" ({files} files define it, in {len(variants)} ways)" if files > 2 else ""
        super().__init__(
            f"{fullname} is used but not defined in this file, and {listed} define it differently{count}: "
            "which one is meant is ambiguous"
        )
        self.fullname, self.variants = fullname, variants


@dataclass(frozen=True)
class Divergence:
    """One full name that files of the revision define in different ways (each file uses its own).

    ``variants``: the files of each distinct definition, in path order; ``line``: of the first one's name."""

    fullname: str
    variants: tuple[tuple[str, ...], ...]
    line: int | None

    @property
    def file(self) -> str:
        return self.variants[0][0]

    def describe(self) -> str:
        listed = "; ".join(_files(list(files)) for files in self.variants[:SHOWN_FILES])
        more = f"; and {len(self.variants) - SHOWN_FILES} more" if len(self.variants) > SHOWN_FILES else ""
        return f"{self.fullname} has {len(self.variants)} different definitions: {listed}{more}"


def _files(files: list[str]) -> str:
    shown = ", ".join(files[:SHOWN_FILES])
    return shown if len(files) <= SHOWN_FILES else f"{shown} (+{len(files) - SHOWN_FILES} files)"


def _key(raw: dict[str, Any]) -> str:
    """Definitions are the same when their JSON is, apart from key order, layout and "doc" (which no reader
    or writer sees): copies whose docs drifted still mean one type."""
    return json.dumps(_without_docs(raw), sort_keys=True)


def _without_docs(value: Any) -> Any:
    if isinstance(value, dict):
        return {
            key: item if key == "default" else _without_docs(item)  # a default is data, kept as it is
            for key, item in value.items()
            if key != "doc"
        }
    if isinstance(value, list):
        return [_without_docs(item) for item in value]
    return value


class FileScope:
    """The DefinitionFinder of one file: its own definitions first, then what it borrows."""

    def __init__(self, state: PerFileState, path: str) -> None:
        self.state, self.path = state, path

    def first_definition(self, fullname: str, before: str | None = None) -> Definition | None:
        own = self.state.own_definition(self.path, fullname)
        if own is not None or before is not None:  # ``before``: a definition in this file; never a duplicate
            return own
        return self.state.borrowed(self.path, fullname)

    def similar_names(self, short_name: str) -> list[str]:
        return self.state.similar_names(short_name)


class FileBuilder(Builder):
    """Builds one file's nodes; a borrowed type is built by the builder of the file that defines it."""

    def __init__(self, scope: FileScope) -> None:
        super().__init__(scope)
        self._scope = scope

    def _reference(self, ref: str, enclosing: str, pointer: Pointer, file: str) -> Node:
        try:
            return super()._reference(ref, enclosing, pointer, file)
        except Ambiguous as err:
            raise SchemaError("ambiguous-type", str(err), file, pointer) from None

    def _named(self, fullname: str) -> Named:
        definition = self._definitions[fullname]
        if definition.file == self._scope.path or fullname in self._built:
            return super()._named(fullname)
        node = self._scope.state.builder(definition.file).build_named(fullname)
        self._built[fullname] = node
        self._attempt.append(fullname)
        return node

    def build_named(self, fullname: str) -> Named:
        """One of this file's named types, for a file that borrows it; on error, forget what was half-built
        (this file's own build may be under way: what this call built joins its attempt)."""
        outer, self._attempt = self._attempt, []
        try:
            if self._lookup(fullname) is None:  # pragma: no cover - only called for names this file defines
                raise SchemaError("unknown-type", f"unknown type {fullname!r}", self._scope.path, ())
            node = self._named(fullname)
        except (SchemaError, RecursionError) as err:
            for name in self._attempt:
                self._built.pop(name, None)
            self._attempt = outer
            if isinstance(err, RecursionError):
                raise SchemaError("invalid-schema", TOO_DEEP, self._scope.path, ()) from None
            raise
        self._attempt = outer + self._attempt
        return node


class PerFileState(RevisionState):
    """A revision whose files each resolve names in their own scope."""

    def __init__(self, texts: dict[str, str]) -> None:
        super().__init__(texts)
        self._builders: dict[str, FileBuilder] = {}
        self._own: dict[str, dict[str, Definition]] = {}

    def builder(self, path: str) -> FileBuilder:
        found = self._builders.get(path)
        if found is None:
            found = self._builders[path] = FileBuilder(FileScope(self, path))
        return found

    def _build(self, path: str, doc: Any) -> Node:
        return self.builder(path).build_file(path, doc)

    def own_definition(self, path: str, fullname: str) -> Definition | None:
        """The first definition of ``fullname`` in the file (document order)."""
        return self._own_definitions(path).get(fullname)

    def _own_definitions(self, path: str) -> dict[str, Definition]:
        """Full name -> its first definition in the file (document order)."""
        own = self._own.get(path)
        if own is None:
            own = self._own[path] = {}
            for definition in self._definitions_of(path):
                own.setdefault(definition.fullname, definition)
        return own

    def borrowed(self, path: str, fullname: str) -> Definition | None:
        """The definition another file gives a name ``path`` uses and does not define; Ambiguous when
        files define it differently."""
        found = [
            definition
            for other in self._candidates(fullname.rpartition(".")[2])
            if other != path and (definition := self.own_definition(other, fullname)) is not None
        ]
        variants = _variants(found) if len(found) > 1 else [found]
        if len(variants) > 1:
            raise Ambiguous(fullname, [[d.file for d in group] for group in variants])
        return found[0] if found else None

    def divergences(self) -> list[Divergence]:
        """Every name that files define in more than one way (decodes every file)."""
        by_name: dict[str, list[Definition]] = {}
        for path in self.paths:
            for definition in self._own_definitions(path).values():
                by_name.setdefault(definition.fullname, []).append(definition)
        out: list[Divergence] = []
        for fullname in sorted(by_name):
            variants = _variants(by_name[fullname]) if len(by_name[fullname]) > 1 else []
            if len(variants) > 1:
                first = variants[0][0]
                line = LineLocator(self.texts[first.file]).line_of((*first.pointer, "name"))
                files = tuple(tuple(d.file for d in group) for group in variants)
                out.append(Divergence(fullname, files, line))
        return out


def _variants(definitions: list[Definition]) -> list[list[Definition]]:
    """Definitions grouped by identical JSON, groups in the order of their first file."""
    groups: dict[str, list[Definition]] = {}
    for definition in definitions:
        groups.setdefault(_key(definition.raw), []).append(definition)
    return list(groups.values())
