"""Wire compatibility by Apache Avro's schema-resolution rules, in one direction, with each failure explained.

BACKWARD: the new schema (reader) reads data written with the old (writer). FORWARD: the old schema reads
data written with the new. Failures are SchemaIssues (severity "error"; compare() sets the final severity).
"""

from __future__ import annotations

from dataops_ci.avro import hints
from dataops_ci.avro.field_pairing import Pairings, by_alias
from dataops_ci.avro.issues import SchemaIssue
from dataops_ci.avro.model import Array, Enum, Field, Fixed, Map, Named, Node, Record, Union, type_label
from dataops_ci.avro.positions import Where
from dataops_ci.words import noun

PROMOTIONS: dict[str, frozenset[str]] = {
    "int": frozenset({"long", "float", "double"}),
    "long": frozenset({"float", "double"}),
    "float": frozenset({"double"}),
    "string": frozenset({"bytes"}),
    "bytes": frozenset({"string"}),
}

BACKWARD, FORWARD = "backward", "forward"
_KIND = {"error": "record"}  # "error" (from protocols) is a record type


def names_match(writer: Named, reader: Named) -> bool:
    """The spec: same unqualified name, or the writer's full name is one of the reader's aliases."""
    return writer.name == reader.name or writer.fullname in reader.aliases


def matches(writer: Node, reader: Node) -> bool:
    """The spec's (shallow) "match" of two non-union schemas; deeper parts are resolved recursively."""
    wkind, rkind = _KIND.get(writer.kind, writer.kind), _KIND.get(reader.kind, reader.kind)
    if wkind != rkind:
        return rkind in PROMOTIONS.get(wkind, ())
    if writer.logical == reader.logical == "decimal" and _decimal(writer) != _decimal(reader):
        return False  # the spec: two decimals match only if their precisions and scales match
    if isinstance(writer, Named) and isinstance(reader, Named):
        if isinstance(writer, Fixed) and isinstance(reader, Fixed) and writer.size != reader.size:
            return False
        return names_match(writer, reader)
    return True


def _decimal(node: Node) -> tuple[int | None, int | None]:
    return node.precision, node.scale


def first_match(writer: Node, reader: Union) -> int | None:
    """The spec: the first branch of the reader's union that matches the writer's schema."""
    for index, branch in enumerate(reader.branches):
        if matches(writer, branch):
            return index
    return None


