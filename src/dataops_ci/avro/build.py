"""Second parsing pass: turn one document's JSON into model nodes, resolving named types revision-wide."""

from __future__ import annotations

from typing import Any, Protocol

from dataops_ci.avro.definitions import Definition
from dataops_ci.avro.issues import Pointer
from dataops_ci.avro.logical import apply_logical_type
from dataops_ci.avro.model import (
    MISSING,
    NAMED_KINDS,
    PRIMITIVES,
    Array,
    Enum,
    Field,
    Fixed,
    Map,
    Named,
    Node,
    Record,
    Union,
)
from dataops_ci.avro.named_types import SchemaError, fill_enum, fill_fixed, names_and_doc, string_list
from dataops_ci.avro.names import full_name, namespace_of, reference_candidates

# Plain primitive names share one node each: they carry nothing but their kind.
_SHARED_PRIMITIVES = {kind: Node(kind, "", ()) for kind in PRIMITIVES}
MAX_DEPTH = 300  # JSON pointer length: 300 nested arrays, or 100 nested records
TOO_DEEP = "the schema is nested too deeply to check (through its own types or types it uses)"
_SHARED_UNIONS: dict[tuple[str, ...], Union] = {}
_SHARED_ARRAYS = {kind: Array(node, "", ()) for kind, node in _SHARED_PRIMITIVES.items()}
_SHARED_MAPS = {kind: Map(node, "", ()) for kind, node in _SHARED_PRIMITIVES.items()}
_ORDERS = ("ascending", "descending", "ignore")


class DefinitionFinder(Protocol):
    def first_definition(self, fullname: str, before: str | None = None) -> Definition | None:
        """Where ``fullname`` is first defined in the revision (path order, then document order);
        ``before``: only in files that come before this one."""

    def similar_names(self, short_name: str) -> list[str]:
        """Defined full names whose unqualified name is close to ``short_name`` (for error messages)."""


