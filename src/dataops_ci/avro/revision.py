"""One revision's files, parsed on demand: a file is decoded and built when someone asks for it.

This module resolves names in one namespace for the whole revision (``schemas.references: shared``);
scopes.py resolves them per file.

A check usually needs a few changed files of a repository with thousands of schemas. Named types still
resolve across all files: an index of the "name" values in every text (one regex pass, much cheaper than
decoding every file) says which files might define a name, and only those are decoded to find out.
"Defined first" means first in path order, then in document order: later definitions are duplicates.
"""

from __future__ import annotations

import gc
import json
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any, TypeVar

from dataops_ci.avro.build import TOO_DEEP, Builder
from dataops_ci.avro.definitions import Definition, definitions_in
from dataops_ci.avro.issues import ParseProblem
from dataops_ci.avro.model import Node
from dataops_ci.avro.named_types import SchemaError
from dataops_ci.avro.schema_file import ParsedSchema
from dataops_ci.json_lines import LineLocator

_NAME_VALUE = re.compile(r'"name"\s*:\s*"([^"\\]*)"')
_INVALID = object()  # marks a file whose JSON did not decode
_UNREAD = object()
_BULK_AFTER = 16  # lookups of distinct files before the rest of a revision is parsed in one pass

V = TypeVar("V")


@contextmanager
def gc_paused() -> Iterator[None]:
    """Building allocates many small objects and no garbage; the cyclic collector would run dozens of
    times over them for nothing (it doubled the parse time of 2,000 schemas). Pause it, then restore it."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


class RevisionState:
    """The parsing state of one revision: decoded documents, definitions found, files parsed so far.

    ``schemas`` and ``problems`` fill up as files are parsed; LazyFiles are the read-only views on them.
    It is also the Builder's DefinitionFinder."""

    def __init__(self, texts: Mapping[str, str]) -> None:
        self.texts = dict(texts)
        self.paths = sorted(self.texts)
        self.schemas: dict[str, ParsedSchema] = {}
        self.problems: dict[str, list[ParseProblem]] = {}
        self._position = {path: index for index, path in enumerate(self.paths)}
        self._docs: dict[str, Any] = {}
        self._definitions: dict[str, list[Definition]] = {}
        self._index: dict[str, list[str]] | None = None
        self._everywhere: list[str] = []  # files whose names may hide behind \\u escapes: always searched
        self._done: set[str] = set()
        self._lookups = 0
        self._builder = Builder(self)

    def lookup(self, path: str) -> None:
        """Someone asked for ``path``: parse it, or everything once lookups show most files are wanted
        (one bulk pass with the collector paused beats many small ones between which it runs)."""
        if path in self._done or path not in self.texts:
            return
        self._lookups += 1
        if self._lookups > max(_BULK_AFTER, len(self.paths) // 8):
            self.ensure_all()
        else:
            self.ensure(path)

    def ensure(self, path: str) -> None:
        """Parse ``path`` (once) into ``schemas`` or ``problems``."""
        if path in self._done or path not in self.texts:
            return
        self._done.add(path)
        with gc_paused():
            doc = self._doc(path)
            if doc is _INVALID:
                return
            try:
                node = self._build(path, doc)
            except SchemaError as err:
                line = LineLocator(self.texts[path]).line_of(err.pointer)
                self.problems[path] = [ParseProblem(err.rule, err.message, line, None)]
                return
        self.schemas[path] = ParsedSchema(path, node, self.texts[path], doc)

    def _build(self, path: str, doc: Any) -> Node:
        """One file's top-level type, named types resolved revision-wide (schemas.references: shared)."""
        return self._builder.build_file(path, doc)

    def ensure_all(self) -> None:
        with gc_paused():
            for path in self.paths:
                self.ensure(path)

    def first_definition(self, fullname: str, before: str | None = None) -> Definition | None:
        for path in self._candidates(fullname.rpartition(".")[2]):
            if path == before or (before is not None and self._position[path] > self._position[before]):
                return None
            for definition in self._definitions_of(path):
                if definition.fullname == fullname:
                    return definition
        return None

    def similar_names(self, short_name: str) -> list[str]:
        import difflib  # here: only the "did you mean" hint needs it, not every hook's start (~0.5 ms)

        for name in difflib.get_close_matches(short_name, list(self._name_index()), n=5):
            defined = self._defined_as(name)
            if defined:
                return [defined[0].fullname]
        return []

    def _defined_as(self, short_name: str) -> list[Definition]:
        return [
            definition
            for path in self._candidates(short_name)
            for definition in self._definitions_of(path)
            if definition.fullname.rpartition(".")[2] == short_name
        ]

    def _candidates(self, short_name: str) -> list[str]:
        """Files that may define a type with this unqualified name, in path order."""
        listed = self._name_index().get(short_name, [])
        if not self._everywhere:
            return listed
        return sorted({*listed, *self._everywhere}, key=self._position.__getitem__)

    def _name_index(self) -> dict[str, list[str]]:
        if self._index is None:
            index: dict[str, list[str]] = {}
            for path in self.paths:
                text = self.texts[path]
                if "\\u" in text:
                    self._everywhere.append(path)
                for name in set(_NAME_VALUE.findall(text)):
                    index.setdefault(name.rpartition(".")[2], []).append(path)
            self._index = index
        return self._index

    def _definitions_of(self, path: str) -> list[Definition]:
        found = self._definitions.get(path)
        if found is None:
            doc = self._doc(path)
            found = self._definitions[path] = [] if doc is _INVALID else definitions_in(doc, path)
        return found

    def _doc(self, path: str) -> Any:
        doc = self._docs.get(path, _UNREAD)
        if doc is _UNREAD:
            doc = self._docs[path] = self._decode(path)
        return doc

    def _decode(self, path: str) -> Any:
        try:
            return json.loads(self.texts[path])
        except json.JSONDecodeError as err:
            problem = ParseProblem("invalid-json", f"invalid JSON: {err.msg}", err.lineno, err.colno)
        except RecursionError:
            problem = ParseProblem("invalid-schema", TOO_DEEP, None, None)
        self.problems[path] = [problem]
        return _INVALID


class LazyFiles(Mapping[str, V]):
    """A read-only path -> value view that parses a file when it is looked up (all files when iterated)."""

    def __init__(self, state: RevisionState, store: dict[str, V]) -> None:
        self._state, self._store = state, store

    def __getitem__(self, path: str) -> V:
        self._state.lookup(path)
        return self._store[path]

    def __contains__(self, path: object) -> bool:
        if isinstance(path, str):
            self._state.lookup(path)
        return path in self._store

    def __iter__(self) -> Iterator[str]:
        self._state.ensure_all()
        return (path for path in self._state.paths if path in self._store)

    def __len__(self) -> int:
        self._state.ensure_all()
        return len(self._store)

    def __repr__(self) -> str:
        return repr(dict(self.items()))