class Resolver:
    """Resolves one writer/reader pair; ``direction`` maps old/new onto writer/reader."""

    def __init__(self, direction: str, pairings: Pairings | None = None) -> None:
        self.direction = direction
        self.pairings = pairings or Pairings()
        self.breaks = "readers" if direction == BACKWARD else "writers"
        self.issues: list[SchemaIssue] = []
        self._seen: set[tuple[int, int]] = set()

    def resolve(self, old: Node, new: Node, where: Where) -> None:
        if old is new:
            return  # a shared node (a primitive, a union of primitives) reads itself
        writer, reader = (old, new) if self.direction == BACKWARD else (new, old)
        if isinstance(writer, Union):
            self._writer_union(old, new, where)
        elif isinstance(reader, Union):
            index = first_match(writer, reader)
            if index is None:
                self._type_changed(old, new, where)
            elif self.direction == BACKWARD:
                self._matched(old, reader.branches[index], where.child("", (), (index,)))
            else:
                self._matched(reader.branches[index], new, where.child("", (index,), ()))
        elif matches(writer, reader):
            self._matched(old, new, where)
        else:
            self._mismatch(old, new, where)

    def _writer_union(self, old: Node, new: Node, where: Where) -> None:
        writer, reader = (old, new) if self.direction == BACKWARD else (new, old)
        assert isinstance(writer, Union)
        for index, branch in enumerate(writer.branches):
            if isinstance(reader, Union):
                found = first_match(branch, reader)
                target, target_segments = (None, ()) if found is None else (reader.branches[found], (found,))
            else:
                target, target_segments = (reader, ()) if matches(branch, reader) else (None, ())
            if target is None:
                self._union_branch_lost(branch, index, where)
            elif self.direction == BACKWARD:
                self._matched(branch, target, where.child("", (index,), target_segments))
            else:
                self._matched(target, branch, where.child("", target_segments, (index,)))

    def _matched(self, old: Node, new: Node, where: Where) -> None:
        """Resolve the parts of two matching schemas."""
        if isinstance(old, Named):
            key = (id(old), id(new))
            if key in self._seen:
                return  # recursion, or this pair was already resolved (and explained) elsewhere
            self._seen.add(key)
            where = where.enter(old, new)
        if isinstance(old, Record) and isinstance(new, Record):
            self._record(old, new, where)
        elif isinstance(old, Enum) and isinstance(new, Enum):
            self._enum(old, new, where)
        elif isinstance(old, Array) and isinstance(new, Array):
            self.resolve(old.items, new.items, where.child("[]", ("items",), ("items",)))
        elif isinstance(old, Map) and isinstance(new, Map):
            self.resolve(old.values, new.values, where.child("{}", ("values",), ("values",)))

    def _record(self, old: Record, new: Record, where: Where) -> None:
        pairing = self.pairings.get(old, new)
        for old_field, new_field in pairing.changed:
            self._field_types(old_field, new_field, where)
        if self.direction == BACKWARD:  # the new fields are the reader's: they may name old ones by alias
            for added in pairing.new_only:
                source = by_alias(added, old)
                if source is not None:
                    self._field_types(source, added, where)
                elif not added.has_default:
                    self._reader_field_missing(added, old, where)
        else:  # the old fields are the reader's
            for removed in pairing.old_only:
                source = by_alias(removed, new)
                if source is not None:
                    self._field_types(removed, source, where)
                elif not removed.has_default:
                    self._reader_field_missing(removed, new, where)

    def _field_types(self, old: Field, new: Field, where: Where) -> None:
        self.resolve(
            old.type, new.type, where.field(new.name, (*old.pointer, "type"), (*new.pointer, "type"))
        )

    def _reader_field_missing(self, field: Field, writer: Record, where: Where) -> None:
        if self.direction == BACKWARD:
            inner = where.field(field.name, None, field.pointer)
            message = (
                f'field "{field.name}" was added without a default: '
                "data written with the old schema has no value for it"
            )
            self._add("field-added-without-default", message, inner, hints.ADD_DEFAULT, "new", inner.new)
            return
        renamed = next((f for f in writer.fields if field.name in f.aliases), None)
        if renamed is not None:
            inner = where.field(renamed.name, field.pointer, None)  # the path names the field as it is now
            message = (
                f'field "{field.name}" was renamed to "{renamed.name}": '
                "readers on the old schema do not know the alias"
            )
            self._add("field-renamed", message, inner, hints.RENAME_FORWARD, "old", inner.old)
            return
        inner = where.field(field.name, field.pointer, None)
        message = (
            f'field "{field.name}" was removed, and the old schema has no default for it: old readers fail'
        )
        self._add("field-removed", message, inner, hints.REMOVE_FIELD, "old", inner.old)

    def _enum(self, old: Enum, new: Enum, where: Where) -> None:
        reader, writer = (new, old) if self.direction == BACKWARD else (old, new)
        if reader.default is not None:
            return  # unknown symbols read as the reader's default
        known = set(reader.symbols)
        missing = [symbol for symbol in writer.symbols if symbol not in known]
        if not missing:
            return
        listed = ", ".join(missing)
        if self.direction == BACKWARD:
            message = (
                f"enum {new.fullname} lost {noun(len(missing), 'symbol')} {listed}, and has no default: "
                "old data holding them cannot be read"
            )
            self._add(
                "enum-symbol-removed", message, where, hints.ENUM_REMOVED, "old", (*where.old, "symbols")
            )
        else:
            message = (
                f"enum {new.fullname} gained {noun(len(missing), 'symbol')} {listed}; "
                "the old schema has no default to read them as"
            )
            self._add("enum-symbol-added", message, where, hints.ENUM_ADDED, "new", (*where.new, "symbols"))

    def _union_branch_lost(self, branch: Node, index: int, where: Where) -> None:
        label = type_label(branch)
        if self.direction == BACKWARD:
            message = f"the old schema allowed {label} here and the new one cannot read it"
            self._add("union-branch-removed", message, where, hints.UNION_REMOVED, "old", (*where.old, index))
        else:
            message = f"the new schema allows {label} here, which readers on the old schema cannot read"
            self._add("union-branch-added", message, where, hints.UNION_ADDED, "new", (*where.new, index))

    def _mismatch(self, old: Node, new: Node, where: Where) -> None:
        if isinstance(old, Named) and isinstance(new, Named) and old.kind == new.kind:
            if isinstance(old, Fixed) and isinstance(new, Fixed) and old.size != new.size:
                message = f"fixed {new.fullname} changed size from {old.size} to {new.size}"
                self._add("fixed-size-changed", message, where, hints.FIXED_SIZE, "new", where.new)
            else:
                message = f"{new.kind} {old.fullname} was renamed to {new.fullname} without an alias"
                self._add("name-changed", message, where, hints.alias_for(old.fullname), "new", where.new)
            return
        if old.logical == "decimal" and new.logical == "decimal":
            message = f"decimal changed from ({old.precision},{old.scale}) to ({new.precision},{new.scale})"
            self._add("logical-type-changed", message, where, hints.DECIMAL, "new", where.new)
            return
        self._type_changed(old, new, where)

    def _type_changed(self, old: Node, new: Node, where: Where) -> None:
        if self.direction == BACKWARD:
            detail = f"the new type {type_label(new)} cannot read data written as {type_label(old)}"
        else:
            detail = f"old readers ({type_label(old)}) cannot read data written as {type_label(new)}"
        message = f"type changed from {type_label(old)} to {type_label(new)}: {detail}"
        self._add("type-changed", message, where, hints.TYPE_CHANGED, "new", where.new)

    def _add(
        self, rule: str, message: str, where: Where, hint: str, side: str, pointer: tuple[str | int, ...]
    ) -> None:
        self.issues.append(SchemaIssue(rule, "error", message, where.path, hint, self.breaks, side, pointer))


def resolve(
    old: Node, new: Node, direction: str, where: Where, pairings: Pairings | None = None
) -> list[SchemaIssue]:
    resolver = Resolver(direction, pairings)
    resolver.resolve(old, new, where)
    return resolver.issues