class Builder:
    """Builds nodes for the files of one revision; named types are built once and shared."""

    def __init__(self, finder: DefinitionFinder) -> None:
        self._finder = finder
        self._definitions: dict[str, Definition] = {}  # the first definition of each name used so far
        self._built: dict[str, Named] = {}
        self._attempt: list[str] = []
        # Counts parts whose meaning depends on more than their own JSON (references to named types,
        # definitions that take the enclosing namespace): a field without them is "closed", so equal JSON
        # means an equal type and compare() can skip it.
        self._open_parts = 0

    def build_file(self, file: str, doc: Any) -> Node:
        """The file's top-level type; on error, forget named types half-built during this attempt."""
        self._attempt = []
        try:
            return self._node(doc, "", (), file)
        except (SchemaError, RecursionError) as err:
            for fullname in self._attempt:
                self._built.pop(fullname, None)
            if isinstance(err, RecursionError):
                raise SchemaError("invalid-schema", TOO_DEEP, file, ()) from None
            raise

    def _node(self, value: Any, enclosing: str, pointer: Pointer, file: str) -> Node:
        if isinstance(value, str):
            shared = _SHARED_PRIMITIVES.get(value)
            return shared if shared is not None else self._reference(value, enclosing, pointer, file)
        if isinstance(value, list):
            return self._union(value, enclosing, pointer, file)
        if isinstance(value, dict):
            return self._object(value, enclosing, pointer, file)
        raise SchemaError("invalid-schema", f"expected a type, found {value!r}", file, pointer)

    def _object(self, raw: dict[str, Any], enclosing: str, pointer: Pointer, file: str) -> Node:
        if len(pointer) > MAX_DEPTH:  # keep every later walk (compare, lint) far from Python's stack limit
            raise SchemaError("invalid-schema", TOO_DEEP, file, pointer)
        kind = raw.get("type")
        if isinstance(kind, dict | list):
            return self._node(kind, enclosing, (*pointer, "type"), file)
        if not isinstance(kind, str):
            raise SchemaError("invalid-schema", 'a schema object needs a "type"', file, pointer)
        if kind in PRIMITIVES:
            if "logicalType" not in raw:
                return _SHARED_PRIMITIVES[kind]
            node = Node(kind, file, pointer)
            apply_logical_type(node, raw)
            return node
        if kind in NAMED_KINDS:
            return self._definition(raw, enclosing, pointer, file)
        if kind == "array":
            items = self._required(raw, "items", pointer, file)
            shared = _SHARED_ARRAYS.get(items) if items.__class__ is str else None
            if shared is not None:  # arrays and maps of primitives carry nothing else: share them
                return shared
            return Array(self._node(items, enclosing, (*pointer, "items"), file), file, pointer)
        if kind == "map":
            values = self._required(raw, "values", pointer, file)
            shared_map = _SHARED_MAPS.get(values) if values.__class__ is str else None
            if shared_map is not None:
                return shared_map
            return Map(self._node(values, enclosing, (*pointer, "values"), file), file, pointer)
        return self._reference(kind, enclosing, (*pointer, "type"), file)

    def _definition(self, raw: dict[str, Any], enclosing: str, pointer: Pointer, file: str) -> Node:
        name = raw.get("name")
        if not isinstance(name, str) or not name:
            raise SchemaError("invalid-schema", f'a {raw["type"]} needs a "name"', file, pointer)
        namespace = raw.get("namespace")
        if "." not in name and not isinstance(namespace, str):
            self._open_parts += 1
        fullname = full_name(name, namespace if isinstance(namespace, str) else None, enclosing)
        definition = self._definitions.get(fullname)
        if definition is None:  # the first use of the name: is this its first definition?
            earlier = self._finder.first_definition(fullname, before=file)
            definition = earlier or Definition(fullname, file, raw, pointer)
            self._definitions[fullname] = definition
        if definition.raw is not raw:
            where = "earlier in this file" if definition.file == file else f"in {definition.file}"
            message = f"{fullname} is already defined {where}"
            raise SchemaError("duplicate-name", message, file, (*pointer, "name"))
        return self._named(fullname)

    def _reference(self, ref: str, enclosing: str, pointer: Pointer, file: str) -> Node:
        self._open_parts += 1
        for fullname in reference_candidates(ref, enclosing):
            if self._lookup(fullname) is not None:
                try:
                    return self._named(fullname)
                except SchemaError as err:
                    if err.file == file:
                        raise
                    message = f"type {fullname} (defined in {err.file}) is invalid: {err.message}"
                    raise SchemaError("invalid-schema", message, file, pointer) from None
        raise SchemaError("unknown-type", f"unknown type {ref!r}{self._suggestion(ref)}", file, pointer)

    def _suggestion(self, ref: str) -> str:
        """A close known name (compared by unqualified name, so a typo in "Adress" still finds it)."""
        import difflib  # here: only this hint needs it, and every hook's start would pay ~0.5 ms for it

        short = ref.rpartition(".")[2]
        close = difflib.get_close_matches(short, sorted(PRIMITIVES), n=1) or self._finder.similar_names(short)
        return f" (did you mean {close[0]!r}?)" if close else ""

    def _lookup(self, fullname: str) -> Definition | None:
        definition = self._definitions.get(fullname)
        if definition is None:
            definition = self._finder.first_definition(fullname)
            if definition is not None:
                self._definitions[fullname] = definition
        return definition

    def _named(self, fullname: str) -> Named:
        built = self._built.get(fullname)
        if built is not None:
            return built
        definition = self._definitions[fullname]
        raw, file, pointer = definition.raw, definition.file, definition.pointer
        if fullname.rpartition(".")[2] in PRIMITIVES:
            raise SchemaError("invalid-schema", f"{fullname!r} redefines a primitive type", file, pointer)
        node: Named
        if raw["type"] == "enum":
            node = Enum(fullname, file, pointer)
        elif raw["type"] == "fixed":
            node = Fixed(fullname, file, pointer)
        else:
            node = Record(raw["type"], fullname, file, pointer)
        self._built[fullname] = node  # before filling, so recursive references find it
        self._attempt.append(fullname)
        names_and_doc(node, raw, file, pointer)
        if isinstance(node, Record):
            self._fill_record(node, raw, file, pointer)
        elif isinstance(node, Enum):
            fill_enum(node, raw, file, pointer)
        elif isinstance(node, Fixed):
            fill_fixed(node, raw, file, pointer)
        return node

    def _fill_record(self, node: Record, raw: dict[str, Any], file: str, pointer: Pointer) -> None:
        fields = raw.get("fields")
        if not isinstance(fields, list):
            raise SchemaError(
                "invalid-schema", f'record {node.fullname} needs a "fields" list', file, pointer
            )
        enclosing = namespace_of(node.fullname)
        by_name = node.by_name
        for index, raw_field in enumerate(fields):
            # Fast path for the most common fields: a name and a shared type, nothing else to check.
            shared = shared_node(raw_field.get("type")) if raw_field.__class__ is dict else None
            name = raw_field.get("name") if shared is not None else None
            if name.__class__ is str and "aliases" not in raw_field and "order" not in raw_field:
                field = Field(name, shared, index, raw_field, pointer, True)  # type: ignore[arg-type]
            else:
                field = self._field(raw_field, index, enclosing, pointer, file)
            if field.name in by_name:
                message = f"field {field.name!r} is defined twice in {node.fullname}"
                raise SchemaError("duplicate-name", message, file, field.pointer)
            node.fields.append(field)
            by_name[field.name] = field

    def _field(self, raw: Any, index: int, enclosing: str, record_pointer: Pointer, file: str) -> Field:
        if not isinstance(raw, dict) or not isinstance(raw.get("name"), str):
            raise SchemaError(
                "invalid-schema", 'a field needs a "name"', file, (*record_pointer, "fields", index)
            )
        type_value = raw.get("type", MISSING)
        shared = _SHARED_PRIMITIVES.get(type_value) if isinstance(type_value, str) else None
        if shared is not None:  # the common case, kept short: a field of a plain primitive type
            field = Field(raw["name"], shared, index, raw, record_pointer, True)
        else:
            pointer = (*record_pointer, "fields", index)
            if type_value is MISSING:
                raise SchemaError("invalid-schema", 'missing "type"', file, pointer)
            open_before = self._open_parts
            node = self._node(type_value, enclosing, (*pointer, "type"), file)
            field = Field(raw["name"], node, index, raw, record_pointer, self._open_parts == open_before)
        if "aliases" in raw:
            string_list(raw, "aliases", file, field.pointer)  # validated here, read from the JSON later
        if "order" in raw and raw["order"] not in _ORDERS:
            message = f"order must be one of {', '.join(_ORDERS)}"
            raise SchemaError("invalid-schema", message, file, (*field.pointer, "order"))
        return field

    def _union(self, branches: list[Any], enclosing: str, pointer: Pointer, file: str) -> Union:
        shared = _shared_union(branches)
        if shared is not None:
            return shared
        nodes: list[Node] = []
        seen: set[str] = set()
        for index, branch in enumerate(branches):
            node = self._node(branch, enclosing, (*pointer, index), file)
            key = node.fullname if isinstance(node, Named) else node.kind
            if node.kind == "union":
                raise SchemaError("invalid-schema", "a union may not directly contain a union", file, pointer)
            if key in seen:
                raise SchemaError("invalid-schema", f"union has {key} twice", file, (*pointer, index))
            seen.add(key)
            nodes.append(node)
        return Union(nodes, file, pointer)

    @staticmethod
    def _required(raw: dict[str, Any], key: str, pointer: Pointer, file: str) -> Any:
        if key not in raw:
            raise SchemaError("invalid-schema", f'missing "{key}"', file, pointer)
        return raw[key]


def shared_node(value: Any) -> Node | None:
    """The shared node for a type that is nothing but primitives (a name, a union of names, an array or
    map of a name), or None: such types need no pointer, no name resolution and no node of their own."""
    cls = value.__class__
    if cls is str:
        return _SHARED_PRIMITIVES.get(value)
    if cls is list:
        return _shared_union(value)
    if cls is dict and len(value) == 2:
        kind = value.get("type")
        inner = value.get("items") if kind == "array" else value.get("values") if kind == "map" else None
        if inner.__class__ is str:
            return (_SHARED_ARRAYS if kind == "array" else _SHARED_MAPS).get(inner)
    return None


def _shared_union(branches: list[Any]) -> Union | None:
    if not all(branch.__class__ is str and branch in PRIMITIVES for branch in branches):
        return None
    kinds = tuple(branches)
    shared = _SHARED_UNIONS.get(kinds)
    if shared is None and len(set(kinds)) == len(kinds):
        shared = _SHARED_UNIONS[kinds] = Union([_SHARED_PRIMITIVES[kind] for kind in kinds], "", ())
    return shared
